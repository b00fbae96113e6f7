"""The disk cache of parsed corpora: same frames back, rebuilt when corrupt, harmless when unwritable."""

from __future__ import annotations

from polars.testing import assert_frame_equal

from lib import cache
from lib.loader import load_documents
from support import REFERENCE

FILES = [(REFERENCE.name, REFERENCE.read_bytes())]


def test_cached_corpus_equals_the_parsed_one(tmp_path):
    parsed = load_documents(FILES)
    first = cache.load_cached(FILES, directory=tmp_path)
    entry = tmp_path / cache.corpus_key(FILES)
    assert (entry / "indicators.parquet").is_file()
    again = cache.load_cached(FILES, directory=tmp_path)
    for name in ("documents", "projects", "indicators", "diagnostics"):
        assert_frame_equal(getattr(again, name), getattr(parsed, name))
        assert_frame_equal(getattr(first, name), getattr(parsed, name))


def test_a_changed_document_gets_a_new_entry(tmp_path):
    cache.load_cached(FILES, directory=tmp_path)
    changed = [(REFERENCE.name, REFERENCE.read_bytes().replace("人代会".encode(), "人代大会".encode()))]
    corpus = cache.load_cached(changed, directory=tmp_path)
    assert "人代大会" in corpus.projects["name"].to_list()
    assert len([p for p in tmp_path.iterdir() if not p.name.startswith(".")]) == 2


def test_corrupt_cache_entry_is_rebuilt(tmp_path):
    cache.load_cached(FILES, directory=tmp_path)
    entry = tmp_path / cache.corpus_key(FILES)
    (entry / "projects.parquet").write_bytes(b"not parquet at all")
    corpus = cache.load_cached(FILES, directory=tmp_path)
    assert corpus.projects.height == 15
    assert corpus.projects["budget_yuan"].sum() == 10_882_500.0
    # The entry was written anew and reads back.
    assert cache.load_cached(FILES, directory=tmp_path).projects.height == 15


def test_unwritable_cache_still_returns_the_corpus(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    corpus = cache.load_cached(FILES, directory=blocked / "cache")
    assert corpus.indicators.height == 172
