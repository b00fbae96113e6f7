"""The command lines' shared parts, and the loader's own: arguments, loading with progress, writing frames.

``python -m lib.loader``, ``python -m lib.review`` and ``python -m lib.export.deck``
parse their arguments and load documents the same way, through here; the
loader itself never imports this module, nor the exports it writes with.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

from lib import export
from lib.library import current_paths
from lib.loader import Progress, default_paths, load_documents
from lib.model.corpus import Corpus
from lib.model.diagnostics import located
from lib.store import StoreError


def write_frames(corpus: Corpus, out: Path, *, fmt: str) -> list[Path]:
    """Write the corpus' frames to ``out`` as csv, parquet or one xlsx workbook.

    Column and sheet names are the schema's (``lang=None`` in :mod:`lib.export`),
    so scripts read the files back by name; CSV is UTF-8 with BOM and, like
    the workbook, safe from formula injection.
    """
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
    """Load ``paths`` (the library's current documents when empty, as the app shows them) for a command line.

    ``None`` after naming the files that do not exist (exit status 2); the
    error diagnostics of what loaded go to stderr.
    """
    paths = paths or _library_paths()
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"error: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return None
    corpus = load_documents(paths, progress=_terminal_progress if sys.stderr.isatty() else None)
    for row in corpus.diagnostics.filter(pl.col("severity") == "error").iter_rows(named=True):
        print(located(row["source"], row["line"], row["message"]), file=sys.stderr)
    return corpus


def _library_paths() -> list[Path]:
    """The library's current documents (not the trash, not replaced versions); the whole folder without an index."""
    try:
        return current_paths()
    except StoreError as exc:
        print(
            f"warning: the library's index cannot be read ({exc}); reading every document in the folder",
            file=sys.stderr,
        )
        return default_paths()


def arguments_and_corpus(
    parser: argparse.ArgumentParser, argv: list[str] | None
) -> tuple[argparse.Namespace, Corpus] | int:
    """Parse the arguments and load their ``paths``; an exit status instead when either fails."""
    args = cli_arguments(parser, argv)
    if isinstance(args, int):
        return args
    corpus = cli_load(args.paths)
    return 2 if corpus is None else (args, corpus)


def _terminal_progress(progress: Progress) -> None:
    """One line on standard error, rewritten in place, cleared when the load is done."""
    if progress.done < progress.total:
        sys.stderr.write(f"\r\033[K{progress.describe()}  {progress.current}"[:200])
    else:
        sys.stderr.write("\r\033[K")
    sys.stderr.flush()


def loader_main(argv: list[str] | None = None) -> int:
    """``python -m lib.loader``: 0 when something loaded, 1 when nothing did, 2 for bad arguments."""
    parser = argparse.ArgumentParser(prog="python -m lib.loader", description="解析部门预算绩效目标文档")
    parser.add_argument(
        "paths", nargs="*", type=Path, help="documents to load (default: the library's current documents in data/)"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the four frames as one JSON object")
    output.add_argument("--out", type=Path, help="write the frames to this directory")
    parser.add_argument("--format", choices=("csv", "parquet", "xlsx"), default="csv")
    loaded = arguments_and_corpus(parser, argv)
    if isinstance(loaded, int):
        return loaded
    args, corpus = loaded
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
