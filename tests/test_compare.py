"""Tests for lib.compare: two years whose differences are known by construction, then the rules.

The year-over-year tests load :func:`lib.testing.synth.generate_year_pair` and check
every number against what the generator changed; the department tests use
:func:`lib.testing.synth.generate_corpus_with_truth`. The matching and direction
rules are pinned on small hand-made corpora, built from frames directly.
"""

from __future__ import annotations

import time
from collections import Counter

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from lib import schema
from lib.charts.compare import CHANGE_COLORS, compare_budget_by_type_chart, project_changes_chart, ranking_chart
from lib.compare import (
    PROJECT_CHANGES,
    TARGET_CHANGES,
    TOTALS,
    compare_totals,
    department_ranking,
    project_changes,
    selection,
    target_changes,
)
from lib.loader import load_documents
from lib.model.corpus import Corpus
from lib.testing.synth import Truth, YearPair, generate_corpus_with_truth, generate_year_pair
from lib.values import parse_value_columns

EARLIER, LATER = 2025, 2026


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pair() -> YearPair:
    # Seed 1 gives a department with both "代表建议督办工作经费" and
    # "2025年代表建议督办工作经费", the case the two matching passes exist for.
    return generate_year_pair(10, seed=1, years=(EARLIER, LATER))


@pytest.fixture(scope="module")
def pair_corpus(pair: YearPair) -> Corpus:
    return load_documents(pair.sources())


@pytest.fixture(scope="module")
def sides(pair: YearPair, pair_corpus: Corpus) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return (
        selection(pair_corpus, department=pair.department, year=EARLIER),
        selection(pair_corpus, department=pair.department, year=LATER),
    )


@pytest.fixture(scope="module")
def departments():
    """Four department documents of 15 projects each, and their truth."""
    docs = generate_corpus_with_truth(60, seed=2, projects_per_document=15)
    corpus = load_documents([(name, text.encode()) for name, text, _ in docs])
    return corpus, [truth for _, _, truth in docs]


def _yuan(cents: int) -> float:
    return cents / 100


def _truth_totals(left: Truth | None, right: Truth | None) -> pl.DataFrame:
    """The expected :func:`compare_totals` frame, from the generator's truth alone."""

    def side(truth: Truth | None) -> dict[tuple[str, str | None], float]:
        projects = truth.projects if truth else ()
        cents = sum(p.budget_cents for p in projects)
        out = {
            ("budget_yuan", None): _yuan(cents),
            ("budget_wan", None): _yuan(cents) / 10_000,
            ("projects", None): float(len(projects)),
            ("indicators", None): float(sum(p.indicator_count for p in projects)),
        }
        for p in projects:
            out[("type_budget_yuan", p.type)] = out.get(("type_budget_yuan", p.type), 0.0) + p.budget_yuan
            out[("type_projects", p.type)] = out.get(("type_projects", p.type), 0.0) + 1
        for (measure, type_), value in list(out.items()):
            if measure == "type_budget_yuan":
                out[("type_budget_wan", type_)] = value / 10_000
        return out

    lefts, rights = side(left), side(right)
    types = {k[1] for k in (*lefts, *rights) if k[1] is not None}
    size = {ty: lefts.get(("type_budget_yuan", ty), 0) + rights.get(("type_budget_yuan", ty), 0) for ty in types}
    order = sorted(types, key=lambda ty: (-size[ty], ty))
    keys = [(m, None) for m in ("budget_yuan", "budget_wan", "projects", "indicators")] + [
        (m, ty) for m in ("type_budget_yuan", "type_budget_wan", "type_projects") for ty in order
    ]
    rows = []
    for key in keys:
        a, b = lefts.get(key, 0.0), rights.get(key, 0.0)
        rows.append((*key, a, b, b - a, (b - a) / a if a else None))
    return pl.DataFrame(rows, schema=TOTALS, orient="row")


# ---------------------------------------------------------------- year over year


def test_year_pair_is_what_the_generator_says(pair: YearPair, pair_corpus: Corpus):
    # The comparison below is only as good as the two documents loading cleanly.
    assert pair_corpus.diagnostics.filter(pl.col("severity") != "info").is_empty()
    assert pair_corpus.documents["year"].to_list() == [EARLIER, LATER]
    assert len(pair.ended) == 2 and len(pair.new) == 3 and len(pair.budget_changes) == 3


