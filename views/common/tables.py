"""Tables capped at :data:`TABLE_ROWS` rows, since every row of a table goes to the browser."""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib import export
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
    view: View, frame: pl.DataFrame, *, key: str, full: pl.DataFrame | None = None, download: str | None = None
) -> None:
    """Indicator rows as :mod:`lib.pages` prepares them (project name, translated categories), labelled.

    Shown through :func:`table`, so at most :data:`TABLE_ROWS` rows, in the
    indicators' order; ``download`` and ``full`` as there.
    """
    columns = frame.columns
    config: dict[str, object] = {c: view.label(_INDICATOR_LABELS[c]) for c in columns}
    if "annual_number" in columns:
        config["annual_number"] = st.column_config.NumberColumn(view.label("col_number"), format="%,.2f")
    if "line" in columns:
        config["line"] = st.column_config.NumberColumn(view.label("col_line"), format="%d")
    table(view, frame, key=key, download=download, full=full, column_config=config)
