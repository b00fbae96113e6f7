"""Faults from the outside world: files that vanish or change under the app, full disks, refused writes.

- A document listed by :func:`lib.loader.default_paths` may be deleted,
  replaced or made unreadable before it is read: the loader reports it as an
  error diagnostic naming the file and loads the others; the library listing
  and the pages carry on.
- A document of the library's index whose file is deleted by hand stays
  listed with the figures the index recorded; the dashboard says it could not
  be loaded and shows the others.
- Saving to the library (:func:`lib.library.save`) on a full disk, over quota,
  on a read-only disk or without permission gives ``ok=False`` with the reason
  in Chinese, and leaves no file, whole or partial, temporary or final, in the
  folder or its ``files/``, and no row in the index or its log.
  (``tests/test_library.py`` covers ENOSPC at the rename, EIO at fsync and
  EACCES at mkstemp; these add a disk that fills up mid-write and the rest.)
- The disk cache of parsed corpora (:mod:`lib.cache`, Parquet files under
  ``$BUDGET_CACHE_DIR``): an entry with a missing, truncated or damaged file,
  an entry path that is not a folder, or a writer that loses a race must
  cost a re-parse, never an exception or wrong frames. ``tests/test_cache.py``
  covers a file replaced by junk and an unwritable cache; these add the rest.
  ``st.cache_data`` itself stays in memory (``persist`` unset).
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

import lib.library
import lib.store
from lib import cache
from lib.library import current_paths, list_documents, open_store, save
from lib.loader import default_paths, document_id, load_documents
from lib.testing.synth import generate_document
from support import REFERENCE, ROOT

APP = str(ROOT / "app.py")
OTHER = generate_document(3, seed=21, department="东莞市水务局", year=2026).encode("utf-8")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch) -> None:
    # The app's disk cache goes to the test's folder, never to the repo's .cache/.
    monkeypatch.setenv("BUDGET_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture()
def library(tmp_path) -> Path:
    """A library folder with the reference and one other document."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / REFERENCE.name)
    (folder / "水务局.txt").write_bytes(OTHER)
    return folder


def _entries(folder: Path) -> list[str]:
    """Every entry of the folder, hidden temporary files included."""
    return sorted(p.name for p in folder.iterdir())


def _state(folder: Path) -> tuple[dict, list[dict], list[dict]]:
    """Every file of the library (files/ included, the index's own files aside) with its bytes, the index's rows and its log."""
    files = {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith("library.sqlite3")
    }  # fmt: skip
    store = open_store(folder)
    return files, store.documents().to_dicts(), store.log().to_dicts()


def _errors(corpus) -> pl.DataFrame:
    return corpus.diagnostics.filter(pl.col("severity") == "error")


# ---------------------------------------------------------------- files vanishing or changing under the loader


def test_document_deleted_between_listing_and_loading_is_an_error_and_the_others_load(library):
    paths = default_paths(library)
    (library / "水务局.txt").unlink()
    corpus = load_documents(paths)
    errors = _errors(corpus)
    assert errors["code"].to_list() == ["unreadable"]
    assert errors["source"].to_list() == ["水务局.txt"]
    assert "水务局.txt" in errors["message"][0]
    assert corpus.projects.height == 15
    assert corpus.projects["budget_yuan"].sum() == pytest.approx(10_882_500)


def test_document_replaced_between_listing_and_loading_loads_what_is_on_disk_now(library):
    paths = default_paths(library)
    replacement = generate_document(2, seed=22, department="东莞市水务局", year=2026).encode("utf-8")
    (library / "水务局.txt").write_bytes(replacement)
    corpus = load_documents(paths)
    assert _errors(corpus).is_empty()
    assert corpus.projects.height == 15 + 2
    assert document_id(replacement) in corpus.documents["document_id"].to_list()
    assert document_id(OTHER) not in corpus.documents["document_id"].to_list()


def test_document_replaced_by_a_folder_is_an_error_and_the_others_load(library):
    paths = default_paths(library)
    (library / "水务局.txt").unlink()
    (library / "水务局.txt").mkdir()
    corpus = load_documents(paths)
    assert _errors(corpus)["code"].to_list() == ["unreadable"]
    assert corpus.projects.height == 15