def test_compare_totals_of_two_years_matches_the_truth(pair, pair_corpus, sides):
    totals = compare_totals(pair_corpus, *sides)
    assert_frame_equal(totals, _truth_totals(pair.earlier, pair.later))


def test_total_difference_is_the_sum_of_the_constructed_changes(pair, pair_corpus, sides):
    earlier = {p.name: p.budget_cents for p in pair.earlier.projects}
    later = {p.name: p.budget_cents for p in pair.later.projects}
    expected_cents = (
        sum(after - before for _, before, after in pair.budget_changes)
        + sum(later[name] for name in pair.new)
        - sum(earlier[name] for name in pair.ended)
    )
    totals = compare_totals(pair_corpus, *sides)
    difference = totals.filter(pl.col("measure") == "budget_yuan")["difference"].item()
    assert difference == pytest.approx(_yuan(expected_cents), abs=1e-6)
    # The project changes add up to the same difference: new and ended count in full.
    changes = project_changes(pair_corpus, *sides)
    assert changes["change_yuan"].sum() == pytest.approx(difference, abs=1e-6)


def test_project_changes_of_two_years_match_the_truth(pair, pair_corpus, sides):
    earlier = {p.name: p.budget_yuan for p in pair.earlier.projects}
    later = {p.name: p.budget_yuan for p in pair.later.projects}
    rows = [
        (
            "continued",
            b,
            a,
            b,
            earlier[a],
            later[b],
            later[b] - earlier[a],
            later[b] / earlier[a] - 1,
        )
        for a, b in pair.continued
    ]
    rows += [("new", n, None, n, None, later[n], later[n], None) for n in pair.new]
    rows += [("ended", n, n, None, earlier[n], None, -earlier[n], -1.0) for n in pair.ended]
    columns = (
        "status",
        "name",
        "earlier_name",
        "later_name",
        "earlier_budget_yuan",
        "later_budget_yuan",
        "change_yuan",
        "change_ratio",
    )
    expected = pl.DataFrame(rows, schema={c: PROJECT_CHANGES[c] for c in columns}, orient="row")
    changes = project_changes(pair_corpus, *sides)
    assert_frame_equal(changes.select(columns), expected)
    assert changes["department"].unique().to_list() == [pair.department]
    # Unchanged budgets are exactly zero, the changed ones exactly the constructed ones.
    moved = changes.filter((pl.col("status") == "continued") & (pl.col("change_yuan") != 0))
    assert moved.select("later_name", "change_yuan").rows() == [
        (name, _yuan(after - before)) for name, before, after in pair.budget_changes
    ]


def test_leading_year_does_not_steal_an_exact_match(pair, pair_corpus, sides):
    names = {p.name for p in pair.earlier.projects}
    assert {"代表建议督办工作经费", "2025年代表建议督办工作经费"} <= names
    continued = project_changes(pair_corpus, *sides).filter(pl.col("status") == "continued")
    pairs = set(continued.select("earlier_name", "later_name").rows())
    assert ("代表建议督办工作经费", "代表建议督办工作经费") in pairs
    assert ("2025年代表建议督办工作经费", "2026年代表建议督办工作经费") in pairs


def test_target_changes_of_two_years_match_the_truth(pair, pair_corpus, sides):
    raised = {name: after > before for name, before, after in pair.budget_changes}
    rows = [
        (
            c.project,
            c.level1,
            c.level2,
            c.indicator,
            c.before,
            c.after,
            "raised" if c.level1 == "满意度指标" or raised[c.project] else "lowered",
        )
        for c in pair.target_changes
    ]
    columns = ("project", "level1", "level2", "indicator", "before", "after", "direction")
    expected = pl.DataFrame(rows, schema={c: TARGET_CHANGES[c] for c in columns}, orient="row")
    changes = target_changes(pair_corpus, *sides)
    assert_frame_equal(changes.select(columns), expected)
    assert changes.filter(pl.col("level1") == "满意度指标").select("before", "after", "direction").row(0) == (
        "≥90%",
        "≥95%",
        "raised",
    )


