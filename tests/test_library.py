"""The shared document library: safe unique names, duplicates, atomic writes, listing, removal to the trash."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

import lib.library
import lib.store
from lib.testing.forms import write_workbook
from lib.library import (
    LIBRARY,
    SaveResult,
    audit_log,
    current_paths,
    list_documents,
    open_store,
    remove,
    restore,
    safe_stem,
    save,
    trash,
)
from lib.loader import default_paths, document_id, load_documents
from support import REFERENCE

TEXT = REFERENCE.read_text(encoding="utf-8")
SAMPLE = "项目名称\t示例\n2026年预算金额(元)\t1,000.00".encode()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of data/: the library as the app ships it (without the index a run of the app may have made in data/)."""
    directory = tmp_path / "data"
    shutil.copytree(REFERENCE.parent, directory, ignore=shutil.ignore_patterns("library.sqlite3*", "files"))
    return directory


def _entries(directory: Path) -> list[str]:
    """Every entry of the directory, hidden and temporary files included (SQLite's own -wal/-shm aside)."""
    return sorted(path.name for path in directory.iterdir() if not path.name.startswith("library.sqlite3-"))


def _saved(directory: Path) -> list[str]:
    """Every entry of the library's files/ folder, hidden and temporary files included."""
    return sorted(path.name for path in (directory / "files").iterdir())


def _index(directory: Path) -> tuple[list[dict], list[dict]]:
    """The library's index: every document row (any state) and every log row."""
    store = open_store(directory)
    return store.documents().to_dicts(), store.log().to_dicts()


# ---------------------------------------------------------------- save


def test_save_writes_under_a_safe_unique_name(tmp_path):
    result = save("预算 表.txt", SAMPLE, directory=tmp_path)
    name = f"预算_表_{document_id(SAMPLE)}.txt"
    assert result == SaveResult(True, name, False, f"文件「预算 表.txt」已保存到文档库，文件名「{name}」", 1)
    assert (tmp_path / "files" / name).read_bytes() == SAMPLE
    assert _entries(tmp_path) == ["files", "library.sqlite3"]
    assert _saved(tmp_path) == [name]
    documents, log = _index(tmp_path)
    assert [(d["id"], d["file"], d["name"], d["state"]) for d in documents] == [
        (1, f"files/{name}", "预算 表.txt", "current")
    ]
    assert [(entry["action"], entry["document"]) for entry in log] == [("add", 1)]
    assert current_paths(tmp_path) == [(tmp_path / "files" / name).resolve()]


@pytest.mark.parametrize(
    ("upload", "stem"),
    [
        ("../../etc/目标.txt", "目标"),
        ("..\\..\\windows\\目标.txt", "目标"),
        ("/abs/path/目标.md", "目标"),
        ("..", "文档"),
        (".hidden.txt", "hidden"),
        ("a\x00b\x1fc\u200b.txt", "abc"),
        ('x<>:"|?*#%.txt', "x"),
        ("东莞市" * 100 + ".txt", "东莞市" * 20),
        ("no-extension", "no-extension"),
    ],
)
def test_uploaded_names_become_safe_stems(upload, stem):
    assert safe_stem(upload) == stem


def test_path_in_the_upload_name_never_leaves_the_directory(tmp_path):
    directory = tmp_path / "data"
    result = save("../../outside.txt", SAMPLE, directory=directory)
    assert result.ok
    assert result.file_name == f"outside_{document_id(SAMPLE)}.txt"
    assert (directory / "files" / result.file_name).read_bytes() == SAMPLE
    assert [path.parent for path in current_paths(directory)] == [(directory / "files").resolve()]
    assert _entries(tmp_path) == ["data"]
    assert _entries(directory) == ["files", "library.sqlite3"]
    assert _saved(directory) == [result.file_name]


def test_extension_follows_the_content_not_the_name(tmp_path):
    workbook = write_workbook(TEXT)
    as_txt = save("目标.txt", workbook, directory=tmp_path)
    as_xlsx = save("说明.xlsx", SAMPLE, directory=tmp_path)
    assert as_txt.file_name == f"目标_{document_id(workbook)}.xlsx"
    assert as_xlsx.file_name == f"说明_{document_id(SAMPLE)}.txt"
    assert _saved(tmp_path) == sorted([as_txt.file_name, as_xlsx.file_name])
    assert load_documents(current_paths(tmp_path)).projects.height == 16


