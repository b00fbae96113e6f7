"""Tables capped at :data:`TABLE_ROWS` rows, since every row of a table goes to the browser."""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib import export
from lib.i18n import category_columns
from views.common.downloads import caption_with_download
from views.common.sidebar import View

#: Tables show at most this many rows: every row of a table goes to the
#: browser, and the indicators of 10,000 projects are over 20 MB. Downloads
#: always hold every row.
TABLE_ROWS = 1_000
#: The card page's project selector lists at most this many projects, the
#: largest: every option goes to the browser on every run (10,000 names
#: were 428 KB).
SELECT_PROJECTS = 1_000


def table(
    view: View,
    frame: pl.DataFrame,
    *,
    key: str,
    download: str | None = None,
    full: pl.DataFrame | None = None,
    **options,
):
    """``st.dataframe`` of ``frame``'s first :data:`TABLE_ROWS` rows, saying so when rows are left out.

    The frame comes sorted as the table should read; a selection's row
    numbers are those of ``frame``. When rows are left out and ``download``
    names the table, a CSV of every row (of ``full``, if given, else of
    ``frame``) is offered beside the note; pages with downloads of their own
    leave it out. Returns ``st.dataframe``'s value.
    """
    event = st.dataframe(frame.head(TABLE_ROWS), key=key, hide_index=True, **options)
    if frame.height <= TABLE_ROWS:
        return event
    note = view.label("table_capped", shown=TABLE_ROWS, total=frame.height)
    if download:
        caption_with_download(
            note,
            label=view.label("export_csv"),
            data=lambda: export.csv_bytes(frame if full is None else full, lang=view.lang),
            file_name=f"{view.filename(download)}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/description:",
        )
    else:
        st.caption(note)
    return event


_INDICATOR_LABELS = {
    "project": "col_name",
    "level1": "col_level1",
    "level2": "col_level2",
    "name": "col_indicator",
    "period_value": "col_period_value",
    "annual_value": "col_annual_value",
    "annual_kind": "col_kind",
    "annual_op": "col_op",
    "annual_number": "col_number",
    "annual_unit": "col_unit_value",
    "place": "col_place",
    "line": "col_line",
}


def indicator_table(
    view: View, indicators: pl.DataFrame, *, key: str, columns: list[str], download: str | None = None
) -> None:
    """Indicators with their project's name, categories in the view's language and labelled columns.

    Shown through :func:`table`, so at most :data:`TABLE_ROWS` rows, in the
    indicators' order; ``download`` as there, with every indicator column.
    """
    names = view.filtered.projects.select("project_id", pl.col("name").alias("project"))
    joined = indicators.join(names, on="project_id", maintain_order="left")
    frame = joined.select(columns)
    translated = [c for c in ("level1", "level2", "annual_kind") if c in columns]
    # A few distinct values in many rows: each is translated once.
    frame = frame.with_columns(category_columns(frame, translated, view.lang))
    config: dict[str, object] = {c: view.label(_INDICATOR_LABELS[c]) for c in columns}
    if "annual_number" in columns:
        config["annual_number"] = st.column_config.NumberColumn(view.label("col_number"), format="%,.2f")
    if "line" in columns:
        config["line"] = st.column_config.NumberColumn(view.label("col_line"), format="%d")
    table(view, frame, key=key, download=download, full=joined, column_config=config)
