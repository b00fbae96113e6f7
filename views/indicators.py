"""指标体系 Indicator categories: sunburst, heatmap, value kinds, percentage targets, a searchable table (content: lib.pages.indicators)."""

from __future__ import annotations

import streamlit as st

from lib.pages import indicators
from views import common

view = common.view()
if common.page_header(view, indicators.TITLE):
    left, right = st.columns(2)
    with left:
        depth = 3 if st.toggle(view.label("col_indicator"), key="sunburst_level3") else 2
    # The search box sits under the charts but is read first: the page's content depends on it.
    page = indicators.page(view, depth=depth, search=str(st.session_state.get("ind_search", "")))
    with left:
        common.show_chart(view, page, "ind_sunburst")
    with right:
        common.show_chart(view, page, "ind_percent")
    common.show_chart(view, page, "ind_heatmap")
    common.show_chart(view, page, "ind_kinds")
    st.text_input(view.label("ind_search"), key="ind_search")
    common.indicator_table(
        view,
        page.tables["indicators"],
        full=page.tables["full"],
        key="ind_table",
        download=view.label(indicators.TITLE),
    )
    st.caption(page.caption)
    common.charts_zip_button(view, indicators.TITLE)
