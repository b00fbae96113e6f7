"""The comparison page's content: two sides' totals, budget by type, project and target changes, the ranking."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from lib import charts, compare, metrics
from lib.i18n import category_columns, value_columns
from lib.model.money import wan_expr
from lib.pages.scope import Chart, Metric, Page, Scope

TITLE = "page_compare"
MODES = ("departments", "years")


def departments(scope: Scope) -> list[str]:
    """The departments of the filtered documents, sorted."""
    documents = scope.filtered.documents.filter(pl.col("department").is_not_null())
    return sorted(documents["department"].unique().to_list())


def years(scope: Scope, department: str) -> list[int]:
    """The years of ``department``'s filtered documents, sorted."""
    documents = scope.filtered.documents.filter(pl.col("department") == department)
    return sorted(documents["year"].drop_nulls().unique().to_list())


def comparable(scope: Scope, mode: str) -> bool:
    """Whether the filtered documents give two sides to compare in ``mode``."""
    if mode == "years":
        return bool(departments_with_years(scope))
    named = scope.filtered.documents.filter(pl.col("department").is_not_null())
    return len(departments(scope)) >= 2 or named.height >= 2


def departments_with_years(scope: Scope) -> list[str]:
    """The departments with documents of at least two years, sorted."""
    return [d for d in departments(scope) if len(years(scope, d)) > 1]


def not_comparable(scope: Scope, mode: str) -> list[str]:
    """Why there is nothing to compare in ``mode``, in the scope's language: what comparing needs, what there is, what to do.

    Empty when :func:`comparable` holds. The counts are of the filtered
    documents, and say so when the filters left some out.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> for line in not_comparable(Scope.of(load_documents(), lang="en"), "departments"):
    ...     print(line)
    Comparing needs the documents of two departments, or of two years of one department.
    Documents now: 1; departments: 1; years: 1.
    Upload another department's or another year's document in the sidebar, or see the saved documents on the Library page.
    """
    if comparable(scope, mode):
        return []
    shown, total = scope.filtered.documents, scope.corpus.documents.height
    counts = {
        "documents": shown.height,
        "departments": shown["department"].drop_nulls().n_unique(),
        "years": shown["year"].drop_nulls().n_unique(),
    }
    have = (
        scope.label("compare_have_filtered", total=total, **counts)
        if total > shown.height
        else scope.label("compare_have", **counts)
    )
    needs = scope.label("compare_needs_years" if mode == "years" else "compare_needs")
    return [needs, have, scope.label("compare_add")]


def page(
    scope: Scope,
    findings: pl.DataFrame,
    *,
    mode: str,
    left: Sequence[str],
    right: Sequence[str],
    left_label: str,
    right_label: str,
) -> Page:
    """What 对比 shows for the documents ``left`` and ``right`` (ids, e.g. from :func:`lib.compare.selection`).

    In ``mode`` "years" the page adds the project changes (chart and table)
    and the target changes; the department ranking is always shown.

    Examples
    --------
    >>> from lib import review
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> scope = Scope.of(corpus)
    >>> side = compare.selection(corpus)
    >>> shown = page(scope, review.review(corpus), mode="departments", left=side, right=side, left_label="甲", right_label="乙")
    >>> [m.value for m in shown.metrics]
    ['1,088.25', '1,088.25', '15 → 15']
    """
    corpus = scope.filtered
    chosen = (mode, tuple(left), tuple(right), left_label, right_label)
    totals = compare.compare_totals(corpus, left, right)
    overall = {row["measure"]: row for row in totals.filter(pl.col("type").is_null()).iter_rows(named=True)}
    budget = overall.get("budget_yuan", {})
    projects_row = overall.get("projects", {})
    delta = (
        metrics.format_wan(budget.get("difference"))
        + scope.label("paren", text=metrics.format_share(budget.get("difference_ratio")))
        if budget.get("difference") is not None
        else None
    )
    lang = scope.lang
    chart_list = [
        Chart(
            "compare_by_type",
            lambda: charts.compare_budget_by_type_chart(
                totals, left_label=left_label, right_label=right_label, lang=lang
            ),
            chosen,
        )
    ]
    tables: dict[str, pl.DataFrame] = {}
    if mode == "years":
        changes = compare.project_changes(corpus, left, right)
        chart_list.append(Chart("compare_changes", lambda: charts.project_changes_chart(changes, lang=lang), chosen))
        tables["changes"] = changes.with_columns(
            pl.col("status").replace_strict(
                {s: scope.label(f"compare_status_{s}") for s in compare.STATUSES}, default=pl.col("status")
            ),
            *value_columns(changes, ["type"], lang),
            wan_expr("change_yuan").alias("change_wan"),
        ).select("status", "name", "type", "earlier_budget_yuan", "later_budget_yuan", "change_wan", "change_ratio")
        targets = compare.target_changes(corpus, left, right)
        tables["targets"] = targets.with_columns(
            pl.col("direction").replace_strict(
                {d: scope.label(f"compare_direction_{d}") for d in compare.DIRECTIONS}, default=pl.col("direction")
            ),
            *category_columns(targets, ["level2"], lang),
        ).select("project", "level2", "indicator", "before", "after", "direction")
    ranking = compare.department_ranking(corpus, findings=findings)
    chart_list.append(Chart("compare_ranking", lambda: charts.ranking_chart(ranking, lang=lang)))
    return Page(
        title=scope.label(TITLE),
        caption=scope.caption,
        metrics=(
            Metric(
                "left_budget",
                f"{left_label} · {scope.label('metric_total_budget')}",
                metrics.format_wan(budget.get("left")),
            ),
            Metric(
                "right_budget",
                f"{right_label} · {scope.label('metric_total_budget')}",
                metrics.format_wan(budget.get("right")),
                delta=delta,
            ),
            Metric(
                "projects",
                scope.label("metric_projects"),
                f"{int(projects_row.get('left') or 0)} → {int(projects_row.get('right') or 0)}",
            ),
        ),
        charts={chart.key: chart for chart in chart_list},
        tables=tables,
    )
