"""Load performance-target documents into polars frames: the one public entry.

``load_documents`` takes paths or raw bytes and returns a :class:`Corpus` of
four frames (documents, projects, indicators, diagnostics) whose columns are
declared in :mod:`lib.schema`. Bad input never raises: it becomes a
diagnostic naming the file and line, and the other documents still load.

Command line::

    python -m lib.loader [PATH ...] --json
    python -m lib.loader [PATH ...] --out DIR --format csv|parquet|xlsx
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Union

import polars as pl

from lib import schema
from lib.excel import is_workbook, parse_workbook
from lib.parser import ParsedDocument, parse_rows
from lib.text import decode, looks_binary, split_rows
from lib.values import parse_value_columns

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The document library: ``$BUDGET_DATA_DIR`` when set (a server's own folder, tests), else ``data/``."""
    configured = os.environ.get("BUDGET_DATA_DIR")
    return Path(configured) if configured else DATA_DIR

#: A document to load: a path, or a (file name, bytes) pair such as an upload.
Source = Union[Path, str, tuple[str, bytes]]


@dataclass(frozen=True)
class Corpus:
    """The four frames of a set of documents, in the schemas of :mod:`lib.schema`."""

    documents: pl.DataFrame
    projects: pl.DataFrame
    indicators: pl.DataFrame
    diagnostics: pl.DataFrame

    def frames(self) -> dict[str, pl.DataFrame]:
        """The frames by name, in a fixed order (for exports and the CLI)."""
        return {
            "documents": self.documents,
            "projects": self.projects,
            "indicators": self.indicators,
            "diagnostics": self.diagnostics,
        }


def default_paths(directory: Path | None = None) -> list[Path]:
    """Every document in ``directory`` (the app's default data set), sorted by name."""
    directory = directory or data_dir()
    if not directory.is_dir():
        return []
    suffixes = {".txt", ".tsv", ".md", ".xlsx"}
    # "~$x.xlsx" is the lock file Excel leaves beside an open workbook; ".x" are hidden or temporary.
    return sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and p.suffix.lower() in suffixes and not p.name.startswith(("~$", "."))
    )


def document_id(data: bytes) -> str:
    """Stable id of a document: the same bytes always give the same id.

    >>> document_id(b"abc")
    'a9993e364706816a'
    """
    return hashlib.sha1(data).hexdigest()[:16]


def load_documents(sources: Iterable[Source] | None = None) -> Corpus:
    """Parse documents into a :class:`Corpus`; with no sources, every document in ``data/``.

    Each source is a path or a ``(file name, bytes)`` pair. A file that cannot
    be read, is empty, binary or holds no target table gives an error
    diagnostic; the other files still load. Identical documents load once.

    Examples
    --------
    >>> corpus = load_documents()
    >>> corpus.projects.height, corpus.indicators.height
    (15, 172)
    """
    if sources is None:
        sources = default_paths()
    parts: list[tuple[dict, ParsedDocument]] = []
    pending = 0  # records in parts
    batches: list[Corpus] = []
    diagnostics: list[dict] = []
    seen: dict[str, str] = {}
    for source in sources:
        name, data, error = _read(source)
        if error is not None:
            diagnostics.append(_file_diagnostic(name, None, "error", "unreadable", f"无法读取文件：{error}"))
            continue
        doc_id = document_id(data)
        if doc_id in seen:
            diagnostics.append(
                _file_diagnostic(name, doc_id, "warning", "duplicate_document", f"与已载入的「{seen[doc_id]}」内容相同，未重复载入")
            )
            continue
        seen[doc_id] = name
        parsed = _parse_bytes(data, name=name, doc_id=doc_id)
        parts.append(({"document_id": doc_id, "source": name}, parsed))
        pending += len(parsed.projects) + len(parsed.indicators) + len(parsed.diagnostics)
        if pending >= _BATCH_RECORDS:
            batches.append(_build_corpus(parts, []))
            parts, pending = [], 0
    batches.append(_build_corpus(parts, []))
    corpus = Corpus(
        *(pl.concat([getattr(batch, name) for batch in batches]) for name in ("documents", "projects", "indicators")),
        diagnostics=pl.concat([schema.frame(diagnostics, schema.DIAGNOSTICS), *(b.diagnostics for b in batches)]),
    )
    _release_parse_caches()
    return corpus


