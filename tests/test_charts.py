"""Tests for lib.charts, read through the figures' data, with the reference document's numbers."""

from __future__ import annotations

import re
from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from lib import charts, metrics, schema
from lib.charts.budget import project_bars
from lib.i18n import t
from lib.loader import load_documents
from lib.testing.synth import generate_corpus

TYPES_WAN = {
    "其他特定目标类（部门职能类）": 993.67,
    "其他运转类（信息化运维类）": 65.92,
    "其他事业发展性支出": 28.66,
}
LEVEL1_COUNTS = {"产出指标": 75, "效益指标": 47, "满意度指标": 20, "成本指标": 30}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def corpus():
    return load_documents()


@pytest.fixture(scope="module")
def projects(corpus):
    return corpus.projects


@pytest.fixture(scope="module")
def indicators(corpus):
    return corpus.indicators


def _plain(label: str) -> str:
    """An axis label as the reader sees it, without the line breaks."""
    return label.replace("<br>", "")


def _bar_traces(fig: go.Figure) -> list:
    # Legend keys are empty Scatter traces; the data lives in the bars.
    return [trace for trace in fig.data if trace.type == "bar"]


def _shown_total(fig: go.Figure) -> str:
    match = re.search(r"[\d,]+\.\d\d", fig.layout.title.subtitle.text)
    assert match, fig.layout.title.subtitle.text
    return match.group(0)


# ---------------------------------------------------------------- budgets


def test_budget_by_project_puts_the_largest_first_and_adds_up(projects):
    fig = charts.budget_by_project(projects)
    bars = fig.data[0]
    assert len(bars.y) == 15
    assert (_plain(bars.y[0]), bars.x[0], bars.text[0]) == ("人代会", 197.68, "197.68")
    assert list(bars.x) == sorted(bars.x, reverse=True)
    # Largest at the top: the first category is drawn at the top of a reversed axis.
    assert fig.layout.yaxis.autorange == "reversed"
    assert sum(bars.x) == pytest.approx(1088.25)
    assert _shown_total(fig) == "1,088.25"
    assert fig.layout.title.text == "各项目预算金额（万元）"


def test_budget_by_project_hover_has_full_name_type_and_share(projects):
    bars = charts.budget_by_project(projects).data[0]
    long_name = "市人大代表和人大机关及基层人大干部培训专项经费"
    index = [_plain(label) for label in bars.y].index(long_name)
    assert "<br>" in bars.y[index]  # wrapped on the axis ...
    # ... and whole in the hover.
    assert list(bars.customdata[index]) == [long_name, "其他特定目标类（部门职能类）", "3.26%"]
    assert list(bars.customdata[0]) == ["人代会", "其他特定目标类（部门职能类）", "18.16%"]


def test_budget_by_project_groups_the_rest_into_one_bar_and_keeps_the_total(projects):
    fig = charts.budget_by_project(projects, top_n=5)
    bars = fig.data[0]
    assert [_plain(label) for label in bars.y] == [
        "人代会",
        "市人大常委会法制工作委员会专项经费",
        "人大代表联络站专项经费",
        "市人大代表履职经费",
        "离退休人员活动费",
        "其他 10 个项目",
    ]
    assert bars.x[-1] == pytest.approx(278.97)
    assert sum(bars.x) == pytest.approx(1088.25)
    assert _shown_total(fig) == "1,088.25"
    assert charts.budget_by_project(projects, top_n=5, lang="en").data[0].y[-1] == "10 other projects"


def test_budget_by_project_grows_with_the_number_of_bars(projects):
    small = charts.budget_by_project(projects, top_n=3).layout.height
    full = charts.budget_by_project(projects).layout.height
    assert full > small


def test_budget_by_project_colours_bars_by_type_with_a_key(projects):
    fig = charts.budget_by_project(projects)
    palette = charts.type_palette(projects["type"].to_list())
    types = dict(zip(projects["name"], projects["type"]))
    bars = fig.data[0]
    assert [palette[types[c[0]]] for c in bars.customdata] == list(bars.marker.color)
    keys = {trace.name: trace.marker.color for trace in fig.data if trace.type == "scatter"}
    assert keys == {name: palette[name] for name in TYPES_WAN}
    assert fig.layout.showlegend


