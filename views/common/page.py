"""The top of every page: title, presentation mode and the notices about the URL and the documents."""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib.model.diagnostics import located
from views.common.navigation import neighbours
from views.common.sidebar import View
from views.common.state import get_value, set_value
from views.common.text import md

#: Error diagnostics named on every page; the Data page lists them all.
ERRORS_SHOWN = 5


def notices(view: View) -> None:
    """Show once per page what the URL had that was ignored, and whether files failed to load."""
    ignored = st.session_state.get("_url_ignored")
    if ignored:
        st.info(view.label("ignored_params", params=md("; ".join(ignored))), icon=":material/link_off:")
    older = st.session_state.get("_superseded") or []
    if older:
        # Names are document text: escaped, never markup.
        lines = "\n".join(
            f"- {md(row['department'])} {row['year']}{view.label('label_sep')}"
            + view.label("versions_line", current=md(row["current"]), older=md(row["source"]))
            for row in older
        )
        key = "versions_shown" if get_value("show_versions") else "versions_hidden"
        st.info(f"{view.label(key)}\n\n{lines}", icon=":material/history:")
    errors = view.corpus.diagnostics.filter(pl.col("severity") == "error")
    if errors.height:
        # The reasons themselves (a scan needing OCR, an old .doc): a person can act on them here.
        shown = "\n".join(
            f"- {md(located(row['source'], row['line'], row['message']))}"
            for row in errors.head(ERRORS_SHOWN).iter_rows(named=True)
        )
        more = (
            view.label("load_errors_more", count=errors.height - ERRORS_SHOWN) if errors.height > ERRORS_SHOWN else ""
        )
        st.warning(f"{view.label('load_errors')}\n\n{shown}{more}", icon=":material/warning:")


def presentation_style(view: View) -> None:
    """In presentation mode hide the sidebar and enlarge the text for a projector."""
    if not view.present:
        return
    # Static CSS of our own; no document text is ever rendered as HTML.
    st.html(
        "<style>"
        "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'] {display: none;}"
        ".stApp {font-size: 1.25rem;}"
        "[data-testid='stMetricValue'] {font-size: 3rem;}"
        "[data-testid='stTable'] td, [data-testid='stTable'] th {font-size: 1.125rem; padding: 0.2rem 0.5rem;}"
        "</style>"
    )


def page_header(view: View, title_key: str, *, title: bool = True) -> bool:
    """Title (unless ``title`` is False), notices and presentation style; False when no project is left after filtering."""
    st.session_state["_page_charts"] = {}
    presentation_style(view)
    if view.present:
        # The navigation is hidden while presenting: the pages before and after, and the way out.
        before, after = neighbours(title_key)
        back, leave, forward = st.columns([2, 2, 2], vertical_alignment="center")
        if before:
            back.page_link(before[0], label=view.label(before[1]), icon=":material/chevron_left:")
        leave.button(
            view.label("presentation_exit"),
            key="present_exit",
            on_click=set_value,
            args=("present", False),
            icon=":material/close_fullscreen:",
        )
        if after:
            forward.page_link(after[0], label=view.label(after[1]), icon=":material/chevron_right:")
    if title:
        st.title(view.label(title_key))
    notices(view)
    if view.filtered.projects.is_empty():
        st.warning(view.label("no_projects"), icon=":material/filter_alt_off:")
        return False
    return True
