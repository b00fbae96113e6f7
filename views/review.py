"""审核发现 Review: what a budget reviewer would raise, by rule and by project, each finding one click from its card."""

from __future__ import annotations


import polars as pl
import streamlit as st

from lib import charts, review
from views import common

view = common.view()
if common.page_header(view, "page_review"):
    rules = review.rules_frame(view.lang).rename({"id": "rule_id"})
    found = common.findings(view)
    severities = st.pills(
        view.label("review_severity_filter"),
        list(review.SEVERITIES),
        selection_mode="multi",
        default=list(review.SEVERITIES),
        key="review_severity",
        format_func=lambda s: view.label(review.SEVERITY_LABEL_KEYS[s]),
    )
    found = found.filter(pl.col("severity").cast(pl.String).is_in(severities))
    counts = dict(found.group_by(pl.col("severity").cast(pl.String)).len().iter_rows())
    columns = st.columns(4)
    columns[0].metric(view.label("review_finding"), f"{found.height:,}")
    for column, severity in zip(columns[1:], review.SEVERITIES):
        column.metric(view.label(review.SEVERITY_LABEL_KEYS[severity]), f"{counts.get(severity, 0):,}")
    left, right = st.columns(2)
    with left:
        common.show_chart(
            view, "review_by_rule", lambda: charts.findings_by_rule(found, rules, lang=view.lang), tuple(severities)
        )
    with right:
        common.show_chart(
            view,
            "review_by_project",
            lambda: charts.projects_by_findings(found, view.filtered.projects, lang=view.lang),
            tuple(severities),
        )

    if found.is_empty():
        st.success(view.label("review_none"))
    else:
        table = review.findings_table(found, view.filtered.projects, view.filtered.indicators, lang=view.lang)
        st.caption(view.label("review_open_card"))
        event = common.table(
            view,
            table,
            key="review_table",
            on_select="rerun",
            selection_mode="single-row",
            column_order=["severity", "rule_id", "rule_title", "project", "indicator", "message"],
            column_config={
                "severity": st.column_config.TextColumn(view.label("col_severity"), width="small"),
                "rule_id": st.column_config.TextColumn(view.label("review_rule"), width="small"),
                "rule_title": view.label("review_rule_title"),
                "project": view.label("col_name"),
                "indicator": view.label("col_indicator"),
                "message": st.column_config.TextColumn(view.label("review_finding"), width="large"),
            },
        )
        st.caption(common.caption(view))
        rows = event.selection.rows if event is not None else []
        if rows:
            common.set_value("project", table["project_id"][rows[0]])
            st.switch_page("views/card.py")

    with st.expander(view.label("review_rules")):
        st.dataframe(
            rules,
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
    common.findings_download(view, found, rules)
    common.charts_zip_button(view, "page_review")
