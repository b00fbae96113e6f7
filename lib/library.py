"""The shared document library: documents saved for everyone who opens the app.

The library lives in one folder (``data/``, or ``$BUDGET_DATA_DIR``) and is
kept by :mod:`lib.store`: an index with versions, a trash and an audit log.
This module is what pages and the command line call:

- :func:`preview` says what saving an upload would do: its department, year,
  projects and budget; whether the same bytes are already in the library;
  which current documents have the same department and year, and what
  changed against them (projects added, removed, budgets and targets changed);
- :func:`save` checks an upload (:func:`lib.uploads.validate_upload`) and adds
  it: new, as the next version of a document (``replace``), or beside it
  (``keep_both``, with a label telling the two apart). Same bytes are never
  saved twice. The file is named ``<safe stem>_<document id>`` with the
  suffix of its form, where the document id is :func:`lib.loader.document_id`
  of the bytes, the id the frames carry;
- :func:`remove` moves a document to the trash, :func:`restore` brings one
  back from the trash or an earlier version back in place, :func:`purge`
  empties the trash for one document;
- :func:`list_documents`, :func:`trash`, :func:`history` and :func:`audit_log`
  read it.

``python -m lib.library list|add|remove|restore|history|log`` does the same
from a shell (see :func:`main`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from lib import compare
from lib.ingest import forms
from lib.loader import data_dir, document_id, load_documents
from lib.model.corpus import Corpus
from lib.store import INDEX_NAME, TRASH_DAYS, DuplicateError, Store, StoreError, Summary
from lib.uploads import validate_upload

#: Columns of :func:`list_documents`, one row per document in the library.
LIBRARY: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "file": pl.String(),
    "label": pl.String(),
    "form": pl.String(),
    "department": pl.String(),
    "year": pl.Int32(),
    "project_count": pl.Int32(),
    "budget_yuan": pl.Float64(),
    "diagnostics_count": pl.Int32(),
    "size": pl.Int64(),
    "modified": pl.Datetime("us", "UTC"),
    "added_at": pl.Datetime("us", "UTC"),
}

#: Suffixes of the files the library holds (the ones :func:`lib.loader.default_paths` lists).
DOCUMENT_SUFFIXES: frozenset[str] = forms.DOCUMENT_SUFFIXES

# Longest stem in UTF-8 bytes: with "_", 16 hex digits and ".xlsx" it stays
# well under the 255-byte file-name limit (a Chinese character takes 3 bytes).
_MAX_STEM_BYTES = 180
# Characters that are path syntax somewhere (Windows included, for copies of
# data/) or that the app uses as a separator ("#" before a sheet name).
_UNSAFE = re.compile(r'[<>:"/\\|?*#%\s]+')


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What :func:`save` did: the library's file name, whether it was already there, and a message."""

    ok: bool
    file_name: str | None
    duplicate: bool
    message: str
    #: The saved (or, for a duplicate, the existing) document's id in the library.
    id: int | None = None


def safe_stem(name: str) -> str:
    """A file-name stem safe in any directory, from an uploaded file's name.

    Drops any directory part and the extension, control and format characters,
    path syntax and leading dots; keeps Chinese; never returns an empty stem.

    Examples
    --------
    >>> safe_stem("../../etc/东莞 2026.txt")
    '东莞_2026'
    >>> safe_stem("..\\\\\\x00.xlsx")
    '文档'
    """
    base = re.split(r"[\\/]", name)[-1]
    stem, dot, _ = base.rpartition(".")
    if not dot or not stem:
        stem = base
    stem = unicodedata.normalize("NFC", stem)
    stem = "".join(char for char in stem if not unicodedata.category(char).startswith("C"))
    stem = _UNSAFE.sub("_", stem).strip("._- ")
    while len(stem.encode("utf-8")) > _MAX_STEM_BYTES:
        stem = stem[:-1]
    return stem or "文档"


_STORES: dict[Path, Store] = {}
_STORES_LOCK = threading.Lock()


