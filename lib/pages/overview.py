"""The overview page's content: key figures, budget by project and by type, implementation periods."""

from __future__ import annotations

from lib import charts, metrics
from lib.pages.scope import Chart, Metric, Page, Scope, empty_page

TITLE = "page_overview"


def page(scope: Scope) -> Page:
    """What 总览 shows for ``scope``.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> shown = page(Scope.of(load_documents()))
    >>> [m.value for m in shown.metrics], list(shown.charts)
    (['1,088.25', '15', '172', '18.16%', '74.37%'], ['overview_by_project', 'overview_by_type', 'overview_timeline'])
    """
    if scope.filtered.projects.is_empty():
        return empty_page(scope, TITLE)
    projects, indicators = scope.filtered.projects, scope.filtered.indicators
    figures = metrics.key_figures(projects, indicators)
    largest_help = (
        f"{figures.largest_name}：{metrics.format_wan(figures.largest_yuan)} {scope.label('unit_wan')}"
        if figures.largest_name is not None
        else None
    )
    budget_year = int(projects["budget_year"].drop_nulls().max() or 0)
    timeline_projects, _, note = scope.largest()
    lang, palette = scope.lang, scope.palette
    return Page(
        title=scope.label(TITLE),
        caption=scope.caption,
        metrics=(
            Metric("total_budget", scope.label("metric_total_budget"), metrics.format_wan(figures.total_yuan)),
            Metric("projects", scope.label("metric_projects"), f"{figures.project_count:,}"),
            Metric("indicators", scope.label("metric_indicators"), f"{figures.indicator_count:,}"),
            Metric(
                "largest", scope.label("metric_largest"), metrics.format_share(figures.largest_share), help=largest_help
            ),
            Metric("top5", scope.label("metric_top5"), metrics.format_share(figures.top5_share)),
        ),
        charts={
            "overview_by_project": Chart(
                "overview_by_project", lambda: charts.budget_by_project(projects, lang=lang, palette=palette)
            ),
            "overview_by_type": Chart(
                "overview_by_type", lambda: charts.budget_by_type(projects, lang=lang, palette=palette)
            ),
            "overview_timeline": Chart(
                "overview_timeline",
                lambda: charts.period_timeline(timeline_projects, lang=lang, palette=palette, budget_year=budget_year),
            ),
        },
        notes={"overview_timeline": note} if note else {},
    )
