"""Uploads and the document library through AppTest, on a library folder of the test's own."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from lib.ingest.xlsx import write_workbook
from lib.loader import load_documents
from lib.synth import generate_document
from support import REFERENCE, ROOT

APP = str(ROOT / "app.py")


@pytest.fixture()
def library_dir(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copy(REFERENCE, directory / REFERENCE.name)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(directory))
    return directory


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
    # Nothing was written to the library by uploading.
    assert [p.name for p in library_dir.iterdir()] == [REFERENCE.name]


def test_saving_uploads_puts_them_in_the_library_for_everyone(library_dir):
    other = generate_document(4, seed=11, department="东莞市教育局", year=2026).encode()
    at = _uploaded(("教育局.txt", other))
    at.switch_page("pages/library.py").run()
    assert len(at.dataframe[0].value) == 1  # the pending upload
    at.button(key="library_save").click().run()
    assert not at.exception
    saved = sorted(p.name for p in library_dir.iterdir())
    assert len(saved) == 2 and any(name.startswith("教育局_") for name in saved)
    # A new session (another user) sees it without uploading anything.
    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.run()
    assert _metric(fresh, "项目数") == "19"


def test_library_lists_and_removes_a_document(library_dir):
    (library_dir / "extra.txt").write_text(generate_document(2, seed=3, department="东莞市水务局"), encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/library.py").run()
    listing = at.dataframe[0].value
    assert sorted(listing["file"]) == [REFERENCE.name, "extra.txt"]
    assert listing.loc[listing["file"] == REFERENCE.name, "project_count"].item() == 15
    at.selectbox(key="library_remove_pick").set_value("extra.txt")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception
    assert [p.name for p in library_dir.iterdir()] == [REFERENCE.name]


def test_compare_page_two_years_of_one_department(tmp_path, monkeypatch):
    from lib.synth import generate_year_pair

    pair = generate_year_pair(12, seed=4, department="东莞市教育局")
    directory = tmp_path / "two-years"
    directory.mkdir()
    for name, data in pair.sources():
        (directory / name).write_bytes(data)
    monkeypatch.setenv("BUDGET_DATA_DIR", str(directory))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/compare.py").run()
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
    at.switch_page("pages/data.py").run()
    projects = at.dataframe[0].value
    assert projects["place"].tolist()[-2:] == ["工作表「甲」", "工作表「乙」"]
    second = load_documents([("水务局.xlsx", workbook)]).projects.row(1, named=True)
    at.switch_page("pages/card.py").run()
    at.selectbox(key="project").set_value(second["project_id"]).run()
    cells = at.dataframe[-1].value
    name = cells[(cells["item"] == "（项目）") & (cells["label"] == "项目名称")]
    assert name[["source", "line", "column"]].values.tolist() == [["水务局.xlsx#乙", second["line"] + 2, 2]]
