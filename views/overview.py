"""总览 Overview: key figures, budget by project and by type, implementation periods."""

from __future__ import annotations

import streamlit as st

from lib import charts, metrics
from views import common

view = common.view()
if common.page_header(view, "page_overview"):
    projects, indicators = view.filtered.projects, view.filtered.indicators
    figures = metrics.key_figures(projects, indicators)
    columns = st.columns(5)
    columns[0].metric(view.label("metric_total_budget"), metrics.format_wan(figures.total_yuan))
    columns[1].metric(view.label("metric_projects"), f"{figures.project_count:,}")
    columns[2].metric(view.label("metric_indicators"), f"{figures.indicator_count:,}")
    columns[3].metric(
        view.label("metric_largest"),
        metrics.format_share(figures.largest_share),
        help=f"{common.md(figures.largest_name)}：{metrics.format_wan(figures.largest_yuan)} {view.label('unit_wan')}",
    )
    columns[4].metric(view.label("metric_top5"), metrics.format_share(figures.top5_share))
    common.show_chart(
        view, "overview_by_project", lambda: charts.budget_by_project(projects, lang=view.lang, palette=view.palette)
    )
    left, right = st.columns(2)
    with left:
        common.show_chart(
            view, "overview_by_type", lambda: charts.budget_by_type(projects, lang=view.lang, palette=view.palette)
        )
    with right:
        budget_year = projects["budget_year"].drop_nulls().max() or 0
        timeline_projects, _ = common.largest(view, projects, indicators)
        common.show_chart(
            view,
            "overview_timeline",
            lambda: charts.period_timeline(
                timeline_projects, lang=view.lang, palette=view.palette, budget_year=int(budget_year)
            ),
        )
    common.charts_zip_button(view, "page_overview")
    common.deck_button(view)
