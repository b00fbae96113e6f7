"""Load performance-target documents into polars frames: the one public entry.

``load_documents`` takes paths or raw bytes and returns a :class:`Corpus` of
four frames (documents, projects, indicators, diagnostics), and two more for
self-evaluations (results, execution), whose columns are declared in
:mod:`lib.schema`. Bad input never raises: it becomes a
diagnostic naming the file and line, and the other documents still load.

Command line::

    python -m lib.loader [PATH ...] --json
    python -m lib.loader [PATH ...] --out DIR [--format xlsx|csv|parquet] [--lang zh|en|schema] [--force]

(in :mod:`lib.cli`; ``--help`` and the README say what ``--out`` writes and the exit statuses).
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Union

import polars as pl

from lib import schema
from lib.i18n import t
from lib.ingest.document import file_diagnostic as _file_diagnostic
from lib.ingest.document import parse_document
from lib.ingest.forms import DOCUMENT_SUFFIXES
from lib.ingest.parser import ParsedDocument
from lib.model.corpus import Corpus
from lib.values import parse_value_columns

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The document library: ``$BUDGET_DATA_DIR`` when set (a server's own folder, tests), else ``data/``."""
    configured = os.environ.get("BUDGET_DATA_DIR")
    return Path(configured) if configured else DATA_DIR


#: A document to load: a path, or a (file name, bytes) pair such as an upload.
Source = Union[Path, str, tuple[str, bytes]]


def default_paths(directory: Path | None = None) -> list[Path]:
    """Every document in ``directory`` (the app's default data set), sorted by name."""
    directory = directory or data_dir()
    if not directory.is_dir():
        return []
    suffixes = DOCUMENT_SUFFIXES
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


@dataclass(frozen=True)
class Progress:
    """How far a load has come: files done of the total, and the time so far and left."""

    done: int
    total: int
    elapsed: float
    current: str

    @property
    def remaining(self) -> float | None:
        """Seconds left at the pace so far (None before the first file is done)."""
        if self.done == 0 or self.elapsed <= 0:
            return None
        return self.elapsed / self.done * (self.total - self.done)

    def describe(self, lang: str = "zh") -> str:
        """The progress as a person reads it, in ``lang``.

        >>> Progress(done=25, total=100, elapsed=10.0, current="a.pdf").describe()
        '已读取 25 / 100 个文件，约剩 30 秒'
        >>> Progress(done=25, total=100, elapsed=10.0, current="a.pdf").describe("en")
        '25 of 100 files read, about 30 seconds left'
        """
        text = t("progress_read", lang, done=self.done, total=self.total)
        remaining = self.remaining
        if remaining is not None and self.done < self.total:
            minutes = remaining >= 90
            left = f"{remaining / 60:.0f}" if minutes else f"{max(remaining, 1):.0f}"
            text += t("progress_minutes" if minutes else "progress_seconds", lang, n=left)
        return text


def load_documents(
    sources: Iterable[Source] | None = None, *, progress: Callable[[Progress], None] | None = None
) -> Corpus:
    """Parse documents into a :class:`Corpus`; with no sources, every document in ``data/``.

    Each source is a path or a ``(file name, bytes)`` pair, of any form
    :mod:`lib.ingest` reads (text, Excel, OpenDocument, HTML, PDF, Word). A
    document of targets fills projects and indicators, a self-evaluation
    (绩效自评表) results and execution; the documents frame's ``kind`` says
    which. A file that cannot be read, is empty, of a form no reader takes or
    holds no table of either gives an error diagnostic; the other files still load.
    Identical documents load once. ``progress`` is called after each file
    (and before the first) with a :class:`Progress`.

    Examples
    --------
    >>> corpus = load_documents()
    >>> corpus.projects.height, corpus.indicators.height
    (15, 172)
    """
    sources = default_paths() if sources is None else list(sources)
    started = time.monotonic()
    if progress is not None:
        progress(Progress(0, len(sources), 0.0, ""))
    parts: list[tuple[dict, ParsedDocument]] = []
    pending = 0  # records in parts
    batches: list[Corpus] = []
    diagnostics: list[dict] = []
    seen: dict[str, str] = {}
    for done, source in enumerate(sources, start=1):
        name, data, error = _read(source)
        if error is not None:
            diagnostics.append(_file_diagnostic(name, None, "error", "unreadable", f"无法读取文件：{error}"))
        elif (doc_id := document_id(data)) in seen:
            diagnostics.append(
                _file_diagnostic(
                    name, doc_id, "warning", "duplicate_document", f"与已载入的「{seen[doc_id]}」内容相同，未重复载入"
                )
            )
        else:
            seen[doc_id] = name
            parsed = parse_document(data, name=name, doc_id=doc_id)
            parts.append(({"document_id": doc_id, "source": name}, parsed))
            pending += len(parsed.projects) + len(parsed.indicators) + len(parsed.diagnostics) + len(parsed.results)
            if pending >= _BATCH_RECORDS:
                batches.append(_build_corpus(parts, []))
                parts, pending = [], 0
        if progress is not None:
            progress(Progress(done, len(sources), time.monotonic() - started, name))
    batches.append(_build_corpus(parts, []))
    corpus = Corpus(
        *(pl.concat([getattr(batch, name) for batch in batches]) for name in ("documents", "projects", "indicators")),
        diagnostics=pl.concat([schema.frame(diagnostics, schema.DIAGNOSTICS), *(b.diagnostics for b in batches)]),
        results=pl.concat([batch.results for batch in batches]),
        execution=pl.concat([batch.execution for batch in batches]),
    )
    _release_parse_caches()
    return corpus


