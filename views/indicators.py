"""指标体系 Indicator categories: sunburst, heatmap, value kinds, percentage targets, a searchable table."""

from __future__ import annotations

import streamlit as st

from lib import charts, filters
from views import common

view = common.view()
if common.page_header(view, "page_indicators"):
    projects, indicators = view.filtered.projects, view.filtered.indicators
    left, right = st.columns(2)
    with left:
        depth = 3 if st.toggle(view.label("col_indicator"), key="sunburst_level3") else 2
        common.show_chart(
            view, "ind_sunburst", lambda: charts.level_sunburst(indicators, lang=view.lang, depth=depth), depth
        )
    with right:
        common.show_chart(view, "ind_percent", lambda: charts.percent_distribution(indicators, lang=view.lang))
    top_projects, top_indicators = common.largest(view, projects, indicators)
    common.show_chart(
        view, "ind_heatmap", lambda: charts.category_heatmap(top_projects, top_indicators, lang=view.lang)
    )
    common.show_chart(view, "ind_kinds", lambda: charts.value_kind_chart(top_projects, top_indicators, lang=view.lang))
    search = st.text_input(view.label("ind_search"), key="ind_search")
    indicators = filters.search_indicators(indicators, projects, search)
    common.indicator_table(
        view,
        indicators,
        key="ind_table",
        columns=["project", "level1", "level2", "name", "period_value", "annual_value", "annual_kind"],
        download=view.label("page_indicators"),
    )
    st.caption(common.caption(view))
    common.charts_zip_button(view, "page_indicators")
