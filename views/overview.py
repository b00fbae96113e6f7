"""总览 Overview: key figures, budget by project and by type, implementation periods (content: lib.pages.overview)."""

from __future__ import annotations

import streamlit as st

from lib.pages import overview
from views import common

view = common.view()
if common.page_header(view, overview.TITLE):
    page = overview.page(view)
    # Which departments and years, before any number (document text: escaped).
    st.subheader(common.md(page.texts["headline"]), anchor=False)
    for column, metric in zip(st.columns(len(page.metrics)), page.metrics):
        column.metric(metric.label, metric.value, help=common.md(metric.help) if metric.help else None)
    if "overview_by_department" in page.charts:
        common.show_chart(view, page, "overview_by_department")
    common.show_chart(view, page, "overview_by_project")
    left, right = st.columns(2)
    with left:
        common.show_chart(view, page, "overview_by_type")
    with right:
        common.show_chart(view, page, "overview_timeline")
    common.charts_zip_button(view, overview.TITLE)
    common.deck_button(view)
