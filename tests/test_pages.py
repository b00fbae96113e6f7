"""Tests for lib.pages: each page's content from its scope, without Streamlit, and the page drawing exactly that.

The reference document's own numbers (15 projects, 172 indicators,
10,882,500 元) are checked against the frames counted here, not against
the functions under test; a filtered scope and a two-year corpus show that
the content follows the scope.
"""

from __future__ import annotations

import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from lib import review
from lib.compare import selection
from lib.filters import Filters
from lib.loader import load_documents
from lib.pages import PER_PROJECT_ROWS, Scope, budget, card, compare, data, indicators, overview, to_json
from lib.pages import review as review_page
from lib.pages.__main__ import main
from lib.testing.synth import generate_corpus_with_truth, generate_year_pair

APP = "../app.py"


@pytest.fixture(scope="module")
def corpus():
    return load_documents()


@pytest.fixture(scope="module")
def scope(corpus):
    return Scope.of(corpus)


@pytest.fixture(scope="module")
def findings(corpus):
    return review.review(corpus)


def _value(page, key: str) -> str:
    return next(m.value for m in page.metrics if m.key == key)


# ---------------------------------------------------------------- overview and budget


def test_overview_figures_are_the_reference_documents(corpus, scope):
    page = overview.page(scope)
    budgets = sorted(corpus.projects["budget_yuan"].to_list(), reverse=True)
    assert sum(budgets) == 10_882_500
    assert _value(page, "total_budget") == "1,088.25"
    assert _value(page, "projects") == str(corpus.projects.height) == "15"
    assert _value(page, "indicators") == str(corpus.indicators.height) == "172"
    assert _value(page, "largest") == f"{budgets[0] / sum(budgets):.2%}" == "18.16%"
    assert _value(page, "top5") == f"{sum(budgets[:5]) / sum(budgets):.2%}"
    assert page.caption == "数据来源：东莞市人民代表大会常务委员会办公室 2026　·　筛选：未筛选"
    assert not page.notes


def test_overview_follows_the_filters(corpus):
    chosen = corpus.projects["type"][0]
    kept = corpus.projects.filter(pl.col("type") == chosen)
    page = overview.page(Scope.of(corpus, Filters(types=(chosen,))))
    assert _value(page, "projects") == str(kept.height)
    assert _value(page, "total_budget") == f"{kept['budget_yuan'].sum() / 10_000:,.2f}"
    assert chosen in page.caption


def test_a_filter_that_keeps_nothing_gives_the_empty_page(corpus):
    page = overview.page(Scope.of(corpus, Filters(keyword="没有这个词的项目")))
    assert page.empty and page.notes == {"empty": "当前筛选条件下没有项目。"}
    assert not page.charts and not page.metrics


def test_budget_table_sums_to_the_total_and_ranks_largest_first(corpus, scope):
    table = budget.page(scope).tables["allocation"]
    assert table.height == 15
    assert table["budget_wan"].sum() == pytest.approx(1088.25)
    assert table["budget_wan"].to_list() == sorted(table["budget_wan"].to_list(), reverse=True)
    assert table["cumulative_share"][-1] == pytest.approx(1.0)
    assert table["name"][0] == "人代会"


def test_large_corpora_name_the_largest_projects_only():
    docs = generate_corpus_with_truth(PER_PROJECT_ROWS + 5, seed=3, projects_per_document=PER_PROJECT_ROWS + 5)
    big = load_documents([(name, text.encode()) for name, text, _ in docs])
    page = budget.page(Scope.of(big))
    total = big.projects.height
    assert page.notes == {"budget_caps": f"下图只显示预算最大的 {PER_PROJECT_ROWS} 个项目（共 {total} 个）。"}


def test_every_chart_of_a_page_is_the_chart_its_key_names(scope, findings):
    # A page lays its charts out by key: each key must hold the chart it names, titled as such.
    pages = [overview.page(scope), budget.page(scope), indicators.page(scope), review_page.page(scope, findings)]
    titles = {key: chart.build().layout.title.text for page in pages for key, chart in page.charts.items()}
    assert titles == {
        "overview_by_project": "各项目预算金额（万元）",
        "overview_by_type": "各类型项目预算金额（万元）",
        "overview_timeline": "项目实施周期",
        "budget_treemap": "预算结构：项目类型与项目（万元）",
        "budget_pareto": "预算集中度：项目预算与累计占比",
        "budget_caps": "预算金额与成本指标金额（万元）",
        "ind_sunburst": "绩效指标分类（一级、二级指标数量）",
        "ind_percent": "年度百分比指标值分布",
        "ind_heatmap": "各项目二级指标数量",
        "ind_kinds": "各项目年度指标值类型构成",
        "review_by_rule": "各审核规则发现数量",
        "review_by_project": "发现最多的项目",
    }


