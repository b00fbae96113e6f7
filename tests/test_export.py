"""Tests for lib.export: each file is opened again and read the way its user would read it.

Workbooks are read back with openpyxl, CSV with polars, PNGs through their
header and pixels. Only two tests render charts (kaleido starts a headless
Chromium, a few seconds each).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import plotly.graph_objects as go
import polars as pl
import pytest
from PIL import Image
from polars.testing import assert_frame_equal
from support import REFERENCE

from lib import charts, export
from lib.filters import Filters, apply_filters
from lib.loader import load_documents

TODAY = date(2026, 11, 28)
DEPARTMENT = "东莞市人民代表大会常务委员会办公室"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def corpus():
    return load_documents([REFERENCE])


@pytest.fixture(scope="module")
def book(corpus):
    return openpyxl.load_workbook(io.BytesIO(export.workbook_bytes(corpus, today=TODAY)))


def _about(book) -> dict:
    """The 说明 sheet as label -> cell."""
    return {row[0].value: row[1] for row in book["说明"].iter_rows(min_col=1, max_col=2) if row[0].value}


def _column(sheet, header: str) -> list:
    headers = [cell.value for cell in sheet[1]]
    col = headers.index(header) + 1
    return [sheet.cell(row=r, column=col) for r in range(2, sheet.max_row + 1)]


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    # The IHDR chunk comes first: width and height, big-endian, at bytes 16-24.
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _findings(corpus) -> pl.DataFrame:
    """Findings shaped like lib.review's, built here so these tests do not depend on its rules."""
    projects = corpus.projects.filter(pl.col("name") == "人代会")
    indicator = corpus.indicators.filter(
        (pl.col("project_id") == projects["project_id"][0]) & (pl.col("name") == "预算控制数")
    )
    severity = pl.Enum(["高", "中", "低"])
    return pl.DataFrame(
        {
            "finding_id": ["R08:1", "R13:1"],
            "rule_id": ["R08", "R13"],
            "severity": pl.Series(["中", "低"], dtype=severity),
            "project_id": [projects["project_id"][0], projects["project_id"][0]],
            "indicator_id": [indicator["indicator_id"][0], None],
            "message": ['=HYPERLINK("http://x")', "套话"],
            "expected": [1_976_800.0, None],
            "actual": [1_976_800.0, 4.0],
            "ratio": [1.0, None],
            "detail": ["预算控制数", None],
        }
    )


# ---------------------------------------------------------------- workbook


def test_workbook_has_an_about_sheet_then_one_sheet_per_frame(book):
    assert book.sheetnames == ["说明", "项目", "绩效指标", "解析诊断", "文档"]


def test_workbook_headers_are_chinese_frozen_and_filterable(book):
    projects = book["项目"]
    headers = [cell.value for cell in projects[1]]
    assert headers[:3] == ["项目名称", "项目类型", "项目等级"]
    assert {"预算（万元）", "预算（元）", "占比", "实施周期总目标", "年度目标", "文件"} <= set(headers)
    indicators = [cell.value for cell in book["绩效指标"][1]]
    assert indicators[:6] == ["项目名称", "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"]
    for name in book.sheetnames[1:]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref.startswith("A1:"), name


def test_workbook_about_sheet_names_the_export_and_its_totals(book):
    about = _about(book)
    assert about["部门"].value == DEPARTMENT
    assert about["年度"].value == "2026"
    assert about["筛选条件"].value == "未筛选"
    assert about["生成日期"].value == "2026-11-28"
    assert about["项目数"].value == 15
    assert about["绩效指标数"].value == 172
    assert about["预算总额（元）"].value == 10_882_500
    assert about["预算总额（元）"].number_format == "#,##0.00"
    assert about["预算总额（万元）"].value == pytest.approx(1_088.25)
    assert about["预算总额（万元）"].number_format == "#,##0.00"


def test_workbook_about_sheet_lists_every_sheet_with_its_rows(book, corpus):
    cells = [(row[0].value, row[1].value) for row in book["说明"].iter_rows(min_col=1, max_col=2)]
    start = [label for label, _ in cells].index("工作表")
    listed = [value for _, value in cells]
    rows = {"项目": 15, "绩效指标": 172, "解析诊断": corpus.diagnostics.height, "文档": corpus.documents.height}
    assert listed[start : start + 4] == [f"{sheet}：{n} 行" for sheet, n in rows.items()]
    assert [book[sheet].max_row - 1 for sheet in rows] == list(rows.values())