def test_identical_content_is_recognised_and_not_written_again(library):
    first = save("a.txt", SAMPLE, directory=library)
    again = save("b.txt", SAMPLE, directory=library)
    # The message names the document as it was uploaded; the result names its file and id.
    assert again == SaveResult(
        True, first.file_name, True, "文件「b.txt」与文档库中的「a.txt」内容相同，未重复保存", first.id
    )
    assert first.id == 2  # the shipped reference was registered first, as 1
    # The shipped reference is recognised too, whatever its file is called.
    reference = save("东莞人大.txt", REFERENCE.read_bytes(), directory=library)
    assert (reference.ok, reference.duplicate, reference.file_name, reference.id) == (True, True, REFERENCE.name, 1)
    assert reference.message == f"文件「东莞人大.txt」与文档库中的「{REFERENCE.name}」内容相同，未重复保存"
    assert _entries(library) == sorted([REFERENCE.name, "files", "library.sqlite3"])
    assert _saved(library) == [first.file_name]
    assert list_documents(library)["id"].to_list() == [1, 2]
    # Still recognised once in the trash: restoring it is the way back, not a second copy.
    assert remove(first.id, directory=library)
    trashed = save("c.txt", SAMPLE, directory=library)
    assert (trashed.duplicate, trashed.id) == (True, first.id)
    assert trashed.message == "文件「c.txt」与回收站中的「a.txt」内容相同，未重复保存"
    assert _saved(library) == [first.file_name]


def test_same_name_with_other_content_keeps_both(tmp_path):
    name = f"a_{document_id(SAMPLE)}.txt"
    # An administrator's copy with that name in the folder itself: registered in place, never overwritten.
    copied = tmp_path / name
    copied.write_bytes(b"edited by hand")
    # A file of that name already in files/ (one being written by another process): taken, so a number is added.
    (tmp_path / "files").mkdir()
    taken = tmp_path / "files" / name
    taken.write_bytes(b"being written elsewhere")
    result = save("a.txt", SAMPLE, directory=tmp_path)
    assert result.ok and not result.duplicate
    assert result.file_name == f"a_{document_id(SAMPLE)}-2.txt"
    assert (tmp_path / "files" / result.file_name).read_bytes() == SAMPLE
    assert copied.read_bytes() == b"edited by hand"
    assert taken.read_bytes() == b"being written elsewhere"
    listed = list_documents(tmp_path)
    assert listed.select("id", "file").rows() == [(1, name), (2, result.file_name)]
    assert [path.read_bytes() for path in current_paths(tmp_path)] == [b"edited by hand", SAMPLE]


