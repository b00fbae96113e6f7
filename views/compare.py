"""对比 Compare: two departments, or two years of one department, side by side."""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib import charts, compare, metrics
from lib.i18n import category_columns
from lib.model.money import wan_expr
from views import common

view = common.view()
if common.page_header(view, "page_compare"):
    corpus = view.filtered
    documents = corpus.documents.filter(pl.col("department").is_not_null())
    departments = sorted(documents["department"].unique().to_list())
    modes = ["departments", "years"]
    mode = st.segmented_control(
        view.label("compare_mode"),
        modes,
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
                chosen_years = sorted(
                    documents.filter(pl.col("department") == chosen)["year"].drop_nulls().unique().to_list()
                )
                year = (
                    st.selectbox(view.label("col_year"), chosen_years, index=len(chosen_years) - 1, key=f"{key}_year")
                    if chosen_years
                    else None
                )
                return compare.selection(corpus, department=chosen, year=year), f"{chosen} {year or ''}".strip()
            year = st.selectbox(view.label(label_key), years, index=min(index, len(years) - 1), key=f"{key}_year")
            return compare.selection(corpus, department=department, year=year), str(year)

    left_column, right_column = st.columns(2)
    if mode == "years":
        with_years = [d for d in departments if documents.filter(pl.col("department") == d)["year"].n_unique() > 1]
        if not with_years:
            st.info(view.label("compare_none_selected"))
            st.stop()
        department = st.selectbox(view.label("col_department"), with_years, key="compare_department")
        years = sorted(documents.filter(pl.col("department") == department)["year"].drop_nulls().unique().to_list())
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
        chosen = (mode, department, left_label, right_label)
    else:
        if len(departments) < 2 and documents.height < 2:
            st.info(view.label("compare_none_selected"))
            st.stop()
        left, left_label = side(left_column, "compare_left", department=None, years=[], key="cmp_left", index=0)
        right, right_label = side(right_column, "compare_right", department=None, years=[], key="cmp_right", index=1)
        chosen = (mode, None, left_label, right_label)

    totals = compare.compare_totals(corpus, left, right)
    overall = {row["measure"]: row for row in totals.filter(pl.col("type").is_null()).iter_rows(named=True)}
    figures = st.columns(3)
    budget = overall.get("budget_yuan", {})
    figures[0].metric(f"{left_label} · {view.label('metric_total_budget')}", metrics.format_wan(budget.get("left")))
    figures[1].metric(
        f"{right_label} · {view.label('metric_total_budget')}",
        metrics.format_wan(budget.get("right")),
        delta=f"{metrics.format_wan(budget.get('difference'))}（{metrics.format_share(budget.get('difference_ratio'))}）"
        if budget.get("difference") is not None
        else None,
    )
    projects_row = overall.get("projects", {})
    figures[2].metric(
        view.label("metric_projects"), f"{int(projects_row.get('left') or 0)} → {int(projects_row.get('right') or 0)}"
    )
    common.show_chart(
        view,
        "compare_by_type",
        lambda: charts.compare_budget_by_type_chart(
            totals, left_label=left_label, right_label=right_label, lang=view.lang
        ),
        chosen,
    )

    if mode == "years":
        changes = compare.project_changes(corpus, left, right)
        common.show_chart(
            view, "compare_changes", lambda: charts.project_changes_chart(changes, lang=view.lang), chosen
        )
        st.dataframe(
            changes.with_columns(
                pl.col("status").replace_strict(
                    {s: view.label(f"compare_status_{s}") for s in compare.STATUSES}, default=pl.col("status")
                ),
                wan_expr("change_yuan").alias("change_wan"),
            ).select(
                "status", "name", "type", "earlier_budget_yuan", "later_budget_yuan", "change_wan", "change_ratio"
            ),
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
        targets = compare.target_changes(corpus, left, right)
        st.subheader(view.label("compare_targets"))
        st.dataframe(
            targets.with_columns(
                pl.col("direction").replace_strict(
                    {d: view.label(f"compare_direction_{d}") for d in compare.DIRECTIONS}, default=pl.col("direction")
                ),
                *category_columns(targets, ["level2"], view.lang),
            ).select("project", "level2", "indicator", "before", "after", "direction"),
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
        st.caption(common.caption(view))

    ranking = compare.department_ranking(corpus, findings=common.findings(view))
    common.show_chart(view, "compare_ranking", lambda: charts.ranking_chart(ranking, lang=view.lang))
    common.charts_zip_button(view, "page_compare")