def test_workbook_money_is_numbers_in_wan_and_yuan(book):
    projects = book["项目"]
    yuan = _column(projects, "预算（元）")
    wan = _column(projects, "预算（万元）")
    assert sum(cell.value for cell in yuan) == 10_882_500
    assert sum(cell.value for cell in wan) == pytest.approx(1_088.25)
    assert {cell.number_format for cell in yuan + wan} == {"#,##0.00"}
    names = [cell.value for cell in _column(projects, "项目名称")]
    assert wan[names.index("人代会")].value == pytest.approx(197.68)
    assert {cell.number_format for cell in _column(projects, "占比")} == {"0.00%"}


def test_workbook_totals_follow_the_filters(corpus):
    kept = apply_filters(corpus, Filters(types=("其他运转类（信息化运维类）",)))
    data = export.workbook_bytes(kept, filters_text="项目类型：其他运转类（信息化运维类）", today=TODAY)
    about = _about(openpyxl.load_workbook(io.BytesIO(data)))
    assert about["筛选条件"].value == "项目类型：其他运转类（信息化运维类）"
    assert about["预算总额（元）"].value == 659_200
    assert about["预算总额（万元）"].value == pytest.approx(65.92)
    assert about["项目数"].value == 3


def test_formula_in_a_document_name_stays_a_string():
    corpus = load_documents([("=1+1", REFERENCE.read_bytes())])
    data = export.workbook_bytes(corpus, today=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sources = _column(book["项目"], "文件")
    assert {cell.value for cell in sources} == {"=1+1"}
    assert {cell.data_type for cell in sources} == {"s"}
    assert _about(book)["源文件"].value == "=1+1"
    # No formula anywhere in the file: no <f> element in any sheet.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(name) for name in sheets)


def test_workbook_findings_and_rules_sheets_name_projects_and_indicators(corpus):
    findings = _findings(corpus)
    rules = pl.DataFrame(
        {"id": ["R08"], "severity": ["中"], "title": ["成本指标高于预算"], "checks": ["…"], "basis": ["101号"]}
    )
    book = openpyxl.load_workbook(
        io.BytesIO(export.workbook_bytes(corpus, findings=findings, rules=rules, today=TODAY))
    )
    assert book.sheetnames == ["说明", "项目", "绩效指标", "审核发现", "审核规则", "解析诊断", "文档"]
    sheet = book["审核发现"]
    # The review's columns carry the review page's labels, not a generic or raw name.
    headers = [cell.value for cell in sheet[1]]
    assert {"规则", "审核意见", "参照值", "实际值", "比值", "涉及指标或数据"} <= set(headers)
    assert not {"rule_id", "message", "detail"} & set(headers)
    assert [cell.value for cell in book["审核规则"][1]] == ["规则", "级别", "规则名称", "检查内容", "依据"]
    assert [cell.value for cell in _column(sheet, "项目名称")] == ["人代会", "人代会"]
    assert [cell.value for cell in _column(sheet, "三级指标")] == ["预算控制数", None]
    # The review's own text is data too: a formula-like message stays text.
    message = next(cell for row in sheet.iter_rows(min_row=2) for cell in row if str(cell.value).startswith("=HYPER"))
    assert message.data_type == "s"
    assert book["审核规则"].max_row == 2


def test_workbook_for_the_command_line_keeps_schema_names(corpus):
    book = openpyxl.load_workbook(io.BytesIO(export.workbook_bytes(corpus, lang=None, today=TODAY)))
    assert book.sheetnames == ["about", "projects", "indicators", "diagnostics", "documents"]
    assert [cell.value for cell in book["projects"][1]][:2] == ["name", "type"]
    assert sum(cell.value for cell in _column(book["projects"], "budget_yuan")) == 10_882_500


# ---------------------------------------------------------------- CSV and Parquet


def test_csv_has_a_bom_chinese_headers_and_round_trips_chinese(corpus):
    data = export.csv_bytes(corpus.projects)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(io.StringIO(data.decode("utf-8-sig")))
    assert back.columns[:5] == ["项目编号", "文档编号", "位置", "行号", "项目名称"]
    assert back["项目名称"].to_list() == corpus.projects["name"].to_list()
    assert back["实施周期总目标"].to_list() == corpus.projects["goal_period"].to_list()
    assert back["预算（元）"].sum() == pytest.approx(10_882_500)


def test_csv_of_indicators_names_the_indicator_and_translates_kinds(corpus):
    back = pl.read_csv(io.StringIO(export.csv_bytes(corpus.indicators).decode("utf-8-sig")))
    assert "三级指标" in back.columns and "项目名称" not in back.columns
    assert back.height == 172
    assert "百分比" in back["年度值类型"].to_list()


def test_csv_neutralises_formulas_in_text_but_not_numbers():
    frame = pl.DataFrame(
        {"name": ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "=", "人代会"], "budget_yuan": [-1.0, 0.0, 1.0, 2.0, 3.0, 4.0]}
    )
    back = pl.read_csv(io.StringIO(export.csv_bytes(frame).decode("utf-8-sig")), infer_schema=False)
    assert back["项目名称"].to_list() == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "=", "人代会"]
    assert back["预算（元）"].to_list()[0] == "-1.0"