def test_rolled_over_deadlines_are_not_changes(pair, pair_corpus, sides):
    # Every deadline moved a year with the document; none of them is reported.
    deadlines = pair_corpus.indicators.filter(pl.col("annual_kind") == "deadline")
    assert deadlines["annual_value"].str.contains("2025年").any()
    assert deadlines["annual_value"].str.contains("2026年").any()
    ids = set(target_changes(pair_corpus, *sides)["later_indicator_id"].to_list())
    assert ids.isdisjoint(deadlines["indicator_id"].to_list())


# ---------------------------------------------------------------- department vs department


def test_compare_totals_of_two_departments_matches_the_truth(departments):
    corpus, truths = departments
    a, b = truths[0], truths[1]
    left = selection(corpus, department=a.department)
    right = selection(corpus, department=b.department, year=b.year)
    assert_frame_equal(compare_totals(corpus, left, right), _truth_totals(a, b))


def test_different_departments_share_no_project(departments):
    corpus, truths = departments
    left = selection(corpus, department=truths[0].department)
    right = selection(corpus, department=truths[1].department)
    statuses = Counter(project_changes(corpus, left, right)["status"].to_list())
    assert statuses == {"new": len(truths[1].projects), "ended": len(truths[0].projects)}
    assert target_changes(corpus, left, right).is_empty()


def test_selection_by_department_and_year(departments):
    corpus, truths = departments
    assert len(selection(corpus)) == 4
    assert selection(corpus, department=truths[2].department, year=truths[2].year) == (
        corpus.documents["document_id"][2],
    )
    assert selection(corpus, department="没有这个部门") == ()


# ---------------------------------------------------------------- ranking


def _truth_ranking(truths: list[Truth]) -> pl.DataFrame:
    rows = sorted(
        (
            (
                t.department,
                t.year,
                t.budget_total_yuan,
                t.budget_total_yuan / 10_000,
                len(t.projects),
                t.indicator_count,
            )
            for t in truths
        ),
        key=lambda row: -row[2],
    )
    return pl.DataFrame(
        [(i, *row) for i, row in enumerate(rows, 1)],
        schema={
            "rank": pl.UInt32,
            "department": pl.String,
            "year": pl.Int32,
            "budget_yuan": pl.Float64,
            "budget_wan": pl.Float64,
            "projects": pl.UInt32,
            "indicators": pl.UInt32,
        },
        orient="row",
    )


def test_ranking_without_findings_is_by_budget(departments):
    corpus, truths = departments
    assert_frame_equal(department_ranking(corpus), _truth_ranking(truths))


@pytest.mark.parametrize("severity_dtype", [pl.String, pl.Enum(("高", "中", "低"))])
def test_ranking_with_findings_is_by_weighted_findings_per_project(departments, severity_dtype):
    corpus, truths = departments
    ids = corpus.projects.group_by("document_id", maintain_order=True).agg("project_id")["project_id"].to_list()
    findings = pl.DataFrame(
        {
            "project_id": [ids[2][0], ids[2][0], ids[2][5], ids[1][3], None, "no-such-project"],
            "severity": ["高", "高", "低", "中", "高", "高"],
        },
        schema={"project_id": pl.String, "severity": severity_dtype},
    )
    ranking = department_ranking(corpus, findings=findings)
    by_budget = _truth_ranking(truths)
    # Document 2: (3 + 3 + 1) / 15; document 1: 2 / 15; the other two share rank 3, larger budget first.
    expected_order = [truths[2].department, truths[1].department] + [
        d for d in by_budget["department"].to_list() if d not in (truths[2].department, truths[1].department)
    ]
    assert ranking["department"].to_list() == expected_order
    assert ranking["rank"].to_list() == [1, 2, 3, 3]
    assert ranking.select("findings_high", "findings_medium", "findings_low", "findings").rows() == [
        (2, 0, 1, 3),
        (0, 1, 0, 1),
        (0, 0, 0, 0),
        (0, 0, 0, 0),
    ]
    assert ranking["score"].to_list() == pytest.approx([7 / 15, 2 / 15, 0.0, 0.0])
    # The columns without findings are unchanged by them.
    assert_frame_equal(
        ranking.drop("rank", "findings_high", "findings_medium", "findings_low", "findings", "score").sort(
            "department"
        ),
        by_budget.drop("rank").sort("department"),
    )