def open_store(directory: Path | None = None) -> Store:
    """The library's store in ``directory`` (default :func:`lib.loader.data_dir`), opened once per process."""
    folder = Path(directory or data_dir()).resolve()
    with _STORES_LOCK:
        store = _STORES.get(folder)
        if store is None or not (folder / INDEX_NAME).exists():
            store = Store(folder, summarise=summarise, digest=document_id, suffixes=DOCUMENT_SUFFIXES)
            _STORES[folder] = store
        return store


def summarise(path: Path) -> Summary:
    """What the loader finds in one file: form, department, year, projects, budget, diagnostics."""
    figures = _figures_by_file(load_documents([path])).get(path.name, _NOTHING)
    return Summary(**figures)


@dataclass(frozen=True)
class Preview:
    """What saving an upload would do, for the user to decide before anything is written."""

    name: str
    ok: bool
    message: str
    summary: Summary = field(default_factory=Summary)
    #: The library document with exactly these bytes (current, trashed or an old version), if any.
    same: dict | None = None
    #: Current documents of the same department and year: saving is then a choice.
    versions: list[dict] = field(default_factory=list)
    #: Against the newest of ``versions``: compare.project_changes and compare.target_changes.
    project_changes: pl.DataFrame | None = None
    target_changes: pl.DataFrame | None = None


def preview(name: str, data: bytes, *, directory: Path | None = None) -> Preview:
    """What :func:`save` would do with this upload, and what it would change.

    Examples
    --------
    >>> import tempfile
    >>> from lib.loader import default_paths
    >>> data = default_paths()[0].read_bytes()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     before = preview("a.txt", data, directory=Path(folder))
    ...     _ = save("a.txt", data, directory=Path(folder))
    ...     after = preview("b.txt", data, directory=Path(folder))
    >>> before.summary.project_count, before.same is None, after.same["name"]
    (15, True, 'a.txt')
    """
    check = validate_upload(name, data)
    if not check.ok:
        return Preview(name, False, check.message)
    store = open_store(directory)
    corpus = load_documents([(name, data)])
    summary = Summary(**_figures_by_file(corpus).get(name, _NOTHING))
    same = store.find(data)
    if same is not None:
        where = {"current": "文档库中", "trashed": "回收站中", "replaced": "文档库的历史版本中"}[same["state"]]
        return Preview(name, True, f"文件「{name}」与{where}的「{same['name']}」内容相同，无需再次保存", summary, same)
    versions = []
    if summary.department and summary.year:
        current = store.documents("current").filter(
            (pl.col("department") == summary.department) & (pl.col("year") == summary.year)
        )
        versions = current.to_dicts()
    if not versions:
        return Preview(name, True, f"文件「{name}」是新文档", summary)
    latest = versions[-1]
    both = load_documents([store.path(latest["file"]), (name, data)])
    old_id, new_id = both.documents["document_id"].to_list()[:2] if both.documents.height == 2 else (None, None)
    changes = targets = None
    if old_id and new_id:
        changes = compare.project_changes(both, [old_id], [new_id])
        targets = compare.target_changes(both, [old_id], [new_id])
    message = f"文档库中已有{summary.department}{summary.year}年的「{latest['name']}」：可替换为新版本、两者并存或取消"
    return Preview(name, True, message, summary, None, versions, changes, targets)