def test_document_that_cannot_be_read_names_the_reason(library, monkeypatch):
    # Tests may run as root, which chmod cannot lock out: refuse the read itself.
    target = library / "水务局.txt"
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    corpus = load_documents(default_paths(library))
    errors = _errors(corpus)
    assert errors["code"].to_list() == ["unreadable"]
    assert "Permission denied" in errors["message"][0]
    assert corpus.projects.height == 15


def test_document_emptied_between_listing_and_loading_is_an_error_and_the_others_load(library):
    paths = default_paths(library)
    (library / "水务局.txt").write_bytes(b"")
    corpus = load_documents(paths)
    assert _errors(corpus)["code"].to_list() == ["empty_file"]
    assert corpus.projects.height == 15


def test_library_listing_keeps_a_document_whose_file_was_deleted_by_hand(library):
    # The index, not the folder, says what is in the library: the row stays, with the figures recorded when it was added.
    assert list_documents(library)["file"].to_list() == [REFERENCE.name, "水务局.txt"]
    (library / "水务局.txt").unlink()
    listing = list_documents(library)
    assert listing.select("id", "file", "project_count", "size").rows() == [
        (1, REFERENCE.name, 15, REFERENCE.stat().st_size), (2, "水务局.txt", 3, len(OTHER)),
    ]  # fmt: skip
    # Loading the current documents then names the missing file and loads the others.
    paths = current_paths(library)
    assert [path.name for path in paths] == [REFERENCE.name, "水务局.txt"]
    corpus = load_documents(paths)
    assert _errors(corpus)[["code", "source"]].rows() == [("unreadable", "水务局.txt")]
    assert corpus.projects.height == 15


def test_library_listing_shows_a_file_that_vanishes_while_it_is_read_with_no_projects(library, monkeypatch):
    # Between stat() and the read: the row stays, with the loader's error counted.
    real = lib.library.load_documents

    def load_after_deleting(paths):
        for path in paths:
            if Path(path).name == "水务局.txt":
                Path(path).unlink(missing_ok=True)
        return real(paths)

    monkeypatch.setattr(lib.library, "load_documents", load_after_deleting)
    listing = list_documents(library).sort("file")
    row = listing.filter(pl.col("file") == "水务局.txt").row(0, named=True)
    assert (row["project_count"], row["budget_yuan"]) == (0, None)
    assert row["diagnostics_count"] >= 1
    assert listing.filter(pl.col("file") == REFERENCE.name)["project_count"].item() == 15


# ---------------------------------------------------------------- the app when files vanish or change


def _metric(at: AppTest, label: str) -> str:
    return next((m.value for m in at.metric if m.label == label), None)


def test_app_shows_a_notice_and_the_other_documents_when_a_listed_file_is_gone(library, monkeypatch):
    monkeypatch.setenv("BUDGET_DATA_DIR", str(library))
    # Both registered in the index, then one file deleted by hand: the library still lists it as current.
    assert [path.name for path in current_paths(library)] == [REFERENCE.name, "水务局.txt"]
    (library / "水务局.txt").unlink()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert _metric(at, "项目数") == "15"
    assert _metric(at, "预算总额（万元）") == "1,088.25"
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any("未能载入" in w and "水务局.txt" in w for w in warnings), warnings


def test_app_parses_a_document_again_when_it_changes_on_disk(library, monkeypatch):
    monkeypatch.setenv("BUDGET_DATA_DIR", str(library))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert _metric(at, "项目数") == str(15 + 3)
    (library / "水务局.txt").write_bytes(generate_document(5, seed=23, department="东莞市水务局", year=2026).encode())
    at.run()
    assert not at.exception
    assert _metric(at, "项目数") == str(15 + 5)


def test_streamlit_caches_stay_in_memory():
    import importlib
    import pkgutil

    from streamlit.runtime.caching.cache_utils import CachedFunc

    from views import common

    # Every module of the package, not only what it re-exports (the corpus slot is private to views.common.data).
    modules = [
        common,
        *(importlib.import_module(f"views.common.{m.name}") for m in pkgutil.iter_modules(common.__path__)),
    ]
    found = {id(value): value for module in modules for value in vars(module).values() if isinstance(value, CachedFunc)}
    cached = list(found.values())
    assert {value._info.func.__name__ for value in cached} >= {"_slot", "review_of"}  # noqa: SLF001
    # Nothing pickled under ~/.streamlit/cache (cache_resource has no disk
    # persistence, cache_data must say persist=None); lib.cache is the only disk cache.
    assert [getattr(value._info, "persist", None) for value in cached] == [None] * len(cached)  # noqa: SLF001