def test_budget_by_project_keeps_a_project_without_budget_as_an_empty_bar(projects):
    without = pl.when(pl.col("name") == "人代会").then(None).otherwise("budget_yuan")
    fig = charts.budget_by_project(projects.with_columns(budget_yuan=without))
    bars = fig.data[0]
    assert (_plain(bars.y[-1]), bars.x[-1], bars.text[-1]) == ("人代会", None, "—")
    assert _shown_total(fig) == "890.57"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=5 * 10**10), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=12),
)
def test_bars_always_add_up_to_the_total_in_the_subtitle(cents, top_n):
    projects = pl.DataFrame(
        {
            "project_id": [f"p{i}" for i in range(len(cents))],
            "name": ["项目"] * len(cents),  # same names: labels must still be distinct bars
            "type": ["甲类" if i % 2 else "乙类" for i in range(len(cents))],
            "budget_yuan": [c / 100 for c in cents],
        }
    )
    fig = charts.budget_by_project(projects, top_n=top_n)
    bars = fig.data[0]
    assert len(set(bars.y)) == len(bars.y) == min(len(cents), top_n + 1)
    shown = [float(text.replace(",", "")) for text in bars.text]
    bars_cents = round(sum(round(v * 100) for v in shown))
    if sum(cents) / 100 >= 100_000_000:
        # From 1 亿元 the subtitle says 亿元: the bars' 万元 add up to it rounded to 0.01 亿元.
        assert "亿元" in fig.layout.title.subtitle.text
        assert _shown_total(fig) == metrics.format_money(bars_cents / 100 * 10_000, "亿元")
        assert _shown_total(fig) == metrics.format_money(sum(cents) / 100, "亿元")
    else:
        assert f"{bars_cents / 100:,.2f}" == _shown_total(fig)
        assert _shown_total(fig) == metrics.format_wan(sum(cents) / 100)


def test_budget_by_type_values_and_shares(projects):
    fig = charts.budget_by_type(projects)
    bars = fig.data[0]
    assert dict(zip(bars.y, bars.x)) == pytest.approx(TYPES_WAN)
    assert sum(bars.x) == pytest.approx(1088.25)
    assert bars.text[0] == "993.67（91.31%）"
    palette = charts.type_palette(projects["type"].to_list())
    assert list(bars.marker.color) == [palette[name] for name in bars.y]
    assert _shown_total(fig) == "1,088.25"


def test_budget_treemap_tiles_add_up_level_by_level(projects):
    tree = charts.budget_treemap(projects).data[0]
    nodes = dict(zip(tree.ids, tree.values))
    parents = dict(zip(tree.ids, tree.parents))
    assert nodes["root"] == pytest.approx(1088.25)
    types = [node for node in tree.ids if parents[node] == "root"]
    assert {node.removeprefix("type:"): nodes[node] for node in types} == pytest.approx(TYPES_WAN)
    for node in [*types, "root"]:
        children = [child for child in tree.ids if parents[child] == node]
        assert sum(nodes[child] for child in children) == pytest.approx(nodes[node])
    assert len([node for node in tree.ids if node.startswith("project:")]) == 15
    assert tree.branchvalues == "total"


def test_budget_treemap_draws_the_largest_type_first(projects):
    # Plotly lays tiles out in the given order (sort=False): the largest type takes the top left.
    tree = charts.budget_treemap(projects).data[0]
    types = [node.removeprefix("type:") for node in tree.ids if node.startswith("type:")]
    assert types == sorted(TYPES_WAN, key=TYPES_WAN.get, reverse=True)


@pytest.fixture(scope="module")
def many_projects():
    """600 synthetic projects in three types, each with far more than the treemap draws."""
    docs = generate_corpus(600, seed=5)
    return load_documents([(name, text.encode()) for name, text in docs]).projects


def _cents(value: float) -> int:
    return round(value * 100)


def _tile_labels(fig: go.Figure) -> dict[str, str]:
    return dict(zip(fig.data[0].ids, fig.data[0].labels))


def test_budget_treemap_draws_the_largest_projects_of_each_type_and_groups_the_rest(many_projects):
    tree = charts.budget_treemap(many_projects, min_share=0).data[0]
    nodes = dict(zip(tree.ids, tree.values))
    parents = dict(zip(tree.ids, tree.parents))
    labels = dict(zip(tree.ids, tree.labels))
    table = metrics.allocation_table(many_projects)
    counts = dict(many_projects.group_by("type").len().iter_rows())
    assert min(counts.values()) > charts.TREEMAP_PER_TYPE + 1
    # Root, three types, 15 projects and one "其他" tile each: 52 tiles, not 604.
    assert len(tree.ids) == 1 + 3 * (charts.TREEMAP_PER_TYPE + 2) == 52
    for type_name, count in counts.items():
        type_id = f"type:{type_name}"
        rows = table.filter(pl.col("type") == type_name)
        drawn = [node for node in tree.ids if parents[node] == type_id and node.startswith("project:")]
        # The largest projects of the type, in budget order.
        assert drawn == [f"project:{i}" for i in rows["project_id"].head(charts.TREEMAP_PER_TYPE)]
        grouped = rows.slice(charts.TREEMAP_PER_TYPE)
        other = f"other:{type_name}"
        assert labels[other] == f"其他 {count - charts.TREEMAP_PER_TYPE} 个项目"
        assert grouped.height == count - charts.TREEMAP_PER_TYPE
        assert _cents(nodes[other]) == sum(_cents(v) for v in grouped["budget_wan"])
        # The type's tiles add up to the type, which is the frame's money for that type.
        assert sum(_cents(nodes[node]) for node in tree.ids if parents[node] == type_id) == _cents(nodes[type_id])
        exact = many_projects.filter(pl.col("type") == type_name)["budget_yuan"].sum() / 10_000
        assert nodes[type_id] == pytest.approx(exact, abs=0.01)
    assert sum(_cents(nodes[f"type:{name}"]) for name in counts) == _cents(nodes["root"])
    assert f"{nodes['root']:,.2f}" == metrics.format_wan(many_projects["budget_yuan"].sum())
    # 4.96 亿元: from 1 亿元 the subtitle's total is in 亿元, the tiles stay in 万元.
    subtitle = charts.budget_treemap(many_projects).layout.title.subtitle.text
    assert subtitle.startswith(f"合计 {metrics.format_money(many_projects['budget_yuan'].sum(), '亿元')} 亿元")


