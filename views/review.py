"""审核发现 Review: what a budget reviewer would raise, by rule and by project, each finding one click from its card (content: lib.pages.review)."""

from __future__ import annotations

import streamlit as st

from lib import review
from lib.pages import review as review_page
from views import common

view = common.view()
if common.page_header(view, review_page.TITLE):
    severities = st.pills(
        view.label("review_severity_filter"),
        list(review.SEVERITIES),
        selection_mode="multi",
        default=list(review.SEVERITIES),
        key="review_severity",
        format_func=lambda s: view.label(review.SEVERITY_LABEL_KEYS[s]),
    )
    page = review_page.page(view, common.findings(view), severities=severities)
    for column, metric in zip(st.columns(len(page.metrics)), page.metrics):
        column.metric(metric.label, metric.value)
    left, right = st.columns(2)
    with left:
        common.show_chart(view, page, "review_by_rule")
    with right:
        common.show_chart(view, page, "review_by_project")

    if note := page.notes.get("findings"):
        st.success(note)
    else:
        table = page.tables["findings"]
        st.caption(view.label("review_open_card"))
        event = common.table(
            view,
            table,
            key="review_table",
            on_select="rerun",
            selection_mode="single-row",
            # Widths that keep 审核意见 on a 1366-pixel laptop; a wider screen shares out the rest.
            column_order=["severity", "rule_id", "rule_title", "project", "indicator", "message"],
            column_config={
                "severity": st.column_config.TextColumn(view.label("col_severity"), width=45),
                "rule_id": st.column_config.TextColumn(view.label("review_rule"), width=50),
                "rule_title": st.column_config.TextColumn(view.label("review_rule_title"), width=130),
                "project": st.column_config.TextColumn(view.label("col_name"), width=140),
                "indicator": st.column_config.TextColumn(view.label("col_indicator"), width=120),
                "message": st.column_config.TextColumn(view.label("review_finding"), width=360),
            },
        )
        st.caption(page.caption)
        rows = event.selection.rows if event is not None else []
        if rows:
            common.set_value("project", table["project_id"][rows[0]])
            # The card lists this finding first and highlights it, while it shows this project.
            st.session_state["_card_finding"] = (table["project_id"][rows[0]], table["finding_id"][rows[0]])
            st.switch_page("views/card.py")

    with st.expander(view.label("review_rules")):
        st.dataframe(
            page.tables["rules"],
            key="review_rules",
            hide_index=True,
            column_config={
                "rule_id": view.label("review_rule"),
                "severity": view.label("col_severity"),
                "title": view.label("review_rule_title"),
                "checks": st.column_config.TextColumn(view.label("review_checks"), width="large"),
                "basis": view.label("review_basis"),
            },
        )
    common.findings_download(view, page.tables["found"], page.tables["rules"])
    common.charts_zip_button(view, review_page.TITLE)
