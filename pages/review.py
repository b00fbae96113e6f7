"""审核发现 Review: what a budget reviewer would raise, by rule and by project, each finding one click from its card."""

from __future__ import annotations


import polars as pl
import streamlit as st

from lib import charts, review
from pages import common

view = common.view()
if common.page_header(view, "page_review"):
    rules = review.rules_frame(view.lang).rename({"id": "rule_id"})
    found = common.findings(view)
    severities = st.pills(
        view.label("review_severity_filter"),
        list(charts.SEVERITY_COLORS),
        selection_mode="multi",
        default=list(charts.SEVERITY_COLORS),
        key="review_severity",
        format_func=lambda s: view.label(review.SEVERITY_LABEL_KEYS[s]),
    )
    found = found.filter(pl.col("severity").cast(pl.String).is_in(severities))
    counts = dict(found.group_by(pl.col("severity").cast(pl.String)).len().iter_rows())
    columns = st.columns(4)
    columns[0].metric(view.label("review_finding"), f"{found.height:,}")
    for column, severity in zip(columns[1:], charts.SEVERITY_COLORS):
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
        titles = dict(zip(rules["rule_id"].to_list(), rules["title"].to_list()))
        table = (
            found.join(
                view.filtered.projects.select("project_id", pl.col("name").alias("project")),
                on="project_id",
                how="left",
            )
            .join(
                view.filtered.indicators.select("indicator_id", pl.col("name").alias("indicator")),
                on="indicator_id",
                how="left",
            )
            .sort("severity", "rule_id", maintain_order=True)
            .with_columns(
                pl.col("severity").cast(pl.String),
                pl.col("rule_id").replace_strict(titles, default="").alias("rule_title"),
                pl.col("indicator").fill_null(view.label("review_whole_project")),
            )
            .select("severity", "rule_id", "rule_title", "project", "indicator", "message", "project_id")
        )
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
            st.switch_page("pages/card.py")

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
