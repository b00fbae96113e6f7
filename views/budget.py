"""预算分配 Budget allocation: treemap, allocation table, Pareto, budget against cost caps."""

from __future__ import annotations

import streamlit as st

from lib import charts, metrics
from views import common

view = common.view()
if common.page_header(view, "page_budget"):
    projects, indicators = view.filtered.projects, view.filtered.indicators
    common.show_chart(
        view, "budget_treemap", lambda: charts.budget_treemap(projects, lang=view.lang, palette=view.palette)
    )
    common.table(
        view,
        metrics.allocation_table(projects).select("name", "type", "budget_wan", "share", "cumulative_share"),
        key="budget_table",
        download=view.label("page_budget"),
        column_config={
            "name": st.column_config.TextColumn(view.label("col_name"), width="large"),
            "type": st.column_config.TextColumn(view.label("col_type")),
            "budget_wan": st.column_config.NumberColumn(view.label("col_budget_wan"), format="%,.2f"),
            "share": st.column_config.ProgressColumn(
                view.label("col_share"), format="percent", min_value=0.0, max_value=1.0
            ),
            "cumulative_share": st.column_config.NumberColumn(view.label("col_cumulative_share"), format="percent"),
        },
    )
    st.caption(common.caption(view))
    left, right = st.columns(2)
    with left:
        common.show_chart(view, "budget_pareto", lambda: charts.pareto(projects, lang=view.lang, palette=view.palette))
    with right:
        largest = common.largest(view, projects, indicators)
        common.show_chart(view, "budget_caps", lambda: charts.budget_vs_caps(*largest, lang=view.lang))
    common.charts_zip_button(view, "page_budget")
