"""Exports for meetings: an Excel workbook, CSV and Parquet files, charts as PNG images, a PowerPoint deck.

Everything returns ``bytes``, so a page hands the result to a download button
and the command line writes it to a file; nothing here touches the disk.
Document text is data, never code: a cell that starts with ``=``, ``+``,
``-`` or ``@`` cannot run as a formula in the workbook or a CSV file
(CSV/formula injection). ``lang=None`` keeps the schema's column names and
raw values: the command line's machine-readable form, which scripts read back.

The exports live one module per job, and this package offers the files'
functions by name (``export.csv_bytes(...)``):

* :mod:`lib.export.text` -- text width in ems and wrapping, for captions,
  slides and column widths;
* :mod:`lib.export.naming` -- what a reader sees as names: file names,
  captions, source labels, column headers, translated values;
* :mod:`lib.export.tables` -- one frame as CSV (UTF-8 with BOM, formula-safe)
  or Parquet;
* :mod:`lib.export.workbook` -- the Excel workbook: a 说明 sheet, one sheet
  per frame, ready to print;
* :mod:`lib.export.images` -- charts as PNG images rendered by kaleido, one
  or a page's zip, laid out by :mod:`lib.export.framing`, a tall chart split
  by :mod:`lib.export.parts`, in the process' one browser
  (:mod:`lib.export.browser`);
* :mod:`lib.export.deck` -- the PowerPoint deck and its command line
  (``python -m lib.export.deck``); imported as a module
  (``from lib.export import deck``), not re-exported here: it loads
  python-pptx and :mod:`lib.cli`, which imports this package.
"""

from __future__ import annotations

from lib.export.images import (
    ExportError,
    chart_png,
    chart_pngs,
    charts_zip,
    figure_pngs,
    part_count,
    pngs_zip,
    presentation_figure,
    presentation_parts,
)
from lib.export.naming import caption, safe_filename, severity_label, source_label
from lib.export.tables import csv_bytes, parquet_bytes
from lib.export.text import text_width, wrap_text
from lib.export.workbook import workbook_bytes

__all__ = [
    "ExportError",
    "caption",
    "chart_png",
    "chart_pngs",
    "charts_zip",
    "csv_bytes",
    "figure_pngs",
    "parquet_bytes",
    "part_count",
    "pngs_zip",
    "presentation_figure",
    "presentation_parts",
    "safe_filename",
    "severity_label",
    "source_label",
    "text_width",
    "wrap_text",
    "workbook_bytes",
]
