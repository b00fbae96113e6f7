"""The budget page's content: treemap, allocation table, Pareto chart, budgets against cost caps."""

from __future__ import annotations

from lib import charts, metrics
from lib.i18n import value_columns
from lib.pages.scope import Chart, Page, Scope, empty_page

TITLE = "page_budget"


def page(scope: Scope) -> Page:
    """What 预算分配 shows for ``scope``; the table ``allocation`` has 万元 amounts and shares, types in the scope's language.

    With several departments the treemap leads with the departments and
    drills department → type → project, the Pareto chart ranks departments,
    and the table adds each project's department and its share of that
    department's budget.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> shown = page(Scope.of(load_documents()))
    >>> table = shown.tables["allocation"]
    >>> table.height, round(table["budget_wan"].sum(), 2), table["cumulative_share"][-1]
    (15, 1088.25, 1.0)
    """
    if scope.filtered.projects.is_empty():
        return empty_page(scope, TITLE)
    projects = scope.projects
    top_projects, top_indicators, note = scope.largest()
    lang, palette = scope.lang, scope.palette
    several = scope.several_departments
    columns = ["name", "department", "type", "budget_wan", "share", "department_share", "cumulative_share"]
    if not several:
        columns = [c for c in columns if c not in ("department", "department_share")]
    return Page(
        title=scope.label(TITLE),
        caption=scope.caption,
        charts={
            "budget_treemap": Chart(
                "budget_treemap",
                lambda: charts.budget_treemap(projects, lang=lang, palette=palette, departments=several),
            ),
            "budget_pareto": Chart(
                "budget_pareto", lambda: charts.pareto(projects, lang=lang, palette=palette, departments=several)
            ),
            "budget_caps": Chart("budget_caps", lambda: charts.budget_vs_caps(top_projects, top_indicators, lang=lang)),
        },
        tables={"allocation": _labelled(metrics.allocation_table(projects).select(columns), lang)},
        notes={"budget_caps": note} if note else {},
    )


def _labelled(table, lang: str):
    """The table with its project types in ``lang``."""
    return table.with_columns(value_columns(table, ["type"], lang))
