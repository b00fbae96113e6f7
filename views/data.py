"""数据 Data: the filtered frames as tables, and the loader's diagnostics by file and line."""

from __future__ import annotations

import streamlit as st

from lib import export, filters, review
from lib.model.money import wan_expr
from views import common

view = common.view()
if common.page_header(view, "page_data"):
    frames = {
        "projects": view.filtered.projects,
        "indicators": view.filtered.indicators,
        "diagnostics": view.filtered.diagnostics,
        "documents": view.filtered.documents,
    }
    if common.get_value("data_frame") not in frames:
        common.set_value("data_frame", "projects")
    # One table at a time: tabs would send all four (about 800 KB at 10,000 projects) on every run.
    name = common.widget(
        st.segmented_control,
        view.label("data_show"),
        key="data_frame",
        options=list(frames),
        required=True,
        format_func=lambda n: view.label(f"data_{n}"),
        label_visibility="collapsed",
    )
    # 位置 (page and table, sheet) only when some file has parts: a text file's rows are its lines.
    where = (
        ["place", "line"] if view.filtered.projects["place"].null_count() < view.filtered.projects.height else ["line"]
    )
    if name == "projects":
        projects = view.filtered.projects.with_columns(wan_expr("budget_yuan").alias("budget_wan"))
        common.table(
            view,
            projects.select("name", "type", "level", "unit", "start_year", "end_year", "budget_wan", *where),
            key="data_projects",
            column_config={
                "name": view.label("col_name"),
                "type": view.label("col_type"),
                "level": view.label("col_level"),
                "unit": view.label("col_unit"),
                "start_year": st.column_config.NumberColumn(view.label("col_start_year"), format="%d"),
                "end_year": st.column_config.NumberColumn(view.label("col_end_year"), format="%d"),
                "budget_wan": st.column_config.NumberColumn(view.label("col_budget_wan"), format="%,.2f"),
                "place": view.label("col_place"),
                "line": st.column_config.NumberColumn(view.label("col_line"), format="%d"),
            },
        )
    elif name == "indicators":
        common.indicator_table(
            view,
            view.filtered.indicators,
            key="data_indicators",
            columns=[
                "project",
                "level1",
                "level2",
                "name",
                "period_value",
                "annual_value",
                "annual_kind",
                "annual_op",
                "annual_number",
                "annual_unit",
                *where,
            ],
        )
    elif name == "diagnostics":
        diagnostics = view.filtered.diagnostics
        if diagnostics.is_empty():
            st.success(view.label("diagnostics_none"))
        counts = diagnostics.group_by("severity").len()
        st.caption("　".join(f"{view.label('severity_' + s)}：{n}" for s, n in counts.sort("severity").iter_rows()))
        common.table(
            view,
            diagnostics.select("severity", "source", "line", "code", "message"),
            key="data_diagnostics",
            column_config={
                "severity": view.label("col_severity"),
                "source": view.label("col_source"),
                "line": st.column_config.NumberColumn(view.label("col_line"), format="%d"),
                "code": view.label("col_code"),
                "message": st.column_config.TextColumn(view.label("col_message"), width="large"),
            },
        )
    else:
        common.table(view, view.filtered.documents.drop("preamble"), key="data_documents")
    st.caption(common.caption(view))
    described = filters.describe(view.filters, view.options, lang=view.lang)
    rules = review.rules_frame(view.lang)
    workbook, single = st.columns(2)
    with workbook:
        common.prepared_download(
            view,
            key="data_xlsx",
            label=view.label("export_workbook"),
            build=lambda: export.workbook_bytes(
                view.filtered, findings=common.findings(view), rules=rules, filters_text=described, lang=view.lang
            ),
            file_name=f"{view.filename(view.label('page_data'))}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    with single:
        csv_column, parquet_column = st.columns(2)
        csv_column.download_button(
            view.label("export_csv"),
            data=lambda: export.csv_bytes(frames[name], lang=view.lang),
            file_name=f"{view.filename(view.label(f'data_{name}'))}.csv",
            mime="text/csv",
            key="data_csv",
            icon=":material/description:",
            on_click="ignore",
        )
        parquet_column.download_button(
            view.label("export_parquet"),
            data=lambda: export.parquet_bytes(frames[name]),
            file_name=f"{view.filename(view.label(f'data_{name}'))}.parquet",
            mime="application/octet-stream",
            key="data_parquet",
            icon=":material/database:",
            on_click="ignore",
        )