def save(
    name: str,
    data: bytes,
    *,
    directory: Path | None = None,
    client: str | None = None,
    replace: int | None = None,
    keep_both: bool = False,
) -> SaveResult:
    """Save an uploaded document in the library; refuse what would not load.

    The file is checked first (type by content, size, extent). A document
    whose bytes are already in the library is not written again: the result
    names the existing one and has ``duplicate`` set. When a current document
    has the same department and year, the caller must choose: ``replace``
    (that document's id: the upload becomes its next version and the old one
    stays in its history) or ``keep_both`` (the upload is added beside it,
    labelled with its file name and time); neither refuses with a message. A
    full disk or a permission error gives ``ok=False`` with the reason, and
    nothing is left in the library.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = save("预算.txt", "项目名称\\t示例".encode(), directory=Path(folder))
    ...     again = save("copy.txt", "项目名称\\t示例".encode(), directory=Path(folder))
    >>> first.file_name, again.duplicate, again.file_name == first.file_name
    ('预算_53b2e9c462bf79e5.txt', True, True)
    """
    check = validate_upload(name, data)
    if not check.ok:
        return SaveResult(False, None, False, check.message)
    folder = Path(directory or data_dir())
    try:
        store = open_store(folder)
        same = store.find(data)
        if same is not None:
            where = {"current": "文档库中", "trashed": "回收站中", "replaced": "文档库的历史版本中"}[same["state"]]
            return SaveResult(
                True,
                Path(same["file"]).name,
                True,
                f"文件「{name}」与{where}的「{same['name']}」内容相同，未重复保存",
                same["id"],
            )
        row = store.add(name, data, stem=f"{safe_stem(name)}_{document_id(data)}", suffix=forms.SUFFIXES[check.kind],
                        client=client, replace=replace, keep_both=keep_both)  # fmt: skip
    except DuplicateError as exc:
        return SaveResult(True, Path(exc.row["file"]).name, True, f"文件「{name}」{exc}", exc.row["id"])
    except StoreError as exc:
        return SaveResult(False, None, False, str(exc))
    except OSError as exc:
        return SaveResult(False, None, False, f"文件「{name}」未能保存到文档库（{folder}）：{_reason(exc)}")
    file_name = Path(row["file"]).name
    verb = "已作为新版本替换文档库中的旧版本" if replace is not None else "已保存到文档库"
    return SaveResult(True, file_name, False, f"文件「{name}」{verb}，文件名「{file_name}」", row["id"])


def list_documents(directory: Path | None = None, *, corpus: Corpus | None = None) -> pl.DataFrame:
    """One row per current document in the library, with what the loader found in it.

    The figures were recorded when the document was added; ``corpus``, when
    given, is the library loaded together (the app's cached corpus), and its
    frames' figures are used instead, so a parser change shows at once.
    Columns are :data:`LIBRARY`, oldest first.

    Examples
    --------
    >>> library = list_documents()
    >>> library.select("project_count", "budget_yuan").row(0)
    (15, 10882500.0)
    """
    return _listing(open_store(directory), "current", corpus)


def trash(directory: Path | None = None) -> pl.DataFrame:
    """The trashed documents, as :func:`list_documents` lists them, with ``purge_after`` (UTC)."""
    listing = _listing(open_store(directory), "trashed", None)
    return listing.with_columns(purge_after=pl.col("modified") + pl.duration(days=TRASH_DAYS))


def history(document: int, *, directory: Path | None = None) -> pl.DataFrame:
    """Every version of a document, oldest first (:data:`lib.store.DOCUMENTS`)."""
    return open_store(directory).history(document)


def versioned(directory: Path | None = None) -> pl.DataFrame:
    """The newest version of each document that has more than one, oldest first (:data:`lib.store.DOCUMENTS`).

    ``lineage`` names the document for :func:`history`.

    Examples
    --------
    >>> import tempfile
    >>> from lib.loader import default_paths
    >>> text = default_paths()[0].read_text(encoding="utf-8")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first = save("a.txt", text.encode(), directory=Path(folder))
    ...     second = save("b.txt", text.replace("1,416,000.00", "1,516,000.00").encode(), directory=Path(folder), replace=first.id)
    ...     versioned(Path(folder)).select("lineage", "id", "name").rows()
    [(1, 2, 'b.txt')]
    """
    every = open_store(directory).documents()
    several = every.filter(pl.len().over("lineage") > 1)
    return several.group_by("lineage", maintain_order=True).agg(pl.all().sort_by("id").last()).select(every.columns)


def audit_log(directory: Path | None = None) -> pl.DataFrame:
    """Adds, replaces, removals, restores and purges, oldest first (:data:`lib.store.LOG`)."""
    return open_store(directory).log()


def current_paths(directory: Path | None = None) -> list[Path]:
    """The files of the library's current documents, in the order they were added."""
    store = open_store(directory)
    return [store.path(file) for file in store.documents("current")["file"].to_list()]


