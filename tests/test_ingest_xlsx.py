"""Excel workbooks: the reference round trip, sheets, stacked tables, merges and display text."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import openpyxl
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from lib.ingest.xlsx import display_text, is_workbook, read_workbook_rows, workbook_extent
from lib.testing.forms import write_workbook
from lib.ingest.text import split_rows
from lib.loader import load_documents
from lib.model.corpus import Corpus
from support import REFERENCE, shown

TEXT = REFERENCE.read_text(encoding="utf-8")
#: Ids, and the sheet a record is on (a text file has no parts).
IDS = ["document_id", "project_id", "indicator_id", "place"]


def _load(name: str, data: bytes) -> Corpus:
    return load_documents([(name, data)])


def _without_ids(frame: pl.DataFrame, *, line: bool = True) -> pl.DataFrame:
    drop = [c for c in IDS if c in frame.columns] + ([] if line else ["line"])
    return frame.drop(drop)


def _messages(corpus: Corpus) -> pl.DataFrame:
    """Diagnostics without where they point: severity, code and the message after its "file:line: " prefix."""
    return corpus.diagnostics.select("severity", "code", pl.col("message").str.replace(r"^[^:]*:(\d+:)? ", ""))


@pytest.fixture(scope="module")
def reference() -> Corpus:
    return _load("reference.txt", REFERENCE.read_bytes())


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return write_workbook(TEXT)


# ---------------------------------------------------------------- round trip


def test_reference_round_trip_gives_the_same_frames(reference, workbook):
    corpus = _load("reference.xlsx", workbook)
    assert corpus.projects.height == 15
    assert corpus.indicators.height == 172
    # Text line n is Excel row n, so even the line columns agree.
    assert_frame_equal(_without_ids(corpus.projects), _without_ids(reference.projects))
    assert_frame_equal(_without_ids(corpus.indicators), _without_ids(reference.indicators))
    assert_frame_equal(
        corpus.documents.drop("document_id", "source", "form"),
        reference.documents.drop("document_id", "source", "form"),
    )
    assert (corpus.documents["form"].item(), reference.documents["form"].item()) == ("xlsx", "text")
    assert_frame_equal(_messages(corpus), _messages(reference))
    assert corpus.diagnostics["line"].to_list() == reference.diagnostics["line"].to_list()


def test_diagnostics_of_a_workbook_name_the_sheet(workbook):
    diagnostics = _load("reference.xlsx", workbook).diagnostics.filter(pl.col("line").is_not_null())
    assert diagnostics.height > 0
    assert diagnostics["source"].unique().to_list() == ["reference.xlsx#Sheet1"]
    assert all(text.startswith("reference.xlsx#Sheet1:") for text in shown(diagnostics))
    assert not any(message.startswith("reference.xlsx") for message in diagnostics["message"])


def test_two_sheets_are_one_document_with_rows_numbered_per_sheet(reference):
    lines = TEXT.splitlines()
    # Line 33 is the empty line after the first project: sheet 2 starts with the second table.
    cut = 33
    data = write_workbook({"封面": "\n".join(lines[:cut]), "其余项目": "\n".join(lines[cut:])})
    corpus = _load("two.xlsx", data)
    assert corpus.documents["department"].to_list() == reference.documents["department"].to_list()
    assert_frame_equal(_without_ids(corpus.projects, line=False), _without_ids(reference.projects, line=False))
    assert_frame_equal(_without_ids(corpus.indicators, line=False), _without_ids(reference.indicators, line=False))
    expected = [line if line <= cut else line - cut for line in reference.projects["line"]]
    assert corpus.projects["line"].to_list() == expected
    expected = [line if line <= cut else line - cut for line in reference.indicators["line"]]
    assert corpus.indicators["line"].to_list() == expected
    expected = ["工作表「封面」" if line <= cut else "工作表「其余项目」" for line in reference.indicators["line"]]
    assert corpus.indicators["place"].to_list() == expected
    second = corpus.diagnostics.filter(pl.col("source") == "two.xlsx#其余项目")
    assert second.height > 0
    assert all(row["line"] >= 1 for row in second.iter_rows(named=True))


def test_two_tables_stacked_on_a_sheet_written_by_hand_read_like_the_same_text():
    # Written with openpyxl directly, not with write_workbook: real numbers under
    # number formats, vertical and horizontal merges as a person makes them.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "绩效目标"
    rows = [
        ["2026年示例局部门预算绩效目标"],
        ["项目绩效目标表"],
        ["项目名称", "甲项目"],
        ["实施周期", "起始年度", 2025, "到期年度", 2026],
        ["2026年预算金额(元)", 1416000],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"],
        [None, "产出指标", "数量指标", "培训人次", 64, 64],
        [None, None, None, "完成率", 0.95, 0.95],
        [None, None, "质量指标", "合格率", "≥95%", "≥95%"],
        [None, "满意度指标", "服务对象满意度", "满意度", 0.9, 0.9],
        [],
        ["项目绩效目标表"],
        ["项目名称", "乙项目"],
        ["2026年预算金额(元)", 50000.5],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"],
        [None, "成本指标", "经济成本指标", "预算控制数", "≤5万元", "≤5万元"],
    ]
    for row in rows:
        sheet.append(row)
    for cell in ("B5", "B14"):
        sheet[cell].number_format = "#,##0.00"
    for cell in ("E8", "F8", "E10", "F10"):
        sheet[cell].number_format = "0%"
    for merged in ("A1:F1", "B3:F3", "B5:F5", "A6:A10", "B7:B9", "C7:C8", "B13:F13", "B14:F14"):
        sheet.merge_cells(merged)
    buffer = io.BytesIO()
    book.save(buffer)

    text = "\n".join(
        [
            "2026年示例局部门预算绩效目标",
            "项目绩效目标表",
            "项目名称\t甲项目",
            "实施周期\t起始年度\t2025\t到期年度\t2026",
            "2026年预算金额(元)\t1,416,000.00",
            "绩效指标\t一级指标\t二级指标\t三级指标\t实施周期指标值\t年度指标值",
            "\t产出指标\t数量指标\t培训人次\t64\t64",
            "\t\t\t完成率\t95%\t95%",
            "\t\t质量指标\t合格率\t≥95%\t≥95%",
            "\t满意度指标\t服务对象满意度\t满意度\t90%\t90%",
            "",
            "项目绩效目标表",
            "项目名称\t乙项目",
            "2026年预算金额(元)\t50,000.50",
            "绩效指标\t一级指标\t二级指标\t三级指标\t实施周期指标值\t年度指标值",
            "\t成本指标\t经济成本指标\t预算控制数\t≤5万元\t≤5万元",
        ]
    )
    corpus = _load("stacked.xlsx", buffer.getvalue())
    expected = _load("stacked.txt", text.encode())
    assert corpus.projects["name"].to_list() == ["甲项目", "乙项目"]
    assert corpus.projects["budget_yuan"].to_list() == [1_416_000.0, 50_000.5]
    assert corpus.indicators.filter(pl.col("name") == "完成率")["level2"].to_list() == ["数量指标"]
    assert_frame_equal(_without_ids(corpus.projects), _without_ids(expected.projects))
    assert_frame_equal(_without_ids(corpus.indicators), _without_ids(expected.indicators))
    assert_frame_equal(_messages(corpus), _messages(expected))


# ---------------------------------------------------------------- reading


def test_merged_cells_read_as_value_then_empty_cells():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"] = "项目名称", "示例"
    sheet["B2"] = "产出指标"
    sheet["C2"], sheet["C3"] = "数量指标", "质量指标"
    sheet["D3"] = "合格率"
    sheet.merge_cells("B1:E1")
    sheet.merge_cells("B2:B3")
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_workbook_rows(buffer.getvalue())[0].rows
    assert [(row.line, row.cells) for row in rows] == [
        (1, ("项目名称", "示例")),
        (2, ("", "产出指标", "数量指标")),
        (3, ("", "", "质量指标", "合格率")),
    ]


def test_write_workbook_merges_like_the_original_table(workbook):
    merged = {str(r) for r in openpyxl.load_workbook(io.BytesIO(workbook)).active.merged_cells.ranges}
    expected = {
        "B9:F9",  # 项目名称's value across the row
        "E14:F14",  # 到期年度 2099 over the trailing empty cell
        "A16:A19",  # 总体绩效目标 down the goal text
        "B17:F17",  # goal text across the row
        "A20:A31",  # 绩效指标 down the indicator table
        "B21:B26",  # 产出指标 down its rows
        "C21:C22",  # 数量指标
        "C23:C25",  # 质量指标
        "A32:C32",  # 发放标准, a cost row at column 0
        "E32:F32",
    }
    assert expected <= merged


def test_hidden_sheet_is_skipped_with_a_note(workbook):
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    lists = book.create_sheet("下拉选项")
    lists["A1"] = "其他运转类"
    lists.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    corpus = _load("hidden.xlsx", buffer.getvalue())
    assert corpus.projects.height == 15
    note = corpus.diagnostics.filter(pl.col("code") == "hidden_sheet")
    assert shown(note) == ["hidden.xlsx: 工作表「下拉选项」是隐藏的，未读取"]
    assert corpus.diagnostics.filter(pl.col("code") == "unrecognised_row").is_empty()


def test_nameless_project_on_second_sheet_is_named_by_its_sheet_row():
    data = write_workbook(
        {"甲": "项目名称\t甲项目\n2026年预算金额(元)\t1", "乙": "\n\n项目绩效目标表\n2026年预算金额(元)\t2"}
    )
    corpus = _load("x.xlsx", data)
    assert corpus.projects["name"].to_list() == ["甲项目", "未命名项目（工作表「乙」第3行）"]
    assert corpus.projects["line"].to_list() == [1, 3]
    no_name = corpus.diagnostics.filter(pl.col("code") == "no_name")
    assert shown(no_name) == ["x.xlsx#乙:3: 项目表没有项目名称，记为「未命名项目（工作表「乙」第3行）」"]


def test_workbook_renamed_txt_loads_as_a_workbook(workbook):
    assert _load("renamed.txt", workbook).projects.height == 15


def test_damaged_workbook_is_a_diagnostic_not_a_crash():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not a workbook")
    assert is_workbook(buffer.getvalue())
    corpus = _load("damaged.xlsx", buffer.getvalue())
    assert corpus.projects.is_empty()
    assert corpus.diagnostics["code"].to_list() == ["unreadable_workbook"]
    assert shown(corpus.diagnostics)[0].startswith("damaged.xlsx: 无法读取 Excel 工作簿（")


def test_text_that_looks_like_a_formula_or_error_stays_text():
    text = "项目名称\t=示例\n备注\t#N/A\t007\t1e5\t1.50\t-3"
    rows = read_workbook_rows(write_workbook(text))[0].rows
    assert [row.cells for row in rows] == [("项目名称", "=示例"), ("备注", "#N/A", "007", "1e5", "1.50", "-3")]


def test_stray_styled_cell_far_away_does_not_fill_the_rectangle():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "项目名称"
    sheet["XFD1048576"].number_format = "0.00"  # styled, empty: stored, no value
    buffer = io.BytesIO()
    book.save(buffer)
    start = time.perf_counter()
    rows = read_workbook_rows(buffer.getvalue())[0].rows
    assert time.perf_counter() - start < 5
    assert [row.cells for row in rows] == [("项目名称",)]
    assert workbook_extent(buffer.getvalue()) == (1_048_576, 16_384)


def test_workbook_extent_sums_rows_over_sheets():
    assert workbook_extent(write_workbook({"a": "x\ty\tz", "b": "\n\nw"})) == (4, 3)


# ---------------------------------------------------------------- display text


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (1416000, "#,##0.00", "1,416,000.00"),
        (1416000.0, "General", "1416000"),
        (64.0, "General", "64"),
        (0.1 + 0.2, "General", "0.3"),
        (0.95, "0%", "95%"),
        (0.955, "0.0%", "95.5%"),
        (1, "0%", "100%"),
        (2.675, "0.00", "2.68"),  # half away from zero, as Excel, not as binary floats round
        (-1234.5, "#,##0.00;(#,##0.00)", "(1,234.50)"),
        (-1234.5, "#,##0.00", "-1,234.50"),
        (0, '0.00;-0.00;"-"', "-"),
        (141.6, '0.0"万元"', "141.6万元"),
        (12.345, "[$¥-804]#,##0.00", "¥12.35"),
        (1234567, "#,##0,", "1,235"),
        (5, "000", "005"),
        (1.5, "0.##", "1.5"),
        (2021, "@", "2021"),
        (1e20, "General", "1E+20"),
        (True, "General", "TRUE"),
        (None, "General", ""),
        ("≥95%", "General", "≥95%"),
        (dt.datetime(2026, 6, 30), 'yyyy"年"m"月"d"日"', "2026年6月30日"),
        (dt.datetime(2026, 6, 30), "yyyy-mm-dd", "2026-06-30"),
        (dt.datetime(2026, 6, 30, 9, 5), "yyyy-mm-dd h:mm", "2026-06-30 09:05"),
    ],
)
def test_display_text_is_what_excel_shows(value, number_format, shown):
    assert display_text(value, number_format) == shown


def test_no_two_merged_ranges_overlap():
    # A category cell with empty cells both to its right and below once got a
    # vertical and a horizontal range from the same corner.
    text = (
        "一级指标\t二级指标(长期)\t三级指标(长期)\t指标值(长期)\t二级指标(年度)\t三级指标(年度)\t指标值(年度)\n"
        "满意度指标\t服务对象满意度\t公众满意度\t≥90%\t服务对象满意度\t公众满意度\t≥90%\n"
        "成本指标\t\t\t\t经济成本指标\t支出标准\t800元/次/人\n"
        "\t经济成本指标\t预算控制数\t≤10万元\t\t预算控制数\t≤10万元"
    )
    ranges = list(openpyxl.load_workbook(io.BytesIO(write_workbook(text))).active.merged_cells.ranges)
    cells = [cell for merged in ranges for cell in merged.cells]
    assert len(cells) == len(set(cells))
    assert [row.cells for row in read_workbook_rows(write_workbook(text))[0].rows] == [
        row.cells for row in split_rows(text)
    ]