# ---------------------------------------------------------------- a damaged disk cache

FILES = [(REFERENCE.name, REFERENCE.read_bytes())]
FRAME_FILES = tuple(
    f"{name}.parquet" for name in ("documents", "projects", "indicators", "diagnostics", "results", "execution")
)


def _is_the_reference(corpus) -> bool:
    return (
        corpus.projects.height == 15
        and corpus.indicators.height == 172
        and corpus.projects["budget_yuan"].sum() == pytest.approx(10_882_500)
    )


@pytest.fixture()
def entry(tmp_path) -> Path:
    """A complete cache entry of the reference document."""
    cache.load_cached(FILES, directory=tmp_path / "cache")
    return tmp_path / "cache" / cache.corpus_key(FILES)


@pytest.mark.parametrize("frame_file", FRAME_FILES)
def test_cache_entry_missing_a_frame_is_parsed_again_and_rebuilt(entry, frame_file):
    (entry / frame_file).unlink()
    assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))
    assert sorted(p.name for p in entry.iterdir()) == sorted([*FRAME_FILES, "sha256.txt"])


@pytest.mark.parametrize("frame_file", FRAME_FILES)
@pytest.mark.parametrize("keep", [0, 4, 0.5, -8])
def test_truncated_cache_file_is_parsed_again(entry, frame_file, keep):
    path = entry / frame_file
    data = path.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep
    path.write_bytes(data[:cut])
    assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))
    assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))


def test_cache_entry_path_taken_by_a_file_costs_only_a_parse(tmp_path):
    root = tmp_path / "cache"
    root.mkdir()
    (root / cache.corpus_key(FILES)).write_text("not a folder")
    assert _is_the_reference(cache.load_cached(FILES, directory=root))
    # The failed write left no staging folder behind.
    assert sorted(p.name for p in root.iterdir()) == [cache.corpus_key(FILES)]


def test_writer_that_loses_the_race_leaves_the_winners_entry_and_no_staging(entry, monkeypatch):
    # Two sessions parse the same documents at once; the second finds the entry taken.
    monkeypatch.setattr(cache, "_read", lambda path: None)
    assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))
    monkeypatch.undo()
    assert sorted(p.name for p in entry.parent.iterdir()) == [entry.name]
    assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))


def _damaged(data: bytes, rng) -> bytes:
    damaged = bytearray(data)
    op = rng.choice(["flip", "bytes", "zero"])
    if op == "flip":
        damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
    elif op == "bytes":
        for _ in range(rng.randint(2, 30)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    else:
        at = rng.randrange(len(damaged))
        damaged[at : at + rng.randint(1, 200)] = bytes(rng.randint(1, 200))
    return bytes(damaged)


def _panicking_reader(monkeypatch) -> None:
    """Make polars' Parquet reader panic, as it does on some damaged files (PanicException derives from BaseException)."""

    def panic(*args, **kwargs):
        raise pl.exceptions.PanicException("out of range")

    monkeypatch.setattr(cache.pl, "read_parquet", panic)


def test_damaged_cache_files_cost_a_parse_never_wrong_frames(entry):
    import random

    rng = random.Random(1)
    originals = {name: (entry / name).read_bytes() for name in FRAME_FILES}
    for _ in range(60):
        shutil.rmtree(entry, ignore_errors=True)
        entry.mkdir()
        for name, data in originals.items():
            (entry / name).write_bytes(data)
        name = rng.choice(FRAME_FILES)
        (entry / name).write_bytes(_damaged(originals[name], rng))
        assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))


def test_a_damaged_file_is_never_handed_to_polars(entry, monkeypatch):
    # Some damaged Parquet files make polars abort the process: a file whose bytes differ from what
    # was written is dropped before any reader sees it.
    path = entry / "results.parquet"
    path.write_bytes(_damaged(path.read_bytes(), __import__("random").Random(3)))

    def refuse(*args, **kwargs):
        raise AssertionError("a damaged cache file reached polars")

    with monkeypatch.context() as patch:
        patch.setattr(cache.pl, "read_parquet", refuse)
        assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))
    assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))


