"""对比 Compare: two departments, or two years of one department, side by side."""

from __future__ import annotations

import streamlit as st

from lib import compare
from lib.pages import compare as compare_page
from views import common

view = common.view()
if common.page_header(view, compare_page.TITLE):
    corpus = view.filtered
    departments = compare_page.departments(view)
    mode = st.segmented_control(
        view.label("compare_mode"),
        compare_page.MODES,
        key="compare_mode",
        default="departments",
        required=True,
        format_func=lambda m: view.label(f"compare_mode_{m}"),
    )

    def side(column, label_key: str, *, department: str | None, years: list[int], key: str, index: int):
        with column:
            if department is None:
                chosen = st.selectbox(
                    view.label(label_key), departments, index=min(index, len(departments) - 1), key=f"{key}_department"
                )
                chosen_years = compare_page.years(view, chosen)
                year = (
                    st.selectbox(view.label("col_year"), chosen_years, index=len(chosen_years) - 1, key=f"{key}_year")
                    if chosen_years
                    else None
                )
                return compare.selection(corpus, department=chosen, year=year), f"{chosen} {year or ''}".strip()
            year = st.selectbox(view.label(label_key), years, index=min(index, len(years) - 1), key=f"{key}_year")
            return compare.selection(corpus, department=department, year=year), str(year)

    if why := compare_page.not_comparable(view, mode):
        # What comparing needs, what there is, and where more documents come from.
        st.info("\n\n".join(why), icon=":material/compare_arrows:")
        st.page_link("views/library.py", label=view.label("page_library"), icon=":material/folder_open:")
        st.stop()
    left_column, right_column = st.columns(2)
    if mode == "years":
        with_years = compare_page.departments_with_years(view)
        department = st.selectbox(view.label("col_department"), with_years, key="compare_department")
        years = compare_page.years(view, department)
        left, left_label = side(
            left_column,
            "compare_earlier",
            department=department,
            years=years,
            key="cmp_years_left",
            index=len(years) - 2,
        )
        right, right_label = side(
            right_column,
            "compare_later",
            department=department,
            years=years,
            key="cmp_years_right",
            index=len(years) - 1,
        )
    else:
        left, left_label = side(left_column, "compare_left", department=None, years=[], key="cmp_left", index=0)
        right, right_label = side(right_column, "compare_right", department=None, years=[], key="cmp_right", index=1)

    page = compare_page.page(
        view,
        common.findings(view),
        mode=mode,
        left=left,
        right=right,
        left_label=left_label,
        right_label=right_label,
    )
    for column, metric in zip(st.columns(len(page.metrics)), page.metrics):
        column.metric(metric.label, metric.value, delta=metric.delta)
    common.show_chart(view, page, "compare_by_type")

    if mode == "years":
        common.show_chart(view, page, "compare_changes")
        st.dataframe(
            page.tables["changes"],
            key="compare_changes_table",
            hide_index=True,
            column_config={
                "status": view.label("compare_status"),
                "name": view.label("col_name"),
                "type": view.label("col_type"),
                "earlier_budget_yuan": st.column_config.NumberColumn(
                    view.label("compare_earlier_budget"), format="%,.2f"
                ),
                "later_budget_yuan": st.column_config.NumberColumn(view.label("compare_later_budget"), format="%,.2f"),
                "change_wan": st.column_config.NumberColumn(view.label("compare_change_wan"), format="%,.2f"),
                "change_ratio": st.column_config.NumberColumn(view.label("compare_difference_ratio"), format="percent"),
            },
        )
        st.subheader(view.label("compare_targets"))
        st.dataframe(
            page.tables["targets"],
            key="compare_targets_table",
            hide_index=True,
            column_config={
                "project": view.label("col_name"),
                "level2": view.label("col_level2"),
                "indicator": view.label("col_indicator"),
                "before": view.label("compare_before"),
                "after": view.label("compare_after"),
                "direction": view.label("compare_direction"),
            },
        )
        st.caption(page.caption)

    common.show_chart(view, page, "compare_ranking")
    common.charts_zip_button(view, compare_page.TITLE)
