"""Uploads and the document library through AppTest, on a library folder of the test's own."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from lib.testing.forms import write_workbook
from lib.library import audit_log, list_documents, trash
from lib.loader import load_documents
from lib.testing.synth import generate_document
from support import REFERENCE, ROOT

APP = str(ROOT / "app.py")


@pytest.fixture()
def library_dir(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copy(REFERENCE, directory / REFERENCE.name)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(directory))
    return directory


def _entries(directory) -> list[str]:
    """The library folder's entries, SQLite's own -wal/-shm files aside."""
    return sorted(p.name for p in directory.iterdir() if not p.name.startswith("library.sqlite3-"))


def _table(at: AppTest, kind: str):
    """The library page's table of current documents ("library") or of the trash ("trash"), as shown."""
    frames = [
        frame.value for frame in at.dataframe if "file" in frame.value.columns and "size_kb" in frame.value.columns
    ]
    found = [frame for frame in frames if ("purge_after" in frame.columns) == (kind == "trash")]
    assert len(found) == 1, [list(frame.columns) for frame in frames]
    return found[0]


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _uploaded(*files: tuple[str, bytes]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    uploader = at.get("file_uploader")[0]
    for name, data in files:
        uploader.upload(name, data)
    uploader.run()
    return at


def test_uploads_add_text_workbook_and_gb18030_documents_and_refuse_binary(library_dir):
    other = generate_document(4, seed=11, department="东莞市教育局", year=2026)
    workbook = write_workbook(generate_document(3, seed=12, department="东莞市卫生健康局", year=2026))
    gbk = generate_document(2, seed=13, department="东莞市交通运输局", year=2026).encode("gb18030")
    at = _uploaded(
        ("教育局.txt", other.encode()),
        ("卫健局.xlsx", workbook),
        ("交通局.txt", gbk),
        ("照片.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 20),
        ("坏的.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20),
    )
    assert not at.exception
    assert _metric(at, "项目数") == str(15 + 4 + 3 + 2)
    # Shown Markdown-escaped: the file name is text, not markup.
    errors = [e.value.replace("\\", "") for e in at.sidebar.error]
    assert len(errors) == 1 and "照片.txt" in errors[0] and "JPEG 图片" in errors[0]
    # A PDF passes the upload check by content; the loader then says, on the page, why it did not load.
    warnings = [w.value.replace("\\", "") for w in at.main.warning]
    assert len(warnings) == 1 and "坏的.pdf: " in warnings[0] and "PDF" in warnings[0]
    # Nothing was written to the library by uploading: the index holds the registered reference alone.
    assert _entries(library_dir) == sorted([REFERENCE.name, "files", "library.sqlite3"])
    assert _entries(library_dir / "files") == []
    assert list_documents(library_dir)["file"].to_list() == [REFERENCE.name]
    assert audit_log(library_dir)["action"].to_list() == ["register"]


def test_saving_uploads_puts_them_in_the_library_for_everyone(library_dir):
    other = generate_document(4, seed=11, department="东莞市教育局", year=2026).encode()
    at = _uploaded(("教育局.txt", other))
    at.switch_page("views/library.py").run()
    # The pending upload is previewed (department, year, projects) before anything is written.
    assert any("东莞市教育局" in t.value and "2026" in t.value and "教育局.txt" in t.value for t in at.text)
    assert _table(at, "library")["file"].tolist() == [REFERENCE.name]
    at.button(key="library_save").click().run()
    assert not at.exception
    saved = _entries(library_dir / "files")
    assert len(saved) == 1 and saved[0].startswith("教育局_")
    assert (library_dir / "files" / saved[0]).read_bytes() == other
    assert list_documents(library_dir)["file"].to_list() == [REFERENCE.name, saved[0]]
    assert _table(at, "library")["file"].tolist() == [REFERENCE.name, saved[0]]
    assert any(saved[0] in s.value.replace("\\", "") for s in at.success)
    # A new session (another user) sees it without uploading anything.
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.run()
    assert _metric(fresh, "项目数") == "19"


def test_library_lists_and_removes_a_document(library_dir):
    extra_text = generate_document(2, seed=3, department="东莞市水务局")
    (library_dir / "extra.txt").write_text(extra_text, encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert _metric(at, "项目数") == str(15 + 2)
    at.switch_page("views/library.py").run()
    listing = _table(at, "library")
    assert sorted(listing["file"]) == [REFERENCE.name, "extra.txt"]
    assert listing.loc[listing["file"] == REFERENCE.name, "project_count"].item() == 15
    extra = int(listing.loc[listing["file"] == "extra.txt", "id"].item())
    # Nothing is chosen until a person chooses, and without a choice the button is disabled.
    assert at.selectbox(key="library_remove_pick").value is None
    assert at.button(key="library_remove").disabled
    at.selectbox(key="library_remove_pick").set_value(extra).run()
    at.button(key="library_remove").click().run()
    assert not at.exception
    # Asked first: still listed until confirmed; cancelling keeps it.
    at.button(key="library_remove_cancel").click().run()
    assert sorted(list_documents(library_dir)["file"]) == [REFERENCE.name, "extra.txt"]
    at.selectbox(key="library_remove_pick").set_value(extra).run()
    at.button(key="library_remove").click().run()
    at.button(key="library_remove_confirm").click().run()
    assert not at.exception
    assert _table(at, "library")["file"].tolist() == [REFERENCE.name]
    assert list_documents(library_dir)["file"].to_list() == [REFERENCE.name]
    assert trash(library_dir)["id"].to_list() == [extra]
    assert _table(at, "trash")["file"].tolist() == ["extra.txt"]
    # Moved to the trash, not deleted: the bytes are still there, and the dashboard no longer counts it.
    assert (library_dir / "extra.txt").read_text(encoding="utf-8") == extra_text
    at.switch_page("views/overview.py").run()
    assert _metric(at, "项目数") == "15"
    at.switch_page("views/library.py").run()
    # Restored from the trash, it is listed again.
    at.selectbox(key="library_trash_pick").set_value(extra).run()
    at.button(key="library_restore").click().run()
    assert not at.exception
    assert sorted(list_documents(library_dir)["file"]) == [REFERENCE.name, "extra.txt"]
    assert trash(library_dir).is_empty()
    assert audit_log(library_dir)["action"].to_list() == ["register", "register", "remove", "restore"]
    at.switch_page("views/overview.py").run()
    assert _metric(at, "项目数") == str(15 + 2)


def test_compare_page_two_years_of_one_department(tmp_path, monkeypatch):
    from lib.testing.synth import generate_year_pair

    pair = generate_year_pair(12, seed=4, department="东莞市教育局")
    directory = tmp_path / "two-years"
    directory.mkdir()
    for name, data in pair.sources():
        (directory / name).write_bytes(data)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(directory))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/compare.py").run()
    at.segmented_control(key="compare_mode").set_value("years").run()
    assert not at.exception
    changes = at.dataframe[0].value
    statuses = changes["status"].value_counts().to_dict()
    assert statuses == {"延续": len(pair.continued), "新增": len(pair.new), "不再安排": len(pair.ended)}
    targets = at.dataframe[1].value
    assert "提高" in set(targets["direction"])
    assert len(targets) == len(pair.target_changes)


def test_an_uploaded_workbook_says_which_sheet_and_cell_each_value_came_from(library_dir):
    text = generate_document(2, seed=21, department="东莞市水务局", year=2026)
    lines = text.splitlines()
    # The second project's table on a sheet of its own.
    cut = [i for i, line in enumerate(lines) if line.lstrip("#").strip() == "项目绩效目标表"][1]
    workbook = write_workbook({"甲": "\n".join(lines[:cut]), "乙": "\n".join(lines[cut:])})
    at = _uploaded(("水务局.xlsx", workbook))
    assert not at.exception
    at.switch_page("views/data.py").run()
    projects = at.dataframe[0].value
    assert projects["place"].tolist()[-2:] == ["工作表「甲」", "工作表「乙」"]
    second = load_documents([("水务局.xlsx", workbook)]).projects.row(1, named=True)
    at.switch_page("views/card.py").run()
    at.selectbox(key="project").set_value(second["project_id"]).run()
    cells = at.dataframe[-1].value
    name = cells[(cells["item"] == "（项目）") & (cells["label"] == "项目名称")]
    assert name[["source", "line", "column"]].values.tolist() == [["水务局.xlsx#乙", second["line"] + 2, 2]]


def _second_version() -> bytes:
    """The reference with its first project's budget raised from 1,416,000 to 1,516,000 元: a new version."""
    text = REFERENCE.read_text(encoding="utf-8")
    assert text.count("1,416,000.00") == 1
    return text.replace("1,416,000.00", "1,516,000.00").encode("utf-8")


def _choose(at: AppTest, choice: str) -> AppTest:
    at.switch_page("views/library.py").run()
    assert not at.exception
    # Same department and year as the library's document: a choice, with what changed.
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert any("东莞市人民代表大会常务委员会办公室2026年" in w and REFERENCE.name in w for w in warnings), warnings
    assert any("延续项目 15 个，新增 0 个，不再出现 0 个" in c.value for c in at.caption)
    # The one project whose budget changed, in 万元.
    changes = next(f.value for f in at.dataframe if "earlier_wan" in f.value.columns)
    assert changes[["status", "name", "earlier_wan", "later_wan"]].values.tolist() == [
        ["延续", "市人大代表履职经费", 141.6, 151.6]
    ]
    at.radio(key="library_choice_0").set_value(choice).run()
    at.button(key="library_save").click().run()
    assert not at.exception
    return at


def test_a_second_version_replaces_the_first_which_stays_in_the_history_and_comes_back(library_dir):
    at = _choose(_uploaded(("人大_新版.txt", _second_version())), "replace")
    listed = _table(at, "library")
    assert len(listed) == 1 and listed["file"].iloc[0].startswith("人大_新版_")
    # Every session now counts the new version once: 1,088.25 + 10 万元.
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.run()
    assert (_metric(fresh, "项目数"), _metric(fresh, "预算总额（万元）")) == ("15", "1,098.25")
    history = at.dataframe[[i for i, f in enumerate(at.dataframe) if "state" in f.value.columns][0]].value
    assert history[["id", "state"]].values.tolist() == [[1, "旧版本"], [2, "当前"]]
    at.selectbox(key="library_version_pick").set_value(1).run()
    at.button(key="library_restore_version").click().run()
    assert not at.exception
    assert _table(at, "library")["file"].tolist() == [REFERENCE.name]
    fresh.run()
    assert _metric(fresh, "预算总额（万元）") == "1,088.25"
    actions = library_log(library_dir)
    assert actions == ["register", "replace", "restore"]


def test_keeping_both_versions_counts_the_latest_says_so_and_shows_both_when_asked(library_dir):
    at = _choose(_uploaded(("人大_新版.txt", _second_version())), "keep_both")
    listed = _table(at, "library")
    assert len(listed) == 2 and "另存" in listed["label"].iloc[1]
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.run()
    # Two versions of one department's year: the latest counts, and the page says so.
    assert (_metric(fresh, "项目数"), _metric(fresh, "预算总额（万元）")) == ("15", "1,098.25")
    notice = [i.value.replace("\\", "") for i in fresh.info]
    assert any("只计入最新的版本" in n and REFERENCE.name in n for n in notice), notice
    fresh.toggle(key="show_versions").set_value(True).run()
    assert (_metric(fresh, "项目数"), _metric(fresh, "预算总额（万元）")) == ("30", "2,186.50")


def test_upload_of_a_library_document_says_it_is_there_and_saves_nothing(library_dir):
    at = _uploaded(("again.txt", REFERENCE.read_bytes()))
    at.switch_page("views/library.py").run()
    infos = [i.value.replace("\\", "") for i in at.info]
    assert any("与文档库中的" in i and REFERENCE.name in i and "无需再次保存" in i for i in infos), infos
    at.button(key="library_save").click().run()
    assert _entries(library_dir / "files") == []
    assert library_log(library_dir) == ["register"]


def test_an_unsaved_upload_leaves_nothing_on_disk(library_dir, tmp_path, monkeypatch):
    from lib.cache import corpus_key

    cache = tmp_path / "cache"
    monkeypatch.setenv("BUDGET_CACHE_DIR", str(cache))
    other = generate_document(3, seed=31, department="东莞市水务局", year=2026).encode()
    at = _uploaded(("水务局.txt", other))
    assert _metric(at, "项目数") == "18"
    # The cache holds the library's corpus only; the library folder holds nothing of the upload.
    assert sorted(p.name for p in cache.iterdir()) == [corpus_key([(REFERENCE.name, REFERENCE.read_bytes())])]
    assert _entries(library_dir / "files") == []
    assert all(other not in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def library_log(directory) -> list[str]:
    from lib.library import audit_log

    return audit_log(directory)["action"].to_list()
