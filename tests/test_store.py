"""The library's store under stress: concurrent writers, killed processes, the command line and versions.

The writers and the killed processes are real processes (``python -c`` with
the repo on ``sys.path``) working on a temporary library folder; every check
afterwards opens a fresh :class:`lib.store.Store` on that folder, so nothing
cached in this process hides what is on disk.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

import lib.library
import lib.store
from lib.library import DOCUMENT_SUFFIXES, history, list_documents, remove, restore, save, summarise
from lib.loader import document_id
from lib.store import FILES_DIR, Store, StoreError
from lib.testing.synth import generate_document
from support import REFERENCE, ROOT

WRITERS = 20
#: Longest wait for a subprocess to reach the point where the test acts on it.
PATIENCE = 60.0


def _store(directory: Path) -> Store:
    """A fresh store on the folder, as another process would open it (no cache shared with lib.library)."""
    return Store(directory, summarise=summarise, digest=document_id, suffixes=DOCUMENT_SUFFIXES)


def _document(key: str, seed: int) -> bytes:
    """A one-project document of its own department (no version conflict with any other key)."""
    return generate_document(1, seed=seed, department=f"东莞市测试局{key}", year=2026).encode()


def _python(code: str, *args: object, **kwargs) -> subprocess.Popen:
    """``python -c code args`` from the repo root, with the repo on sys.path."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs,
    )  # fmt: skip


def _wait_for(condition, what: str, *processes: subprocess.Popen) -> None:
    """Poll until ``condition()``; fail at once if one of ``processes`` ends first."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        for process in processes:
            if process.poll() is not None:
                out, err = process.communicate()
                pytest.fail(f"a subprocess ended (status {process.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.02)


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=PATIENCE)
    assert process.returncode == -signal.SIGKILL


def _files(directory: Path) -> set[str]:
    """Every entry of files/, hidden and temporary files included, as the index names them."""
    return {f"{FILES_DIR}/{path.name}" for path in (directory / FILES_DIR).iterdir()}


# ---------------------------------------------------------------- concurrent writers

_WRITER = """
import json, sys, time
from pathlib import Path
from lib import library
from lib.testing.synth import generate_document

directory, index, go = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
documents = [
    (f"w{index:02d}{part}.txt", generate_document(1, seed=index * 2 + n, department=f"东莞市并发局{index:02d}{part}", year=2026).encode())
    for n, part in enumerate("ab")
]
(directory.parent / f"ready-{index}").touch()
while not go.exists():
    time.sleep(0.005)
saved = [library.save(name, data, directory=directory, client=f"writer {index}") for name, data in documents]
removed = library.remove(saved[0].id, directory=directory, client=f"writer {index}")
print(json.dumps({"saved": [[r.ok, r.duplicate, r.id, r.message] for r in saved], "removed": [saved[0].id, removed]}))
"""


def test_twenty_concurrent_writers_leave_index_files_and_log_in_agreement(tmp_path):
    directory = tmp_path / "library"
    go = tmp_path / "go"
    # The index exists before the writers race (creating it concurrently is the last test's bug).
    _store(directory)
    writers = [_python(_WRITER, directory, index, go) for index in range(WRITERS)]
    try:
        # All of them imported and made their documents: release them at once, so that their saves overlap.
        _wait_for(
            lambda: all((tmp_path / f"ready-{index}").exists() for index in range(WRITERS)),
            "every writer is ready",
            *writers,
        )
        go.touch()
        reports = []
        for writer in writers:
            out, err = writer.communicate(timeout=PATIENCE)
            assert writer.returncode == 0, err
            reports.append(json.loads(out))
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.communicate()

    for report in reports:
        assert [(ok, duplicate) for ok, duplicate, _, _ in report["saved"]] == [(True, False)] * 2, report
        assert report["removed"][1] is True
    saved_ids = sorted(saved[2] for report in reports for saved in report["saved"])
    removed_ids = sorted(report["removed"][0] for report in reports)
    assert saved_ids == list(range(1, 2 * WRITERS + 1))

    store = _store(directory)
    documents = store.documents()
    assert documents.height == 2 * WRITERS
    assert sorted(documents["id"].to_list()) == saved_ids
    assert Counter(documents["state"].to_list()) == {"current": WRITERS, "trashed": WRITERS}
    assert sorted(documents.filter(documents["state"] == "trashed")["id"].to_list()) == removed_ids
    assert documents["department"].n_unique() == 2 * WRITERS
    # Every row's bytes are on disk, and files/ holds nothing else (no orphan, no temporary file).
    for row in documents.iter_rows(named=True):
        assert document_id(store.path(row["file"]).read_bytes()) == row["digest"]
    assert _files(directory) == set(documents["file"].to_list())

    log = store.log()
    assert Counter(log["action"].to_list()) == {"add": 2 * WRITERS, "remove": WRITERS}
    assert set(log["document"].to_list()) <= set(documents["id"].to_list())
    assert sorted(log.filter(log["action"] == "add")["document"].to_list()) == saved_ids
    assert sorted(log.filter(log["action"] == "remove")["document"].to_list()) == removed_ids
    assert list_documents(directory).height == WRITERS


# ---------------------------------------------------------------- killed processes

_SLOW_SAVE = """
import sys, time
from pathlib import Path
from lib import library