# ---------------------------------------------------------------- indicators, review, card, data


def test_indicator_search_narrows_the_table_only(corpus, scope):
    everything = indicators.page(scope)
    assert everything.tables["indicators"].height == 172
    searched = indicators.page(scope, search="满意度")
    # 满意度 in the indicator's name or in its 二级指标 (服务对象满意度指标).
    expected = corpus.indicators.filter(
        pl.col("name").str.contains("满意度") | pl.col("level2").cast(pl.String).str.contains("满意度")
    ).height
    assert searched.tables["indicators"].height == expected > 0
    assert searched.tables["full"].height == expected
    assert "project_id" in searched.tables["full"].columns
    assert searched.tables["indicators"].columns == list(indicators.TABLE_COLUMNS)
    # The charts are the filtered scope's, whatever the search.
    assert searched.charts["ind_sunburst"].build().to_json() == everything.charts["ind_sunburst"].build().to_json()


def test_review_counts_each_severity_and_keeps_the_chosen_ones(scope, findings):
    page = review_page.page(scope, findings)
    by_severity = findings["severity"].cast(pl.String).value_counts()
    counts = dict(by_severity.iter_rows())
    assert _value(page, "findings") == f"{findings.height:,}"
    for severity in review.SEVERITIES:
        assert _value(page, severity) == f"{counts.get(severity, 0):,}"
    assert page.tables["findings"].height == findings.height
    high = review_page.page(scope, findings, severities=["高"])
    assert high.tables["found"]["severity"].cast(pl.String).unique().to_list() == ["高"]
    assert _value(high, "findings") == f"{counts['高']:,}"


def test_card_of_the_first_project(corpus, scope, findings):
    project_id = card.chosen_project(scope, "no-such-project")
    assert project_id == corpus.projects["project_id"][0]
    page = card.page(scope, findings, project_id)
    assert page.texts["project"]["name"] == "市人大代表履职经费"
    assert [m.value for m in page.metrics] == ["141.60", f"{1_416_000 / 10_882_500:.2%}", "2021–长期"]
    assert page.metrics[0].label == "预算金额（万元）"
    table = page.tables["indicators"]
    assert table.height == corpus.indicators.filter(pl.col("project_id") == project_id).height == 12
    mine = findings.filter(pl.col("project_id") == project_id)
    flagged = mine.filter(pl.col("indicator_id").is_not_null())
    assert (table["flags"] != "").sum() == flagged["indicator_id"].n_unique()
    assert len(page.texts["findings"]) == mine.height
    assert page.texts["goals"][0][0] == "实施周期总目标"
    assert page.texts["facts_line"].startswith("预算金额 141.60 万元　占总预算 13.01%　实施周期 2021–长期")


def test_card_flags_each_indicator_with_all_its_rules(corpus, scope, findings):
    expected = {}
    for indicator_id, rule_id in findings.select("indicator_id", "rule_id").drop_nulls().iter_rows():
        expected.setdefault(indicator_id, set()).add(rule_id)
    assert max(len(rules) for rules in expected.values()) == 2  # one indicator draws two rules
    for project_id in corpus.projects["project_id"]:
        table = card.page(scope, findings, project_id).tables["indicators"]
        ids = corpus.indicators.filter(pl.col("project_id") == project_id)["indicator_id"].to_list()
        assert table["flags"].to_list() == [" ".join(sorted(expected.get(i, ()))) for i in ids]


def test_data_page_offers_every_frame(corpus, scope):
    projects = data.page(scope, "projects").tables["shown"]
    assert projects.height == 15 and projects["budget_wan"].sum() == pytest.approx(1088.25)
    assert "place" not in projects.columns  # a text file's rows are its lines
    assert data.page(scope, "indicators").tables["shown"].height == 172
    diagnostics = data.page(scope, "diagnostics")
    assert diagnostics.tables["shown"].height == corpus.diagnostics.height
    assert data.page(scope, "documents").tables["frame"].height == 1
    with pytest.raises(ValueError, match="no frame 'nothing'"):
        data.page(scope, "nothing")


