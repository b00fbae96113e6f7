"""The command lines' shared parts, and the loader's own: arguments, checks, exit statuses, loading, writing files.

``python -m lib.loader``, ``python -m lib.review``, ``python -m lib.export.deck``
and ``python -m lib.pages`` go through here in one order: arguments, input
paths, output folder, then the work. Everything a command can refuse is
checked before a document is read, so a command that cannot write says so at
once rather than after seconds of parsing. An error is one line on standard
error, ``error: ...``, and one of the exit statuses below, which each
command's ``--help`` lists. The loader itself never imports this module, nor
the exports it writes with.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

import polars as pl

from lib import export, review
from lib.i18n import t
from lib.library import current_paths
from lib.loader import Progress, default_paths, load_documents
from lib.model.corpus import Corpus
from lib.model.diagnostics import located
from lib.store import StoreError

# Exit statuses, the same for every command line.
OK = 0
NOTHING_LOADED = 1
USAGE = 2
NOT_WRITABLE = 3
EXISTS = 4
RENDER_FAILED = 5

_STATUS_MEANING = {
    OK: "done",
    NOTHING_LOADED: "no project loaded from the documents (and no file written)",
    USAGE: "bad arguments, or an input file that does not exist",
    NOT_WRITABLE: "the output cannot be written: a path that is not a folder, a missing folder whose parent "
    "is missing too, or a folder without write permission (checked before reading any document)",
    EXISTS: "an output file exists already; nothing was written (--force replaces it)",
    RENDER_FAILED: "the charts could not be rendered (kaleido found no Chromium); nothing was written",
}

#: ``--lang`` for files scripts read back: the schema's column and sheet names and raw values.
SCHEMA = "schema"


class CommandError(Exception):
    """What stops a command line: the one line it prints after ``error: `` and its exit status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse whose mistakes are a :class:`CommandError`: one line, no usage block."""

    def error(self, message: str) -> NoReturn:
        raise CommandError(f"{message} (see {self.prog} --help)", USAGE)


def command_parser(prog: str, description: str, *, statuses: Sequence[int]) -> argparse.ArgumentParser:
    """A parser whose ``--help`` ends with what each of ``statuses`` means.

    Examples
    --------
    >>> print(command_parser("demo", "演示", statuses=(OK, USAGE)).epilog)
    exit status:
      0  done
      2  bad arguments, or an input file that does not exist
    """
    epilog = "exit status:\n" + "\n".join(
        textwrap.fill(_STATUS_MEANING[status], width=78, initial_indent=f"  {status}  ", subsequent_indent="     ")
        for status in statuses
    )
    return _Parser(
        prog=prog, description=description, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def command_line(main: Callable[[list[str] | None], int]) -> Callable[[list[str] | None], int]:
    """A command's entry: a :class:`CommandError` raised by ``main`` becomes its line on stderr and its status."""

    @functools.wraps(main)
    def run(argv: list[str] | None = None) -> int:
        try:
            return main(argv)
        except CommandError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return exc.status

    return run