#: Parsed records are turned into frames this many at a time: as Python
#: dicts, a million indicators took about 1.5 GB before becoming a frame of
#: a fifth of that.
_BATCH_RECORDS = 200_000


def _release_parse_caches() -> None:
    """Drop the parser's memo tables once a load is done.

    They speed up one load (cells repeat), but kept alive they pin Python's
    small-object arenas: at 100,000 projects the process stayed at 2 GB
    instead of about 550 MB.
    """
    from lib import parser, values

    parser.release_caches()
    values.parse_value.cache_clear()


def _read(source: Source) -> tuple[str, bytes, str | None]:
    if isinstance(source, tuple):
        name, data = source
        return name, data, None
    path = Path(source)
    try:
        return path.name, path.read_bytes(), None
    except OSError as exc:
        return path.name, b"", f"{path}: {exc.strerror or exc}"


def _file_diagnostic(source: str, doc_id: str | None, severity: str, code: str, message: str) -> dict:
    return {
        "document_id": doc_id,
        "source": source,
        "line": None,
        "severity": severity,
        "code": code,
        "message": f"{source}: {message}",
        "project_id": None,
    }


#: Largest document the loader parses. One department's document is well under
#: a megabyte; a file far larger is a mistake or an attack, and parsing it
#: would hold a server thread for minutes while other users wait.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: Longest line (in cells) and most lines a text document may have.
MAX_LINES = 1_000_000
MAX_CELLS_PER_LINE = 500


def _parse_bytes(data: bytes, *, name: str, doc_id: str) -> ParsedDocument:
    if len(data) > MAX_DOCUMENT_BYTES:
        empty = ParsedDocument(None, None, None, None, [], [], [])
        message = f"文件有 {len(data) / 1024 / 1024:,.1f} MB，超过单个文档 {MAX_DOCUMENT_BYTES // 1024 // 1024} MB 的上限，未载入"
        empty.diagnostics.append(_file_diagnostic(name, doc_id, "error", "too_large", message))
        return empty
    if is_workbook(data):
        # By content, not by name: an .xlsx renamed .txt still loads as a workbook.
        return parse_workbook(data, document_id=doc_id, source=name)
    empty = ParsedDocument(None, None, None, None, [], [], [])
    if not data.strip():
        empty.diagnostics.append(_file_diagnostic(name, doc_id, "error", "empty_file", "文件为空，未载入任何项目"))
        return empty
    if looks_binary(data):
        empty.diagnostics.append(
            _file_diagnostic(name, doc_id, "error", "binary_file", "文件不是文本文档（含二进制内容），未载入任何项目")
        )
        return empty
    decoded = decode(data)
    notes = []
    if decoded.lossy:
        notes.append(
            _file_diagnostic(name, doc_id, "warning", "encoding", "文件既不是 UTF-8 也不是 GB18030 编码，无法识别的字节已替换为 �")
        )
    elif decoded.encoding not in ("utf-8", "utf-8-sig"):
        notes.append(_file_diagnostic(name, doc_id, "info", "encoding", f"文件编码为 {decoded.encoding}，已转换"))
    rows = split_rows(decoded.text)
    widest = max((len(row.cells) for row in rows), default=0)
    if len(rows) > MAX_LINES or widest > MAX_CELLS_PER_LINE:
        message = (
            f"文件有 {len(rows):,} 行、最多 {widest:,} 个单元格一行，超过 {MAX_LINES:,} 行或每行 "
            f"{MAX_CELLS_PER_LINE} 个单元格的上限，不像绩效目标表，未载入"
        )
        empty.diagnostics.append(_file_diagnostic(name, doc_id, "error", "too_large", message))
        return empty
    try:
        parsed = parse_rows(rows, document_id=doc_id, source=name)
    except Exception as exc:  # noqa: BLE001 - reported, never swallowed: the other files must still load
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        empty.diagnostics.append(
            _file_diagnostic(name, doc_id, "error", "internal_error", f"解析程序出错（{detail}），此文件未载入；请报告此问题")
        )
        return empty
    parsed.diagnostics[:0] = notes
    return parsed


