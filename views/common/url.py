"""The view in the URL: read from ``st.query_params`` on a session's first run, written back on every run.

Unknown or malformed values are dropped and remembered, so a page can say
which were ignored (:func:`views.common.page.notices`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from lib import filters
from lib.filters import FilterOptions
from lib.i18n import LANGS
from views.common.state import canonical, get_value

if TYPE_CHECKING:
    from views.common.sidebar import View

#: Session-state keys of the widgets whose values travel in the URL.
KEYS = {
    "doc": "f_doc",
    "type": "f_type",
    "level": "f_level",
    "period": "f_period",
    "q": "f_q",
}
_OTHER_PARAMS = ("lang", "present", "project", "budget_min", "budget_max")


def settings() -> tuple[str, bool]:
    """Language and presentation mode, read from the URL on a session's first run.

    ``app.py`` needs them before any page runs, to title the navigation.
    """
    if canonical("lang") not in st.session_state:
        ignored: list[str] = []
        lang = st.query_params.get("lang")
        if lang is not None and lang not in LANGS:
            ignored.append(f"lang={lang}")
        present = st.query_params.get("present")
        if present is not None and present not in ("0", "1"):
            ignored.append(f"present={present}")
        st.session_state[canonical("lang")] = lang if lang in LANGS else "zh"
        st.session_state[canonical("present")] = present == "1"
        st.session_state["_url_ignored"] = ignored
    return st.session_state[canonical("lang")], bool(st.session_state[canonical("present")])


def first_run_from_url(options: FilterOptions) -> None:
    """Seed the filters from the URL once per session; remember what was ignored."""
    if canonical(KEYS["type"]) in st.session_state:
        return
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    flat = {key: values if len(values) > 1 or key in KEYS else values[0] for key, values in params.items()}
    seeded, ignored = filters.validate(flat, options)
    for name, value in (
        ("doc", list(seeded.documents)),
        ("type", list(seeded.types)),
        ("level", list(seeded.levels)),
        ("period", list(seeded.periods)),
        ("q", seeded.keyword),
    ):
        st.session_state[canonical(KEYS[name])] = value
    st.session_state[canonical("f_budget")] = seeded.budget_wan or options.budget_wan
    st.session_state["_url_project"] = st.query_params.get("project")
    known = set(KEYS) | set(_OTHER_PARAMS)
    ignored.extend(f"{key}={','.join(values)}" for key, values in params.items() if key not in known)
    st.session_state["_url_ignored"] = st.session_state.get("_url_ignored", []) + ignored


def write_url(view: View) -> None:
    """Put the view's filters, language, presentation mode and project in the URL, if they changed."""
    params: dict[str, str | list[str]] = dict(filters.to_params(view.filters))
    if view.lang != "zh":
        params["lang"] = view.lang
    if view.present:
        params["present"] = "1"
    project = get_value("project")
    if project:
        params["project"] = str(project)
    current = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    wanted = {key: value if isinstance(value, list) else [value] for key, value in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)