def test_budget_treemap_groups_projects_too_small_to_read(many_projects):
    tree = charts.budget_treemap(many_projects).data[0]
    nodes = dict(zip(tree.ids, tree.values))
    parents = dict(zip(tree.ids, tree.parents))
    table = metrics.allocation_table(many_projects)
    shares = dict(table.select("project_id", "share").iter_rows())
    drawn = [node.removeprefix("project:") for node in tree.ids if node.startswith("project:")]
    assert drawn and all(shares[p] >= charts.TREEMAP_MIN_SHARE for p in drawn)
    for type_name in table["type"].unique():
        rows = table.filter(pl.col("type") == type_name)
        kept = [p for p in drawn if parents[f"project:{p}"] == f"type:{type_name}"]
        # The largest projects, as many as are big enough (at most 15); the rest in one tile.
        big = int((rows["share"] >= charts.TREEMAP_MIN_SHARE).sum())
        assert kept == rows["project_id"].head(min(big, charts.TREEMAP_PER_TYPE)).to_list()
        rest = rows.slice(len(kept))
        assert _cents(nodes[f"other:{type_name}"]) == sum(_cents(v) for v in rest["budget_wan"])
    assert sum(_cents(nodes[node]) for node in tree.ids if parents[node] == "root") == _cents(nodes["root"])

    # When no project of a type is big enough, its one tile says so instead of "其他".
    tiny = charts.budget_treemap(many_projects, min_share=0.5).data[0]
    counts = dict(many_projects.group_by("type").len().iter_rows())
    labels = {node: label for node, label in zip(tiny.ids, tiny.labels) if node.startswith("other:")}
    assert labels == {f"other:{name}": f"{n:,} 个项目，每个不足总预算的 50.00%" for name, n in counts.items()}
    assert not [node for node in tiny.ids if node.startswith("project:")]


def test_budget_treemap_of_the_reference_draws_every_project(projects):
    # Two projects are under 0.5% (4.80 and 5.00 万元), each alone in its type below it: never grouped alone.
    tree = charts.budget_treemap(projects).data[0]
    assert len([node for node in tree.ids if node.startswith("project:")]) == 15
    assert not [node for node in tree.ids if node.startswith("other:")]


def test_budget_treemap_wraps_a_type_header_only_as_much_as_its_share_needs(many_projects, projects):
    # 20% and 17% of the budget: the name stays on one line above the amount,
    # so the header text need not shrink to fit three lines.
    labels = _tile_labels(charts.budget_treemap(many_projects))
    assert labels["type:其他运转类（信息化运维类）"] == "其他运转类（信息化运维类）<br>9,437.18 万元"
    assert labels["type:其他事业发展性支出"] == "其他事业发展性支出<br>8,614.76 万元"
    assert (
        labels["type:其他特定目标类（部门职能类）"] == "其他特定目标类（部门职能类）  3.15 亿元 · 63.59%"
    )  # 31,522.91 万元: 亿元 from 10,000 万元
    # 6% of the reference: a narrow column, short lines.
    labels = _tile_labels(charts.budget_treemap(projects))
    assert labels["type:其他运转类（信息化运维类）"] == "其他运转类<br>（信息化运维类）<br>65.92 万元"


def test_budget_treemap_other_tile_says_in_english_how_many_projects_it_holds(many_projects):
    tree = charts.budget_treemap(many_projects, lang="en", per_type=20, min_share=0).data[0]
    counts = dict(many_projects.group_by("type").len().iter_rows())
    others = {
        node.removeprefix("other:"): label for node, label in zip(tree.ids, tree.labels) if node.startswith("other:")
    }
    assert others == {name: f"{count - 20} other projects" for name, count in counts.items()}
    hovers = [names for node, names in zip(tree.ids, tree.customdata) if node == "other:其他事业发展性支出"]
    assert hovers[0][0] == f"{counts['其他事业发展性支出'] - 20} other projects (Other public-service development)"


