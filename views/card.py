"""项目卡片 Project target card: one project's header, goals and indicators, sized for a 16:9 screenshot."""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib import charts, export
from lib.pages import card
from views import common

#: Pixel widths of the card's indicator columns: together they fit the table's half of a 1366×768 screen,
#: and a wider screen shares out the rest.
CARD_WIDTHS = {"level2": 95, "name": 160, "period_value": 110, "annual_value": 100, "flags": 65}

view = common.view()


def _step(ids: list[str], offset: int) -> None:
    current = common.get_value("project")
    index = ids.index(current) if current in ids else 0
    common.set_value("project", ids[(index + offset) % len(ids)])


def _card_file(page, stem: str) -> bytes:
    """The card's PNG, or a zip of its images named "_1of2", "_2of2"."""
    pngs = export.figure_pngs(card.images(page))
    if len(pngs) == 1:
        return pngs[0]
    return export.pngs_zip([(f"{stem}_{n}of{len(pngs)}", png) for n, png in enumerate(pngs, 1)])


# Presenting, the project's name is the title: the card fits one 16:9 screen.
if common.page_header(view, card.TITLE, title=not view.present):
    projects = view.filtered.projects
    ids = projects["project_id"].to_list()
    names = dict(zip(ids, projects["name"].to_list()))
    wanted = st.session_state.pop("_url_project", None)
    if wanted in names:
        common.set_value("project", wanted)
    common.set_value("project", card.chosen_project(view, common.get_value("project")))
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
    clicked_project, clicked = st.session_state.get("_card_finding") or (None, None)
    chosen = clicked if clicked_project == common.get_value("project") else None
    page = card.page(view, common.findings(view), common.get_value("project"), chosen=chosen)
    row = page.texts["project"]
    st.subheader(common.md(row["name"]), anchor=False)
    # The period ("2021–ongoing") is the widest figure: it gets half a column more.
    facts = st.columns([1.5 if metric.key == "period" else 1 for metric in page.metrics] + [1.8])
    for column, metric in zip(facts, page.metrics):
        column.metric(metric.label, metric.value)
    with facts[-1]:
        # Long names wrap here instead of being cut off as a metric would.
        for label, text in page.texts["facts"]:
            st.text(f"{label}{view.label('label_sep')}{text}")
    st.caption(page.caption)

    goals, table_column = st.columns([2, 3])
    with goals:
        for label, text in page.texts["goals"]:
            st.markdown(f"**{common.md(label)}**")
            with st.container(height=150, border=True):
                # Document text is data: st.text never interprets Markdown or HTML.
                st.text(text)
        found = page.texts["findings"]
        st.markdown(f"**{view.label('card_findings')}**{view.label('paren', text=len(found))}")
        # Tall enough for about five findings; more scroll inside the box.
        with st.container(height=min(80 + 70 * max(len(found), 1), 420), border=True):
            if not found:
                st.text(view.label("review_none"))
            for index, line in enumerate(found):
                if index == 0 and page.texts["chosen"]:
                    # The finding a reviewer clicked on 审核发现: first and highlighted (st.warning: text, no markup).
                    st.warning(common.md(line), icon=":material/arrow_right:")
                else:
                    st.text(line)
    with table_column:
        st.markdown(f"**{view.label('card_indicators')}**")
        shown = page.tables["indicators"]

        colors = charts.HIGHLIGHT_COLORS  # the card's image uses the same colours

        def _style(r):
            return [
                f"background-color: {colors['chosen']}; font-weight: 700"
                if r["chosen"]
                else f"background-color: {colors['differs']}; font-weight: 600"
                if (r["differs"] and c == "annual_value")
                else f"background-color: {colors['flagged']}; color: {charts.FLAGGED_TEXT_COLOR}"
                if (r["flags"] and c in ("name", "flags"))
                else ""
                for c in r.index
            ]

        visible = ["level2", "name", "period_value", "annual_value", "flags"]
        headers = ["col_level2", "col_indicator", "col_period_value", "col_annual_value", "card_flag"]
        if view.present:
            # Presenting: the grid draws on a canvas at its own small size; a static table's text
            # grows with the page's, as far as a projector needs (cell text is text, never markup).
            frame = shown.to_pandas()
            positions = [list(frame.columns).index(c) for c in visible]

            def _shown_style(r):
                styles = _style(frame.loc[r.name])
                return [styles[i] for i in positions]

            table = frame[visible].rename(columns=dict(zip(visible, (view.label(key) for key in headers))))
            st.table(table.style.apply(_shown_style, axis=1).hide(axis="index"))
        else:
            st.dataframe(
                shown.to_pandas().style.apply(_style, axis=1),
                key="card_table",
                hide_index=True,
                height=min(36 + 35 * shown.height, 560),
                # 二级 names its 一级 (数量指标 is 产出指标's): the key columns fit a 1366-pixel laptop.
                column_order=["level2", "name", "period_value", "annual_value", "flags"],
                column_config={
                    "level2": st.column_config.TextColumn(view.label("col_level2"), width=CARD_WIDTHS["level2"]),
                    "name": st.column_config.TextColumn(view.label("col_indicator"), width=CARD_WIDTHS["name"]),
                    "period_value": st.column_config.TextColumn(
                        view.label("col_period_value"), width=CARD_WIDTHS["period_value"]
                    ),
                    "annual_value": st.column_config.TextColumn(
                        view.label("col_annual_value"), width=CARD_WIDTHS["annual_value"]
                    ),
                    "flags": st.column_config.TextColumn(view.label("card_flag"), width=CARD_WIDTHS["flags"]),
                },
            )
        notes = []
        if "differs" in page.notes:
            notes.append(f":orange-background[{page.notes['differs']}]")
        if "flagged" in page.notes:
            notes.append(f":red-background[{page.notes['flagged']}]")
        if "chosen" in page.notes:
            notes.append(f":orange-background[**{page.notes['chosen']}**]")
        if notes:
            st.caption("　".join(notes))
    with st.expander(view.label("card_cells")):
        # Where each field was read: the document is parsed again with provenance, on request.
        source = view.corpus.documents.filter(pl.col("document_id") == row["document_id"])["source"].first()
        cells = common.cells_of(view.sources.key, row["document_id"], source, view.sources)
        st.caption(view.label("card_cells_help"))
        st.dataframe(
            card.cells_table(view, cells, row["project_id"]),
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
    # One 16:9 image, or a zip of the card's images when it continues ("（续）", "1/2").
    count = card.image_count(page)
    stem = view.filename(row["name"] or view.label(card.TITLE))
    st.download_button(
        view.label("export_card_png") if count == 1 else view.label("export_card_pngs", count=count),
        # Built when pressed: the figures take Plotly a moment to build and the browser to draw.
        data=lambda: _card_file(page, stem),
        file_name=f"{stem}.png" if count == 1 else f"{stem}.zip",
        mime="image/png" if count == 1 else "application/zip",
        key="card_png",
        icon=":material/image:",
        on_click="ignore",
    )
    # The project chosen on this page belongs in the URL too.
    common.write_url(view)