def _listing(store: Store, state: str, corpus: Corpus | None) -> pl.DataFrame:
    rows = store.documents(state)
    known = _figures_by_file(corpus) if corpus is not None else {}
    listed = []
    for row in rows.iter_rows(named=True):
        path = store.path(row["file"])
        figures = known.get(path.name) or {key: row[key] for key in _NOTHING}
        try:
            size = path.stat().st_size
        except OSError:
            size = row["size"]
        listed.append(
            {
                "id": row["id"], "file": path.name, "label": row["label"], **figures, "size": size,
                "modified": _utc(row["changed_at"]), "added_at": _utc(row["added_at"]),
            }
        )  # fmt: skip
    return pl.DataFrame(listed, schema=LIBRARY) if listed else pl.DataFrame(schema=LIBRARY)


def _utc(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


_NOTHING = {
    "form": None,
    "department": None,
    "year": None,
    "project_count": 0,
    "budget_yuan": None,
    "diagnostics_count": 0,
}


def _figures_by_file(corpus: Corpus) -> dict[str, dict]:
    """Each source file's figures as if it had been loaded alone.

    A file whose content was already loaded under another name (the
    loader's ``duplicate_document``) gets that document's figures: loaded
    alone it would have given the same. The duplicate notice itself belongs
    to no file loaded alone, so it is not counted.
    """
    diagnostics = corpus.diagnostics.filter(pl.col("code") != "duplicate_document")
    counted = dict(diagnostics.filter(pl.col("document_id").is_not_null()).group_by("document_id").len().iter_rows())
    unread = dict(diagnostics.filter(pl.col("document_id").is_null()).group_by("source").len().iter_rows())
    projects = corpus.projects.group_by("document_id").agg(
        pl.len().alias("project_count"),
        pl.when(pl.col("budget_yuan").is_not_null().any()).then(pl.col("budget_yuan").sum()).alias("budget_yuan"),
    )
    totals = {row["document_id"]: row for row in projects.iter_rows(named=True)}
    by_document = {}
    for document in corpus.documents.iter_rows(named=True):
        found = totals.get(document["document_id"], {})
        by_document[document["document_id"]] = {
            "form": document["form"],
            "department": document["department"],
            "year": document["year"],
            "project_count": found.get("project_count", 0),
            "budget_yuan": found.get("budget_yuan"),
            "diagnostics_count": counted.get(document["document_id"], 0),
        }
    figures = {
        document["source"]: by_document[document["document_id"]] for document in corpus.documents.iter_rows(named=True)
    }
    copies = corpus.diagnostics.filter(pl.col("code") == "duplicate_document").select("source", "document_id")
    for source, copied in copies.iter_rows():
        if copied in by_document:
            figures[source] = by_document[copied]
    for source, count in unread.items():
        figures.setdefault(source, {**_NOTHING, "diagnostics_count": count})
    return figures


def _resolve(store: Store, target: int | str, state: str) -> int | None:
    """A document's id from its id or its file name (as listed), among documents in ``state``."""
    if isinstance(target, int) or (isinstance(target, str) and target.isdigit()):
        return int(target)
    if not _is_plain_name(target):
        return None
    rows = store.documents(state).filter(pl.col("file").str.split("/").list.last() == target)
    return rows["id"][0] if rows.height == 1 else None


def remove(target: int | str, *, directory: Path | None = None, client: str | None = None) -> bool:
    """Move one current document (by id or file name) to the trash; True when it was moved.

    A name with a path (``../x``, ``a/b``) or of no current document is
    refused (False). Nothing is deleted: :func:`restore` brings it back.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     saved = save("a.txt", b"x", directory=Path(folder))
    ...     refused = remove("../a.txt", directory=Path(folder))
    ...     removed = remove(saved.file_name, directory=Path(folder))
    ...     trashed = trash(Path(folder))["file"].to_list()
    >>> refused, removed, trashed == [saved.file_name]
    (False, True, True)
    """
    store = open_store(directory)
    document = _resolve(store, target, "current")
    if document is None:
        return False
    try:
        store.remove(document, client=client)
    except StoreError:
        return False
    return True


def restore(document: int, *, directory: Path | None = None, client: str | None = None) -> dict:
    """Bring a document back from the trash, or an earlier version back as the current one.

    Raises :class:`lib.store.StoreError` with a message when it cannot.
    """
    return open_store(directory).restore(document, client=client)


def purge(document: int, *, directory: Path | None = None, client: str | None = None) -> dict:
    """Delete a trashed document for good (its row and log stay). Raises StoreError when not in the trash."""
    return open_store(directory).purge(document, client=client)


def _is_plain_name(file_name: str) -> bool:
    return (
        bool(file_name)
        and not file_name.startswith(".")
        and "/" not in file_name
        and "\\" not in file_name
        and not any(unicodedata.category(char).startswith("C") for char in file_name)
        and Path(file_name).name == file_name
    )


def _reason(exc: OSError) -> str:
    reasons = {
        errno.ENOSPC: "磁盘空间已满",
        errno.EDQUOT: "超出磁盘配额",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "文档库所在的磁盘是只读的",
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))