def combine(first: Corpus, second: Corpus) -> Corpus:
    """Two corpora as one, as if their sources had been loaded together (``first``'s first).

    A document of ``second`` already in ``first`` is dropped with the
    loader's ``duplicate_document`` warning. The app keeps the library's
    corpus in the disk cache and a session's unsaved uploads only in memory,
    and shows both through this.

    Examples
    --------
    >>> reference = load_documents()
    >>> both = combine(reference, load_documents([("again.txt", default_paths()[0].read_bytes())]))
    >>> both.projects.height, both.diagnostics.filter(pl.col("code") == "duplicate_document")["source"].to_list()
    (15, ['again.txt'])
    """
    known = dict(first.documents.select("document_id", "source").iter_rows())
    repeated = second.documents.filter(pl.col("document_id").is_in(list(known)))
    notices = [
        _file_diagnostic(
            source, doc_id, "warning", "duplicate_document", f"与已载入的「{known[doc_id]}」内容相同，未重复载入"
        )
        for doc_id, source in repeated.select("document_id", "source").iter_rows()
    ]
    dropped = repeated["document_id"].implode()
    kept_projects = second.projects.filter(~pl.col("document_id").is_in(dropped))
    kept = ~pl.col("document_id").is_in(dropped)
    return Corpus(
        pl.concat([first.documents, second.documents.filter(~pl.col("document_id").is_in(dropped))]),
        pl.concat([first.projects, kept_projects]),
        pl.concat(
            [
                first.indicators,
                second.indicators.filter(pl.col("project_id").is_in(kept_projects["project_id"].implode())),
            ]
        ),
        diagnostics=pl.concat(
            [
                first.diagnostics,
                schema.frame(notices, schema.DIAGNOSTICS),
                second.diagnostics.filter(~pl.col("document_id").is_in(dropped) | pl.col("document_id").is_null()),
            ]
        ),
        results=pl.concat([first.results, second.results.filter(kept)]),
        execution=pl.concat([first.execution, second.execution.filter(kept)]),
    )


def load_cells(sources: Iterable[Source]) -> pl.DataFrame:
    """Where every field of these documents was read, one row per field and cell (:data:`lib.schema.CELLS`).

    The ids are :func:`load_documents`' for the same bytes. It parses again,
    with provenance, which costs about a third more than a load: a reviewer
    asks it of the documents in front of them, the bulk load never does.

    Examples
    --------
    >>> cells = load_cells(default_paths())
    >>> cells.filter(pl.col("id") == cells["id"][0]).select("field", "line", "column").row(0)
    ('name', 9, 2)
    """
    rows: dict[str, list] = {name: [] for name in schema.CELLS}
    for source in sources:
        name, data, error = _read(source)
        if error is not None:
            continue
        parsed = parse_document(data, name=name, doc_id=document_id(data), provenance=True)
        for record in (*parsed.projects, *parsed.indicators):
            record_id = record.get("indicator_id") or record["project_id"]
            for cell in record["origin"]:
                rows["id"].append(record_id)
                for key in ("field", "source", "line", "column"):
                    rows[key].append(cell[key])
    return pl.DataFrame(rows, schema=schema.CELLS)