def test_cache_file_on_which_polars_panics_is_parsed_again(entry, monkeypatch):
    with monkeypatch.context() as patch:
        _panicking_reader(patch)
        assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))
    # The entry was rebuilt from a parse: it reads back as the reference.
    assert _is_the_reference(cache.load_cached(FILES, directory=entry.parent))


def test_app_survives_a_cache_entry_on_which_polars_panics(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(REFERENCE, folder / REFERENCE.name)
    root = tmp_path / "cache"
    cache.load_cached(FILES, directory=root)
    _panicking_reader(monkeypatch)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(folder))
    monkeypatch.setenv("BUDGET_CACHE_DIR", str(root))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert _metric(at, "预算总额（万元）") == "1,088.25"


# ---------------------------------------------------------------- saving on a full or locked disk

SAMPLE = generate_document(2, seed=24, department="东莞市教育局", year=2026).encode("utf-8")


class _FillingStream:
    """A file that takes ``room`` bytes and then reports a full disk, as a real one would."""

    def __init__(self, stream, room: int) -> None:
        self._stream, self._room = stream, room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            self._stream.write(data[: self._room])
            self._stream.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._stream.write(data)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stream.close()


def test_disk_filling_up_mid_write_leaves_nothing_behind(library, monkeypatch):
    before = _state(library)
    assert len(before[1]) == 2 and before[0].keys() == {REFERENCE.name, "水务局.txt"}
    real_fdopen = os.fdopen
    monkeypatch.setattr(lib.store.os, "fdopen", lambda fd, mode: _FillingStream(real_fdopen(fd, mode), room=100))
    result = save("教育局.txt", SAMPLE, directory=library)
    assert (result.ok, result.file_name, result.duplicate, result.id) == (False, None, False, None)
    assert result.message == f"文件「教育局.txt」未能保存到文档库（{library}）：磁盘空间已满"
    # No temporary ".saving-*" file, no partial document in files/, no row, the others untouched.
    assert _state(library) == before
    assert _entries(library / "files") == []


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.EDQUOT, "超出磁盘配额"), (errno.EROFS, "文档库所在的磁盘是只读的"), (errno.EPERM, "没有写入权限")],
)
def test_refused_rename_gives_the_reason_and_leaves_nothing(library, monkeypatch, code, reason):
    before = _state(library)

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(lib.store.os, "replace", refuse)
    result = save("教育局.txt", SAMPLE, directory=library)
    assert (result.ok, result.file_name, result.id) == (False, None, None)
    assert result.message == f"文件「教育局.txt」未能保存到文档库（{library}）：{reason}"
    assert _state(library) == before
    assert _entries(library / "files") == []


def test_library_folder_that_cannot_be_created_gives_the_reason(tmp_path, monkeypatch):
    missing = tmp_path / "readonly" / "data"

    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = save("教育局.txt", SAMPLE, directory=missing)
    assert not result.ok
    assert result.message == f"文件「教育局.txt」未能保存到文档库（{missing}）：文档库所在的磁盘是只读的"
    assert not missing.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through directory permissions")
def test_library_folder_without_write_permission_gives_the_reason(library):
    library.chmod(0o555)
    try:
        result = save("教育局.txt", SAMPLE, directory=library)
    finally:
        library.chmod(0o755)
    assert not result.ok and result.message.endswith("：没有写入权限")
    assert _entries(library) == sorted([REFERENCE.name, "水务局.txt"])


