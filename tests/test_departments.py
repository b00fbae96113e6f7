"""Departments first at scale: budget by department, the treemap's department level, Pareto by department,
project labels naming their department, shares within the department, 亿元, and the pages that lead with them.

The corpora are synthetic with their truth (:func:`lib.testing.synth.generate_corpus_with_truth`): every
department's budget is summed here from the generator's own cents, not from the functions under test.
"""

from __future__ import annotations

import re
from collections import defaultdict

import polars as pl
import pytest

from lib import charts, metrics
from lib.loader import load_documents
from lib.pages import Scope, budget, overview
from lib.testing.synth import generate_corpus_with_truth


@pytest.fixture(scope="module")
def many():
    """12 department documents of 40 projects each (480 projects), and each department's budget in cents."""
    docs = generate_corpus_with_truth(480, seed=11, projects_per_document=40)
    corpus = load_documents([(name, text.encode()) for name, text, _ in docs])
    cents: dict[str, int] = defaultdict(int)
    for _, _, truth in docs:
        for project in truth.projects:
            cents[truth.department] += project.budget_cents
    return corpus, dict(cents)


@pytest.fixture(scope="module")
def scope(many):
    return Scope.of(many[0])


def test_the_corpus_spans_departments(many, scope):
    corpus, cents = many
    assert len(cents) > 1 and scope.several_departments
    assert metrics.department_count(scope.projects) == len(cents)


def test_budget_by_department_is_each_departments_money_and_adds_up_to_the_total(many, scope):
    corpus, cents = many
    fig = charts.budget_by_department(scope.projects)
    bars = fig.data[0]
    short = charts.short_departments(cents)
    expected = sorted(cents.items(), key=lambda item: -item[1])
    assert [label.replace("<br>", "") for label in bars.y] == [short[name] for name, _ in expected]
    unit = "亿元" if max(cents.values()) >= 100_000_000 * 100 else "万元"
    scale = 100_000_000 if unit == "亿元" else 10_000
    assert list(bars.x) == pytest.approx([c / 100 / scale for _, c in expected], abs=0.01)
    # The bars add up to the subtitle's total exactly (apportioned to 0.01 of the unit).
    total = sum(round(x * 100) for x in bars.x) / 100
    assert f"合计 {total:,.2f} {unit}，{len(cents)} 个部门，{corpus.projects.height} 个项目" == (
        fig.layout.title.subtitle.text
    )
    assert f"{total:,.2f}" == metrics.format_money(sum(cents.values()) / 100, unit)


def test_many_departments_keep_the_largest_and_group_the_rest():
    projects = pl.DataFrame(
        {
            "department": [f"部门{i:02d}" for i in range(40)],
            "budget_yuan": [float(1_000_000 * (i + 1)) for i in range(40)],
        }
    )
    fig = charts.budget_by_department(projects)
    labels = list(fig.data[0].y)
    assert len(labels) == charts.TOP_DEPARTMENTS + 1
    assert labels[-1] == f"其他 {40 - charts.TOP_DEPARTMENTS} 个部门"
    # 1..10 million 元 grouped: 55 million 元 = 5,500 万元.
    assert fig.data[0].x[-1] == pytest.approx(5_500.0)
    assert sum(fig.data[0].x) == pytest.approx(sum(range(1, 41)) * 100)


def test_treemap_drills_department_then_type_then_project(many, scope):
    corpus, cents = many
    tree = charts.budget_treemap(scope.projects, departments=True).data[0]
    nodes = dict(zip(tree.ids, tree.values))
    parents = dict(zip(tree.ids, tree.parents))
    departments = [node for node in tree.ids if parents[node] == "root"]
    assert len(departments) == len(cents)
    # Departments in budget order, each the sum of its types, each type the sum of its tiles.
    assert [nodes[d] for d in departments] == sorted((nodes[d] for d in departments), reverse=True)
    # Each department's tile is its money in 万元 (cents / 1,000,000), to the apportioned 0.01.
    assert sorted(nodes[d] for d in departments) == pytest.approx(
        sorted(c / 1_000_000 for c in cents.values()), abs=0.011
    )
    for department in departments:
        types = [node for node in tree.ids if parents[node] == department]
        assert types and round(sum(nodes[t] for t in types) * 100) == round(nodes[department] * 100)
        for type_id in types:
            tiles = [node for node in tree.ids if parents[node] == type_id]
            assert len([t for t in tiles if t.startswith("project:")]) <= charts.TREEMAP_PER_DEPARTMENT_TYPE
            assert round(sum(nodes[t] for t in tiles) * 100) == round(nodes[type_id] * 100)
    assert tree.maxdepth == 3  # departments and types first; a click drills into one
    assert round(sum(nodes[d] for d in departments) * 100) == round(nodes["root"] * 100)


