"""Forms by content, what each unsupported form is told, and the progress of a long load."""

from __future__ import annotations

from lib.cli import loader_main

import io

import pytest

from lib.testing.forms import to_html
from lib.testing.forms import write_workbook
from lib.ingest.forms import detect, read_grid
from lib.ingest.grid import Unreadable
from lib.loader import Progress, load_documents
from support import REFERENCE

TEXT = REFERENCE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "form"),
    [
        (TEXT.encode("utf-8"), "text"),
        (TEXT.encode("gb18030"), "text"),
        (to_html(TEXT).encode(), "html"),
        (write_workbook(TEXT), "xlsx"),
        (b"%PDF-1.7\n...", "pdf"),
    ],
    ids=["utf8", "gb18030", "html", "xlsx", "pdf"],
)
def test_form_comes_from_the_content(data, form):
    assert detect(data) == form


def test_text_grid_keeps_every_line_number_as_its_place():
    grid = read_grid(TEXT.encode("gb18030"))
    assert grid.form == "text" and grid.places is None
    assert [note.code for note in grid.notes] == ["encoding"]
    assert grid.place(42).row == 42 and grid.place(42).label == ""


def test_workbook_rows_keep_their_sheet_and_excel_row():
    grid = read_grid(write_workbook({"甲": "\n\n项目名称\t甲项目", "乙": "项目名称\t乙项目"}))
    assert [(place.part, place.row) for place in grid.places] == [("甲", 3), ("乙", 1)]
    assert [row.line for row in grid.rows] == [1, 2]


def test_progress_reports_each_file_and_the_time_left():
    seen: list[Progress] = []
    files = [REFERENCE, ("b.txt", TEXT.replace("东莞", "惠州").encode()), ("empty.txt", b"")]
    load_documents(files, progress=seen.append)
    assert [(p.done, p.total) for p in seen] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert [p.current for p in seen] == ["", REFERENCE.name, "b.txt", "empty.txt"]
    assert seen[0].remaining is None and seen[1].remaining is not None
    assert seen[-1].describe() == "已读取 3 / 3 个文件"
    assert Progress(done=1, total=4, elapsed=40.0, current="x").describe() == "已读取 1 / 4 个文件，约剩 2 分钟"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_command_line_shows_progress_only_on_a_terminal(monkeypatch, capsys):
    assert loader_main([str(REFERENCE)]) == 0
    assert "已读取" not in capsys.readouterr().err
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert loader_main([str(REFERENCE)]) == 0
    assert "已读取 0 / 1 个文件" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\033[K")  # the line is cleared when the load is done


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "not_a_document"),
        (b"PK\x03\x04 truncated", "damaged_zip"),
        (b"   \n", "empty_file"),
    ],
    ids=["png", "broken-zip", "blank"],
)
def test_unsupported_forms_are_refused_with_a_code(data, code):
    with pytest.raises(Unreadable) as raised:
        read_grid(data)
    assert raised.value.code == code


def test_documents_frame_says_which_form_each_file_was_read_as(tmp_path):
    from lib.library import list_documents

    files = {
        "a.txt": TEXT.encode("gb18030"),
        "b.html": to_html(TEXT.replace("东莞", "惠州")).encode(),
        "c.xlsx": write_workbook(TEXT.replace("东莞", "中山")),
        "d.pdf": b"%PDF-1.7 damaged",
        "e.txt": b"\x89PNG\r\n\x1a\n" + bytes(64),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    corpus = load_documents(sorted(tmp_path.iterdir()))
    assert corpus.documents.select("source", "form").rows() == [
        ("a.txt", "text"),
        ("b.html", "html"),
        ("c.xlsx", "xlsx"),
        ("d.pdf", "pdf"),
        ("e.txt", None),
    ]
    listing = list_documents(tmp_path, corpus=corpus)
    assert listing.select("file", "form", "project_count").rows() == [
        ("a.txt", "text", 15),
        ("b.html", "html", 15),
        ("c.xlsx", "xlsx", 15),
        ("d.pdf", "pdf", 0),
        ("e.txt", None, 0),
    ]


@pytest.mark.parametrize("form", ["html", "docx", "xlsx"])
def test_a_published_form_names_the_same_cells_as_the_text(form):
    from lib.testing.forms import to_docx

    from lib.loader import load_cells

    data = {
        "html": lambda: to_html(TEXT).encode(),
        "docx": lambda: to_docx(TEXT),
        "xlsx": lambda: write_workbook(TEXT),
    }[form]()
    text_cells, form_cells = load_cells([REFERENCE]), load_cells([(f"reference.{form}", data)])
    # Records pair up by their number in the document; each field comes from the same column.
    keyed = [
        sorted(zip(cells["id"].str.slice(17), cells["field"], cells["column"], strict=True))
        for cells in (text_cells, form_cells)
    ]
    assert keyed[0] == keyed[1] and len(keyed[0]) == 1007
    if form == "xlsx":  # text line n is Excel row n
        assert form_cells["line"].to_list() == text_cells["line"].to_list()
        assert set(form_cells["source"]) == {"reference.xlsx#Sheet1"}
    else:  # rows of tables, named by table
        assert all(source.startswith(f"reference.{form}#表") for source in form_cells["source"])