def test_interrupted_save_removes_its_temporary_file(library, monkeypatch):
    # Ctrl-C (or a killed worker thread) between write and rename: no hidden leftovers.
    def interrupted(descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr(lib.store.os, "fsync", interrupted)
    before = _state(library)
    with pytest.raises(KeyboardInterrupt):
        save("教育局.txt", SAMPLE, directory=library)
    assert _state(library) == before
    assert _entries(library / "files") == []


# ---------------------------------------------------------------- the library page on a full disk


def _upload_then_save(library: Path, monkeypatch) -> tuple[AppTest, tuple]:
    """Upload a document, press save on a full disk; the app, and the library's state before the press."""
    monkeypatch.setenv("BUDGET_DATA_DIR", str(library))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    uploader = at.get("file_uploader")[0]
    uploader.upload("教育局.txt", SAMPLE)
    uploader.run()
    at.switch_page("views/library.py").run()
    before = _state(library)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(lib.store.os, "replace", full_disk)
    at.button(key="library_save").click().run()
    return at, before


def test_library_page_says_the_disk_is_full_and_writes_nothing(library, monkeypatch):
    at, before = _upload_then_save(library, monkeypatch)
    assert not at.exception
    # The message is Markdown-escaped for display (a file name is not markup).
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("教育局.txt" in e and "磁盘空间已满" in e for e in errors), errors
    assert _state(library) == before
    assert _entries(library / "files") == []
    assert [row["name"] for row in before[1]] == [REFERENCE.name, "水务局.txt"]


def test_upload_that_could_not_be_saved_stays_pending_for_a_retry(library, monkeypatch):
    at, _ = _upload_then_save(library, monkeypatch)
    # Still pending on the library page, with its save button, and still in this session's figures.
    assert at.button(key="library_save") is not None
    assert any("东莞市教育局" in text.value for text in at.text)
    assert list_documents(library)["file"].to_list() == [REFERENCE.name, "水务局.txt"]
    at.switch_page("views/overview.py").run()
    assert _metric(at, "项目数") == str(15 + 3 + 2)
    # The retry, once the disk has room again, saves it.
    monkeypatch.undo()
    monkeypatch.setenv("BUDGET_DATA_DIR", str(library))
    monkeypatch.setenv("BUDGET_CACHE_DIR", str(library.parent / "cache"))
    at.switch_page("views/library.py").run()
    at.button(key="library_save").click().run()
    assert not at.exception
    listed = list_documents(library)
    assert listed["file"].to_list()[:2] == [REFERENCE.name, "水务局.txt"] and listed.height == 3
    assert listed["file"][2].startswith("教育局_") and (library / "files" / listed["file"][2]).read_bytes() == SAMPLE


# ---------------------------------------------------------------- the first sessions after a start

_IMPORT_RACE = (
    "scripts/serve.py / views/common.py: numpy and pandas are first imported lazily, inside one "
    "session's script thread (st.dataframe, the card's Styler), while plotly's validators in another "
    "session look them up with get_module(..., should_load=False), find the half-imported module in "
    "sys.modules and raise AttributeError: partially initialized module 'pandas' has no attribute "
    "'Series'. bench/load.py hit it with 2 concurrent sessions on a fresh server (预算分配 showed the "
    "redacted error page). Import numpy and pandas before serving (scripts/serve.py) or at the top of "
    "views/common.py, whose import every session waits for"
)


def test_numpy_and_pandas_are_imported_before_sessions_run_concurrently():
    import subprocess
    import sys

    # What a fresh server has imported once serve.py has run and the first script has imported
    # views.common (module imports are serialised; what happens after them is not).
    code = (
        "import runpy, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"runpy.run_path({str(ROOT / 'scripts' / 'serve.py')!r}, run_name='serve')\n"
        "from views import common\n"
        "ready = [hasattr(sys.modules.get(m), a) for m, a in (('numpy', 'ndarray'), ('pandas', 'Series'))]\n"
        "print(all(ready))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_cache_entry_from_older_parsing_code_is_not_served(tmp_path):
    import subprocess
    import sys

    # Two checkouts that differ only in the parser: the second stamps every goal text.
    old, new = tmp_path / "old", tmp_path / "new"
    for tree in (old, new):
        shutil.copytree(ROOT / "lib", tree / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    with (new / "lib" / "ingest" / "parser.py").open("a", encoding="utf-8") as parser:
        parser.write("\n_plain_text = plain_text\n\ndef plain_text(text):\n    return '新版:' + _plain_text(text)\n")
    code = (
        "import sys; from pathlib import Path\n"
        "from lib import cache\n"
        f"files = [({REFERENCE.name!r}, Path({str(REFERENCE)!r}).read_bytes())]\n"
        f"corpus = cache.load_cached(files, directory=Path({str(tmp_path / 'cache')!r}))\n"
        "print(corpus.projects['goal_period'][0][:3])\n"
    )
    outputs = []
    for tree in (old, new):
        result = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout.strip())
    assert outputs[0] != "新版:"
    assert outputs[1] == "新版:", "the new parser's frames, not the old code's cache entry"


def test_a_damaged_library_index_is_an_error_on_the_page_not_a_traceback(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copy(REFERENCE, directory / REFERENCE.name)
    (directory / "library.sqlite3").write_bytes(b"not a database" * 100)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(directory))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("文档库暂时无法打开：") for e in errors), errors