def cli_arguments(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace | int:
    """The command line's arguments, or 0 once ``--help`` has been printed; bad ones raise :class:`CommandError`."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else USAGE


def input_paths(paths: list[Path]) -> list[Path]:
    """The documents to read: ``paths``, or the library's current documents (as the app shows them) when empty.

    A path that does not exist is a :class:`CommandError` naming it (status 2).
    """
    paths = paths or _library_paths()
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise CommandError(f"no such file: {', '.join(map(str, missing))}", USAGE)
    return paths


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


def cli_load(paths: list[Path]) -> Corpus:
    """Load ``paths`` (checked by :func:`input_paths`), with progress on a terminal; error diagnostics go to stderr."""
    corpus = load_documents(paths, progress=_terminal_progress if sys.stderr.isatty() else None)
    for row in corpus.diagnostics.filter(pl.col("severity") == "error").iter_rows(named=True):
        print(located(row["source"], row["line"], row["message"]), file=sys.stderr)
    return corpus


def arguments_and_corpus(
    parser: argparse.ArgumentParser, argv: list[str] | None
) -> tuple[argparse.Namespace, Corpus] | int:
    """Parse the arguments and load their ``paths``, for a command that writes no file; 0 after ``--help``."""
    args = cli_arguments(parser, argv)
    if isinstance(args, int):
        return args
    return args, cli_load(input_paths(args.paths))


def _terminal_progress(progress: Progress) -> None:
    """One line on standard error, rewritten in place, cleared when the load is done."""
    if progress.done < progress.total:
        sys.stderr.write(f"\r\033[K{progress.describe()}  {progress.current}"[:200])
    else:
        sys.stderr.write("\r\033[K")
    sys.stderr.flush()


# ---------------------------------------------------------------- output


def writable_folder(folder: Path) -> Path:
    """``folder`` if files can be written in it, or it can be made in a folder that exists; else status 3.

    Called before any document is read. Only the last level is ever created
    (by :func:`write_files`): a typo two folders deep is an error, not a tree.

    Examples
    --------
    >>> writable_folder(Path(__file__) / "out")
    Traceback (most recent call last):
    ...
    lib.cli.CommandError: cannot write in .../lib/cli.py/out: .../lib/cli.py is not a folder
    """
    nearest = folder if folder.exists() else folder.parent
    where = "cannot write" if nearest == folder else f"cannot write in {folder}"
    if not nearest.is_dir():
        problem = "is not a folder" if nearest.exists() else "does not exist"
        raise CommandError(f"{where}: {nearest} {problem}", NOT_WRITABLE)
    if not os.access(nearest, os.W_OK | os.X_OK):
        raise CommandError(f"{where}: {nearest} is not writable", NOT_WRITABLE)
    return folder


def refuse_existing(paths: Sequence[Path], *, force: bool) -> None:
    """Status 4 naming the files of ``paths`` that exist, unless ``force``: before anything is built or written."""
    existing = [str(path) for path in paths if path.exists()]
    if existing and not force:
        raise _exists(", ".join(existing))


def _exists(names: str) -> CommandError:
    return CommandError(f"{names} exists already; give --force to replace it", EXISTS)


def write_files(files: dict[Path, Callable[[], bytes]], *, force: bool) -> list[Path]:
    """Build each file's bytes and write them, making the folder if needed; the paths written.

    Without ``force`` a file is only ever created, never replaced, even when
    one appears after :func:`refuse_existing` looked (status 4); a failed
    write is status 3.
    """
    written = []
    for path, build in files.items():
        data = build()
        try:
            path.parent.mkdir(exist_ok=True)
            with path.open("wb" if force else "xb") as handle:
                handle.write(data)
        except FileExistsError as exc:
            raise _exists(str(path)) from exc
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror or exc}", NOT_WRITABLE) from exc
        written.append(path)
    return written


# ---------------------------------------------------------------- python -m lib.loader


def export_files(corpus: Corpus, folder: Path, *, fmt: str, lang: str, today: date) -> dict[Path, Callable[[], bytes]]:
    """What ``--out`` writes in ``folder``: one workbook, or a CSV or Parquet file per frame, each built when written.

    The workbook is the 数据 page's: 说明, the frames, the review's findings
    and rules. ``lang`` (zh, en or :data:`SCHEMA`) sets its headers and
    sheet names and the CSV headers; Parquet, for programs, always keeps the
    schema's names. File names say department, year, what and date
    (:func:`lib.export.safe_filename`).

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> files = export_files(load_documents(), Path("out"), fmt="csv", lang="zh", today=date(2026, 11, 28))
    >>> [path.name for path in files][1]
    '东莞市人民代表大会常务委员会办公室_2026_项目_2026-11-28.csv'
    """
    shown = None if lang == SCHEMA else lang

    def path(what: str) -> Path:
        return folder / export.safe_filename(corpus, what, suffix=f".{fmt}", today=today)

    if fmt == "xlsx":
        return {
            path(t("page_data", shown) if shown else "corpus"): functools.partial(
                _workbook, corpus, lang=shown, today=today
            )
        }
    if fmt == "csv":
        return {
            path(t(f"data_{name}", shown) if shown else name): functools.partial(export.csv_bytes, frame, lang=shown)
            for name, frame in corpus.frames().items()
        }
    return {path(name): functools.partial(export.parquet_bytes, frame) for name, frame in corpus.frames().items()}


def _workbook(corpus: Corpus, *, lang: str | None, today: date) -> bytes:
    """The 数据 page's workbook of the whole corpus, with the review's findings and rules."""
    return export.workbook_bytes(
        corpus,
        findings=review.review(corpus),
        rules=review.rules_frame(lang or "zh"),
        filters_text=t("filter_none", lang) if lang else None,
        lang=lang,
        today=today,
    )


@command_line
def loader_main(argv: list[str] | None = None) -> int:
    """``python -m lib.loader``: a summary, the frames as JSON, or the frames written as files."""
    parser = command_parser(
        "python -m lib.loader", "解析部门预算绩效目标文档", statuses=(OK, NOTHING_LOADED, USAGE, NOT_WRITABLE, EXISTS)
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, help="documents to load (default: the library's current documents in data/)"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--json",
        action="store_true",
        help="print the frames as one JSON object (schema names): the four target frames, results and execution",
    )
    output.add_argument(
        "--out", type=Path, help="write the files in this folder (made if missing, when its parent exists)"
    )
    parser.add_argument(
        "--format",
        type=str.lower,
        choices=("csv", "parquet", "xlsx"),
        default="csv",
        help="with --out: one xlsx workbook, or one csv or parquet file per frame (default: csv)",
    )
    parser.add_argument(
        "--lang",
        choices=("zh", "en", SCHEMA),
        default="zh",
        help="headers and sheet names of the xlsx and csv files: zh (default, as the app's), en, "
        "or schema (the column names scripts read back by); parquet always keeps the schema's names",
    )
    parser.add_argument("--force", action="store_true", help="replace files that exist (default: refuse, status 4)")
    args = cli_arguments(parser, argv)
    if isinstance(args, int):
        return args
    paths = input_paths(args.paths)
    if args.out:
        writable_folder(args.out)
    corpus = cli_load(paths)
    if args.json:
        payload = {name: frame.to_dicts() for name, frame in corpus.all_frames().items()}
        json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    elif args.out:
        if corpus.projects.is_empty():
            raise CommandError("no project loaded, nothing written", NOTHING_LOADED)
        files = export_files(corpus, args.out, fmt=args.format, lang=args.lang, today=date.today())
        refuse_existing(list(files), force=args.force)
        for path in write_files(files, force=args.force):
            print(path)
    else:
        total = corpus.projects["budget_yuan"].sum() or 0
        print(
            f"{corpus.documents.height} documents, {corpus.projects.height} projects, "
            f"{corpus.indicators.height} indicators, {total:,.2f} 元, {corpus.diagnostics.height} diagnostics"
        )
    return OK if corpus.projects.height else NOTHING_LOADED