directory, marker = Path(sys.argv[1]), Path(sys.argv[2])

def slow(path):
    marker.write_text(str(path))  # the bytes are in files/, the row not yet committed
    time.sleep(120)

library.summarise = slow  # what the store calls between writing the bytes and committing the row
library.save("killed.txt", Path(sys.argv[3]).read_bytes(), directory=directory)
"""


def test_save_killed_between_bytes_and_row_leaves_nothing_the_next_open_keeps(tmp_path, monkeypatch):
    directory = tmp_path / "library"
    kept = save("kept.txt", _document("甲", 1), directory=directory)
    data = _document("乙", 2)
    upload = tmp_path / "upload.txt"
    upload.write_bytes(data)
    marker = tmp_path / "saving"
    process = _python(_SLOW_SAVE, directory, marker, upload)
    try:
        _wait_for(marker.exists, "the save has written its bytes", process)
        orphan = f"{FILES_DIR}/killed_{document_id(data)}.txt"
        assert (directory / orphan).read_bytes() == data
    finally:
        _kill(process)

    # The row was never committed: not listed, not logged, and the bytes are not taken for a duplicate.
    store = _store(directory)
    assert store.documents()["id"].to_list() == [kept.id]
    assert store.log()[["action", "document"]].rows() == [("add", kept.id)]
    assert store.find(data) is None
    # A young orphan may be another process's save on its way: kept until it is old ...
    assert _files(directory) == {orphan, *store.documents()["file"].to_list()}
    # ... and deleted by the next open once it is.
    monkeypatch.setattr(lib.store, "_ORPHAN_SECONDS", 0)
    store = _store(directory)
    assert _files(directory) == set(store.documents()["file"].to_list()) == {f"{FILES_DIR}/{kept.file_name}"}
    # The same upload saves normally afterwards, under its own name.
    again = save("killed.txt", data, directory=directory)
    assert (again.ok, again.duplicate, again.file_name) == (True, False, Path(orphan).name)
    assert _store(directory).log()["action"].to_list() == ["add", "add"]


_SLOW_REMOVE = """
import sys, time
from pathlib import Path
from lib import library, store

directory, marker, document = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
log = store.Store._log

def slow(db, action, row, **kwargs):
    log(db, action, row, **kwargs)  # the state change and its log row are written, not committed
    if action == "remove":
        marker.touch()
        time.sleep(120)