def test_pareto_ranks_departments(many, scope):
    corpus, cents = many
    fig = charts.pareto(scope.projects, departments=True)
    bars, line = fig.data[0], fig.data[1]
    assert len(bars.y) == len(cents)
    assert line.x[-1] == pytest.approx(1.0)
    largest = max(cents.values())
    assert line.x[0] == pytest.approx(largest / sum(cents.values()))
    assert fig.layout.title.text == "预算集中度：部门预算与累计占比"


def test_project_labels_name_their_department(scope):
    fig = charts.budget_by_project(scope.projects, departments=True)
    table = metrics.allocation_table(scope.projects).head(30)
    short = charts.short_departments(scope.projects["department"].to_list())
    for label, department in zip(fig.data[0].y, table["department"]):
        assert re.sub(r"<[^>]+>", "", label.rsplit("<br>", 1)[1]) == short[department]


def test_shares_within_the_department_add_up_to_one(scope):
    table = metrics.allocation_table(scope.projects)
    sums = table.group_by("department").agg(pl.col("department_share").sum())
    assert sums["department_share"].to_list() == pytest.approx([1.0] * sums.height)


def test_overview_leads_with_departments_and_names_them(many, scope):
    corpus, cents = many
    page = overview.page(scope)
    assert list(page.charts)[0] == "overview_by_department"
    values = {m.key: m.value for m in page.metrics}
    assert values["departments"] == str(len(cents))
    total_yuan = sum(cents.values()) / 100
    label = next(m.label for m in page.metrics if m.key == "total_budget")
    assert (label, values["total_budget"]) == (
        ("预算总额（亿元）", metrics.format_money(total_yuan, "亿元"))
        if total_yuan >= 100_000_000
        else ("预算总额（万元）", metrics.format_wan(total_yuan))
    )
    largest = max(cents, key=cents.get)
    assert page.texts["headline"].startswith(f"{len(cents)} 个部门（{largest}、")
    assert page.texts["headline"].endswith("· 2026 年度")


def test_budget_page_table_has_departments(scope):
    page = budget.page(scope)
    assert page.tables["allocation"].columns == [
        "name",
        "department",
        "type",
        "budget_wan",
        "share",
        "department_share",
        "cumulative_share",
    ]
    assert page.charts["budget_treemap"].build().layout.title.text == "预算结构：部门、项目类型与项目"


def test_one_department_keeps_the_project_view():
    scope = Scope.of(load_documents())
    assert not scope.several_departments
    page = overview.page(scope)
    assert "overview_by_department" not in page.charts
    assert budget.page(scope).tables["allocation"].columns == [
        "name",
        "type",
        "budget_wan",
        "share",
        "cumulative_share",
    ]


def test_rounded_departments_still_add_up_to_the_shown_total():
    # Three departments of 3,333.33333 万元: each rounds to 3,333.33, but the total is 10,000.00 万元 (1.00 亿元).
    projects = pl.DataFrame({"department": ["甲", "乙", "丙"], "budget_yuan": [33_333_333.33] * 3})
    fig = charts.budget_by_department(projects)
    assert fig.layout.title.text == "各部门预算金额（万元）"
    assert sum(round(x * 100) for x in fig.data[0].x) == 1_000_000
    assert fig.layout.title.subtitle.text.startswith("合计 10,000.00 万元")


def test_card_gives_the_share_within_the_department_and_overall(scope):
    from lib import review
    from lib.pages import card

    project = scope.projects.sort("budget_yuan", descending=True).row(0, named=True)
    same = scope.projects.filter(pl.col("department") == project["department"])
    page = card.page(scope, review.review(scope.corpus).head(0), project["project_id"])
    values = {m.key: m.value for m in page.metrics}
    assert values["department_share"] == f"{project['budget_yuan'] / same['budget_yuan'].sum():.2%}"
    assert values["share"] == f"{project['budget_yuan'] / scope.projects['budget_yuan'].sum():.2%}"
    assert [m.key for m in page.metrics] == ["budget", "department_share", "share", "period"]
