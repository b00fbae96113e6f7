"""数据 Data: the filtered frames as tables, and the loader's diagnostics by file and line."""

from __future__ import annotations

import streamlit as st

from lib import export, filters, review
from lib.pages import data
from views import common

view = common.view()
if common.page_header(view, data.TITLE):
    if common.get_value("data_frame") not in data.FRAMES:
        common.set_value("data_frame", "projects")
    # One table at a time: tabs would send all four (about 800 KB at 10,000 projects) on every run.
    name = common.widget(
        st.segmented_control,
        view.label("data_show"),
        key="data_frame",
        options=list(data.FRAMES),
        required=True,
        format_func=lambda n: view.label(f"data_{n}"),
        label_visibility="collapsed",
    )
    page = data.page(view, name)
    shown = page.tables["shown"]
    if name == "projects":
        common.table(
            view,
            shown,
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
        common.indicator_table(view, shown, key="data_indicators")
    elif name == "diagnostics":
        if note := page.notes.get("diagnostics"):
            st.success(note)
        st.caption(page.texts["counts"])
        common.table(
            view,
            shown,
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
        common.table(view, shown, key="data_documents")
    st.caption(page.caption)
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
            data=lambda: export.csv_bytes(page.tables["frame"], lang=view.lang),
            file_name=f"{view.filename(view.label(f'data_{name}'))}.csv",
            mime="text/csv",
            key="data_csv",
            icon=":material/description:",
            on_click="ignore",
        )
        parquet_column.download_button(
            view.label("export_parquet"),
            data=lambda: export.parquet_bytes(page.tables["frame"]),
            file_name=f"{view.filename(view.label(f'data_{name}'))}.parquet",
            mime="application/octet-stream",
            key="data_parquet",
            icon=":material/database:",
            on_click="ignore",
        )
