"""数据 Data: the filtered frames as tables, and the loader's diagnostics by file and line."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pages import common

view = common.view()
if common.page_header(view, "page_data"):
    tabs = st.tabs(
        [view.label("data_projects"), view.label("data_indicators"), view.label("data_diagnostics"), view.label("data_documents")]
    )
    with tabs[0]:
        projects = view.filtered.projects.with_columns((pl.col("budget_yuan") / 10_000).alias("budget_wan"))
        st.dataframe(
            projects.select("name", "type", "level", "unit", "start_year", "end_year", "budget_wan", "line"),
            key="data_projects",
            hide_index=True,
            column_config={
                "name": view.label("col_name"),
                "type": view.label("col_type"),
                "level": view.label("col_level"),
                "unit": view.label("col_unit"),
                "start_year": st.column_config.NumberColumn(view.label("col_start_year"), format="%d"),
                "end_year": st.column_config.NumberColumn(view.label("col_end_year"), format="%d"),
                "budget_wan": st.column_config.NumberColumn(view.label("col_budget_wan"), format="%,.2f"),
                "line": st.column_config.NumberColumn(view.label("col_line"), format="%d"),
            },
        )
    with tabs[1]:
        common.indicator_table(
            view,
            view.filtered.indicators,
            key="data_indicators",
            columns=["project", "level1", "level2", "name", "period_value", "annual_value", "annual_kind", "annual_op", "annual_number", "annual_unit", "line"],
        )
    with tabs[2]:
        diagnostics = view.filtered.diagnostics
        if diagnostics.is_empty():
            st.success(view.label("diagnostics_none"))
        counts = diagnostics.group_by("severity").len()
        st.caption(
            "　".join(f"{view.label('severity_' + s)}：{n}" for s, n in counts.sort("severity").iter_rows())
        )
        st.dataframe(
            diagnostics.select("severity", "source", "line", "code", "message"),
            key="data_diagnostics",
            hide_index=True,
            column_config={
                "severity": view.label("col_severity"),
                "source": view.label("col_source"),
                "line": st.column_config.NumberColumn(view.label("col_line"), format="%d"),
                "code": view.label("col_code"),
                "message": st.column_config.TextColumn(view.label("col_message"), width="large"),
            },
        )
    with tabs[3]:
        st.dataframe(view.filtered.documents.drop("preamble"), key="data_documents", hide_index=True)
    st.caption(common.caption(view))