def test_budget_treemap_draws_one_project_more_than_per_type_rather_than_grouping_it(projects):
    # 10 projects of 部门职能类: with per_type=9 the tenth is drawn, not "其他 1 个项目".
    tree = charts.budget_treemap(projects, per_type=9).data[0]
    assert not [node for node in tree.ids if node.startswith("other:")]
    assert len([node for node in tree.ids if node.startswith("project:")]) == 15
    tree = charts.budget_treemap(projects, per_type=8).data[0]
    others = [
        (label, value) for node, label, value in zip(tree.ids, tree.labels, tree.values) if node.startswith("other:")
    ]
    # 人大常委会和代表视察费 30.00 and 财政预算审查经费 5.00.
    assert others == [("其他 2 个项目", pytest.approx(35.00))]
    assert dict(zip(tree.ids, tree.values))["root"] == pytest.approx(1088.25)


def test_budget_treemap_counts_above_a_thousand_with_separators():
    projects = pl.DataFrame(
        {
            "project_id": [f"p{i}" for i in range(1_020)],
            "name": [f"项目{i}" for i in range(1_020)],
            "type": ["甲类"] * 1_020,
            "budget_yuan": [10_000.0 + i for i in range(1_020)],
        }
    )
    fig = charts.budget_treemap(projects, min_share=0)
    assert "其他 1,005 个项目" in fig.data[0].labels
    assert fig.layout.title.subtitle.text.endswith("1,020 个项目")
    assert "1,020 个项目，每个不足总预算的 0.50%" in charts.budget_treemap(projects).data[0].labels


def test_project_bars_of_the_reference_are_ranked_with_the_rest_in_one_bar(projects):
    bars = project_bars(projects, lang="zh", top_n=5)
    assert [(_plain(b.label), b.wan) for b in bars] == [
        ("人代会", 197.68),
        ("市人大常委会法制工作委员会专项经费", 189.0),
        ("人大代表联络站专项经费", 181.0),
        ("市人大代表履职经费", 141.6),
        ("离退休人员活动费", 100.0),
        ("其他 10 个项目", 278.97),
    ]
    other = bars[-1]
    assert (other.other, other.type, other.color, other.cumulative) == (True, "—", "#BBBBBB", pytest.approx(1.0))
    assert other.share == pytest.approx(2_789_700 / 10_882_500)
    assert bars[4].cumulative == pytest.approx(1 - 2_789_700 / 10_882_500)
    every = project_bars(projects, lang="zh", top_n=None)
    table = metrics.allocation_table(projects)
    assert [(b.name, b.wan, b.share, b.cumulative) for b in every] == list(
        table.select("name", "budget_wan", "share", "cumulative_share").iter_rows()
    )
    assert [b.label for b in project_bars(projects, lang="zh", top_n=15)] == [b.label for b in every]


def test_project_bars_number_repeated_names_as_if_every_project_were_drawn():
    # Only the drawn bars are labelled now; a repeated name must still count
    # the repeats before it, so "项目（3）" is the third "项目" of the ranking.
    projects = pl.DataFrame(
        {
            "project_id": [f"p{i}" for i in range(40)],
            "name": ["项目" if i % 2 else f"其他项目{i}" for i in range(40)],
            "type": ["甲类"] * 40,
            "budget_yuan": [float(1_000 * (40 - i)) for i in range(40)],
        }
    )
    bars = project_bars(projects, lang="zh", top_n=6)
    assert [b.label for b in bars] == [
        "其他项目0",
        "项目",
        "其他项目2",
        "项目（2）",
        "其他项目4",
        "项目（3）",
        "其他 34 个项目",
    ]


def test_pareto_cumulative_share_reaches_one_with_an_80_percent_line(projects):
    fig = charts.pareto(projects)
    bars, line = fig.data
    assert list(bars.x) == sorted(bars.x, reverse=True)
    assert list(line.x) == sorted(line.x)
    assert line.x[0] == pytest.approx(1_976_800 / 10_882_500)
    assert line.x[-1] == pytest.approx(1.0)
    assert line.xaxis == "x2"
    assert list(fig.layout.xaxis2.range) == [0, 1.04]
    assert [(s.xref, s.x0, s.x1) for s in fig.layout.shapes] == [("x2", 0.8, 0.8)]
    assert _shown_total(fig) == "1,088.25"


def test_budget_vs_caps_puts_each_cap_under_its_budget(projects, indicators):
    fig = charts.budget_vs_caps(projects, indicators)
    budgets, caps = fig.data
    assert (len(budgets.x), len(caps.x)) == (15, 24)
    assert budgets.x[0] == pytest.approx(197.68)
    # The first project's rows: its budget, then its two caps right below.
    assert list(caps.y[:2]) == [budgets.y[0] + 1, budgets.y[0] + 2]
    assert [c[0] for c in caps.customdata[:2]] == ["预算控制数", "会议费"]
    assert "<b>人代会</b>" in fig.layout.yaxis.ticktext[0]
    # Nothing in the reference exceeds its budget: every cap is in the light shade.
    assert set(caps.marker.color) == {charts.tint(charts.LEVEL1_COLORS["成本指标"], 0.55)}