def test_ranking_counts_every_finding_of_the_review(departments):
    review = pytest.importorskip("lib.review")
    corpus, _ = departments
    findings = review.review(corpus)
    ranking = department_ranking(corpus, findings=findings)
    counted = findings.filter(pl.col("project_id").is_in(corpus.projects["project_id"].implode()))
    assert ranking["findings"].sum() == counted.height
    for severity, column in (
        ("高", "findings_high"),
        ("中", "findings_medium"),
        ("低", "findings_low"),
    ):
        assert ranking[column].sum() == (counted["severity"].cast(pl.String) == severity).sum()


# ---------------------------------------------------------------- hand-made corpora


def make_corpus(projects: list[tuple], indicators: list[tuple] = ()) -> Corpus:
    """A corpus from rows: projects (document_id, department, year, name, budget_yuan[, type]),
    indicators (project index, level2, name, annual_value); ids are positions."""
    docs: dict[str, tuple[str, int]] = {}
    project_rows = []
    for i, (doc, department, year, name, budget, *rest) in enumerate(projects):
        docs.setdefault(doc, (department, year))
        project_rows.append(
            {
                "project_id": f"p{i}",
                "document_id": doc,
                "line": i + 1,
                "name": name,
                "type": rest[0] if rest else "类型甲",
                "department": department,
                "budget_year": year,
                "budget_yuan": budget,
            }
        )
    indicator_rows = [
        {
            "indicator_id": f"i{j}",
            "project_id": f"p{project}",
            "line": j + 1,
            "level1": schema.LEVEL2_PARENT[level2],
            "level2": level2,
            "name": name,
            "annual_value": value,
        }
        for j, (project, level2, name, value) in enumerate(indicators)
    ]
    raw = {
        c: d for c, d in schema.INDICATORS.items() if not c.startswith(("period_", "annual_")) or c.endswith("_value")
    }
    frame = pl.DataFrame(indicator_rows, schema=raw) if indicator_rows else pl.DataFrame(schema=raw)
    frame = pl.concat(
        [
            frame,
            parse_value_columns(frame["period_value"], prefix="period"),
            parse_value_columns(frame["annual_value"], prefix="annual"),
        ],
        how="horizontal",
    ).select(list(schema.INDICATORS))
    return Corpus(
        documents=schema.frame(
            [{"document_id": d, "department": dep, "year": y, "project_count": 0} for d, (dep, y) in docs.items()],
            schema.DOCUMENTS,
        ),
        projects=schema.frame(project_rows, schema.PROJECTS),
        indicators=frame.cast(schema.INDICATORS),
        diagnostics=schema.empty(schema.DIAGNOSTICS),
    )


def _statuses(corpus: Corpus, **options) -> list[tuple]:
    changes = project_changes(corpus, ("a",), ("b",), **options)
    return changes.select("status", "earlier_name", "later_name").rows()


def test_names_match_without_spaces_and_with_either_brackets():
    corpus = make_corpus([("a", "甲局", 2025, "人大 代表(二期)", 1.0), ("b", "甲局", 2026, "人大代表（二期）", 2.0)])
    assert _statuses(corpus) == [("continued", "人大 代表(二期)", "人大代表（二期）")]


def test_repeated_names_pair_in_document_order():
    corpus = make_corpus(
        [
            ("a", "甲局", 2025, "X经费", 1.0),
            ("a", "甲局", 2025, "X经费", 2.0),
            ("b", "甲局", 2026, "X经费", 10.0),
        ]
    )
    changes = project_changes(corpus, ("a",), ("b",))
    assert changes.select("status", "earlier_budget_yuan", "later_budget_yuan").rows() == [
        ("continued", 1.0, 10.0),
        ("ended", 2.0, None),
    ]


def test_names_match_within_a_department_unless_asked_otherwise():
    corpus = make_corpus([("a", "甲局", 2025, "人才引进", 1.0), ("b", "乙局", 2026, "人才引进", 1.0)])
    assert _statuses(corpus) == [("new", None, "人才引进"), ("ended", "人才引进", None)]
    assert _statuses(corpus, by_department=False) == [("continued", "人才引进", "人才引进")]


