"""The documents of a run: which they are, and their frames parsed once and cached for every session."""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import streamlit as st

from lib import cache, library, review, schema
from lib.i18n import t
from lib.loader import Progress, combine, data_dir, document_id, load_cells, load_documents
from lib.model.corpus import Corpus
from lib.store import StoreError
from views.common.state import get_value
from views.common.text import md

if TYPE_CHECKING:
    from views.common.sidebar import View

Signature = tuple[tuple[str, int, int], ...]
Uploads = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class Sources:
    """The documents of a run: the library's by path, size and time, and this session's uploads."""

    signature: Signature
    uploaded: Uploads = ()

    @functools.cached_property
    def key(self) -> str:
        """One short string for both, the key of the caches below.

        Streamlit hashes a cached function's arguments on every call, entry by
        entry: for a library of 667 documents that took 40 ms a call.
        """
        digest = hashlib.blake2b(repr(self.signature).encode(), digest_size=16)
        for name, data in self.uploaded:
            digest.update(f"\0{name}\0{len(data)}\0".encode())
            digest.update(data)
        return digest.hexdigest()


class _Slot:
    """Where one set of documents' corpus is kept once parsed, with a lock so two sessions parse it once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.corpus: Corpus | None = None


# cache_resource, not cache_data: the frames are never changed, and a copy
# unpickled on every run would cost time and memory on a large corpus. The
# cached function returns an empty slot and the parse happens outside it:
# elements drawn inside a cached function are replayed on every cache hit,
# and the progress bar must show only while files are read.
@st.cache_resource(show_spinner=False, max_entries=8)
def _slot(key: str) -> _Slot:
    return _Slot()


def load(key: str, _sources: Sources) -> Corpus:
    """Frames of the library's documents (keyed by path, size and time) and this session's uploads.

    Library files are keyed by their stat, so a run does not reread or hash
    a large library; the parsed corpus also goes through the disk cache, so
    a restarted server reads Parquet instead of parsing again. A parse shows
    files done of the total and the time left.
    """
    slot = _slot(key)
    if slot.corpus is not None:
        return slot.corpus
    with slot.lock:
        if slot.corpus is None:
            slot.corpus = _parse(_sources)
    return slot.corpus


def _parse(sources: Sources) -> Corpus:
    bar = None
    lang = get_value("lang") or "zh"

    def report(progress: Progress) -> None:
        nonlocal bar
        if bar is None:
            bar = st.progress(0.0)
        bar.progress(progress.done / max(progress.total, 1), text=progress.describe(lang))

    signature, uploaded = sources.signature, sources.uploaded
    files: list[tuple[str, bytes]] = []
    try:
        for path, _, _ in signature:
            try:
                files.append((Path(path).name, Path(path).read_bytes()))
            except OSError:
                # Gone or unreadable since it was listed: let the loader say so by name.
                return load_documents([Path(p) for p, _, _ in signature] + list(uploaded), progress=report)
        library = cache.load_cached(files, progress=report)
        # Unsaved uploads stay in memory: nothing of them is written to the disk cache.
        return combine(library, load_documents(list(uploaded))) if uploaded else library
    finally:
        if bar is not None:
            bar.empty()


# No spinner of the cache's own: its text is fixed when the function is
# defined, in one language; findings() shows one in the view's language.
@st.cache_resource(show_spinner=False, max_entries=8)
def review_of(key: str, _sources: Sources) -> pl.DataFrame:
    """Review findings for the same documents as :func:`load`, cached the same way."""
    return review.review(load(key, _sources))


@st.cache_data(show_spinner=False, max_entries=32)
def cells_of(key: str, doc_id: str, source: str, _sources: Sources) -> pl.DataFrame:
    """Where each field of one document was read (:func:`lib.loader.load_cells`), parsed on request.

    The file is found by its name among the run's sources and checked by
    its id (two uploads may share a name); empty when it is gone.
    """
    candidates = [(name, data) for name, data in _sources.uploaded if name == source]
    for path, _, _ in _sources.signature:
        if Path(path).name == source:
            try:
                candidates.append((source, Path(path).read_bytes()))
            except OSError:
                continue
    for name, data in candidates:
        if document_id(data) == doc_id:
            return load_cells([(name, data)])
    return pl.DataFrame(schema=schema.CELLS)


def findings(view: View) -> pl.DataFrame:
    """The findings of the projects the filters keep."""
    kept = view.filtered.projects["project_id"].implode()
    # Shown only when the review takes longer than half a second: a first review of the documents.
    with st.spinner(view.label("review_running")):
        found = review_of(view.sources.key, view.sources)
    return found.filter(pl.col("project_id").is_in(kept))


def library_signature() -> Signature:
    """The library's documents by path, size and modification time: a cheap key for caches."""
    signature = []
    try:
        paths = library.current_paths(data_dir())
    except (StoreError, OSError) as exc:
        # The index is busy or unreadable: say so and show no library rather than a traceback.
        st.error(t("library_unavailable", get_value("lang") or "zh", reason=md(str(exc))))
        return ()
    for path in paths:
        try:
            stat = path.stat()
            signature.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            signature.append((str(path), -1, 0))
    return tuple(signature)
