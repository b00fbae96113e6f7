"""Session state: widget values that survive page switches, and this session's uploads.

Streamlit forgets a widget's value on a run that does not draw it, so each
widget's value is kept in ``st.session_state`` (per session, so one user's
filters never reach another's) under a key of its own beside the widget.
"""

from __future__ import annotations

import streamlit as st

from lib import uploads
from lib.loader import document_id


def canonical(key: str) -> str:
    """The session key where the value of the widget ``key`` is kept between runs."""
    return f"_c_{key}"


def widget(factory, label: str, *, key: str, **kwargs):
    """A widget whose value lives in a session key of its own, so it survives page switches.

    Streamlit drops a widget's state when a run does not draw it; every page
    draws the sidebar anew, so the value is kept beside the widget and handed
    back to it on each run.
    """
    st.session_state[key] = st.session_state[canonical(key)]

    def keep() -> None:
        st.session_state[canonical(key)] = st.session_state[key]

    return factory(label, key=key, on_change=keep, **kwargs)


def set_value(key: str, value: object) -> None:
    """Change a widget's value from code (a callback), e.g. the card's previous/next buttons."""
    st.session_state[canonical(key)] = value


def get_value(key: str) -> object:
    """The current value of a widget drawn with :func:`widget`."""
    return st.session_state.get(canonical(key))


def take_uploads() -> None:
    """Keep accepted uploads in the session (the uploader forgets them on a page switch)."""
    kept: dict[str, tuple[str, bytes]] = dict(st.session_state.get("_uploads", {}))
    messages = []
    files = st.session_state.get("uploader") or []
    for upload, check in zip(files, uploads.validate_uploads((f.name, f.getvalue()) for f in files)):
        if check.ok:
            data = upload.getvalue()
            kept[document_id(data)] = (upload.name, data)
        if not check.ok:
            messages.append(check.message)
    st.session_state["_uploads"] = kept
    st.session_state["_upload_messages"] = messages


def session_uploads() -> list[tuple[str, bytes]]:
    """The documents this session uploaded (not yet in the library)."""
    return list(st.session_state.get("_uploads", {}).values())


def keep_uploads(kept: list[tuple[str, bytes]]) -> None:
    """Keep only these of this session's uploads (the others were saved, or dropped)."""
    st.session_state["_uploads"] = {document_id(data): (name, data) for name, data in kept}
    st.session_state["_upload_messages"] = []


def clear_uploads() -> None:
    """Forget every upload of this session (the sidebar's clear button)."""
    st.session_state["_uploads"] = {}
    st.session_state["_upload_messages"] = []
