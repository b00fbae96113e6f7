"""文档库 Library: the documents every user sees, this session's uploads, saving and removing."""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib import library
from lib.ingest.grid import FORMS
from lib.loader import Corpus, data_dir
from pages import common

@st.cache_resource(max_entries=4)
def _listing(key: str, _corpus: Corpus) -> pl.DataFrame:
    """The library listing, made again only when a document is added, changed or removed.

    Its figures come from the library's corpus as the other pages load it
    (the same cache), not from loading every file again.
    """
    return library.list_documents(data_dir(), corpus=_corpus)


view = common.view()
common.presentation_style(view)
st.title(view.label("page_library"))
common.notices(view)

pending = common.session_uploads()
if pending:
    st.subheader(view.label("library_uploads"))
    st.dataframe(pl.DataFrame({"file": [name for name, _ in pending], "size": [len(data) / 1024 for _, data in pending]}),
                 key="library_pending", hide_index=True,
                 column_config={"file": view.label("col_file"), "size": st.column_config.NumberColumn(view.label("col_size"), format="%,.1f")})
    if st.button(view.label("library_save"), key="library_save", icon=":material/save:", type="primary"):
        results = [library.save(name, data, directory=data_dir()) for name, data in pending]
        for result in results:
            (st.success if result.ok else st.error)(common.md(result.message))
        # Keep what could not be saved (a full disk, say) pending, so a retry needs no new upload.
        if all(result.ok for result in results):
            common.clear_uploads()

st.subheader(view.label("library_documents"))
shared = common.Sources(view.sources.signature)  # the library's documents, without this session's uploads
# Loaded outside the cached listing: a parse's progress bar must not be replayed with it.
documents = _listing(shared.key, common.load(shared.key, shared))
if documents.is_empty():
    st.info(view.label("library_empty"))
else:
    st.dataframe(
        documents.with_columns((pl.col("budget_yuan") / 10_000).alias("budget_wan"), (pl.col("size") / 1024).alias("size_kb")).select(
            "file", "form", "department", "year", "project_count", "budget_wan", "diagnostics_count", "size_kb", "modified"
        ).with_columns(pl.col("form").replace_strict({form: view.label(f"form_{form}") for form in FORMS}, default=None)),
        key="library_table",
        hide_index=True,
        column_config={
            "file": view.label("col_file"),
            "form": view.label("col_form"),
            "department": view.label("col_department"),
            "year": st.column_config.NumberColumn(view.label("col_year"), format="%d"),
            "project_count": view.label("col_projects"),
            "budget_wan": st.column_config.NumberColumn(view.label("col_budget_wan"), format="%,.2f"),
            "diagnostics_count": view.label("col_diagnostics"),
            "size_kb": st.column_config.NumberColumn(view.label("col_size"), format="%,.1f"),
            "modified": st.column_config.DatetimeColumn(view.label("col_modified"), format="YYYY-MM-DD HH:mm"),
        },
    )
    with st.form("library_remove_form"):
        target = st.selectbox(view.label("library_remove_pick"), documents["file"].to_list(), key="library_remove_pick")
        if st.form_submit_button(view.label("library_remove"), icon=":material/delete:"):
            if library.remove(target, directory=data_dir()):
                st.success(view.label("library_removed", file=target))
            else:
                st.error(view.label("library_remove_failed", file=target))