store.Store._log = staticmethod(slow)
print(library.remove(document, directory=directory))
"""


def test_remove_killed_inside_its_transaction_changes_nothing(tmp_path):
    directory = tmp_path / "library"
    saved = save("a.txt", _document("甲", 1), directory=directory)
    reader = _store(directory)  # opened before: opening writes (it reconciles), reading does not
    marker = tmp_path / "removing"
    process = _python(_SLOW_REMOVE, directory, marker, saved.id)
    try:
        _wait_for(marker.exists, "the remove is inside its transaction", process)
        # Readers meanwhile see the last committed state.
        assert reader.documents("current")["id"].to_list() == [saved.id]
        assert reader.log()["action"].to_list() == ["add"]
    finally:
        _kill(process)

    store = _store(directory)
    row = store.documents().row(0, named=True)
    assert (store.documents().height, row["id"], row["state"]) == (1, saved.id, "current")
    assert store.log()["action"].to_list() == ["add"]
    assert _files(directory) == {row["file"]}
    # The killed writer's lock is gone: the next remove goes through at once and is logged.
    started = time.monotonic()
    store.remove(saved.id, client="test")
    assert time.monotonic() - started < 5
    assert _store(directory).documents()["state"].to_list() == ["trashed"]
    assert _store(directory).log()[["action", "document", "client"]].rows() == [
        ("add", saved.id, None),
        ("remove", saved.id, "test"),
    ]


# ---------------------------------------------------------------- command line


def _cli(directory: Path, *args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lib.library", "--dir", str(directory), *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=PATIENCE, check=False,
    )  # fmt: skip


def test_command_line_adds_lists_removes_restores_and_logs(tmp_path):
    directory = tmp_path / "library"
    name = f"{REFERENCE.stem}_{document_id(REFERENCE.read_bytes())}.txt"

    added = _cli(directory, "add", REFERENCE)
    assert (added.returncode, added.stderr) == (0, "")
    assert f"文件名「{name}」" in added.stdout
    [row] = _store(directory).documents().rows(named=True)
    document = row["id"]

    listed = _cli(directory, "list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["id", "file", "department", "year", "project_count", "budget_yuan", "label", "modified"]
    assert lines[1].split()[:6] == [
        str(document),
        name,
        "东莞市人民代表大会常务委员会办公室",
        "2026",
        "15",
        "10,882,500.00",
    ]
    assert len(lines) == 2

    removed = _cli(directory, "remove", document)
    assert (removed.returncode, removed.stderr) == (0, "")
    assert f"编号 {document} 已移到回收站" in removed.stdout
    assert _cli(directory, "list").stdout.splitlines()[1:] == []
    assert _cli(directory, "list", "--trash").stdout.splitlines()[1].split()[:2] == [str(document), name]

    missing = _cli(directory, "remove", 999)
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr.strip() == "文档库中没有编号为 999 的当前文档"
    again = _cli(directory, "remove", document)  # already in the trash
    assert again.returncode == 1 and f"编号为 {document}" in again.stderr

    restored = _cli(directory, "restore", document)
    assert (restored.returncode, restored.stderr) == (0, "")
    assert restored.stdout.strip() == f"「{REFERENCE.name}」已恢复"
    assert _cli(directory, "list").stdout.splitlines()[1].split()[:2] == [str(document), name]
    not_there = _cli(directory, "restore", 999)
    assert (not_there.returncode, not_there.stderr.strip()) == (1, "文档库中没有编号为 999 的文档")

    shown = _cli(directory, "history", document)
    assert shown.returncode == 0
    versions = shown.stdout.splitlines()
    assert versions[0].split()[:3] == ["id", "name", "state"]
    assert [line.split()[:3] for line in versions[1:]] == [[str(document), REFERENCE.name, "current"]]

    log = _cli(directory, "log", "--csv")
    assert log.returncode == 0
    rows = log.stdout.splitlines()
    assert rows[0] == "id,at,action,document,digest,name,client,detail"
    assert [row.split(",")[2:4] + row.split(",")[5:7] for row in rows[1:]] == [
        [action, str(document), REFERENCE.name, "命令行"] for action in ("add", "remove", "restore")
    ]

    junk = tmp_path / "x.txt"
    junk.write_bytes(bytes(range(256)) * 16)
    refused = _cli(directory, "add", junk)
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.strip() == "文件「x.txt」不是文本文档（含二进制内容），未载入"
    unreadable = _cli(directory, "add", tmp_path / "nowhere.txt")
    assert unreadable.returncode == 1 and "无法读取" in unreadable.stderr
    assert _store(directory).documents().height == 1
    assert _files(directory) == {f"{FILES_DIR}/{name}"}
    assert len(_cli(directory, "log", "--csv").stdout.splitlines()) == 4


# ---------------------------------------------------------------- versions

OLD_LINE = "2026年预算金额(元)\t50,000.00"


def _edited(amount: str) -> bytes:
    """The reference with one project's budget changed: the same department and year."""
    text = REFERENCE.read_text(encoding="utf-8")
    assert text.count(OLD_LINE) == 1
    return text.replace(OLD_LINE, f"2026年预算金额(元)\t{amount}").encode()


