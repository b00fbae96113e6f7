"""A disk cache of parsed corpora: Parquet files keyed by the documents' content.

Parsing a province's documents takes tens of seconds; reading the same
frames back from Parquet takes well under a second. The key is a hash of
every document's name and bytes, so a changed, added or removed document
gives a new key and the stale entry is never read. Entries are written to a
temporary folder and renamed into place, so a crash leaves no half entry; an
entry that cannot be read (a corrupt file) is deleted and rebuilt.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Sequence

import polars as pl

from lib import schema
from lib.loader import Progress, load_documents
from lib.model.corpus import Corpus

CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "corpus"
_FRAMES = {
    "documents": schema.DOCUMENTS,
    "projects": schema.PROJECTS,
    "indicators": schema.INDICATORS,
    "diagnostics": schema.DIAGNOSTICS,
    "results": schema.RESULTS,
    "execution": schema.EXECUTION,
}


def cache_dir() -> Path:
    """Where entries live: ``$BUDGET_CACHE_DIR`` when set, else ``.cache/corpus``."""
    configured = os.environ.get("BUDGET_CACHE_DIR")
    return Path(configured) if configured else CACHE_DIR


def parser_modules(root: str = "lib.loader") -> list[Path]:
    """The source files of ``root`` and every lib module it imports, however deep: the code behind the frames.

    Found by reading the imports (``ast``), not listed by hand, so a new
    module of the parser changes the cache key without anyone remembering to.
    Module-level imports count everywhere; imports inside functions count in
    ``lib.ingest``, whose readers are imported when their form is met, and
    nowhere else (``lib.loader`` imports ``lib.cli`` only when run as a
    command).

    >>> names = [path.name for path in parser_modules()]
    >>> "loader.py" in names and "parser.py" in names and not any("charts" in path.parts for path in parser_modules())
    True
    """
    lib_dir = Path(__file__).resolve().parent
    seen: dict[str, Path] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        parts = name.split(".")[1:]
        path = lib_dir.joinpath(*parts).with_suffix(".py")
        if not path.is_file():
            path = lib_dir.joinpath(*parts, "__init__.py")
        if not path.is_file():
            continue  # a namespace package: its modules are imported by name
        seen[name] = path
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = ast.walk(tree) if name.startswith("lib.ingest") else tree.body
        for node in nodes:
            if isinstance(node, ast.Import):
                pending += [alias.name for alias in node.names if alias.name.startswith("lib.")]
            elif (
                isinstance(node, ast.ImportFrom)
                and node.module
                and (node.module == "lib" or node.module.startswith("lib."))
            ):
                pending.append(node.module)
                pending += [f"{node.module}.{alias.name}" for alias in node.names]
    return sorted(seen.values())


def _parser_version() -> bytes:
    """A digest of the code that turns bytes into frames: a changed parser never reads an old entry."""
    digest = hashlib.sha256()
    for path in parser_modules():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


_PARSER_VERSION = _parser_version()


def corpus_key(files: Sequence[tuple[str, bytes]]) -> str:
    """The cache key of these documents: the parser's code, their names and bytes, in order.

    >>> corpus_key([("a.txt", b"x")]) == corpus_key([("a.txt", b"x")])
    True
    """
    digest = hashlib.sha256(_PARSER_VERSION)
    for name, data in files:
        digest.update(name.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:32]


def load_cached(
    files: Sequence[tuple[str, bytes]],
    *,
    directory: Path | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> Corpus:
    """:func:`lib.loader.load_documents` through the disk cache.

    A readable entry is returned as it is; otherwise the documents are
    parsed (``progress`` as in :func:`lib.loader.load_documents`; not
    called when the entry is read) and the entry written. A cache that cannot be written (read-only
    or full disk) only costs the next start its speed: the corpus is
    returned all the same.

    Examples
    --------
    >>> import tempfile
    >>> from lib.loader import default_paths
    >>> files = [(p.name, p.read_bytes()) for p in default_paths()]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     first = load_cached(files, directory=Path(d))
    ...     again = load_cached(files, directory=Path(d))
    >>> again.projects.height
    15
    """
    root = directory or cache_dir()
    entry = root / corpus_key(files)
    cached = _read(entry)
    if cached is not None:
        with contextlib.suppress(OSError):
            os.utime(entry)  # recently used: evicted last
        return cached
    corpus = load_documents(list(files), progress=progress)
    _write(entry, corpus)
    evict(root, keep=MAX_ENTRIES)
    return corpus


#: Most entries the cache keeps; the least recently used go first.
MAX_ENTRIES = 8


def evict(root: Path, *, keep: int = MAX_ENTRIES) -> list[Path]:
    """Delete all but the ``keep`` most recently used entries under ``root``; returns the deleted.

    Every library change and every set of uploads makes a new entry: without
    a bound the folder would grow with each.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in "abc":
    ...         (Path(d) / name).mkdir()
    ...         os.utime(Path(d) / name, (ord(name), ord(name)))
    ...     [path.name for path in evict(Path(d), keep=2)]
    ['a']
    """
    try:
        entries = [path for path in root.iterdir() if path.is_dir() and not path.name.startswith(".")]
    except OSError:
        return []
    entries.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for stale in entries[keep:]:
        shutil.rmtree(stale, ignore_errors=True)
    return entries[keep:]


#: In each entry: the SHA-256 of every frame file as written, one a line in the frames' order.
_SUMS = "sha256.txt"


def _sum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(entry: Path) -> Corpus | None:
    if not entry.is_dir():
        return None
    try:
        # Bytes first: polars' reader can abort the whole process on some damaged
        # files, so a file is read only when it is exactly what was written.
        written = (entry / _SUMS).read_text(encoding="utf-8").split()
        if written != [_sum(entry / f"{name}.parquet") for name in _FRAMES]:
            raise ValueError(f"{entry}: a frame file differs from what was written")
        frames = {name: pl.read_parquet(entry / f"{name}.parquet") for name in _FRAMES}
        for name, columns in _FRAMES.items():
            if frames[name].schema != pl.Schema(columns):
                raise ValueError(f"{entry / name}.parquet: columns differ from the schema")
    except (OSError, ValueError, pl.exceptions.PolarsError, pl.exceptions.PanicException):
        # PanicException derives from BaseException: a damaged file can make
        # polars' reader panic, and that must rebuild the entry, not hang the app.
        # Corrupt or from an older schema: drop it, the caller parses anew.
        shutil.rmtree(entry, ignore_errors=True)
        return None
    return Corpus(**frames)


def _write(entry: Path, corpus: Corpus) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=entry.parent))
        for name, frame in corpus.all_frames().items():
            frame.write_parquet(staging / f"{name}.parquet")
        (staging / _SUMS).write_text("\n".join(_sum(staging / f"{name}.parquet") for name in _FRAMES), encoding="utf-8")
        os.replace(staging, entry)
    except OSError:
        # Best effort: no cache entry, and no half-written one either.
        if "staging" in locals():
            shutil.rmtree(staging, ignore_errors=True)