def test_csv_for_the_command_line_keeps_schema_names(corpus):
    data = export.csv_bytes(corpus.projects, lang=None)
    assert data.startswith(b"\xef\xbb\xbf")
    assert pl.read_csv(data[3:]).columns == corpus.projects.columns


def test_parquet_round_trips_the_frame_with_its_dtypes(corpus):
    assert_frame_equal(pl.read_parquet(io.BytesIO(export.parquet_bytes(corpus.indicators))), corpus.indicators)


# ---------------------------------------------------------------- names and captions


def test_safe_filename_names_department_year_what_and_date(corpus):
    name = export.safe_filename(corpus, "预算/绩效:目标", suffix=".xlsx", today=TODAY)
    assert name == f"{DEPARTMENT}_2026_预算绩效目标_2026-11-28.xlsx"


def test_caption_names_source_and_filters(corpus):
    assert export.caption(corpus, filters_text="关键词：数字") == f"数据来源：{DEPARTMENT} 2026　·　筛选：关键词：数字"


def test_source_label_names_a_department_and_year_once_for_all_its_documents():
    text = REFERENCE.read_text(encoding="utf-8")
    second = text.replace("人代会", "人代会筹备")
    corpus = load_documents([("a.txt", text.encode()), ("b.txt", second.encode())])
    assert corpus.documents.height == 2
    assert export.source_label(corpus) == f"{DEPARTMENT} 2026"


def test_wrap_text_keeps_numbers_whole():
    lines = export.wrap_text("会议应出席代表440人，会议表决通过", width=7)
    assert "".join(lines) == "会议应出席代表440人，会议表决通过"
    assert all(export.text_width(line) <= 7 for line in lines)
    assert any("440" in line for line in lines)


# ---------------------------------------------------------------- images (kaleido)


def _ink(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """How many pixels in ``box`` are darker than the white background."""
    return sum(image.convert("L").crop(box).histogram()[:200])


def test_chart_png_is_full_hd_with_the_caption_inside_and_leaves_the_figure_alone(corpus):
    figure = charts.budget_by_type(corpus.projects)
    before = figure.to_json()
    png = export.chart_png(figure, caption=export.caption(corpus, filters_text="未筛选"))
    assert _png_size(png) == (1920, 1080)
    assert len(png) > 30_000  # bars, labels and text, not a blank canvas
    image = Image.open(io.BytesIO(png))
    # The caption sits at the bottom right, below the axis; the title at the top left; both inside the safe margin.
    assert _ink(image, (960, 990, 1872, 1032)) > 200
    assert _ink(image, (48, 48, 700, 110)) > 200
    assert figure.to_json() == before


def test_charts_zip_holds_one_png_per_chart_with_windows_safe_names(corpus):
    items = [
        ("预算分配", charts.budget_by_type(corpus.projects)),
        ("预算分配", charts.level_sunburst(corpus.indicators)),
        ("<b>指标:体系?</b>", go.Figure(charts.percent_distribution(corpus.indicators))),
    ]
    data = export.charts_zip(items, caption="", department=DEPARTMENT, year=2026, today=TODAY)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == [
            f"{DEPARTMENT}_2026_预算分配_2026-11-28.png",
            f"{DEPARTMENT}_2026_预算分配_2026-11-28_2.png",
            f"{DEPARTMENT}_2026_指标体系_2026-11-28.png",
        ]
        for name in names:
            png = archive.read(name)
            assert _png_size(png) == (1920, 1080)
            # Without a caption nothing is drawn under the axis title, and never in the safe margin.
            assert _ink(Image.open(io.BytesIO(png)), (0, 1032, 1920, 1080)) == 0
