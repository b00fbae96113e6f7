"""预算分配 Budget allocation: treemap, allocation table, Pareto, budget against cost caps (content: lib.pages.budget)."""

from __future__ import annotations

import streamlit as st

from lib.pages import budget
from views import common

view = common.view()
if common.page_header(view, budget.TITLE):
    page = budget.page(view)
    several = "department" in page.tables["allocation"].columns
    common.show_chart(view, page, "budget_treemap")
    common.table(
        view,
        page.tables["allocation"],
        key="budget_table",
        download=view.label(budget.TITLE),
        # Pixel widths that fit a 1366×768 laptop, departments or not; a wider screen shares out the rest.
        column_config={
            "name": st.column_config.TextColumn(view.label("col_name"), width=220 if several else 300),
            "type": st.column_config.TextColumn(view.label("col_type"), width=150 if several else 200),
            "department": st.column_config.TextColumn(view.label("col_department"), width=140),
            "budget_wan": st.column_config.NumberColumn(view.label("col_budget_wan"), format="%,.2f", width=100),
            "share": st.column_config.ProgressColumn(
                view.label("col_share"), format="percent", min_value=0.0, max_value=1.0, width=110
            ),
            "department_share": st.column_config.NumberColumn(
                view.label("col_department_share"), format="percent", width=80
            ),
            "cumulative_share": st.column_config.NumberColumn(
                view.label("col_cumulative_share"), format="percent", width=80
            ),
        },
    )
    st.caption(page.caption)
    left, right = st.columns(2)
    with left:
        common.show_chart(view, page, "budget_pareto")
    with right:
        common.show_chart(view, page, "budget_caps")
    common.charts_zip_button(view, budget.TITLE)
