"""The overview page's content: which departments and years, key figures, budget by department, project and type, periods."""

from __future__ import annotations

from lib import charts, metrics
from lib.model.money import shown_unit
from lib.pages.scope import Chart, Metric, Page, Scope, empty_page

TITLE = "page_overview"


def total_metric(scope: Scope, total_yuan: float) -> Metric:
    """The budget total as a key figure: in 亿元 from 1 亿元 up (a reader says 83.29 亿元), else 万元."""
    key = "metric_total_budget_yi" if shown_unit(total_yuan) == "亿元" else "metric_total_budget"
    return Metric("total_budget", scope.label(key), metrics.format_money(total_yuan))


def page(scope: Scope) -> Page:
    """What 总览 shows for ``scope``; with several departments, the departments lead.

    ``texts["headline"]`` names the departments and years (the page's first
    line). One department: total, projects, indicators, the largest
    project's and the five largest projects' shares, then budget by project,
    by type and the periods. Several: total, departments, projects,
    indicators and the largest department's share, and budget by department
    before the rest; project labels then carry their department.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> shown = page(Scope.of(load_documents()))
    >>> [m.value for m in shown.metrics], list(shown.charts)
    (['1,088.25', '15', '172', '18.16%', '74.37%'], ['overview_by_project', 'overview_by_type', 'overview_timeline'])
    """
    if scope.filtered.projects.is_empty():
        return empty_page(scope, TITLE)
    projects, indicators = scope.projects, scope.filtered.indicators
    figures = metrics.key_figures(projects, indicators)
    lang, palette = scope.lang, scope.palette
    budget_year = int(projects["budget_year"].drop_nulls().max() or 0)
    timeline_projects, _, note = scope.largest()
    counts = (
        Metric("projects", scope.label("metric_projects"), f"{figures.project_count:,}"),
        Metric("indicators", scope.label("metric_indicators"), f"{figures.indicator_count:,}"),
    )
    chosen: list[Chart] = []
    several = scope.several_departments
    if several:
        departments = metrics.by_department(projects)
        largest = departments.row(0, named=True)
        shown_metrics = (
            total_metric(scope, figures.total_yuan),
            Metric("departments", scope.label("metric_departments"), f"{departments.height:,}"),
            *counts,
            Metric(
                "largest_department",
                scope.label("metric_largest_department"),
                metrics.format_share(largest["share"]),
                help=f"{largest['department']}{scope.label('label_sep')}{metrics.format_money(largest['budget_yuan'])} "
                f"{scope.label('unit_yi' if shown_unit(largest['budget_yuan']) == '亿元' else 'unit_wan')}",
            ),
        )
        chosen.append(Chart("overview_by_department", lambda: charts.budget_by_department(projects, lang=lang)))
    else:
        largest_help = (
            f"{figures.largest_name}{scope.label('label_sep')}{metrics.format_wan(figures.largest_yuan)} "
            f"{scope.label('unit_wan')}"
            if figures.largest_name is not None
            else None
        )
        shown_metrics = (
            total_metric(scope, figures.total_yuan),
            *counts,
            Metric(
                "largest", scope.label("metric_largest"), metrics.format_share(figures.largest_share), help=largest_help
            ),
            Metric("top5", scope.label("metric_top5"), metrics.format_share(figures.top5_share)),
        )
    chosen += [
        Chart(
            "overview_by_project",
            lambda: charts.budget_by_project(projects, lang=lang, palette=palette, departments=several),
        ),
        Chart("overview_by_type", lambda: charts.budget_by_type(projects, lang=lang, palette=palette)),
        Chart(
            "overview_timeline",
            lambda: charts.period_timeline(timeline_projects, lang=lang, palette=palette, budget_year=budget_year),
        ),
    ]
    return Page(
        title=scope.label(TITLE),
        caption=scope.caption,
        metrics=shown_metrics,
        charts={chart.key: chart for chart in chosen},
        notes={"overview_timeline": note} if note else {},
        texts={"headline": scope.headline},
    )
