"""The shared document library: documents saved in ``data/`` for everyone who opens the app.

An upload is checked (:func:`lib.uploads.validate_upload`), then saved under a
safe, unique name: ``<safe stem>_<document id>`` with the suffix of its form
(``.txt``, ``.xlsx``, ``.pdf``, ``.docx``, ``.html`` …), where the
document id is :func:`lib.loader.document_id` of the bytes, the same id the
frames carry. Identical content is recognised and not written twice, and a
file is written atomically (temporary file in the same directory, fsync,
``os.replace``), so that a reader never sees half a document and a full disk
leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from lib.ingest import forms
from lib.loader import DATA_DIR, Corpus, default_paths, document_id, load_documents
from lib.uploads import validate_upload

#: Columns of :func:`list_documents`, one row per file in the library.
LIBRARY: dict[str, pl.DataType] = {
    "file": pl.String(),
    "form": pl.String(),
    "department": pl.String(),
    "year": pl.Int32(),
    "project_count": pl.Int32(),
    "budget_yuan": pl.Float64(),
    "diagnostics_count": pl.Int32(),
    "size": pl.Int64(),
    "modified": pl.Datetime("us", "UTC"),
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


def save(name: str, data: bytes, *, directory: Path = DATA_DIR) -> SaveResult:
    """Save an uploaded document in the library; refuse what would not load.

    The file is checked first (type by content, size, extent); the saved name
    is ``<safe stem>_<document id>`` with the suffix of the detected form
    (:data:`lib.ingest.forms.SUFFIXES`). A document whose bytes are already in the library is not
    written again: the result names the existing file and has ``duplicate``
    set. A full disk or a permission error gives ``ok=False`` with the reason,
    and no file, whole or partial, is left in ``directory``.

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
    existing = _same_content(data, directory=directory)
    if existing is not None:
        return SaveResult(True, existing.name, True, f"文件「{name}」与文档库中的「{existing.name}」内容相同，未重复保存")
    suffix = forms.SUFFIXES[check.kind]
    stem = f"{safe_stem(name)}_{document_id(data)}"
    target = directory / f"{stem}{suffix}"
    counter = 2
    while target.exists():
        # Same id, different bytes: a hand-edited copy or a hash collision; keep both.
        target = directory / f"{stem}-{counter}{suffix}"
        counter += 1
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _write_atomically(target, data)
    except OSError as exc:
        return SaveResult(False, None, False, f"文件「{name}」未能保存到文档库（{directory}）：{_reason(exc)}")
    return SaveResult(True, target.name, False, f"文件「{name}」已保存到文档库，文件名「{target.name}」")


def list_documents(directory: Path = DATA_DIR, *, corpus: Corpus | None = None) -> pl.DataFrame:
    """One row per document in the library, with what the loader found in it.

    Each file has the figures it has loaded on its own, so a copy of another
    file is still listed with its own figures; a file that holds no table is
    listed with no projects and its diagnostics counted. ``corpus``, when
    given, is the library's files loaded together (the app's cached corpus):
    the figures are then read from its frames, and only a file it does not
    hold is loaded again (loading 667 files one by one took 3.4 s for
    10,000 projects). Columns are :data:`LIBRARY`; rows are sorted by file
    name.

    Examples
    --------
    >>> library = list_documents()
    >>> library.select("project_count", "budget_yuan").row(0)
    (15, 10882500.0)
    """
    if not directory.is_dir():
        return pl.DataFrame(schema=LIBRARY)
    known = _figures_by_file(corpus) if corpus is not None else {}
    rows = []
    for path in default_paths(directory):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue  # removed since the directory was listed
        figures = known.get(path.name)
        if figures is None:
            figures = _figures_by_file(load_documents([path])).get(path.name, _NOTHING)
        rows.append(
            {"file": path.name, **figures, "size": stat.st_size, "modified": dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)}
        )
    return pl.DataFrame(rows, schema=LIBRARY) if rows else pl.DataFrame(schema=LIBRARY)


_NOTHING = {"form": None, "department": None, "year": None, "project_count": 0, "budget_yuan": None, "diagnostics_count": 0}


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
    figures = {document["source"]: by_document[document["document_id"]] for document in corpus.documents.iter_rows(named=True)}
    copies = corpus.diagnostics.filter(pl.col("code") == "duplicate_document").select("source", "document_id")
    for source, copied in copies.iter_rows():
        if copied in by_document:
            figures[source] = by_document[copied]
    for source, count in unread.items():
        figures.setdefault(source, {**_NOTHING, "diagnostics_count": count})
    return figures


def remove(file_name: str, *, directory: Path = DATA_DIR) -> bool:
    """Delete one document of the library; True when it was deleted.

    Only a plain file name of a document directly inside ``directory`` is
    accepted: a name with a path (``../x``, ``a/b``), a hidden or temporary
    file, a symbolic link or a file of another type is refused (False), as is
    a file that is not there or cannot be deleted.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     saved = save("a.txt", b"x", directory=Path(folder))
    ...     refused = remove("../a.txt", directory=Path(folder))
    ...     removed = remove(saved.file_name, directory=Path(folder))
    >>> refused, removed
    (False, True)
    """
    if not _is_plain_name(file_name):
        return False
    path = directory / file_name
    if path.suffix.lower() not in DOCUMENT_SUFFIXES or path.is_symlink() or not path.is_file():
        return False
    if path.resolve().parent != directory.resolve():
        return False
    try:
        path.unlink()
    except OSError:
        return False  # gone already, or no permission: either way not deleted
    return True


def _is_plain_name(file_name: str) -> bool:
    return (
        bool(file_name)
        and not file_name.startswith(".")
        and "/" not in file_name
        and "\\" not in file_name
        and not any(unicodedata.category(char).startswith("C") for char in file_name)
        and Path(file_name).name == file_name
    )


def _same_content(data: bytes, *, directory: Path) -> Path | None:
    """The library file holding exactly ``data``, if any (sizes first: bytes are read rarely)."""
    if not directory.is_dir():
        return None
    for path in default_paths(directory):
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return path
        except OSError:
            continue  # unreadable or removed meanwhile: it cannot be the same document
    return None


def _write_atomically(target: Path, data: bytes) -> None:
    # A hidden ".tmp" name: default_paths() never lists a file being written.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".saving-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates 0600; library files are read by whoever runs the app.
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    # The rename is durable only once the directory entry is on disk. The file
    # is complete either way, so a platform that cannot fsync a directory is fine.
    with contextlib.suppress(OSError):
        descriptor = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _reason(exc: OSError) -> str:
    reasons = {
        errno.ENOSPC: "磁盘空间已满",
        errno.EDQUOT: "超出磁盘配额",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "文档库所在的磁盘是只读的",
    }
    return reasons.get(exc.errno, exc.strerror or str(exc))
