"""The library's store: which documents are in it, their versions, the trash and the audit log.

One folder holds the whole library (back it up by copying the folder):

- ``library.sqlite3``: the index (SQLite, standard library): one row per
  document version with its digest, file, department, year, form and parse
  summary and its state, and the audit log;
- ``files/``: the bytes of documents saved through the app, one file each,
  named ``<safe stem>_<document id><suffix>``;
- the folder's own document files (the ``data/`` the app ships with, or
  files an administrator copies in): registered where they lie the first time
  the store opens and they are not yet in it. Nothing is moved or lost.

A document is in one of four states: ``current`` (in everyone's dashboard),
``trashed`` (removed, restorable from the trash), ``replaced`` (an earlier
version of a document, restorable from its history) and ``purged`` (trash
emptied: the bytes are deleted, the row and its log stay).

Every change is one SQLite transaction that also writes the log row, so the
index and the log always agree. Bytes are written (atomically) before the
transaction that adds their row and deleted after the one that purges it; a
crash between the two leaves an unreferenced file in ``files/``, which the
next open deletes. Two writers never interleave: each transaction starts with
``BEGIN IMMEDIATE`` and waits up to 30 s for the other.

Only this module knows the store is SQLite: a server database could replace
it behind the same functions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

INDEX_NAME = "library.sqlite3"
FILES_DIR = "files"
#: Trashed documents are purged after this many days (shown on the library page).
TRASH_DAYS = 30
STATES = ("current", "trashed", "replaced", "purged")
#: How long a change waits for another process' change before giving up.
_BUSY_SECONDS = 30
#: A file in files/ without a row is an orphan once it is this old (younger, its row may be on its way).
_ORPHAN_SECONDS = 600
ACTIONS = ("add", "replace", "keep_both", "remove", "restore", "purge", "register")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL,
    file TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    form TEXT,
    department TEXT,
    year INTEGER,
    project_count INTEGER NOT NULL DEFAULT 0,
    budget_yuan REAL,
    diagnostics_count INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('current', 'trashed', 'replaced', 'purged')),
    changed_at TEXT NOT NULL,
    lineage INTEGER NOT NULL,
    label TEXT
);
CREATE INDEX IF NOT EXISTS documents_state ON documents (state);
CREATE INDEX IF NOT EXISTS documents_lineage ON documents (lineage);
CREATE TABLE IF NOT EXISTS log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    document INTEGER NOT NULL,
    digest TEXT NOT NULL,
    name TEXT NOT NULL,
    client TEXT,
    detail TEXT
);
"""

#: Columns of :func:`Store.documents`.
DOCUMENTS: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "digest": pl.String(),
    "file": pl.String(),
    "name": pl.String(),
    "form": pl.String(),
    "department": pl.String(),
    "year": pl.Int32(),
    "project_count": pl.Int32(),
    "budget_yuan": pl.Float64(),
    "diagnostics_count": pl.Int32(),
    "size": pl.Int64(),
    "added_at": pl.String(),
    "state": pl.String(),
    "changed_at": pl.String(),
    "lineage": pl.Int64(),
    "label": pl.String(),
}
#: Columns of :func:`Store.log`.
LOG: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "at": pl.String(),
    "action": pl.String(),
    "document": pl.Int64(),
    "digest": pl.String(),
    "name": pl.String(),
    "client": pl.String(),
    "detail": pl.String(),
}


class StoreError(Exception):
    """A change the store refused, with a message for the user."""


class VersionConflict(StoreError):
    """A current document has the same department and year: replace it or keep both."""

    def __init__(self, row: dict, summary: Summary) -> None:
        super().__init__(
            f"文档库中已有{summary.department}{summary.year}年的「{row['name']}」（编号 {row['id']}）：请选择替换为新版本或两者并存"
        )
        self.row = row


class DuplicateError(StoreError):
    """The same bytes are already in the library (saved by someone else a moment ago)."""

    def __init__(self, name: str, row: dict) -> None:
        super().__init__(f"内容相同的「{name}」已在文档库中，未重复保存")
        self.row = row


@dataclass(frozen=True, slots=True)
class Summary:
    """What the loader found in a document, kept in the index so listing needs no parse."""

    form: str | None = None
    department: str | None = None
    year: int | None = None
    project_count: int = 0
    budget_yuan: float | None = None
    diagnostics_count: int = 0