def test_budget_vs_caps_marks_a_cap_above_the_budget(projects, indicators):
    raised = indicators.with_columns(
        annual_number=pl.when(pl.col("indicator_id") == "9f27546f4dbff9fd-004-010")
        .then(2_500_000.0)
        .otherwise("annual_number")
    )
    caps = charts.budget_vs_caps(projects, raised).data[1]
    assert caps.marker.color[0] == charts.LEVEL1_COLORS["成本指标"]
    assert "高于预算金额" in caps.text[0]
    assert "高于预算金额" not in caps.text[1]


# ---------------------------------------------------------------- periods


def test_period_timeline_never_draws_to_2099(projects):
    fig = charts.period_timeline(projects, budget_year=2026)
    ends = [
        base + length for trace in _bar_traces(fig) for base, length in zip(trace.base, trace.x) if base is not None
    ]
    xs = [x for trace in fig.data if trace.type == "scatter" for x in trace.x if x is not None]
    assert max(ends + xs) < 2099
    assert max(ends) == 2029.5  # the longest finite project ends in 2029
    assert fig.layout.xaxis.range[1] < 2035


def test_period_timeline_labels_recurring_projects_ongoing(projects):
    fig = charts.period_timeline(projects, budget_year=2026)
    arrows = fig.data[2]
    assert arrows.mode == "markers+text"
    assert list(arrows.text) == ["长期"] * 11  # 11 projects end in 2099
    assert {_plain(label) for label in arrows.y} >= {"人代会", "市人大代表履职经费"}
    english = charts.period_timeline(projects, budget_year=2026, lang="en").data[2]
    assert set(english.text) == {"ongoing"}


def test_period_timeline_marks_the_budget_year(projects):
    fig = charts.period_timeline(projects, budget_year=2026)
    assert [(s.type, s.x0, s.x1) for s in fig.layout.shapes] == [("line", 2026, 2026)]
    assert any(a.text == "2026 预算年度" for a in fig.layout.annotations)


def test_period_timeline_draws_a_one_year_project_as_one_year(projects):
    fig = charts.period_timeline(projects, budget_year=2026)
    solid = fig.data[0]
    index = [_plain(label) for label in solid.y].index("2026年市镇两级人大换届选举经费")
    assert (solid.base[index], solid.x[index]) == (2025.5, 1)
    assert fig.data[1].base[index] is None  # no open tail


def test_period_timeline_ongoing_projects_are_solid_through_the_budget_year(projects):
    # An open-ended project started before 2026 runs for certain through 2026, whose cell ends at 2026.5;
    # only the years after it are the pale tail.
    fig = charts.period_timeline(projects, budget_year=2026)
    solid, tail = _bar_traces(fig)
    open_rows = [i for i, base in enumerate(tail.base) if base is not None]
    assert len(open_rows) == 11
    for i in open_rows:
        assert solid.base[i] + solid.x[i] == 2026.5
        assert tail.base[i] == 2026.5


def test_period_timeline_open_project_starting_after_the_budget_year_still_points_forward():
    projects = pl.DataFrame(
        {
            "project_id": ["a", "b", "c"],
            "name": ["新项目", "旧项目", "无起始年"],
            "type": ["甲类", "甲类", None],
            "start_year": [2030, 2020, None],
            "end_year": [2099, 2021, 2027],
        },
        schema_overrides={"start_year": pl.Int32, "end_year": pl.Int32},
    )
    fig = charts.period_timeline(projects, budget_year=2026)
    solid, tail, arrows = fig.data
    assert list(solid.y) == ["旧项目", "新项目"]  # by start year; no start year, no row
    assert list(tail.x) == [None, 1]
    assert list(arrows.x) == [2031.5]


# ---------------------------------------------------------------- indicators


def test_level_sunburst_counts_and_colours(indicators):
    sunburst = charts.level_sunburst(indicators).data[0]
    values = dict(zip(sunburst.ids, sunburst.values))
    colors = dict(zip(sunburst.ids, sunburst.marker.colors))
    assert {level1: values[level1] for level1 in LEVEL1_COUNTS} == LEVEL1_COUNTS
    assert {level1: colors[level1] for level1 in LEVEL1_COUNTS} == {
        level1: charts.LEVEL1_COLORS[level1] for level1 in LEVEL1_COUNTS
    }
    assert values["产出指标/质量指标"] == 32
    assert list(sunburst.ids[:4]) == list(LEVEL1_COUNTS)  # official order, not by size
    assert sunburst.sort is False


def test_level_sunburst_depth_three_adds_the_indicator_names(indicators):
    sunburst = charts.level_sunburst(indicators, depth=3).data[0]
    branches = set(sunburst.parents)
    leaves = [(node, value) for node, value in zip(sunburst.ids, sunburst.values) if node not in branches]
    assert sum(value for _, value in leaves) == 172
    assert dict(leaves)["成本指标/经济成本指标/预算控制数"] == 12


def test_level1_colours_are_the_same_on_every_chart(indicators):
    sunburst = charts.level_sunburst(indicators).data[0]
    sunburst_colors = {node: color for node, color in zip(sunburst.ids, sunburst.marker.colors) if "/" not in node}
    distribution = charts.percent_distribution(indicators)
    distribution_colors = {trace.name: trace.marker.color for trace in distribution.data}
    assert distribution_colors == {level1: sunburst_colors[level1] for level1 in distribution_colors}
    assert set(distribution_colors) == set(LEVEL1_COUNTS)


