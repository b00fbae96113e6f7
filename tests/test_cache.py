"""The disk cache of parsed corpora: same frames back, rebuilt when corrupt, harmless when unwritable."""

from __future__ import annotations

from pathlib import Path

from polars.testing import assert_frame_equal

from lib import cache
from lib.loader import load_documents
from support import REFERENCE

FILES = [(REFERENCE.name, REFERENCE.read_bytes())]
SELF_EVALUATION = Path(__file__).parent / "fixtures" / "results" / "2026_self_evaluation.txt"


def test_cached_corpus_equals_the_parsed_one(tmp_path):
    parsed = load_documents(FILES)
    first = cache.load_cached(FILES, directory=tmp_path)
    entry = tmp_path / cache.corpus_key(FILES)
    assert (entry / "indicators.parquet").is_file()
    again = cache.load_cached(FILES, directory=tmp_path)
    for name in ("documents", "projects", "indicators", "diagnostics"):
        assert_frame_equal(getattr(again, name), getattr(parsed, name))
        assert_frame_equal(getattr(first, name), getattr(parsed, name))


def test_a_self_evaluation_comes_back_from_the_cache_with_its_results(tmp_path):
    files = [*FILES, (SELF_EVALUATION.name, SELF_EVALUATION.read_bytes())]
    parsed = load_documents(files)
    cache.load_cached(files, directory=tmp_path)
    again = cache.load_cached(files, directory=tmp_path)
    assert (tmp_path / cache.corpus_key(files) / "results.parquet").is_file()
    for name, frame in parsed.all_frames().items():
        assert_frame_equal(getattr(again, name), frame)
    assert again.results.height == 171


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


def test_the_cache_keeps_the_most_recently_used_entries_only(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    texts = [f"项目名称\t项目{n}\n2026年预算金额(元)\t{n},000.00".encode() for n in range(5)]
    keys = [cache.corpus_key([("a.txt", text)]) for text in texts]
    for text in texts[:3]:
        cache.load_cached([("a.txt", text)], directory=tmp_path)
    cache.load_cached([("a.txt", texts[0])], directory=tmp_path)  # used again: now the most recent
    for text in texts[3:]:
        cache.load_cached([("a.txt", text)], directory=tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([keys[0], keys[3], keys[4]])


def test_the_cache_key_follows_the_parser_source_found_by_its_imports():
    names = {path.relative_to(path.parents[1]).as_posix() for path in cache.parser_modules()}
    assert {
        "lib/loader.py",
        "lib/schema.py",
        "lib/values.py",
        "ingest/parser.py",
        "ingest/pdf.py",
        "ingest/html.py",
        "ingest/results.py",
    } <= names
    assert "lib/compare.py" not in names
    assert not [path for path in cache.parser_modules() if {"charts", "review", "export", "pages"} & set(path.parts)]