#: The i18n key naming each field of :data:`lib.schema.CELLS` (an indicator's ``name`` is col_indicator).
CELL_FIELD_LABELS: dict[str, str] = {
    "name": "col_name", "type": "col_type", "level": "col_level", "department": "col_supervisor",
    "unit": "col_unit", "start_year": "col_start_year", "end_year": "col_end_year",
    "budget_raw": "col_budget_raw", "goal_period": "col_goal_period", "goal_annual": "col_goal_annual",
    "level1": "col_level1", "level2": "col_level2", "period_value": "col_period_value",
    "annual_value": "col_annual_value", "prior_value": "col_prior_value", "weight": "col_weight",
    "direction": "col_direction",
}  # fmt: skip


def project_cells(cells: pl.DataFrame, indicators: pl.DataFrame, project_id: str) -> pl.DataFrame:
    """One project's cells in reading order: its own fields, then each indicator's, with the indicator's name.

    ``item`` is null for the project's own fields and the indicator's name
    (三级指标) for an indicator's; ``label`` the field's i18n key (null for a
    field :data:`CELL_FIELD_LABELS` does not know).

    >>> corpus = load_documents(default_paths())
    >>> pid = corpus.projects["project_id"][0]
    >>> table = project_cells(load_cells(default_paths()), corpus.indicators, pid)
    >>> table.select("item", "label", "line", "column").row(0), table["item"].drop_nulls()[0]
    ((None, 'col_name', 9, 2), '代表小组活动次数')
    """
    own = pl.col("id") == project_id
    mine = cells.filter(own | pl.col("id").str.starts_with(f"{project_id}-"))
    names = indicators.filter(pl.col("project_id") == project_id).select(
        pl.col("indicator_id").alias("id"), pl.col("name").alias("item")
    )
    return (
        mine.with_row_index("order")
        .join(names, on="id", how="left", maintain_order="left")
        .with_columns(
            label=pl.when(own | (pl.col("field") != "name"))
            .then(pl.col("field").replace_strict(CELL_FIELD_LABELS, default=None, return_dtype=pl.String))
            .otherwise(pl.lit("col_indicator"))
        )
        .sort(~own, "order")
        .select("item", "label", "field", "source", "line", "column")
    )


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
    from lib import values
    from lib.ingest import parser

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


def _build_corpus(parts: list[tuple[dict, ParsedDocument]], diagnostics: list[dict]) -> Corpus:
    documents = []
    projects: list[dict] = []
    indicators: list[dict] = []
    results: list[dict] = []
    execution: list[dict] = []
    for meta, parsed in parts:
        documents.append(
            {
                **meta,
                "form": parsed.form,
                "kind": parsed.kind,
                "title": parsed.title,
                "year": parsed.year,
                "department": parsed.department,
                "project_count": len(parsed.projects) or len(parsed.execution),
                "preamble": parsed.preamble,
            }
        )
        projects.extend(parsed.projects)
        indicators.extend(parsed.indicators)
        results.extend(parsed.results)
        execution.extend(parsed.execution)
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
        results=_results_frame(results),
        execution=schema.frame(execution, schema.EXECUTION),
    )


def _results_frame(results: list[dict]) -> pl.DataFrame:
    """The results frame, both values classified as indicator values are (:func:`lib.values.parse_value_columns`)."""
    frame = schema.frame(results, _RAW_RESULTS)
    parsed_values = [
        parse_value_columns(frame["target_value"], prefix="target"),
        parse_value_columns(frame["actual_value"], prefix="actual"),
    ]
    return pl.concat([frame, *parsed_values], how="horizontal").select(list(schema.RESULTS)).cast(schema.RESULTS)


_RAW_RESULTS = {
    name: dtype
    for name, dtype in schema.RESULTS.items()
    if not name.startswith(("target_", "actual_")) or name in ("target_value", "actual_value")
}

_RAW_INDICATORS = {
    name: dtype
    for name, dtype in schema.INDICATORS.items()
    if not name.startswith(("period_", "annual_")) or name in ("period_value", "annual_value")
}


if __name__ == "__main__":
    # The command line lives in lib.cli (it writes exports, which the loader never needs).
    from lib.cli import loader_main

    sys.exit(loader_main())