def test_versions_replace_restore_keep_both_and_duplicates(tmp_path):
    directory = tmp_path / "library"
    reference = REFERENCE.read_bytes()
    first = save("人大.txt", reference, directory=directory)
    assert (first.ok, first.duplicate) == (True, False)
    store = _store(directory)

    # Same department and year: the caller has to choose; nothing is written meanwhile.
    second = _edited("60,000.00")
    refused = save("人大-修订.txt", second, directory=directory)
    assert (refused.ok, refused.id, refused.file_name) == (False, None, None)
    assert "「人大.txt」" in refused.message and f"编号 {first.id}" in refused.message
    assert store.documents().height == 1 and len(_files(directory)) == 1

    # Replace: the new version is current, the old one is kept as replaced, in one lineage.
    replaced = save("人大-修订.txt", second, directory=directory, replace=first.id)
    assert (replaced.ok, replaced.duplicate) == (True, False) and replaced.id != first.id
    states = dict(store.documents()[["id", "state"]].rows())
    assert states == {first.id: "replaced", replaced.id: "current"}
    assert list_documents(directory)["budget_yuan"].to_list() == [10_882_500.0 + 10_000]
    assert history(replaced.id, directory=directory)[["id", "state"]].rows() == [
        (first.id, "replaced"),
        (replaced.id, "current"),
    ]
    assert history(first.id, directory=directory)["id"].to_list() == [first.id, replaced.id]
    entry = store.log().row(-1, named=True)
    assert (entry["action"], entry["document"]) == ("replace", replaced.id)
    assert f"#{first.id}" in entry["detail"]

    # A version that is no longer current cannot be replaced, and the refused bytes leave no file.
    stale = save("人大-旧.txt", _edited("70,000.00"), directory=directory, replace=first.id)
    assert (stale.ok, stale.id) == (False, None)
    assert store.documents().height == 2 and len(_files(directory)) == 2

    # Restoring the old version puts it back in place of the new one.
    back = restore(first.id, directory=directory)
    assert (back["id"], back["state"]) == (first.id, "current")
    assert dict(store.documents()[["id", "state"]].rows()) == {first.id: "current", replaced.id: "replaced"}
    assert list_documents(directory)["budget_yuan"].to_list() == [10_882_500.0]
    assert store.log()["action"].to_list() == ["add", "replace", "restore"]
    with pytest.raises(StoreError):
        restore(first.id, directory=directory)  # already current

    # Keep both: a separate, labelled current document in a lineage of its own.
    both = save("人大-并存.txt", _edited("80,000.00"), directory=directory, keep_both=True)
    assert (both.ok, both.duplicate) == (True, False)
    row = store.documents().filter(store.documents()["id"] == both.id).row(0, named=True)
    assert (row["state"], row["lineage"]) == ("current", both.id)
    assert row["label"] is not None and row["label"].startswith("人大-并存.txt（")
    assert store.documents("current")["id"].to_list() == [first.id, both.id]
    assert history(both.id, directory=directory)["id"].to_list() == [both.id]
    assert store.log()["action"].to_list() == ["add", "replace", "restore", "keep_both"]

    # The same bytes again, under any name and in any state, are recognised and not saved again.
    for name, data, existing in (("副本.txt", reference, first.id), ("旧.txt", second, replaced.id)):
        again = save(name, data, directory=directory)
        assert (again.ok, again.duplicate, again.id) == (True, True, existing)
    assert store.documents().height == 3
    assert len(_files(directory)) == 3
    assert store.log().height == 4


# ---------------------------------------------------------------- races and states found broken


def test_a_purged_document_can_be_saved_again(tmp_path):
    directory = tmp_path / "library"
    data = _document("甲", 1)
    first = save("a.txt", data, directory=directory)
    assert remove(first.id, directory=directory)
    lib.library.purge(first.id, directory=directory)
    again = save("a.txt", data, directory=directory)
    assert (again.ok, again.duplicate) == (True, False), again.message


def test_two_saves_of_the_same_bytes_at_once_keep_one_document_with_its_file(tmp_path, monkeypatch):
    directory = tmp_path / "library"
    data = _document("甲", 1)
    store = lib.library.open_store(directory)
    write = lib.store._write_atomically
    chosen = threading.Event()
    first_done = threading.Event()

    def late(target, content):
        # The first save has chosen its name and waits while a second save of the same bytes runs to the end.
        if threading.current_thread().name == "late":
            chosen.set()
            first_done.wait(PATIENCE)
        write(target, content)

    monkeypatch.setattr(lib.store, "_write_atomically", late)
    results = {}
    late_save = threading.Thread(
        name="late", target=lambda: results.setdefault("late", save("a.txt", data, directory=directory))
    )
    late_save.start()
    assert chosen.wait(PATIENCE)
    results["early"] = save("a.txt", data, directory=directory)
    first_done.set()
    late_save.join(PATIENCE)
    early, late = results["early"], results["late"]
    assert (early.ok, early.duplicate) == (True, False)
    # The late save finds the early one's row in its own transaction: one document, its bytes on disk, no stray file.
    assert (late.ok, late.duplicate, late.id, late.file_name) == (True, True, early.id, early.file_name)
    [row] = store.documents().rows(named=True)
    assert store.path(row["file"]).read_bytes() == data
    assert _files(directory) == {row["file"]}
    assert store.log()["action"].to_list() == ["add"]