def test_missing_budget_gives_a_null_change_not_an_error():
    corpus = make_corpus([("a", "甲局", 2025, "X", None), ("b", "甲局", 2026, "X", 5.0)])
    changes = project_changes(corpus, ("a",), ("b",))
    assert changes.select("change_yuan", "change_ratio").row(0) == (None, None)


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        ("≥90%", "≥95%", "raised"),
        ("≥95%", "≥90%", "lowered"),
        # Same number, stricter comparator.
        ("95%", "≥95%", "raised"),
        ("≥95%", ">95%", "raised"),
        # From a floor to a ceiling: no direction to speak of.
        ("≥95%", "≤95%", "changed"),
        ("≤28.59万元", "≤30万元", "raised"),
        ("良", "优", "changed"),
        ("≥90%", "90个", "changed"),
        ("≥90%", None, "changed"),
        ("2025年12月31日前", "2026年6月30日前", "changed"),
        # Not changes: spacing, a count with and without its unit, the deadline a year on.
        ("≥ 95%", "≥95%", None),
        ("1", "1次", None),
        ("2025年12月31日前", "2026年12月31日前", None),
    ],
)
def test_target_direction(before, after, direction):
    corpus = make_corpus(
        [("a", "甲局", 2025, "X", 1.0), ("b", "甲局", 2026, "X", 1.0)],
        [(0, "质量指标", "完成率", before), (1, "质量指标", "完成率", after)],
    )
    changes = target_changes(corpus, ("a",), ("b",))
    assert changes["direction"].to_list() == ([] if direction is None else [direction])
    if direction is not None:
        assert changes.select("before", "after").row(0) == (before, after)


def test_indicators_match_by_level2_and_name():
    corpus = make_corpus(
        [("a", "甲局", 2025, "X", 1.0), ("b", "甲局", 2026, "X", 1.0)],
        [
            (0, "质量指标", "完成率", "≥90%"),
            (0, "时效指标", "完成率", "≥90%"),
            (0, "数量指标", "培训 人次", "100"),
            (1, "质量指标", "完成率", "≥90%"),
            (1, "数量指标", "培训人次", "120"),
            (1, "经济效益指标", "节约成本", "良"),
        ],
    )
    expected = pl.DataFrame(
        [
            ("产出指标", "数量指标", "培训人次", "100", "120", "raised"),
            ("产出指标", "时效指标", "完成率", "≥90%", None, "removed"),
            ("效益指标", "经济效益指标", "节约成本", None, "良", "added"),
        ],
        schema={c: TARGET_CHANGES[c] for c in ("level1", "level2", "indicator", "before", "after", "direction")},
        orient="row",
    )
    changes = target_changes(corpus, ("a",), ("b",))
    assert_frame_equal(changes.select(expected.columns), expected)


# ---------------------------------------------------------------- empty input


def test_empty_selections_give_empty_frames_not_errors(pair_corpus, sides):
    earlier, later = sides
    totals = compare_totals(pair_corpus, (), ())
    assert totals["measure"].cast(pl.String).to_list() == [
        "budget_yuan",
        "budget_wan",
        "projects",
        "indicators",
    ]
    assert totals.select("left", "right", "difference").sum().row(0) == (0.0, 0.0, 0.0)
    assert totals["difference_ratio"].null_count() == 4
    assert_frame_equal(project_changes(pair_corpus, (), ()), pl.DataFrame(schema=PROJECT_CHANGES))
    assert_frame_equal(target_changes(pair_corpus, (), ()), pl.DataFrame(schema=TARGET_CHANGES))
    assert set(project_changes(pair_corpus, (), later)["status"].to_list()) == {"new"}
    assert set(project_changes(pair_corpus, earlier, ())["status"].to_list()) == {"ended"}
    assert target_changes(pair_corpus, earlier, ()).is_empty()


def test_empty_corpus_ranks_nothing():
    ranking = department_ranking(load_documents([]), findings=pl.DataFrame({"project_id": ["x"], "severity": ["高"]}))
    assert ranking.is_empty()
    assert "score" in ranking.columns


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_of_nothing_say_so(pair_corpus, lang):
    empty_totals = compare_totals(pair_corpus, (), ())
    figures = [
        compare_budget_by_type_chart(empty_totals, left_label="甲", right_label="乙", lang=lang),
        project_changes_chart(pl.DataFrame(schema=PROJECT_CHANGES), lang=lang),
        ranking_chart(department_ranking(load_documents([])), lang=lang),
    ]
    for fig in figures:
        assert not fig.data
        assert fig.layout.annotations[0].text == ("没有数据" if lang == "zh" else "No data")