def test_refused_upload_is_not_saved(tmp_path):
    result = save("报告.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), directory=tmp_path)
    reason = "不是绩效目标文档（检测到 PNG 图片）（表格的照片或扫描件需要先做文字识别（OCR）才能读取）"
    assert result == SaveResult(False, None, False, f"文件「报告.txt」{reason}，未载入")
    assert _entries(tmp_path) == []


def test_failed_rename_leaves_no_file_behind(tmp_path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(lib.store.os, "replace", full_disk)
    result = save("a.txt", SAMPLE, directory=tmp_path)
    assert (result.ok, result.file_name, result.duplicate, result.id) == (False, None, False, None)
    assert result.message == f"文件「a.txt」未能保存到文档库（{tmp_path}）：磁盘空间已满"
    assert _entries(tmp_path) == ["files", "library.sqlite3"]
    assert _saved(tmp_path) == []
    assert _index(tmp_path) == ([], [])


def test_failed_write_leaves_no_half_written_file(tmp_path, monkeypatch):
    def fail(descriptor):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(lib.store.os, "fsync", fail)
    result = save("a.txt", SAMPLE, directory=tmp_path)
    assert (result.ok, result.file_name, result.id) == (False, None, None)
    assert result.message == f"文件「a.txt」未能保存到文档库（{tmp_path}）：Input/output error"
    assert _saved(tmp_path) == []
    assert _index(tmp_path) == ([], [])


def test_permission_error_is_a_clear_message(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(lib.store.tempfile, "mkstemp", refuse)
    result = save("a.txt", SAMPLE, directory=tmp_path)
    assert (result.ok, result.file_name, result.id) == (False, None, None)
    assert result.message == f"文件「a.txt」未能保存到文档库（{tmp_path}）：没有写入权限"
    assert _saved(tmp_path) == []
    assert _index(tmp_path) == ([], [])


def test_saved_file_is_readable_by_others(tmp_path):
    result = save("a.txt", SAMPLE, directory=tmp_path)
    assert (tmp_path / "files" / result.file_name).stat().st_mode & 0o777 == 0o644


# ---------------------------------------------------------------- list


def test_reference_in_a_copy_of_data_is_listed_with_its_figures(library):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    listed = list_documents(library)
    after = dt.datetime.now(dt.UTC)
    assert listed.schema == pl.Schema(LIBRARY)
    row = listed.row(0, named=True)
    assert listed.height == 1
    assert row["file"] == REFERENCE.name
    assert (row["department"], row["year"]) == ("东莞市人民代表大会常务委员会办公室", 2026)
    assert (row["project_count"], row["budget_yuan"]) == (15, 10_882_500.0)
    assert row["diagnostics_count"] == load_documents([REFERENCE]).diagnostics.height
    assert row["size"] == REFERENCE.stat().st_size
    assert (row["id"], row["label"]) == (1, None)
    # Registered in place by this first open: added and last changed then, whatever the file's mtime.
    assert before <= row["added_at"] == row["modified"] <= after
    assert (library / REFERENCE.name).read_bytes() == REFERENCE.read_bytes()
    assert _saved(library) == []
    assert [(entry["action"], entry["document"], entry["name"]) for entry in audit_log(library).to_dicts()] == [
        ("register", 1, REFERENCE.name)
    ]


def test_listing_holds_workbooks_and_files_without_a_table(library):
    (library / "~$目标.xlsx").write_bytes(b"lock file of an open workbook")
    # The workbook holds the reference's department and year: saving it is a choice, here keeping both.
    refused = save("目标.xlsx", write_workbook(TEXT), directory=library)
    assert refused == SaveResult(
        False, None, False,
        f"文档库中已有东莞市人民代表大会常务委员会办公室2026年的「{REFERENCE.name}」（编号 1）：请选择替换为新版本或两者并存",
    )  # fmt: skip
    workbook = save("目标.xlsx", write_workbook(TEXT), directory=library, keep_both=True)
    broken = save("说明.txt", "这不是绩效目标表".encode(), directory=library)
    assert (workbook.ok, workbook.id, broken.ok, broken.id) == (True, 2, True, 3)
    (library / "files" / f"~${workbook.file_name}").write_bytes(b"lock file of an open workbook")
    listed = list_documents(library)
    assert listed.select("id", "file").rows() == [(1, REFERENCE.name), (2, workbook.file_name), (3, broken.file_name)]
    assert listed["label"][0] is None and listed["label"][2] is None
    assert listed["label"][1].startswith("目标.xlsx（") and listed["label"][1].endswith(" 另存）")
    rows = {row["file"]: row for row in listed.iter_rows(named=True)}
    assert (rows[workbook.file_name]["project_count"], rows[workbook.file_name]["budget_yuan"]) == (15, 10_882_500.0)
    assert (rows[broken.file_name]["project_count"], rows[broken.file_name]["budget_yuan"]) == (0, None)
    assert rows[broken.file_name]["diagnostics_count"] >= 1


def test_listing_a_missing_directory_is_empty(tmp_path):
    listed = list_documents(tmp_path / "nowhere")
    assert listed.is_empty() and listed.schema == pl.Schema(LIBRARY)


def test_default_paths_lists_every_published_form_but_not_lock_or_temporary_files(tmp_path):
    names = ("a.txt", "b.xlsx", "c.md", "~$b.xlsx", ".saving-x.tmp", ".hidden.txt", "d.pdf", "e.jpg", "f.docx", "g.htm")
    for name in (*names, "h.ods", "i.xls", "j.html", "k.zip"):
        (tmp_path / name).write_bytes(b"x")
    listed = [path.name for path in default_paths(tmp_path)]
    assert listed == ["a.txt", "b.xlsx", "c.md", "d.pdf", "f.docx", "g.htm", "h.ods", "i.xls", "j.html"]


# ---------------------------------------------------------------- remove


def test_remove_moves_a_document_to_the_trash_once(library):
    saved = save("a.txt", SAMPLE, directory=library)
    assert remove(saved.file_name, directory=library)
    assert list_documents(library)["file"].to_list() == [REFERENCE.name]
    assert trash(library).select("id", "file").rows() == [(saved.id, saved.file_name)]
    # Nothing is deleted: the bytes stay until the trash is emptied.
    assert (library / "files" / saved.file_name).read_bytes() == SAMPLE
    assert not remove(saved.file_name, directory=library)
    assert not remove(saved.id, directory=library)
    assert [(entry["action"], entry["document"]) for entry in audit_log(library).to_dicts()] == [
        ("register", 1), ("add", saved.id), ("remove", saved.id),
    ]  # fmt: skip
    # Restored, it is current again; removed by id it goes back to the trash.
    assert restore(saved.id, directory=library)["state"] == "current"
    assert list_documents(library)["file"].to_list() == [REFERENCE.name, saved.file_name]
    assert trash(library).is_empty()
    assert remove(saved.id, directory=library)
    assert trash(library)["id"].to_list() == [saved.id]
    # A document registered in place is moved to the trash in place too.
    assert remove(REFERENCE.name, directory=library)
    assert list_documents(library).is_empty()
    assert (library / REFERENCE.name).read_bytes() == REFERENCE.read_bytes()


@pytest.mark.parametrize(
    "name",
    [
        "../outside.txt",
        "..",
        ".",
        "",
        "sub/../../outside.txt",
        "..\\outside.txt",
        "/etc/passwd",
        "data/../outside.txt",
        "outside.txt\x00",
        ".saving-abc.tmp",
        "notes.py",
    ],
)
def test_remove_refuses_anything_but_a_document_inside_the_directory(library, name):
    outside = library.parent / "outside.txt"
    outside.write_bytes(b"keep me")
    (library / "notes.py").write_bytes(b"not a document")
    (library / ".saving-abc.tmp").write_bytes(b"being written")
    assert remove(name, directory=library) is False
    assert outside.read_bytes() == b"keep me"
    assert {"notes.py", ".saving-abc.tmp", REFERENCE.name} <= set(_entries(library))


def test_remove_refuses_a_link_pointing_outside(library):
    outside = library.parent / "outside.txt"
    outside.write_bytes(b"keep me")
    os.symlink(outside, library / "link.txt")
    assert remove("link.txt", directory=library) is False
    assert outside.read_bytes() == b"keep me"


def test_listing_from_the_loaded_corpus_equals_loading_each_file(tmp_path, monkeypatch):
    # The app lists the library from its cached corpus instead of loading every
    # file again; every figure must be what loading the file alone gives.
    from lib.testing.synth import generate_document

    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copy(REFERENCE, directory / REFERENCE.name)
    shutil.copy(REFERENCE, directory / "copy_of_reference.txt")  # loaded once together: a duplicate
    (directory / "卫生.xlsx").write_bytes(
        write_workbook(generate_document(3, seed=12, department="东莞市卫生健康局", year=2026))
    )
    (directory / "交通.txt").write_bytes(
        generate_document(2, seed=13, department="东莞市交通运输局", year=2026).encode("gb18030")
    )
    (directory / "notes.txt").write_text("会议纪要\n没有绩效目标表\n", encoding="utf-8")
    (directory / "empty.txt").write_bytes(b"")
    (directory / "scan.txt").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    corpus = load_documents(default_paths(directory))
    assert "duplicate_document" in corpus.diagnostics["code"].to_list()

    alone = list_documents(directory)
    with monkeypatch.context() as patch:
        patch.setattr(lib.library, "load_documents", lambda paths: pytest.fail(f"loaded again: {paths}"))
        together = list_documents(directory, corpus=corpus)
    assert together.equals(alone), pl.concat([alone, together]).sort("file")
    assert alone.height == 7
    copy = together.filter(pl.col("file") == "copy_of_reference.txt").row(0, named=True)
    assert (copy["project_count"], copy["budget_yuan"], copy["diagnostics_count"]) == (15, 10_882_500.0, 19)

    # A document saved after the corpus was loaded has the figures the index recorded for it.
    added = save(
        "新增.txt", generate_document(4, seed=14, department="东莞市教育局", year=2026).encode(), directory=directory
    )
    assert added.ok
    listed = list_documents(directory, corpus=corpus)
    assert listed.equals(list_documents(directory))
    assert listed.filter(pl.col("id") == added.id).select("file", "project_count").row(0) == (added.file_name, 4)