# ---------------------------------------------------------------- command line


def _table(frame: pl.DataFrame, columns: list[str]) -> str:
    shown = frame.select([c for c in columns if c in frame.columns])
    rows = [
        [("" if v is None else f"{v:,.2f}" if isinstance(v, float) else str(v)) for v in row]
        for row in shown.iter_rows()
    ]
    header = shown.columns
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m lib.library list|add|remove|restore|purge|history|log``: the library for administrators.

    Exit status 0 on success, 1 when the library refused (a file that would
    not load, a document that is not there), 2 on a usage error.
    """
    parser = argparse.ArgumentParser(prog="python -m lib.library", description="文档库管理（绩效目标文档）")
    parser.add_argument("--dir", type=Path, default=None, help="文档库目录（默认 $BUDGET_DATA_DIR 或 data/）")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="列出当前文档（--trash：回收站）")
    listing.add_argument("--trash", action="store_true")
    add = commands.add_parser("add", help="保存文件到文档库")
    add.add_argument("files", nargs="+", type=Path)
    choice = add.add_mutually_exclusive_group()
    choice.add_argument("--replace", type=int, metavar="ID", help="作为编号 ID 的文档的新版本")
    choice.add_argument("--keep-both", action="store_true", help="与同部门同年度的文档并存")
    for name, text in (
        ("remove", "移到回收站"),
        ("restore", "从回收站或历史版本恢复"),
        ("purge", "从回收站永久删除"),
        ("history", "列出文档的所有版本"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("id", type=int)
    log = commands.add_parser("log", help="操作记录（--csv 输出 CSV）")
    log.add_argument("--csv", action="store_true")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    directory = args.dir
    client = "命令行"
    try:
        if args.command == "list":
            frame = trash(directory) if args.trash else list_documents(directory)
            print(
                _table(frame, ["id", "file", "department", "year", "project_count", "budget_yuan", "label", "modified"])
            )
            return 0
        if args.command == "add":
            status = 0
            for path in args.files:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    print(f"{path}: 无法读取：{exc.strerror or exc}", file=sys.stderr)
                    status = 1
                    continue
                result = save(
                    path.name, data, directory=directory, client=client, replace=args.replace, keep_both=args.keep_both
                )
                print(result.message, file=sys.stdout if result.ok else sys.stderr)
                status = status if result.ok else 1
            return status
        if args.command == "remove":
            if not remove(args.id, directory=directory, client=client):
                print(f"文档库中没有编号为 {args.id} 的当前文档", file=sys.stderr)
                return 1
            print(f"编号 {args.id} 已移到回收站（可用 restore {args.id} 恢复）")
            return 0
        if args.command in ("restore", "purge"):
            row = (restore if args.command == "restore" else purge)(args.id, directory=directory, client=client)
            print(f"「{row['name']}」已{'恢复' if args.command == 'restore' else '永久删除'}")
            return 0
        if args.command == "history":
            print(
                _table(
                    history(args.id, directory=directory),
                    ["id", "name", "state", "added_at", "changed_at", "label", "project_count", "budget_yuan"],
                )
            )
            return 0
        frame = audit_log(directory)
        print(
            frame.write_csv() if args.csv else _table(frame, ["at", "action", "document", "name", "client", "detail"]),
            end="" if args.csv else "\n",
        )
        return 0
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