def _guarded(method):
    """Turn SQLite's own errors (a damaged or locked index) into :class:`StoreError`: callers know no SQLite."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            raise StoreError(f"文档库的索引无法使用（{exc}）") from exc

    return wrapper


def now() -> str:
    """The current time as the store writes it: UTC, ISO 8601, seconds."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """The library in ``directory``; opening it creates the index and registers loose files.

    ``summarise(path)`` gives a file's :class:`Summary` (the loader's figures);
    ``digest(data)`` the content digest (:func:`lib.loader.document_id`).
    Both are passed in so that this module needs neither the loader nor
    polars' parse to open.
    """

    @_guarded
    def __init__(self, directory: Path, *, summarise, digest, suffixes: frozenset[str]) -> None:
        self.directory = Path(directory)
        self.summarise = summarise
        self.digest = digest
        self.suffixes = suffixes
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / FILES_DIR).mkdir(exist_ok=True)
        self._create()
        self._reconcile()

    def _create(self) -> None:
        """Create the index and switch it to WAL, waiting for another process doing the same.

        ``PRAGMA journal_mode`` does not wait on a busy database the way a
        transaction does, so it is retried until the same 30 s have passed.
        """
        deadline = time.monotonic() + _BUSY_SECONDS
        while True:
            try:
                with contextlib.closing(self._connect()) as db:
                    db.execute("PRAGMA journal_mode=WAL")
                    db.executescript(_SCHEMA)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise StoreError(f"文档库的索引 {self.directory / INDEX_NAME} 无法打开：{exc}") from exc
                time.sleep(0.05)

    # ------------------------------------------------------------ plumbing

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.directory / INDEX_NAME, timeout=_BUSY_SECONDS, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA synchronous=FULL")  # WAL is the file's own setting (see _create); this one is per connection
        return db

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it or none of it, never interleaved with another writer."""
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    @staticmethod
    def _log(
        db: sqlite3.Connection, action: str, row: sqlite3.Row | dict, *, client: str | None, detail: str | None = None
    ) -> None:
        db.execute(
            "INSERT INTO log (at, action, document, digest, name, client, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now(), action, row["id"], row["digest"], row["name"], client, detail),
        )

    def path(self, file: str) -> Path:
        """Where a document's bytes are."""
        return self.directory / file

    def _row(self, db: sqlite3.Connection, document: int) -> sqlite3.Row:
        row = db.execute("SELECT * FROM documents WHERE id = ?", (document,)).fetchone()
        if row is None:
            raise StoreError(f"文档库中没有编号为 {document} 的文档")
        return row

    # ------------------------------------------------------------ opening

    def _reconcile(self) -> None:
        """Make the folder and the index agree after a crash or a hand-copied file.

        A file in ``files/`` no row names was being saved when the process
        stopped (its row was never committed) or purged (its row was): it is
        deleted. A document file directly in the folder that no row names is
        registered as current, in place.
        """
        cutoff = time.time() - _ORPHAN_SECONDS
        # Read only: opening must not wait for another process' write (WAL readers never do).
        with contextlib.closing(self._connect()) as db:
            known = {row["file"] for row in db.execute("SELECT file FROM documents WHERE state != 'purged'")}
        for path in sorted((self.directory / FILES_DIR).iterdir()):
            relative = f"{FILES_DIR}/{path.name}"
            # Another process may be between writing a file and committing its row: only old files are orphans.
            with contextlib.suppress(OSError):
                if path.is_file() and relative not in known and path.stat().st_mtime < cutoff:
                    path.unlink()
        self.sync()

    @_guarded
    def sync(self) -> list[dict]:
        """Register the document files in the folder itself that the index does not know (an administrator's copies)."""
        with contextlib.closing(self._connect()) as db:
            known = {row["file"] for row in db.execute("SELECT file FROM documents")}
        loose = [
            path for path in sorted(self.directory.iterdir())
            if path.name not in known and path.suffix.lower() in self.suffixes
            and not path.name.startswith((".", "~$")) and path.is_file() and not path.is_symlink()
        ]  # fmt: skip
        added = []
        for path in loose:
            try:
                data = path.read_bytes()
                added.append(
                    self._insert(
                        path.name, path.name, data, action="register", client=None, lineage=None, state="current"
                    )
                )
            except (OSError, StoreError):
                continue  # unreadable, or another process registered it first
        return added

    # ------------------------------------------------------------ reading

    @_guarded
    def documents(self, *states: str) -> pl.DataFrame:
        """Documents in the given states (all when none), oldest first: :data:`DOCUMENTS`."""
        wanted = states or STATES
        with contextlib.closing(self._connect()) as db:
            rows = db.execute(
                f"SELECT * FROM documents WHERE state IN ({','.join('?' * len(wanted))}) ORDER BY id", wanted
            ).fetchall()
        return (
            pl.DataFrame([dict(row) for row in rows], schema=DOCUMENTS, orient="row")
            if rows
            else pl.DataFrame(schema=DOCUMENTS)
        )

    @_guarded
    def history(self, document: int) -> pl.DataFrame:
        """Every version of a document (the one given and all it replaced or was replaced by), oldest first."""
        with contextlib.closing(self._connect()) as db:
            lineage = self._row(db, document)["lineage"]
            rows = db.execute("SELECT * FROM documents WHERE lineage = ? ORDER BY id", (lineage,)).fetchall()
        return pl.DataFrame([dict(row) for row in rows], schema=DOCUMENTS, orient="row")

    @_guarded
    def log(self) -> pl.DataFrame:
        """The audit log, oldest first: :data:`LOG`."""
        with contextlib.closing(self._connect()) as db:
            rows = db.execute("SELECT * FROM log ORDER BY id").fetchall()
        return pl.DataFrame([dict(row) for row in rows], schema=LOG, orient="row") if rows else pl.DataFrame(schema=LOG)

    @_guarded
    def find(self, data: bytes) -> dict | None:
        """The current or trashed document with exactly these bytes, if any."""
        digest = self.digest(data)
        with contextlib.closing(self._connect()) as db:
            rows = db.execute(
                "SELECT * FROM documents WHERE digest = ? AND state IN ('current', 'trashed', 'replaced') ORDER BY id",
                (digest,),
            ).fetchall()
        for row in rows:
            with contextlib.suppress(OSError):
                if self.path(row["file"]).read_bytes() == data:
                    return dict(row)
        return None

    # ------------------------------------------------------------ changing

    @_guarded
    def add(self, name: str, data: bytes, *, stem: str, suffix: str, client: str | None = None,
            replace: int | None = None, keep_both: bool = False) -> dict:  # fmt: skip
        """Save bytes as a new current document; with ``replace``, as the next version of that one.

        The bytes go to ``files/<stem><suffix>`` (a number added when taken)
        before the row is committed. When a current document has the same
        department and year, the add is refused (:class:`VersionConflict`)
        unless ``replace`` names it or ``keep_both`` is set, which labels the
        new one with its name and time. Both checks run inside the write
        transaction, so two saves at once cannot both pass them. Returns the
        new row.
        """
        target = self._free_name(stem, suffix)
        try:
            _write_atomically(target, data)
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()  # the reserved name: ours alone
            raise
        try:
            return self._insert(f"{FILES_DIR}/{target.name}", name, data, action="replace" if replace else ("keep_both" if keep_both else "add"),
                                client=client, lineage=replace, state="current", versions="keep_both" if keep_both else "refuse")  # fmt: skip
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise

    def _free_name(self, stem: str, suffix: str) -> Path:
        """A name in files/ that no row has ever had, reserved by creating it (two savers never share one)."""
        folder = self.directory / FILES_DIR
        with contextlib.closing(self._connect()) as db:
            taken = {
                row["file"] for row in db.execute("SELECT file FROM documents WHERE file LIKE ?", (f"{FILES_DIR}/%",))
            }
        counter = 1
        while True:
            target = folder / (f"{stem}{suffix}" if counter == 1 else f"{stem}-{counter}{suffix}")
            counter += 1
            if f"{FILES_DIR}/{target.name}" in taken:
                continue
            try:
                os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            except FileExistsError:
                continue
            return target

    def _insert(self, file: str, name: str, data: bytes, *, action: str, client: str | None, lineage: int | None,
                state: str, versions: str = "ignore") -> dict:  # fmt: skip
        summary = self.summarise(self.path(file))
        stamp = now()
        with self._write() as db:
            if db.execute("SELECT 1 FROM documents WHERE file = ?", (file,)).fetchone():
                raise StoreError(f"文档库中已有文件「{file}」")
            # An administrator's loose copy is registered as it lies (the loader loads identical bytes once).
            others = [] if action == "register" else db.execute(
                "SELECT * FROM documents WHERE digest = ? AND state != 'purged' AND file != ?", (self.digest(data), file)
            ).fetchall()  # fmt: skip
            for other in others:
                # Another save of the same bytes committed first (two sessions at once): one document, not two.
                with contextlib.suppress(OSError):
                    if self.path(other["file"]).read_bytes() == data:
                        raise DuplicateError(other["name"], dict(other))
            label = None
            if lineage is None and versions != "ignore" and summary.department and summary.year:
                same = db.execute(
                    "SELECT * FROM documents WHERE state = 'current' AND department = ? AND year = ? ORDER BY id DESC",
                    (summary.department, summary.year),
                ).fetchone()
                if same is not None and versions == "refuse":
                    raise VersionConflict(dict(same), summary)
                if same is not None:
                    label = f"{name}（{dt.datetime.now().strftime('%Y-%m-%d %H:%M')} 另存）"
            replaced = None
            if lineage is not None:
                replaced = self._row(db, lineage)
                if replaced["state"] != "current":
                    raise StoreError(f"「{replaced['name']}」已不是当前版本（可能刚被别人替换或移除），请刷新后再试")
                lineage = replaced["lineage"]
            cursor = db.execute(
                "INSERT INTO documents (digest, file, name, form, department, year, project_count, budget_yuan,"
                " diagnostics_count, size, added_at, state, changed_at, lineage, label)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, 0), ?)",
                (self.digest(data), file, name, summary.form, summary.department, summary.year, summary.project_count,
                 summary.budget_yuan, summary.diagnostics_count, len(data), stamp, state, stamp, lineage, label),
            )  # fmt: skip
            document = cursor.lastrowid
            if lineage is None:
                db.execute("UPDATE documents SET lineage = id WHERE id = ?", (document,))
            row = self._row(db, document)
            detail = None
            if replaced is not None:
                db.execute(
                    "UPDATE documents SET state = 'replaced', changed_at = ? WHERE id = ?", (stamp, replaced["id"])
                )
                detail = f"替换 #{replaced['id']}「{replaced['name']}」"
            self._log(db, action, row, client=client, detail=detail)
            return dict(row)

    @_guarded
    def remove(self, document: int, *, client: str | None = None) -> dict:
        """Move a current document to the trash."""
        return self._move(document, "current", "trashed", "remove", client)

    @_guarded
    def restore(self, document: int, *, client: str | None = None) -> dict:
        """Bring a document back: from the trash, or an earlier version in place of the current one."""
        with self._write() as db:
            row = self._row(db, document)
            stamp = now()
            if row["state"] not in ("trashed", "replaced"):
                raise StoreError(f"「{row['name']}」是{_STATE_NAMES[row['state']]}，不能恢复")
            # One current version per document: the one restored takes the place of the current one, if any.
            detail = None
            current = db.execute(
                "SELECT * FROM documents WHERE lineage = ? AND state = 'current'", (row["lineage"],)
            ).fetchone()
            if current is not None:
                db.execute(
                    "UPDATE documents SET state = 'replaced', changed_at = ? WHERE id = ?", (stamp, current["id"])
                )
                detail = f"替换 #{current['id']}「{current['name']}」"
            db.execute("UPDATE documents SET state = 'current', changed_at = ? WHERE id = ?", (stamp, document))
            self._log(db, "restore", row, client=client, detail=detail)
            return dict(self._row(db, document))

    @_guarded
    def purge(self, document: int, *, client: str | None = None) -> dict:
        """Delete a trashed document for good: its bytes go, its row and log stay."""
        row = self._move(document, "trashed", "purged", "purge", client)
        with contextlib.suppress(OSError):
            self.path(row["file"]).unlink()
        return row

    @_guarded
    def purge_expired(self, *, days: int = TRASH_DAYS, client: str | None = None) -> list[dict]:
        """Purge what has been in the trash longer than ``days``."""
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        expired = self.documents("trashed").filter(pl.col("changed_at") < cutoff)
        purged = []
        for document in expired["id"].to_list():
            with contextlib.suppress(StoreError):
                purged.append(self.purge(document, client=client))
        return purged

    def _move(self, document: int, state: str, to: str, action: str, client: str | None) -> dict:
        with self._write() as db:
            row = self._row(db, document)
            if row["state"] != state:
                raise StoreError(f"「{row['name']}」是{_STATE_NAMES[row['state']]}，不能{_ACTION_NAMES[action]}")
            db.execute("UPDATE documents SET state = ?, changed_at = ? WHERE id = ?", (to, now(), document))
            self._log(db, action, row, client=client)
            return dict(self._row(db, document))


_STATE_NAMES = {"current": "当前文档", "trashed": "回收站中的文档", "replaced": "旧版本", "purged": "已永久删除的文档"}
_ACTION_NAMES = {"remove": "移除", "purge": "永久删除", "restore": "恢复"}


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole or not at all (temporary file, fsync, rename)."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".saving-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)  # mkstemp creates 0600; the app may run as another user
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):
        descriptor = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