def test_category_heatmap_counts_projects_by_level2(projects, indicators):
    heatmap = charts.category_heatmap(projects, indicators).data[0]
    assert len(heatmap.y) == 15
    columns = [re.sub(r"<[^>]+>|■|\s", "", label) for label in heatmap.x]
    assert columns == [
        "数量指标",
        "质量指标",
        "时效指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "服务对象满意度指标",
        "经济成本指标",
    ]
    assert sum(v or 0 for row in heatmap.z for v in row) == 172
    retirees = [_plain(label) for label in heatmap.y].index("离退休人员活动费")
    # No 经济效益 and no 生态效益 indicator: empty cells, not zeros.
    assert heatmap.z[retirees][3] is None and heatmap.z[retirees][5] is None
    assert heatmap.text[retirees][3] == ""


def test_value_kind_chart_splits_each_project_into_shares(projects, indicators):
    fig = charts.value_kind_chart(projects, indicators)
    assert [trace.name for trace in fig.data] == ["定量", "定性", "缺失"]
    assert [sum(c[0] for c in trace.customdata) for trace in fig.data] == [149, 22, 1]
    for i in range(15):
        assert sum(trace.x[i] for trace in fig.data) == pytest.approx(1.0)
    assert fig.layout.barmode == "stack"


def test_value_kind_chart_colours_each_group_as_the_house_style_says(projects, indicators):
    fig = charts.value_kind_chart(projects, indicators)
    colours = [trace.marker.color for trace in fig.data]
    assert colours == [charts.KIND_GROUP_COLORS[group] for group in ("quantitative", "qualitative", "missing")]
    assert len(set(colours)) == 3


def test_percent_distribution_stacks_levels_in_number_order(indicators):
    fig = charts.percent_distribution(indicators)
    assert list(fig.data[0].x) == ["≥90%", "≥95%", "100%", "≥100%"]
    assert [trace.name for trace in fig.data] == list(LEVEL1_COUNTS)
    totals = [sum(trace.y[i] for trace in fig.data) for i in range(4)]
    assert totals == [10, 29, 53, 2]
    assert [a.text for a in fig.layout.annotations] == ["<b>10</b>", "<b>29</b>", "<b>53</b>", "<b>2</b>"]


# ---------------------------------------------------------------- every builder


# name: (build(projects, indicators, lang), i18n key of the title)
BUILDERS = {
    "budget_by_project": (lambda p, i, lang: charts.budget_by_project(p, lang=lang), "chart_budget_by_project"),
    "budget_by_type": (lambda p, i, lang: charts.budget_by_type(p, lang=lang), "chart_budget_by_type"),
    "period_timeline": (
        lambda p, i, lang: charts.period_timeline(p, lang=lang, budget_year=2026),
        "chart_period_timeline",
    ),
    "budget_treemap": (lambda p, i, lang: charts.budget_treemap(p, lang=lang), "chart_budget_treemap"),
    "pareto": (lambda p, i, lang: charts.pareto(p, lang=lang), "chart_pareto"),
    "budget_vs_caps": (lambda p, i, lang: charts.budget_vs_caps(p, i, lang=lang), "chart_budget_vs_caps"),
    "level_sunburst": (lambda p, i, lang: charts.level_sunburst(i, lang=lang), "chart_level_sunburst"),
    "category_heatmap": (lambda p, i, lang: charts.category_heatmap(p, i, lang=lang), "chart_category_heatmap"),
    "value_kind_chart": (lambda p, i, lang: charts.value_kind_chart(p, i, lang=lang), "chart_value_kind"),
    "percent_distribution": (
        lambda p, i, lang: charts.percent_distribution(i, lang=lang),
        "chart_percent_distribution",
    ),
}