def _build_corpus(parts: list[tuple[dict, ParsedDocument]], diagnostics: list[dict]) -> Corpus:
    documents = []
    projects: list[dict] = []
    indicators: list[dict] = []
    for meta, parsed in parts:
        documents.append(
            {
                **meta,
                "title": parsed.title,
                "year": parsed.year,
                "department": parsed.department,
                "project_count": len(parsed.projects),
                "preamble": parsed.preamble,
            }
        )
        projects.extend(parsed.projects)
        indicators.extend(parsed.indicators)
        diagnostics.extend(parsed.diagnostics)
    indicator_frame = schema.frame(indicators, _RAW_INDICATORS)
    parsed_values = [
        parse_value_columns(indicator_frame["period_value"], prefix="period"),
        parse_value_columns(indicator_frame["annual_value"], prefix="annual"),
    ]
    indicator_frame = pl.concat([indicator_frame, *parsed_values], how="horizontal").select(list(schema.INDICATORS))
    return Corpus(
        documents=schema.frame(documents, schema.DOCUMENTS),
        projects=schema.frame(projects, schema.PROJECTS),
        indicators=indicator_frame.cast(schema.INDICATORS),
        diagnostics=schema.frame(diagnostics, schema.DIAGNOSTICS),
    )


_RAW_INDICATORS = {
    name: dtype
    for name, dtype in schema.INDICATORS.items()
    if not name.startswith(("period_", "annual_")) or name in ("period_value", "annual_value")
}


# ---------------------------------------------------------------- command line


def write_frames(corpus: Corpus, out: Path, *, fmt: str) -> list[Path]:
    """Write the corpus' frames to ``out`` as csv, parquet or one xlsx workbook.

    Column and sheet names are the schema's (``lang=None`` in :mod:`lib.export`),
    so scripts read the files back by name; CSV is UTF-8 with BOM and, like
    the workbook, safe from formula injection.
    """
    # Imported here: lib.export imports this module (for Corpus).
    from lib import export

    out.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        path = out / "corpus.xlsx"
        path.write_bytes(export.workbook_bytes(corpus, lang=None))
        return [path]
    written = []
    for name, frame in corpus.frames().items():
        path = out / f"{name}.{fmt}"
        path.write_bytes(export.csv_bytes(frame, lang=None) if fmt == "csv" else export.parquet_bytes(frame))
        written.append(path)
    return written


def cli_arguments(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace | int:
    """The command line's arguments, or the exit status argparse chose (0 for ``--help``, 2 for bad ones)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2


def cli_load(paths: list[Path]) -> Corpus | None:
    """Load ``paths`` (every document in data/ when empty) for a command line.

    ``None`` after naming the files that do not exist (exit status 2); the
    error diagnostics of what loaded go to stderr.
    """
    paths = paths or default_paths()
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"error: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return None
    corpus = load_documents(paths)
    for row in corpus.diagnostics.filter(pl.col("severity") == "error").iter_rows(named=True):
        print(row["message"], file=sys.stderr)
    return corpus


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: 0 when something loaded, 1 when nothing did, 2 for bad arguments."""
    parser = argparse.ArgumentParser(prog="python -m lib.loader", description="解析部门预算绩效目标文档")
    parser.add_argument("paths", nargs="*", type=Path, help="documents to load (default: every document in data/)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the four frames as one JSON object")
    output.add_argument("--out", type=Path, help="write the frames to this directory")
    parser.add_argument("--format", choices=("csv", "parquet", "xlsx"), default="csv")
    args = cli_arguments(parser, argv)
    if isinstance(args, int):
        return args
    corpus = cli_load(args.paths)
    if corpus is None:
        return 2
    if args.json:
        payload = {name: frame.to_dicts() for name, frame in corpus.frames().items()}
        json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    elif args.out:
        for path in write_frames(corpus, args.out, fmt=args.format):
            print(path)
    else:
        total = corpus.projects["budget_yuan"].sum() or 0
        print(
            f"{corpus.documents.height} documents, {corpus.projects.height} projects, "
            f"{corpus.indicators.height} indicators, {total:,.2f} 元, {corpus.diagnostics.height} diagnostics"
        )
    return 0 if corpus.projects.height else 1


if __name__ == "__main__":
    sys.exit(main())