# ---------------------------------------------------------------- compare


def test_two_years_compare_with_changes():
    pair = generate_year_pair(10, seed=1, years=(2025, 2026))
    two = load_documents(pair.sources())
    scope = Scope.of(two)
    assert compare.comparable(scope, "years") and compare.departments_with_years(scope) == [pair.department]
    assert compare.years(scope, pair.department) == [2025, 2026]
    left = selection(two, department=pair.department, year=2025)
    right = selection(two, department=pair.department, year=2026)
    page = compare.page(
        scope, review.review(two), mode="years", left=left, right=right, left_label="2025", right_label="2026"
    )
    earlier = two.projects.filter(pl.col("document_id").is_in(list(left)))
    later = two.projects.filter(pl.col("document_id").is_in(list(right)))
    assert _value(page, "projects") == f"{earlier.height} → {later.height}"
    assert _value(page, "left_budget") == f"{earlier['budget_yuan'].sum() / 10_000:,.2f}"
    # Under the later total: how much it changed, and by what share of the earlier one.
    difference = later["budget_yuan"].sum() - earlier["budget_yuan"].sum()
    assert difference != 0
    right = next(m for m in page.metrics if m.key == "right_budget")
    assert right.delta == f"{difference / 10_000:,.2f}（{difference / earlier['budget_yuan'].sum():.2%}）"
    assert list(page.charts) == ["compare_by_type", "compare_changes", "compare_ranking"]
    changes = page.tables["changes"]
    assert set(changes["name"].drop_nulls()) >= set(pair.new)


def test_one_document_has_nothing_to_compare_by_year(scope):
    assert not compare.comparable(scope, "years")
    assert not compare.comparable(scope, "departments")


# ---------------------------------------------------------------- the JSON twin and the drawn page


def test_every_page_has_a_json_twin(scope, findings, capsys):
    twin = to_json(overview.page(scope))
    assert json.loads(json.dumps(twin, ensure_ascii=False)) == twin
    assert set(twin["charts"]) == {"overview_by_project", "overview_by_type", "overview_timeline"}
    assert main(["card", "--lang", "en"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "Project target card"
    assert (printed["metrics"][0]["label"], printed["metrics"][0]["value"]) == ("Budget (10k yuan)", "141.60")
    assert len(printed["tables"]["indicators"]) == 12


def test_the_overview_draws_its_content():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    expected = to_json(overview.page(Scope.of(load_documents())))
    assert [(m.label, m.value) for m in at.metric] == [(m["label"], m["value"]) for m in expected["metrics"]]
    drawn = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    assert [chart["data"] for chart in drawn] == [chart["data"] for chart in expected["charts"].values()]


def test_the_chosen_finding_comes_first_and_marks_its_indicator(corpus, scope, findings):
    # The project with most findings; choose its last (least serious) one.
    project_id = findings.group_by("project_id").len().sort("len", descending=True)["project_id"][0]
    mine = findings.filter(pl.col("project_id") == project_id)
    last = mine.sort("severity", "rule_id", maintain_order=True).tail(1).row(0, named=True)
    page = card.page(scope, findings, project_id, chosen=last["finding_id"])
    assert page.texts["chosen"] and page.texts["findings"][0].endswith(last["message"])
    title = review.rules_frame().filter(pl.col("id") == last["rule_id"])["title"].item()
    assert page.texts["findings"][0] == f"【{last['severity']}】{last['rule_id']} {title}：{last['message']}"
    table = page.tables["indicators"]
    ids = corpus.indicators.filter(pl.col("project_id") == project_id)["indicator_id"].to_list()
    assert [i for i, chosen in zip(ids, table["chosen"]) if chosen] == (
        [last["indicator_id"]] if last["indicator_id"] else []
    )
    assert page.notes["chosen"] == "审核发现页所选的发现及其指标"
    # Without a choice: most serious first, nothing highlighted.
    plain = card.page(scope, findings, project_id)
    assert not plain.texts["chosen"] and not plain.tables["indicators"]["chosen"].any()
    assert "chosen" not in plain.notes
