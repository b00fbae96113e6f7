"""项目卡片 Project target card: one project's header, goals and indicators, sized for a 16:9 screenshot."""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib import charts, export, loader, metrics
from lib.model import periods
from lib.i18n import category_columns
from views import common

view = common.view()


def _step(ids: list[str], offset: int) -> None:
    current = common.get_value("project")
    index = ids.index(current) if current in ids else 0
    common.set_value("project", ids[(index + offset) % len(ids)])


def _period(row: dict) -> str:
    return periods.period_text(row["start_year"], row["end_year"], row["budget_year"], ongoing=view.label("ongoing"))


if common.page_header(view, "page_card"):
    projects = view.filtered.projects
    ids = projects["project_id"].to_list()
    names = dict(zip(ids, projects["name"].to_list()))
    wanted = st.session_state.pop("_url_project", None)
    if wanted in names:
        common.set_value("project", wanted)
    if common.get_value("project") not in names:
        common.set_value("project", ids[0])
    listed = ids
    if len(ids) > common.SELECT_PROJECTS:
        largest = set(projects.top_k(common.SELECT_PROJECTS, by="budget_yuan")["project_id"].to_list())
        listed = [i for i in ids if i in largest or i == common.get_value("project")]
    pick, previous, following = st.columns([6, 1, 1], vertical_alignment="bottom")
    with pick:
        common.widget(st.selectbox, view.label("card_select"), key="project", options=listed, format_func=names.get)
    previous.button(
        view.label("card_previous"),
        key="card_previous",
        on_click=_step,
        args=(ids, -1),
        icon=":material/chevron_left:",
        width="stretch",
    )
    following.button(
        view.label("card_next"),
        key="card_next",
        on_click=_step,
        args=(ids, 1),
        icon=":material/chevron_right:",
        width="stretch",
    )

    if len(listed) < len(ids):
        st.caption(view.label("card_select_capped", shown=common.SELECT_PROJECTS, total=len(ids)))
    row = projects.filter(pl.col("project_id") == common.get_value("project")).row(0, named=True)
    total = view.filtered.projects["budget_yuan"].sum() or 0
    share = (row["budget_yuan"] or 0) / total if total else None
    st.subheader(common.md(row["name"]), anchor=False)
    facts = st.columns([1, 1, 1, 2])
    facts[0].metric(view.label("card_budget"), f"{metrics.format_wan(row['budget_yuan'])} {view.label('unit_wan')}")
    facts[1].metric(view.label("card_share"), metrics.format_share(share))
    facts[2].metric(view.label("card_period"), _period(row))
    with facts[3]:
        # Long names wrap here instead of being cut off as a metric would.
        for key, field in (("card_type", "type"), ("card_level", "level"), ("card_unit", "unit")):
            st.text(f"{view.label(key)}：{row[field] or '—'}")
    st.caption(common.caption(view))

    project_findings = common.findings(view).filter(pl.col("project_id") == row["project_id"])
    goals, table_column = st.columns([2, 3])
    with goals:
        for key, field in (("card_goal_period", "goal_period"), ("card_goal_annual", "goal_annual")):
            st.markdown(f"**{view.label(key)}**")
            with st.container(height=150, border=True):
                # Document text is data: st.text never interprets Markdown or HTML.
                st.text(row[field] or "—")
        st.markdown(f"**{view.label('card_findings')}**（{project_findings.height}）")
        with st.container(height=150, border=True):
            if project_findings.is_empty():
                st.text(view.label("review_none"))
            for finding in project_findings.iter_rows(named=True):
                st.text(f"【{finding['severity']}】{finding['rule_id']} {finding['message']}")
    with table_column:
        st.markdown(f"**{view.label('card_indicators')}**")
        flags = (
            project_findings.filter(pl.col("indicator_id").is_not_null())
            .group_by("indicator_id")
            .agg(pl.col("rule_id").unique().sort().str.join(" ").alias("flags"))
        )
        card = metrics.card_indicators(view.filtered.indicators, row["project_id"]).join(
            flags, on="indicator_id", how="left"
        )
        shown = card.select(
            *category_columns(card, ["level1", "level2"], view.lang),
            "name",
            "period_value",
            "annual_value",
            pl.col("flags").fill_null(""),
            "differs",
        )

        def _style(r):
            return [
                "background-color: #FFE8CC; font-weight: 600"
                if (r["differs"] and c == "annual_value")
                else "background-color: #FBE3E4; color: #B2182B"
                if (r["flags"] and c in ("name", "flags"))
                else ""
                for c in r.index
            ]

        st.dataframe(
            shown.to_pandas().style.apply(_style, axis=1),
            key="card_table",
            hide_index=True,
            height=min(36 + 35 * shown.height, 560),
            column_order=["level1", "level2", "name", "period_value", "annual_value", "flags"],
            column_config={
                "level1": st.column_config.TextColumn(view.label("col_level1"), width="small"),
                "level2": st.column_config.TextColumn(view.label("col_level2"), width="medium"),
                "name": st.column_config.TextColumn(view.label("col_indicator"), width="medium"),
                "period_value": view.label("col_period_value"),
                "annual_value": view.label("col_annual_value"),
                "flags": st.column_config.TextColumn(view.label("card_flag"), width="small"),
            },
        )
        notes = []
        if card["differs"].any():
            notes.append(f":orange-background[{view.label('card_differs')}]")
        if card["flags"].is_not_null().any():
            notes.append(f":red-background[{view.label('card_flagged')}]")
        if notes:
            st.caption("　".join(notes))
    with st.expander(view.label("card_cells")):
        # Where each field was read: the document is parsed again with provenance, on request.
        source = view.corpus.documents.filter(pl.col("document_id") == row["document_id"])["source"].first()
        cells = common.cells_of(view.sources.key, row["document_id"], source, view.sources)
        read = loader.project_cells(cells, view.filtered.indicators, row["project_id"])
        labels = {key: view.label(key) for key in {*loader.CELL_FIELD_LABELS.values(), "col_indicator"}}
        st.caption(view.label("card_cells_help"))
        st.dataframe(
            read.with_columns(
                pl.col("item").fill_null(view.label("card_cells_project")),
                pl.col("label").replace_strict(labels, default=None, return_dtype=pl.String).fill_null(pl.col("field")),
            ).drop("field"),
            key="card_cells",
            hide_index=True,
            column_config={
                "item": view.label("card_cells_item"),
                "label": view.label("card_cells_field"),
                "source": view.label("col_source"),
                "line": st.column_config.NumberColumn(view.label("col_line"), format="%d"),
                "column": st.column_config.NumberColumn(view.label("card_cells_column"), format="%d"),
            },
        )
    facts_line = "　".join(
        [
            f"{view.label('card_budget')} {metrics.format_wan(row['budget_yuan'])} {view.label('unit_wan')}",
            f"{view.label('card_share')} {metrics.format_share(share)}",
            f"{view.label('card_period')} {_period(row)}",
            f"{view.label('card_type')} {row['type'] or '—'}",
        ]
    )
    caption = common.caption(view)
    st.download_button(
        view.label("export_card_png"),
        # Built when pressed: a figure takes Plotly tens of milliseconds to build.
        data=lambda: export.chart_png(
            charts.card_figure(row, card, facts=f"{facts_line}　·　{caption}", lang=view.lang), caption=caption
        ),
        file_name=f"{view.filename(row['name'] or view.label('page_card'))}.png",
        mime="image/png",
        key="card_png",
        icon=":material/image:",
        on_click="ignore",
    )
    # The project chosen on this page belongs in the URL too.
    common.write_url(view)
