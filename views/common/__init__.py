"""What every page shares, one module per job, re-exported here so pages call ``common.view()`` and the like.

Every page calls :func:`view` first: it draws the sidebar and returns the
filtered frames. The modules:

- :mod:`views.common.state`: widget values kept in the session, and uploads;
- :mod:`views.common.data`: the run's documents, parsed once and cached;
- :mod:`views.common.url`: the view in the URL, read on a first run, written on every run;
- :mod:`views.common.sidebar`: the shared sidebar and the :class:`View` it returns;
- :mod:`views.common.text`: escaping document text for Markdown;
- :mod:`views.common.navigation`: the pages in order (the navigation, presentation mode's previous/next);
- :mod:`views.common.page`: the top of every page (title, notices, presentation mode);
- :mod:`views.common.tables`: tables capped at so many rows;
- :mod:`views.common.figures`: charts, their captions, PNGs and zip;
- :mod:`views.common.downloads`: files built on request, the deck and the findings workbook.
"""

from __future__ import annotations

from views.common.data import Signature, Sources, Uploads, cells_of, findings, library_signature, load, review_of
from views.common.downloads import caption_with_download, deck_button, findings_download, prepared_download
from views.common.figures import charts_zip_button, show_chart
from views.common.page import ERRORS_SHOWN, notices, page_header, presentation_style
from views.common.sidebar import View, view
from views.common.state import (
    canonical,
    clear_uploads,
    get_value,
    keep_uploads,
    session_uploads,
    set_value,
    take_uploads,
    widget,
)
from views.common.tables import SELECT_PROJECTS, TABLE_ROWS, indicator_table, table
from views.common.text import md
from views.common.url import KEYS, first_run_from_url, settings, write_url

__all__ = [
    "ERRORS_SHOWN",
    "KEYS",
    "SELECT_PROJECTS",
    "TABLE_ROWS",
    "Signature",
    "Sources",
    "Uploads",
    "View",
    "canonical",
    "caption_with_download",
    "cells_of",
    "charts_zip_button",
    "clear_uploads",
    "deck_button",
    "findings",
    "findings_download",
    "first_run_from_url",
    "get_value",
    "indicator_table",
    "keep_uploads",
    "library_signature",
    "load",
    "md",
    "notices",
    "page_header",
    "presentation_style",
    "prepared_download",
    "review_of",
    "session_uploads",
    "set_value",
    "settings",
    "show_chart",
    "table",
    "take_uploads",
    "view",
    "widget",
    "write_url",
]