_SAME_BYTES = """
import json, sys, time
from pathlib import Path
from lib import library

directory, index, go, upload = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
data = upload.read_bytes()
(directory.parent / f"ready-{index}").touch()
while not go.exists():
    time.sleep(0.005)
result = library.save("same.txt", data, directory=directory)
print(json.dumps([result.ok, result.duplicate, result.id, result.message]))
"""


def test_processes_saving_the_same_bytes_at_once_make_one_document(tmp_path):
    directory = tmp_path / "library"
    upload, go = tmp_path / "upload.txt", tmp_path / "go"
    # No department or year: the version check (outside the store's transaction, see below) stays out of it.
    upload.write_bytes("项目名称\t并发保存\n2026年预算金额(元)\t1,000.00\n".encode())
    _store(directory)  # created first: creating it concurrently is the last test's bug
    savers = [_python(_SAME_BYTES, directory, index, go, upload) for index in range(8)]
    try:
        _wait_for(
            lambda: all((tmp_path / f"ready-{index}").exists() for index in range(8)), "every saver is ready", *savers
        )
        go.touch()
        results = []
        for saver in savers:
            out, err = saver.communicate(timeout=PATIENCE)
            assert saver.returncode == 0, err
            results.append(json.loads(out))
    finally:
        for saver in savers:
            if saver.poll() is None:
                saver.kill()
                saver.communicate()
    store = _store(directory)
    [row] = store.documents().rows(named=True)
    assert sorted(result[:3] for result in results) == [[True, False, row["id"]]] + [[True, True, row["id"]]] * 7, (
        results
    )
    assert store.path(row["file"]).read_bytes() == upload.read_bytes()
    assert _files(directory) == {row["file"]}
    assert store.log()[["action", "document"]].rows() == [("add", row["id"])]


def test_two_versions_saved_at_once_do_not_both_become_current_unlabelled(tmp_path):
    directory = tmp_path / "library"
    store = lib.library.open_store(directory)
    summarise_in_store = store.summarise
    checked, first_done = threading.Event(), threading.Event()

    def late(path):
        # The late save has passed the version check; another version of the same department and year is saved meanwhile.
        if threading.current_thread().name == "late":
            checked.set()
            first_done.wait(PATIENCE)
        return summarise_in_store(path)

    store.summarise = late
    results = {}
    late_save = threading.Thread(
        name="late",
        target=lambda: results.setdefault("late", save("v1.txt", _edited("60,000.00"), directory=directory)),
    )
    late_save.start()
    assert checked.wait(PATIENCE)
    results["early"] = save("v2.txt", _edited("70,000.00"), directory=directory)
    first_done.set()
    late_save.join(PATIENCE)
    assert results["early"].ok
    # Either the late save is refused (the caller must choose), or it is told apart by a label.
    current = store.documents("current")
    assert current.height == 1 or current["label"].null_count() <= 1, (results, current.rows())


def test_restoring_a_trashed_version_keeps_one_current_per_lineage(tmp_path):
    directory = tmp_path / "library"
    first = save("v1.txt", _edited("60,000.00"), directory=directory)
    second = save("v2.txt", _edited("70,000.00"), directory=directory, replace=first.id)
    assert remove(second.id, directory=directory)
    restore(first.id, directory=directory)  # the earlier version back: the lineage has one current document again
    try:
        restore(
            second.id, directory=directory
        )  # the later one from the trash: it replaces the earlier one, or is refused
    except StoreError:
        pass
    states = dict(_store(directory).documents()[["id", "state"]].rows())
    assert sorted(states.values()) == ["current", "replaced"], states


def test_opening_a_new_library_while_another_process_creates_it_waits(tmp_path):
    # Twenty processes opening a new folder at once fail now and then with "database is locked":
    # the one converting the new index to WAL holds it, and the others' journal_mode pragma does not wait.
    # Here another connection holds the new index for a second, deterministically.
    directory = tmp_path / "library"
    directory.mkdir()
    creator = sqlite3.connect(directory / lib.store.INDEX_NAME, isolation_level=None, check_same_thread=False)
    creator.execute("BEGIN IMMEDIATE")
    creator.execute("CREATE TABLE creating (x)")
    release = threading.Timer(1.0, lambda: creator.execute("COMMIT"))
    release.start()
    try:
        store = _store(directory)
    finally:
        release.join()
        creator.close()
    assert store.documents().height == 0
