"""The shared sidebar: language, filters, uploads, and the :class:`View` of the documents every page draws from.

Every page calls :func:`view` first: it draws the sidebar and returns the
filtered frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from lib import filters, uploads
from lib.filters import Filters, FilterOptions
from lib.i18n import LANGS, project_level, project_type, t
from lib.pages import Scope
from views.common.data import Sources, library_signature, load
from views.common.state import canonical, clear_uploads, get_value, session_uploads, set_value, take_uploads, widget
from views.common.text import md
from views.common.url import KEYS, first_run_from_url, settings, write_url


@dataclass(frozen=True)
class View(Scope):
    """A page's scope (:class:`lib.pages.Scope`: documents, filters, language) and this session's own settings."""

    sources: Sources | None = None
    present: bool = False

    @property
    def made_for(self) -> tuple[str, str, str]:
        """What a chart or an export made from this view depends on: documents, filters, language."""
        return (self.sources.key if self.sources else "", repr(self.filters), self.lang)


def _reset(options: FilterOptions) -> None:
    """Clear every filter (the sidebar's reset button)."""
    for key in (KEYS["doc"], KEYS["type"], KEYS["level"], KEYS["period"]):
        set_value(key, [])
    set_value(KEYS["q"], "")
    set_value("f_budget", options.budget_wan)


def view() -> View:
    """Draw the shared sidebar (language, filters, count, reset) and return this run's view.

    Every page calls this first; the filtered frames come from here only.
    """
    lang, _ = settings()
    sources = Sources(library_signature(), tuple(session_uploads()))
    corpus = load(sources.key, sources)
    # Two versions of one department's year are not twice the budget: the latest counts unless asked otherwise.
    older = filters.superseded(corpus.documents, corpus.projects)
    if older.height and not get_value("show_versions"):
        corpus = filters.without_documents(corpus, older["document_id"].to_list())
    st.session_state["_superseded"] = older.rows(named=True)
    options = filters.filter_options(corpus)
    first_run_from_url(options)
    low, high = options.budget_wan
    stored = get_value("f_budget")
    # A range that spanned all budgets keeps spanning them when uploads widen them.
    spanned_all = stored is not None and tuple(stored) == tuple(st.session_state.get("_budget_bounds", stored))
    if not stored or spanned_all or not (low <= stored[0] <= stored[1] <= high):
        set_value("f_budget", (low, high))
    st.session_state["_budget_bounds"] = (low, high)
    with st.sidebar:
        widget(
            st.segmented_control,
            t("language", lang),
            key="lang",
            options=LANGS,
            format_func={"zh": "中文", "en": "English"}.get,
            required=True,
        )
        lang = st.session_state["lang"]
        widget(st.toggle, t("presentation_mode", lang), key="present")
        st.header(t("filters", lang))
        # An empty filter is every value (the placeholder says 全部), so the
        # multiselect's own "Select all" adds nothing; it is hidden because its
        # text cannot be set (Streamlit 1.67 writes it in English only).
        choose = {"placeholder": t("filter_all", lang), "select_all": False}
        for label, name, choices, shown in (
            ("filter_document", "doc", list(options.documents), options.documents.get),
            ("filter_type", "type", options.types, lambda v: project_type(v, lang)),
            ("filter_level", "level", options.levels, lambda v: project_level(v, lang)),
            ("filter_period", "period", options.periods, lambda p: t(f"period_{p}", lang)),
        ):
            widget(st.multiselect, t(label, lang), key=KEYS[name], options=choices, format_func=shown, **choose)
        if high > low:
            widget(st.slider, t("filter_budget", lang), key="f_budget", min_value=low, max_value=high, format="%.2f")
        widget(st.text_input, t("filter_keyword", lang), key=KEYS["q"])
        if older.height:
            st.session_state.setdefault(canonical("show_versions"), False)
            widget(
                st.toggle,
                t("show_versions", lang, count=older.height),
                key="show_versions",
                help=t("show_versions_help", lang),
            )
    budget = tuple(get_value("f_budget"))
    chosen = Filters(
        documents=tuple(get_value(KEYS["doc"])),
        types=tuple(get_value(KEYS["type"])),
        levels=tuple(get_value(KEYS["level"])),
        periods=tuple(get_value(KEYS["period"])),
        budget_wan=budget if budget != tuple(options.budget_wan) else None,
        keyword=str(get_value(KEYS["q"])).strip(),
    )
    filtered = filters.apply_filters(corpus, chosen)
    result = View(corpus, filtered, chosen, options, lang, sources=sources, present=bool(get_value("present")))
    with st.sidebar:
        st.caption(result.label("shown_count", shown=filtered.projects.height, total=corpus.projects.height))
        st.button(
            result.label("filter_reset"), key="reset", on_click=_reset, args=(options,), icon=":material/restart_alt:"
        )
        st.divider()
        # Label and help are ours, in the chosen language. The drop zone's own
        # words ("Upload", "Drag and drop files here", "20MB per file") are
        # written in English by Streamlit's frontend: st.file_uploader (1.67)
        # has no parameter and no config option for them (streamlit#13500), so
        # the help says the limits in the chosen language instead.
        st.file_uploader(
            result.label("upload_label"),
            accept_multiple_files=True,
            key="uploader",
            on_change=take_uploads,
            help=result.label("upload_help", mb=uploads.MAX_BYTES // (1024 * 1024), files=uploads.MAX_FILES),
        )
        for message in st.session_state.get("_upload_messages", []):
            st.error(md(message))
        if session_uploads():
            st.caption(result.label("upload_count", count=len(session_uploads())))
            st.button(
                result.label("upload_clear"), key="upload_clear", on_click=clear_uploads, icon=":material/delete_sweep:"
            )
    write_url(result)
    return result