# ---------------------------------------------------------------- charts


def test_budget_by_type_chart_bars_add_up_to_each_side(pair, pair_corpus, sides):
    totals = compare_totals(pair_corpus, *sides)
    fig = compare_budget_by_type_chart(totals, left_label="2025", right_label="2026")
    assert [trace.name for trace in fig.data] == ["2025", "2026"]
    for trace, truth in zip(fig.data, (pair.earlier, pair.later)):
        assert round(sum(x for x in trace.x), 2) == round(truth.budget_total_cents / 1_000_000, 2)
    types = totals.filter(pl.col("measure") == "type_budget_yuan")["type"].to_list()
    assert [label.replace("<br>", "") for label in fig.data[0].y] == types
    assert "2025" in fig.layout.title.subtitle.text and "万元" in fig.layout.title.text


def test_project_changes_chart_marks_new_and_ended(pair, pair_corpus, sides):
    changes = project_changes(pair_corpus, *sides)
    fig = project_changes_chart(changes, top_n=4)
    bars = fig.data[0]
    assert len(bars.y) == 4
    moved = changes.filter(pl.col("change_yuan") != 0).sort(pl.col("change_yuan").abs(), descending=True)
    assert list(bars.x) == [round(v / 10_000, 2) for v in moved["change_yuan"].head(4).to_list()]
    statuses = moved["status"].head(4).to_list()
    assert {"new", "ended"} <= set(statuses)  # the four largest moves include both kinds
    for label, colour, status, x in zip(bars.y, bars.marker.color, statuses, bars.x):
        if status == "continued":
            assert colour == CHANGE_COLORS["increase" if x > 0 else "decrease"]
        else:
            assert colour == CHANGE_COLORS[status]
            assert ("（新增）" if status == "new" else "（不再安排）") in label.replace("<br>", "")
    assert "显示变化最大的 4 个" in fig.layout.title.subtitle.text
    # Every project that moved is drawn when there is room.
    assert len(project_changes_chart(changes).data[0].y) == moved.height


def test_ranking_chart_stacks_severity_up_to_the_score(departments):
    corpus, _ = departments
    ids = corpus.projects["project_id"].to_list()
    findings = pl.DataFrame({"project_id": [ids[0], ids[0], ids[20]], "severity": ["高", "中", "低"]})
    ranking = department_ranking(corpus, findings=findings)
    fig = ranking_chart(ranking, lang="en", top_n=3)
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert [trace.name for trace in bars] == ["High", "Medium", "Low"]
    stacked = [sum(values) for values in zip(*(trace.x for trace in bars))]
    assert stacked == pytest.approx(ranking["score"].head(3).to_list())
    budget = ranking_chart(department_ranking(corpus), lang="zh")
    assert list(budget.data[0].x) == [round(v / 10_000, 2) for v in department_ranking(corpus)["budget_yuan"].to_list()]


# ---------------------------------------------------------------- scale and docs


def test_ten_thousand_projects_compare_at_once():
    n = 10_000
    rows = [("a", "甲局", 2025, f"项目{i}", float(i)) for i in range(n)]
    rows += [("b", "甲局", 2026, f"项目{i}", float(i + 1)) for i in range(n // 10, n + n // 10)]
    indicators = [(i, "质量指标", f"指标{k}", f"≥{90 + (i % 7)}%") for i in range(2 * n) for k in range(5)]
    corpus = make_corpus(rows, indicators)
    start = time.perf_counter()
    changes = project_changes(corpus, ("a",), ("b",))
    targets = target_changes(corpus, ("a",), ("b",))
    compare_totals(corpus, ("a",), ("b",))
    elapsed = time.perf_counter() - start
    assert Counter(changes["status"].to_list()) == {
        "continued": 9_000,
        "new": 1_000,
        "ended": 1_000,
    }
    assert targets.height > 0
    # Vectorised, this takes a fraction of a second; a per-row loop takes minutes.
    assert elapsed < 5
