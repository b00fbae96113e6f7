"""Downloads: files built only when asked for, and the deck and findings workbook buttons."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from lib import export, filters
from lib.export import deck
from views.common.data import findings
from views.common.sidebar import View


def caption_with_download(text: str, *, label: str, data, file_name: str, mime: str, key: str, icon: str) -> None:
    """A caption with a small download button at its right; the file is made only when pressed."""
    note, button = st.columns([5, 1], vertical_alignment="center")
    note.caption(text)
    button.download_button(
        label, data=data, file_name=file_name, mime=mime, key=key, type="tertiary", icon=icon, on_click="ignore"
    )


def prepared_download(view: View, *, key: str, label: str, build, file_name: str, mime: str) -> None:
    """A button that builds an export with visible progress, then offers the file.

    The file is built once, on request, and kept for this session until the
    documents, filters or language change (a stale file is never offered).
    Its bytes belong to the session's page, so Streamlit keeps them until
    the next run; a deferred ``download_button(data=callable)`` file is
    unreferenced and swept when any two sessions finish a run, which under
    load can happen before the browser fetches it (found by bench/load.py).
    A failure is shown with its reason and the page stays as it was.
    """
    made_for = view.made_for
    if st.button(label, key=f"{key}_build", icon=":material/build:"):
        with st.status(view.label("export_working"), expanded=False) as status:
            try:
                st.session_state[f"_{key}"] = (made_for, build())
            except (export.ExportError, OSError, RuntimeError, ValueError) as exc:
                status.update(label=view.label("export_failed", reason=str(exc)), state="error")
                return
            status.update(label=view.label("export_ready"), state="complete")
    kept = st.session_state.get(f"_{key}")
    if kept is not None and kept[0] == made_for:
        st.download_button(
            view.label("export_download", file=file_name),
            kept[1],
            file_name=file_name,
            mime=mime,
            key=key,
            icon=":material/download:",
            on_click="ignore",
        )


def deck_button(view: View) -> None:
    """Build the meeting deck for the current filters."""
    prepared_download(
        view,
        key="deck",
        label=view.label("export_deck"),
        build=lambda: deck.build_deck(
            view.filtered,
            filters_text=filters.describe(view.filters, view.options, lang=view.lang),
            findings=findings(view),
            lang=view.lang,
            today=date.today(),
        ),
        file_name=f"{view.filename(view.label('export_deck_name'))}.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    )


def findings_download(view: View, found: pl.DataFrame, rules: pl.DataFrame) -> None:
    """The findings workbook, named with the document and date, built when asked for.

    Building it on every run would cost seconds on a large corpus although
    nobody asked; see :func:`prepared_download` for why it is not a
    deferred download.
    """
    described = filters.describe(view.filters, view.options, lang=view.lang)
    prepared_download(
        view,
        key="review_download",
        label=view.label("review_download"),
        build=lambda: export.workbook_bytes(
            view.filtered,
            findings=found,
            rules=rules.rename({"rule_id": "id"}) if "rule_id" in rules.columns else rules,
            filters_text=described,
            lang=view.lang,
        ),
        file_name=f"{view.filename(view.label('page_review'))}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
