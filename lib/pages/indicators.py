"""The indicator page's content: sunburst, percentage targets, heatmap, value kinds, the searched table."""

from __future__ import annotations

import polars as pl

from lib import charts, filters
from lib.i18n import category_columns
from lib.pages.scope import Chart, Page, Scope, empty_page

TITLE = "page_indicators"
#: The indicator table's columns, in order.
TABLE_COLUMNS = ("project", "level1", "level2", "name", "period_value", "annual_value", "annual_kind")


def indicator_rows(scope: Scope, indicators: pl.DataFrame, columns: tuple[str, ...] | list[str]) -> pl.DataFrame:
    """``indicators`` with their project's name (``project``) and categories in the scope's language."""
    names = scope.filtered.projects.select("project_id", pl.col("name").alias("project"))
    frame = indicators.join(names, on="project_id", maintain_order="left").select(columns)
    translated = [c for c in ("level1", "level2", "annual_kind") if c in columns]
    # A few distinct values in many rows: each is translated once.
    return frame.with_columns(category_columns(frame, translated, scope.lang))


def page(scope: Scope, *, depth: int = 2, search: str = "") -> Page:
    """What 指标体系 shows: the sunburst to ``depth`` levels, the table of indicators matching ``search``.

    ``search`` narrows the table only (project name, categories, indicator
    name, values), within what the sidebar's filters kept; ``tables["full"]``
    holds every column of those indicators for the download.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> shown = page(Scope.of(load_documents()), search="满意度")
    >>> shown.tables["indicators"].height, shown.tables["indicators"]["level2"].unique().to_list()
    (20, ['服务对象满意度指标'])
    """
    if scope.filtered.projects.is_empty():
        return empty_page(scope, TITLE)
    projects, indicators = scope.filtered.projects, scope.filtered.indicators
    top_projects, top_indicators, note = scope.largest()
    found = filters.search_indicators(indicators, projects, search)
    lang = scope.lang
    return Page(
        title=scope.label(TITLE),
        caption=scope.caption,
        charts={
            "ind_sunburst": Chart(
                "ind_sunburst", lambda: charts.level_sunburst(indicators, lang=lang, depth=depth), (depth,)
            ),
            "ind_percent": Chart("ind_percent", lambda: charts.percent_distribution(indicators, lang=lang)),
            "ind_heatmap": Chart(
                "ind_heatmap", lambda: charts.category_heatmap(top_projects, top_indicators, lang=lang)
            ),
            "ind_kinds": Chart("ind_kinds", lambda: charts.value_kind_chart(top_projects, top_indicators, lang=lang)),
        },
        tables={
            "indicators": indicator_rows(scope, found, TABLE_COLUMNS),
            "full": found.join(
                projects.select("project_id", pl.col("name").alias("project")), on="project_id", maintain_order="left"
            ),
        },
        notes={"ind_heatmap": note} if note else {},
    )
