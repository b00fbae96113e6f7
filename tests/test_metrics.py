"""Tests for lib.metrics: formatting, then each table against the reference document."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from lib import metrics, schema
from lib.loader import load_documents

TOTAL_YUAN = 10_882_500.00
RENDAIHUI = 1_976_800.00


@pytest.fixture(scope="module")
def corpus():
    return load_documents()


@pytest.fixture(scope="module")
def projects(corpus):
    return corpus.projects


@pytest.fixture(scope="module")
def indicators(corpus):
    return corpus.indicators


def _project_id(projects: pl.DataFrame, name: str) -> str:
    return projects.filter(pl.col("name") == name)["project_id"].item()


# ---------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("yuan", "shown"),
    [
        (TOTAL_YUAN, "1,088.25"),
        (RENDAIHUI, "197.68"),
        (48_000.00, "4.80"),
        (0.0, "0.00"),
        # 1.005 万元 is stored as 1.00499999...; half up on the cents gives 1.01.
        (10_050.00, "1.01"),
        (12_349.99, "1.23"),
        (12_350.00, "1.24"),
        (None, "—"),
        (float("nan"), "—"),
    ],
)
def test_format_wan(yuan, shown):
    assert metrics.format_wan(yuan) == shown


def test_wan_is_unrounded_and_keeps_none():
    assert metrics.wan(RENDAIHUI) == pytest.approx(197.68)
    assert metrics.wan(12_345.0) == pytest.approx(1.2345)
    assert metrics.wan(None) is None
    assert metrics.wan(float("nan")) is None


def test_format_share():
    assert metrics.format_share(RENDAIHUI / TOTAL_YUAN) == "18.16%"
    assert metrics.format_share(1.0) == "100.00%"
    assert metrics.format_share(None) == "—"


def test_apportion_wan_gives_the_missing_hundredth_to_the_largest_remainder():
    assert metrics.apportion_wan([3_333.33, 3_333.33, 3_333.34]) == [0.33, 0.33, 0.34]
    assert metrics.apportion_wan([5_050.0, 5_050.0]) == [0.51, 0.50]
    assert metrics.apportion_wan([None, 100.0]) == [None, 0.01]
    assert metrics.apportion_wan([]) == []
    assert metrics.apportion_wan([None]) == [None]


@given(st.lists(st.integers(min_value=0, max_value=10**11), max_size=40))
def test_apportioned_parts_add_up_to_the_shown_total(cents):
    yuan = [c / 100 for c in cents]
    parts = metrics.apportion_wan(yuan)
    shown_total = metrics.format_wan(sum(cents) / 100)
    assert f"{round(sum(round(p * 100) for p in parts)) / 100:,.2f}" == shown_total
    for part, amount in zip(parts, yuan):
        # Never more than one hundredth away from the part's own rounding.
        assert abs(round(part * 100) - round(float(metrics.format_wan(amount).replace(",", "")) * 100)) <= 1


# ---------------------------------------------------------------- key figures


def test_key_figures_of_the_reference(projects, indicators):
    figures = metrics.key_figures(projects, indicators)
    top5 = 1_976_800 + 1_890_000 + 1_810_000 + 1_416_000 + 1_000_000
    assert figures == metrics.KeyFigures(
        total_yuan=pytest.approx(TOTAL_YUAN),
        project_count=15,
        indicator_count=172,
        largest_name="人代会",
        largest_yuan=RENDAIHUI,
        largest_share=pytest.approx(RENDAIHUI / TOTAL_YUAN),
        top5_share=pytest.approx(top5 / TOTAL_YUAN),
    )


def test_key_figures_of_empty_frames_are_zero_and_none():
    figures = metrics.key_figures(schema.empty(schema.PROJECTS), schema.empty(schema.INDICATORS))
    assert figures == metrics.KeyFigures(0.0, 0, 0, None, None, None, None)


def test_key_figures_with_no_budget_at_all_has_no_shares(projects, indicators):
    figures = metrics.key_figures(projects.with_columns(budget_yuan=None), indicators)
    assert (figures.total_yuan, figures.largest_name, figures.largest_share) == (0.0, None, None)


# ---------------------------------------------------------------- allocation


def test_allocation_table_of_the_reference(projects):
    table = metrics.allocation_table(projects)
    assert table.columns == [
        "project_id",
        "name",
        "type",
        "department",
        "budget_wan",
        "share",
        "cumulative_share",
        "department_share",
    ]
    # One department: a project's share of it is its share of the total.
    assert table["department_share"].to_list() == pytest.approx(table["share"].to_list())
    assert table["name"].head(3).to_list() == [
        "人代会",
        "市人大常委会法制工作委员会专项经费",
        "人大代表联络站专项经费",
    ]
    assert table["budget_wan"].to_list() == sorted(table["budget_wan"].to_list(), reverse=True)
    assert table["budget_wan"].sum() == pytest.approx(1088.25)
    assert table["share"][0] == pytest.approx(RENDAIHUI / TOTAL_YUAN)
    assert table["cumulative_share"][-1] == pytest.approx(1.0)
    assert table["cumulative_share"].is_sorted()


def test_allocation_table_sorts_a_missing_budget_last_counting_it_as_zero(projects):
    first = projects["project_id"][0]
    table = metrics.allocation_table(
        projects.with_columns(budget_yuan=pl.when(pl.col("project_id") == first).then(None).otherwise("budget_yuan"))
    )
    last = table.row(-1, named=True)
    assert (last["project_id"], last["budget_wan"], last["share"]) == (first, None, 0.0)
    assert table["share"].sum() == pytest.approx(1.0)


def test_allocation_table_keeps_document_order_among_equal_budgets():
    projects = pl.DataFrame(
        {"project_id": ["a", "b", "c"], "name": ["甲", "乙", "丙"], "type": [None] * 3, "budget_yuan": [1.0, 5.0, 1.0]},
        schema_overrides={"type": pl.String},
    )
    assert metrics.allocation_table(projects)["project_id"].to_list() == ["b", "a", "c"]


def test_allocation_table_of_an_empty_frame_is_empty():
    table = metrics.allocation_table(schema.empty(schema.PROJECTS))
    assert table.is_empty()
    assert table.columns == [
        "project_id",
        "name",
        "type",
        "department",
        "budget_wan",
        "share",
        "cumulative_share",
        "department_share",
    ]


# ---------------------------------------------------------------- cost caps


def test_cost_caps_of_the_reference(projects, indicators):
    caps = metrics.cost_caps(projects, indicators)
    assert caps.height == 24
    assert caps.columns == [
        "project_id",
        "name",
        "budget_yuan",
        "indicator_id",
        "indicator",
        "annual_cap_yuan",
        "period_cap_yuan",
        "ratio",
    ]
    # Rates such as 1000元/人/年 are standards, not caps.
    assert "1000元/人/年" not in caps["indicator"].to_list()
    assert caps.filter(pl.col("name") == "人代会").select("indicator", "annual_cap_yuan", "ratio").rows() == [
        ("预算控制数", RENDAIHUI, 1.0),
        ("会议费", RENDAIHUI, 1.0),
    ]


def test_cost_caps_keep_an_annual_cap_that_differs_from_the_period_cap(projects, indicators):
    name = "市人大常委会办公室“数字人大”运维项目"
    caps = metrics.cost_caps(projects, indicators).filter(pl.col("name") == name)
    assert caps.select("indicator", "annual_cap_yuan", "period_cap_yuan", "ratio").rows() == [
        ("预算控制数", 363_300.0, 460_000.0, 1.0),
        ("维修维护费", 363_300.0, 460_000.0, 1.0),
    ]


def test_cost_caps_ratio_above_one_for_a_cap_above_the_budget(projects, indicators):
    raised = indicators.with_columns(
        annual_number=pl.when(pl.col("indicator_id") == "9f27546f4dbff9fd-004-010")
        .then(2_500_000.0)
        .otherwise("annual_number")
    )
    cap = metrics.cost_caps(projects, raised).filter(pl.col("indicator_id") == "9f27546f4dbff9fd-004-010")
    assert cap["ratio"].item() == pytest.approx(2_500_000 / RENDAIHUI)


def test_cost_caps_include_the_pre_2021_cost_category_under_output(projects, indicators):
    cost = pl.col("level1") == "成本指标"
    old_template = indicators.with_columns(
        level1=pl.when(cost).then(pl.lit("产出指标")).otherwise("level1").cast(schema.Level1),
        level2=pl.when(cost).then(pl.lit("成本指标")).otherwise("level2").cast(schema.Level2),
    )
    assert metrics.cost_caps(projects, old_template).height == 24


def test_cost_caps_with_a_missing_budget_have_no_ratio(projects, indicators):
    caps = metrics.cost_caps(projects.with_columns(budget_yuan=None), indicators)
    assert caps.height == 24
    assert caps["ratio"].null_count() == 24


# ---------------------------------------------------------------- card


def test_card_indicators_follow_the_official_order_then_the_line(projects, indicators):
    card = metrics.card_indicators(indicators, _project_id(projects, "人大宣传工作专项经费"))
    assert card.height == 14
    assert card["level1"].cast(pl.String).unique(maintain_order=True).to_list() == [
        "产出指标",
        "效益指标",
        "满意度指标",
        "成本指标",
    ]
    keys = list(zip(card["level1"].to_physical(), card["level2"].to_physical(), card["line"]))
    assert keys == sorted(keys)
    assert card.filter("differs").select("name", "period_value", "annual_value").rows() == [
        ("新闻奖开展次数", "3", "1")
    ]


def test_card_indicators_differs_is_null_safe(indicators):
    row = indicators.head(3).with_columns(
        project_id=pl.lit("p"),
        period_value=pl.Series(["≥90%", None, None]),
        annual_value=pl.Series([None, "≥90%", None]),
    )
    assert metrics.card_indicators(row, "p")["differs"].to_list() == [True, True, False]


def test_card_indicators_of_an_unknown_project_is_empty(indicators):
    card = metrics.card_indicators(indicators, "no-such-project")
    assert card.is_empty()
    assert card.columns == [*schema.INDICATORS, "differs"]


# ---------------------------------------------------------------- value kinds


def test_value_kind_shares_of_the_reference(projects, indicators):
    shares = metrics.value_kind_shares(projects, indicators)
    assert shares.height == 15
    assert shares.select("quantitative", "qualitative", "missing", "total").sum().row(0) == (149, 22, 1, 172)
    system = shares.filter(pl.col("name") == "东莞市人大常委会预算联网监督系统运营服务项目").row(0, named=True)
    assert (system["quantitative"], system["qualitative"], system["missing"]) == (6, 3, 1)
    assert system["missing_share"] == pytest.approx(0.1)
    totals = shares.select(pl.sum_horizontal(pl.col("^.*_share$")))
    assert totals.to_series().to_list() == pytest.approx([1.0] * 15)


def test_value_kind_shares_of_a_project_without_indicators_are_null(projects, indicators):
    shares = metrics.value_kind_shares(projects, indicators.clear())
    assert shares.select("quantitative", "qualitative", "missing", "total").sum().row(0) == (0, 0, 0, 0)
    assert shares["quantitative_share"].null_count() == 15


# ---------------------------------------------------------------- percent targets


def test_percent_targets_of_the_reference(indicators):
    expected = pl.DataFrame(
        [
            ("产出指标", "≥90%", "≥", 90.0, 6),
            ("效益指标", "≥90%", "≥", 90.0, 1),
            ("满意度指标", "≥90%", "≥", 90.0, 3),
            ("产出指标", "≥95%", "≥", 95.0, 14),
            ("效益指标", "≥95%", "≥", 95.0, 4),
            ("满意度指标", "≥95%", "≥", 95.0, 11),
            ("产出指标", "100%", "=", 100.0, 17),
            ("效益指标", "100%", "=", 100.0, 30),
            ("满意度指标", "100%", "=", 100.0, 5),
            ("成本指标", "100%", "=", 100.0, 1),
            ("产出指标", "≥100%", "≥", 100.0, 2),
        ],
        schema={
            "level1": schema.Level1,
            "target": pl.String,
            "op": pl.String,
            "number": pl.Float64,
            "count": pl.UInt32,
        },
        orient="row",
    )
    assert_frame_equal(metrics.percent_targets(indicators), expected)


def test_percent_target_label_writes_the_comparator_but_not_equals():
    assert metrics.percent_target_label("≥", 95.0) == "≥95%"
    assert metrics.percent_target_label("=", 100.0) == "100%"
    assert metrics.percent_target_label(None, 92.5) == "92.5%"
    assert metrics.percent_target_label("≤", 5.0) == "≤5%"


def test_percent_targets_of_an_empty_frame_is_empty():
    targets = metrics.percent_targets(schema.empty(schema.INDICATORS))
    assert targets.is_empty()
    assert targets.columns == ["level1", "target", "op", "number", "count"]


def test_metrics_never_change_their_inputs(projects, indicators):
    before = (projects.clone(), indicators.clone())
    metrics.key_figures(projects, indicators)
    metrics.allocation_table(projects)
    metrics.cost_caps(projects, indicators)
    metrics.value_kind_shares(projects, indicators)
    metrics.percent_targets(indicators)
    assert_frame_equal(projects, before[0])
    assert_frame_equal(indicators, before[1])
