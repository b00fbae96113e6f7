"""A disk cache of parsed corpora: Parquet files keyed by the documents' content.

Parsing a province's documents takes tens of seconds; reading the same
frames back from Parquet takes well under a second. The key is a hash of
every document's name and bytes, so a changed, added or removed document
gives a new key and the stale entry is never read. Entries are written to a
temporary folder and renamed into place, so a crash leaves no half entry; an
entry that cannot be read (a corrupt file) is deleted and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Sequence

import polars as pl

from lib import schema
from lib.loader import Corpus, Progress, load_documents

CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "corpus"
_FRAMES = {
    "documents": schema.DOCUMENTS,
    "projects": schema.PROJECTS,
    "indicators": schema.INDICATORS,
    "diagnostics": schema.DIAGNOSTICS,
}


def cache_dir() -> Path:
    """Where entries live: ``$BUDGET_CACHE_DIR`` when set, else ``.cache/corpus``."""
    configured = os.environ.get("BUDGET_CACHE_DIR")
    return Path(configured) if configured else CACHE_DIR


def _parser_version() -> bytes:
    """A digest of the code that turns bytes into frames: a changed parser never reads an old entry."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    modules = [here / f"{module}.py" for module in ("schema", "taxonomy", "values", "loader")]
    for path in [*modules, *sorted((here / "ingest").glob("*.py"))]:
        digest.update(path.read_bytes())
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
        return cached
    corpus = load_documents(list(files), progress=progress)
    _write(entry, corpus)
    return corpus


def _read(entry: Path) -> Corpus | None:
    if not entry.is_dir():
        return None
    try:
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
        for name, frame in corpus.frames().items():
            frame.write_parquet(staging / f"{name}.parquet")
        os.replace(staging, entry)
    except OSError:
        # Best effort: no cache entry, and no half-written one either.
        if "staging" in locals():
            shutil.rmtree(staging, ignore_errors=True)
