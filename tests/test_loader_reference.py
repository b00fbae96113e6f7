"""The reference document: totals, the quirky rows DOMAIN.md names, golden frames, stable ids."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from lib import schema
from lib.ingest.text import split_rows
from lib.loader import load_cells, load_documents
from support import FIXTURES, REFERENCE, unaccounted_cells


@pytest.fixture(scope="module")
def corpus():
    return load_documents([REFERENCE])


def _indicator(corpus, name: str, *, line: int | None = None) -> dict:
    rows = corpus.indicators.filter(pl.col("name") == name)
    if line is not None:
        rows = rows.filter(pl.col("line") == line)
    assert rows.height == 1, f"{name}: {rows.height} rows"
    return rows.row(0, named=True)


def test_reference_totals(corpus):
    assert corpus.documents.height == 1
    assert corpus.projects.height == 15
    assert corpus.indicators.height == 172
    assert corpus.projects["budget_yuan"].sum() == pytest.approx(10_882_500.00)
    document = corpus.documents.row(0, named=True)
    assert document["year"] == 2026
    assert document["department"] == "东莞市人民代表大会常务委员会办公室"
    assert document["project_count"] == 15
    assert corpus.projects["budget_year"].unique().to_list() == [2026]


def test_reference_has_no_errors_and_every_project_has_four_level1(corpus):
    assert corpus.diagnostics.filter(pl.col("severity") == "error").height == 0
    per_project = corpus.indicators.group_by("project_id").agg(pl.col("level1").n_unique())
    # Every project of the reference has 产出, 效益, 满意度 and 成本 indicators.
    assert per_project["level1"].to_list() == [4] * 15
    assert corpus.indicators.filter(pl.col("level1") == "未分类").height == 0


@pytest.mark.parametrize("name", ["发放标准", "支出标准", "宣传费占比", "会议费", "培训费", "维修维护费"])
def test_cost_row_at_column_zero_continues_cost_indicators(corpus, name):
    rows = corpus.indicators.filter(pl.col("name") == name)
    assert rows.height >= 1
    assert rows["level1"].unique().to_list() == ["成本指标"]
    assert rows["level2"].unique().to_list() == ["经济成本指标"]


def test_cost_row_at_column_zero_keeps_its_values(corpus):
    row = _indicator(corpus, "会议费")
    assert (row["period_value"], row["annual_value"]) == ("≤ 197.68万元", "≤ 197.68万元")
    assert (row["annual_kind"], row["annual_op"], row["annual_number"]) == ("amount", "≤", 1_976_800.0)
    rate = _indicator(corpus, "发放标准", line=32)
    assert (rate["annual_kind"], rate["annual_number"], rate["annual_unit"]) == ("rate", 1000.0, "元/人/年")


def test_topic_report_in_level2_column_is_a_quantity(corpus):
    row = _indicator(corpus, "专题宣传报道")
    assert (row["level1"], row["level2"]) == ("产出指标", "数量指标")
    assert (row["annual_kind"], row["annual_number"], row["annual_unit"]) == ("count", 1.0, "次")


def test_level2_row_before_its_level1_row_belongs_to_benefits(corpus):
    for name, line in (("节约人力管理成本", 256), ("项目经济效益情况", 281)):
        row = _indicator(corpus, name, line=line)
        assert (row["level1"], row["level2"], row["level2_raw"]) == ("效益指标", "经济效益指标", "经济效益")
        # The document wrote no level 1 on that row; nothing is invented in the raw column.
        assert row["level1_raw"] is None


def test_satisfaction_row_shifted_right_keeps_period_value_and_reports_missing_annual(corpus):
    row = _indicator(corpus, "市人大机关满意度", line=259)
    assert (row["level1"], row["level2"]) == ("满意度指标", "服务对象满意度指标")
    assert row["period_value"] == "≥90%"
    assert row["annual_value"] is None
    assert row["annual_kind"] == "missing"
    diagnostic = corpus.diagnostics.filter((pl.col("line") == 259) & (pl.col("code") == "missing_annual"))
    assert diagnostic.height == 1
    assert diagnostic["severity"].to_list() == ["warning"]
    assert diagnostic["source"].to_list() == ["000_a5ef52d3e8690c0f.txt"]
    assert diagnostic["message"][0] == "指标「市人大机关满意度」缺少年度指标值（实施周期值为「≥90%」）"


def test_cost_level1_at_column_zero_starts_the_cost_block(corpus):
    project = corpus.projects.filter(pl.col("name") == "市人大常委会办公室“数字人大”升级改造项目")
    rows = corpus.indicators.filter(pl.col("project_id") == project["project_id"][0])
    cost = rows.filter(pl.col("level1") == "成本指标")
    assert cost["name"].to_list() == ["项目总投资", "预算控制数"]
    assert cost["level2"].unique().to_list() == ["经济成本指标"]
    assert rows.filter(pl.col("name") == "项目完成情况满意度(%)")["level1"].to_list() == ["满意度指标"]


def test_row_one_column_left_is_a_timeliness_indicator(corpus):
    row = _indicator(corpus, "工作任务完成及时率")
    assert (row["level1"], row["level2"]) == ("产出指标", "时效指标")
    assert (row["period_value"], row["annual_value"]) == ("100%", "100%")


def test_annual_value_differing_from_period_value_is_kept(corpus):
    row = _indicator(corpus, "新闻奖开展次数")
    assert (row["period_value"], row["annual_value"]) == ("3", "1")
    cap = corpus.indicators.filter((pl.col("name") == "预算控制数") & (pl.col("period_value") == "≤46万元"))
    assert cap["annual_number"].to_list() == [363_300.0]
    assert cap["period_number"].to_list() == [460_000.0]


def test_goal_text_has_html_removed_and_paragraphs_as_lines(corpus):
    goal = corpus.projects.filter(pl.col("name") == "人大宣传工作专项经费")["goal_annual"][0]
    assert "<p>" not in goal and "</p>" not in goal
    assert goal.splitlines()[0] == "1、组织参加和开展省、市人大新闻奖，完成2026年的评选活动。"
    assert len(goal.splitlines()) >= 3


def test_project_fields_of_first_and_shifted_projects(corpus):
    first = corpus.projects.row(0, named=True)
    assert first["name"] == "市人大代表履职经费"
    assert first["type"] == "其他特定目标类（部门职能类）"
    assert first["level"] == "二级项目"
    assert first["unit"] == "东莞市人民代表大会常务委员会办公室"
    assert (first["start_year"], first["end_year"], first["budget_yuan"]) == (2021, 2099, 1_416_000.0)
    # 人代会's key/value rows carry an extra empty cell between key and value.
    meeting = corpus.projects.filter(pl.col("name") == "人代会").row(0, named=True)
    assert (meeting["type"], meeting["start_year"], meeting["budget_yuan"]) == (
        "其他特定目标类（部门职能类）",
        2021,
        1_976_800.0,
    )
    assert meeting["goal_period"].startswith("东莞市第十七届人民代表大会第六次会议")


def test_projects_by_type(corpus):
    counts = dict(corpus.projects.group_by("type").len().iter_rows())
    assert counts == {"其他特定目标类（部门职能类）": 10, "其他运转类（信息化运维类）": 3, "其他事业发展性支出": 2}


def test_frames_follow_the_schema(corpus):
    assert corpus.documents.schema == pl.Schema(schema.DOCUMENTS)
    assert corpus.projects.schema == pl.Schema(schema.PROJECTS)
    assert corpus.indicators.schema == pl.Schema(schema.INDICATORS)
    assert corpus.diagnostics.schema == pl.Schema(schema.DIAGNOSTICS)


@pytest.mark.parametrize("name", ["documents", "projects", "indicators", "diagnostics"])
def test_reference_frames_equal_golden_files(corpus, name):
    target = getattr(corpus, name)
    golden = pl.read_csv(FIXTURES / "reference" / f"{name}.csv", infer_schema=False).cast(target.schema)
    assert_frame_equal(target, golden)


def test_every_field_names_the_cells_it_was_read_from_as_in_the_golden_file(corpus):
    cells = load_cells([REFERENCE])
    golden = pl.read_csv(FIXTURES / "reference" / "cells.csv", infer_schema=False).cast(schema.CELLS)
    assert_frame_equal(cells, golden)
    # Every project and indicator has its cells, under the ids the frames use.
    ids = set(cells["id"])
    assert ids == set(corpus.projects["project_id"]) | set(corpus.indicators["indicator_id"])


def test_cells_point_at_the_text_they_hold():
    rows = {row.line: row.cells for row in split_rows(REFERENCE.read_text(encoding="utf-8"))}
    corpus = load_documents([REFERENCE])
    indicators = {row["indicator_id"]: row for row in corpus.indicators.iter_rows(named=True)}
    fields = ["name", "period_value", "annual_value", "level1", "level2"]
    cells = load_cells([REFERENCE]).filter(pl.col("field").is_in(fields) & pl.col("id").is_in(list(indicators)))
    for record_id, field, _, line, column in cells.iter_rows():
        field = {"level1": "level1_raw", "level2": "level2_raw"}.get(field, field)
        assert rows[line][column - 1] == indicators[record_id][field], (record_id, field, line, column)


def test_same_bytes_give_same_ids():
    first = load_documents([REFERENCE])
    second = load_documents([("renamed.txt", REFERENCE.read_bytes())])
    assert first.projects["project_id"].to_list() == second.projects["project_id"].to_list()
    assert first.indicators["indicator_id"].to_list() == second.indicators["indicator_id"].to_list()
    assert first.indicators["indicator_id"].n_unique() == 172


def test_identical_document_loads_once():
    corpus = load_documents([REFERENCE, ("copy.txt", REFERENCE.read_bytes())])
    assert corpus.projects.height == 15
    assert corpus.diagnostics.filter(pl.col("code") == "duplicate_document")["source"].to_list() == ["copy.txt"]


def test_nothing_lost_on_reference(corpus):
    assert unaccounted_cells(REFERENCE.read_text(encoding="utf-8"), corpus) == []


# ---------------------------------------------------------------- the checks above catch a changed reference


def _problems(text: str) -> list[str]:
    """What this file's checks find wrong in a version of the reference's text: golden frames and cells, the audit.

    Ids are left out (they follow the bytes), so only what was read is compared.
    """
    corpus = load_documents([(REFERENCE.name, text.encode())])
    problems = []
    for name in ("projects", "indicators", "diagnostics"):
        target = getattr(corpus, name)
        golden = pl.read_csv(FIXTURES / "reference" / f"{name}.csv", infer_schema=False).cast(target.schema)
        ids = [column for column in target.columns if column.endswith("_id")]
        if not target.drop(ids).equals(golden.drop(ids)):
            problems.append(f"{name} differ from the golden file")
    cells = load_cells([(REFERENCE.name, text.encode())]).drop("id")
    golden = pl.read_csv(FIXTURES / "reference" / "cells.csv", infer_schema=False).cast(schema.CELLS).drop("id")
    if not cells.equals(golden):
        problems.append("fields were read from other cells")
    problems += [f"line {line}: {cell} lost" for line, cell in unaccounted_cells(text, corpus)]
    return problems


def _indicator_rows(text: str, change) -> str:
    """The reference with ``change`` applied to the cells of every indicator row (six cells, a value last)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) == 6 and cells[3] and cells[5] and not cells[3].endswith("指标"):
            lines[index] = "\t".join(change(cells))
    return "\n".join(lines)


_MUTATIONS = {
    "drop_an_indicator_row": lambda text: text.replace("\t\t\t发放代表人数\t440\t440\n", "", 1),
    "drop_a_key_row": lambda text: text.replace("项目等级\t二级项目\t\t\t\t\n", "", 1),
    "blank_the_annual_column": lambda text: _indicator_rows(text, lambda cells: [*cells[:5], ""]),
    "swap_period_and_annual": lambda text: _indicator_rows(text, lambda cells: [*cells[:4], cells[5], cells[4]]),
    "swap_name_and_period": lambda text: _indicator_rows(
        text, lambda cells: [*cells[:3], cells[4], cells[3], cells[5]]
    ),
}


def test_the_reference_passes_its_own_checks():
    assert _problems(REFERENCE.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("mutation", sorted(_MUTATIONS))
def test_the_checks_fail_on_a_changed_reference(mutation):
    text = REFERENCE.read_text(encoding="utf-8")
    changed = _MUTATIONS[mutation](text)
    assert changed != text
    assert _problems(changed), f"{mutation}: no check noticed"