@pytest.mark.parametrize("name", BUILDERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_builder_titles_its_figure_in_the_language(corpus, name, lang):
    build, key = BUILDERS[name]
    fig = build(corpus.projects, corpus.indicators, lang)
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text == t(key, lang)
    assert fig.layout.font.family == charts.FONT_FAMILY
    assert (fig.layout.paper_bgcolor, fig.layout.plot_bgcolor) == ("white", "white")
    if lang == "en":
        # Document text (project names) stays Chinese; every label of our own is English.
        ours = [fig.layout.title.text, fig.layout.title.subtitle.text or ""]
        ours += [axis.title.text or "" for axis in (fig.layout.xaxis, fig.layout.yaxis)]
        ours += [trace.name or "" for trace in fig.data if trace.type != "scatter" or trace.name]
        ours = [text for text in ours if text not in set(corpus.projects["type"])]
        assert not [text for text in ours if CJK.search(text)], ours


@pytest.mark.parametrize("name", BUILDERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_builder_says_no_data_for_empty_frames(corpus, name, lang):
    build, key = BUILDERS[name]
    fig = build(schema.empty(schema.PROJECTS), schema.empty(schema.INDICATORS), lang)
    assert [a.text for a in fig.layout.annotations] == [t("no_data", lang)]
    assert fig.layout.title.text == t(key, lang)
    assert not fig.data


@pytest.mark.parametrize("name", BUILDERS)
def test_every_builder_leaves_its_inputs_alone_and_returns_a_new_figure(corpus, name):
    build, _ = BUILDERS[name]
    projects, indicators = corpus.projects.clone(), corpus.indicators.clone()
    first = build(projects, indicators, "zh")
    second = build(projects, indicators, "zh")
    assert first is not second
    assert first.to_plotly_json() == second.to_plotly_json()
    assert_frame_equal(projects, corpus.projects)
    assert_frame_equal(indicators, corpus.indicators)


def test_english_labels(projects, indicators):
    assert charts.budget_by_project(projects, lang="en").layout.xaxis.title.text == "10k yuan"
    assert [trace.name for trace in charts.percent_distribution(indicators, lang="en").data] == [
        "Output",
        "Outcome",
        "Satisfaction",
        "Cost",
    ]
    assert [trace.name for trace in charts.value_kind_chart(projects, indicators, lang="en").data] == [
        "Quantitative",
        "Qualitative",
        "Missing",
    ]
    assert charts.budget_by_type(projects, lang="en").data[0].text[0] == "993.67 (91.31%)"


# ---------------------------------------------------------------- colours and export


def test_type_palette_is_deterministic_by_sorted_name():
    forward = charts.type_palette(["乙", "甲", None, "丙"])
    backward = charts.type_palette(["丙", None, "甲", "乙"])
    assert forward == backward
    assert list(forward.values())[:4] == list(charts.TYPE_COLORS)
    many = charts.type_palette([f"类型{i:02}" for i in range(12)])
    assert len(set(many.values())) == 12
    assert not set(charts.TYPE_COLORS) & set(charts.LEVEL1_COLORS.values())


def test_chart_config_saves_a_2x_png_with_the_name():
    config = charts.chart_config("东莞_2026_预算分配")
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"] == {"format": "png", "filename": "东莞_2026_预算分配", "scale": 2}


def test_image_filename():
    today = date(2026, 11, 28)
    assert (
        charts.image_filename("东莞市人民代表大会常务委员会办公室", 2026, "预算分配", today=today)
        == "东莞市人民代表大会常务委员会办公室_2026_预算分配_2026-11-28"
    )
    assert charts.image_filename(None, None, "预算分配", today=today) == "预算分配_2026-11-28"
    assert (
        charts.image_filename('a/b\\c:d*e?f"g<h>i|j\x07k', 2026, "x y.", today=today)
        == "abcdefghijk_2026_x_y_2026-11-28"
    )
    assert charts.image_filename("CON", None, "", today=today) == "CON_2026-11-28"


def test_type_colours_stay_the_same_after_filtering_when_the_corpus_palette_is_passed() -> None:
    from lib.loader import load_documents

    projects = load_documents().projects
    palette = charts.type_palette(projects["type"].to_list())
    it_only = projects.filter(projects["type"] == "其他运转类（信息化运维类）")
    figure = charts.budget_by_project(it_only, palette=palette)
    colours = {
        c
        for trace in figure.data
        for c in ([trace.marker.color] if isinstance(trace.marker.color, str) else trace.marker.color)
    }
    assert colours == {palette["其他运转类（信息化运维类）"]}


def test_document_text_in_chart_labels_is_escaped_so_plotly_cannot_read_it_as_html() -> None:
    import json

    from lib.loader import load_documents

    corpus = load_documents()
    hostile = '<a href="javascript:alert(1)">点我</a><b>粗</b>'
    projects = corpus.projects.with_columns(corpus.projects["name"].str.replace("人代会", hostile, literal=True))
    indicators = corpus.indicators.with_columns(
        corpus.indicators["name"].str.replace("费用标准", hostile, literal=True)
    )
    figures = [
        charts.budget_by_project(projects),
        charts.budget_treemap(projects),
        charts.pareto(projects),
        charts.period_timeline(projects, budget_year=2026),
        charts.budget_vs_caps(projects, indicators),
        charts.category_heatmap(projects, indicators),
        charts.level_sunburst(indicators, depth=3),
    ]
    for figure in figures:
        text = json.dumps(figure.to_plotly_json(), ensure_ascii=False)
        assert "<a href" not in text and "<b>粗" not in text
    assert "&lt;a href" in json.dumps(figures[0].to_plotly_json(), ensure_ascii=False)


def test_review_charts_count_every_finding_by_rule_and_rank_projects_by_weight() -> None:
    from lib import review
    from lib.loader import load_documents

    corpus = load_documents()
    findings = review.review(corpus)
    rules = review.rules_frame().rename({"id": "rule_id"})
    by_rule = charts.findings_by_rule(findings, rules)
    assert sum(sum(trace.x) for trace in by_rule.data) == findings.height
    assert [trace.name for trace in by_rule.data] == ["高", "中", "低"]
    by_project = charts.projects_by_findings(findings, corpus.projects)
    weights = {"高": 3, "中": 2, "低": 1}
    top = by_project.data[0].y[0]
    import polars as pl

    scored = findings.with_columns(
        pl.col("severity").cast(pl.String).replace_strict(weights, return_dtype=pl.Int64).alias("w")
    )
    best = scored.group_by("project_id").agg(pl.col("w").sum()).sort("w", descending=True)["project_id"][0]
    assert top.replace("<br>", "") == corpus.projects.filter(corpus.projects["project_id"] == best)["name"][0]


def test_findings_by_rule_puts_the_rule_with_most_findings_first(corpus) -> None:
    from collections import Counter

    from lib import review

    findings = review.review(corpus)
    rules = review.rules_frame().rename({"id": "rule_id"})
    fig = charts.findings_by_rule(findings, rules)
    counts = Counter(findings["rule_id"].to_list())
    expected = sorted(counts, key=lambda rule_id: (-counts[rule_id], rule_id))
    assert [_plain(label).split(" ")[0] for label in fig.data[0].y] == expected
    totals = [sum(values) for values in zip(*(trace.x for trace in fig.data))]
    assert totals == [counts[rule_id] for rule_id in expected]


def test_projects_by_findings_ranks_by_weight_not_by_count():
    # Three 低 weigh 3, two 高 weigh 6: fewer findings, but the more serious project comes first.
    findings = pl.DataFrame({"project_id": ["a", "a", "a", "b", "b"], "severity": ["低", "低", "低", "高", "高"]})
    projects = pl.DataFrame({"project_id": ["a", "b"], "name": ["甲", "乙"]})
    assert list(charts.projects_by_findings(findings, projects).data[0].y) == ["乙", "甲"]


def test_counts_of_a_thousand_and_more_carry_separators():
    """Counts in chart texts and subtitles read 3,440, not 3440 (t() formats whole numbers, not years)."""
    indicators = pl.concat([load_documents().indicators] * 20)  # 172 × 20 = 3,440 indicators
    fig = charts.level_sunburst(indicators)
    assert fig.layout.title.subtitle.text == "共 3,440 个指标"
    assert any(text.endswith("<br>1,500") for text in fig.data[0].text)  # 产出指标: 75 × 20
    assert t("budget_year_line", "zh", year=2026) == "2026 预算年度"


@pytest.mark.parametrize("builder", [charts.budget_by_project, charts.pareto])
def test_a_far_larger_other_bar_is_cut_at_the_axis_so_the_projects_stay_visible(builder, many_projects, projects):
    # 600 projects: the 570 not drawn add up to far more than twice the largest.
    bars = builder(many_projects).data[0]
    largest = max(bars.x[:-1])
    assert bars.x[-1] > 2 * largest
    axis = builder(many_projects).layout.xaxis.range
    assert largest < axis[1] < 1.2 * largest  # scaled to the projects, not to the rest
    # Its amount is written at the bar's start, where it is on the chart.
    assert bars.texttemplate[-1] == "" and set(bars.texttemplate[:-1]) == {"%{text}"}
    note = [a for a in builder(many_projects).layout.annotations if a.y == bars.y[-1]]
    assert len(note) == 1 and (note[0].x, note[0].xanchor) == (0, "left")
    assert note[0].text == f"<b>{bars.x[-1]:,.2f}（条形超出坐标轴，未按比例画出）</b>"
    # The reference draws all 15 projects: every bar labelled outside, the axis holds the largest.
    plain = builder(projects)
    assert set(plain.data[0].texttemplate) == {"%{text}"}
    assert plain.layout.xaxis.range[1] > max(plain.data[0].x)


def test_a_legend_only_where_colours_need_one(projects):
    # Bars of one colour per type are labelled on their axis: no legend.
    assert charts.budget_by_type(projects).layout.showlegend is False
    it_only = projects.filter(pl.col("type") == "其他运转类（信息化运维类）")
    one_type = charts.budget_by_project(it_only)
    assert one_type.layout.showlegend is False
    assert [trace.type for trace in one_type.data] == ["bar"]
    # Three types: a key explains the colours.
    assert charts.budget_by_project(projects).layout.showlegend is True
    assert charts.budget_by_type(projects.head(0)).layout.showlegend is False


def test_the_house_style_is_a_registered_template_that_figures_do_not_carry():
    import plotly.io as pio

    template = pio.templates[charts.TEMPLATE_NAME]
    assert template.layout.font.family == charts.FONT_FAMILY
    assert template.layout.font.color == charts.TEXT_COLOR
    assert template.layout.plot_bgcolor == template.layout.paper_bgcolor == "white"
    # Figures keep plotly_white and set the style themselves: their JSON is what the snapshot compares.
    fig = charts.budget_by_type(load_documents().projects)
    assert fig.layout.template == pio.templates["plotly_white"]
    assert fig.layout.font.family == charts.FONT_FAMILY
