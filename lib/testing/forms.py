"""Test-only writers: a text document of the genre in its published forms (web page, Word, Excel).

Government sites publish the same tables as web pages, Word files, Excel
workbooks and PDFs. These writers make those forms from a text document,
with the merged cells a published table has (:func:`merges`), so that a
reader can be checked against the text parse of the same document. The app
never imports this module.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping
from decimal import Decimal

from lib.ingest.text import split_rows
from lib.ingest.xlsx import display_text


def blocks(text: str) -> list[tuple[str, list[list[str]]]]:
    """("heading" | "para" | "table", rows) in order: a table is a run of non-empty multi-cell lines."""
    blocks: list[tuple[str, list[list[str]]]] = []
    for row in split_rows(text):
        cells = list(row.cells)
        if not any(cells):
            blocks.append(("gap", []))
            continue
        if len(cells) == 1 and cells[0].startswith("#"):
            blocks.append(("heading", [cells]))
        elif len(cells) == 1 and (not blocks or blocks[-1][0] != "table"):
            blocks.append(("para", [cells]))
        elif blocks and blocks[-1][0] == "table":
            blocks[-1][1].append(cells)
        else:
            blocks.append(("table", [cells]))
    return [block for block in blocks if block[0] != "gap"]


def table_cells(rows: list[list[str]]) -> list[list[tuple[str, int, int] | None]]:
    """Each cell as (text, rowspan, colspan), or None where a merge covers it.

    The merges are :func:`merges`' (a value spans the empty cells
    to its right, category cells span down), over a table padded to its
    widest row.
    """
    width = max(len(cells) for cells in rows)
    padded = [cells + [""] * (width - len(cells)) for cells in rows]
    grid: list[list[tuple[str, int, int] | None]] = [[(text, 1, 1) for text in cells] for cells in padded]
    for top, left, bottom, right in merges(padded):
        grid[top][left] = (padded[top][left], bottom - top + 1, right - left + 1)
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    grid[r][c] = None
    return grid


def _cell_html(text: str) -> str:
    # Government pages wrap cell text in <p> and pad it with &nbsp;.
    if not text:
        return "&nbsp;"
    if text.startswith("<") and text.endswith(">"):
        return text  # goal text that already holds HTML (<p>…</p>) stays HTML
    return "<p>&nbsp;" + html.escape(text).replace("\n", "<br/>") + "</p>"


def to_html(text: str, *, title: str | None = None, charset: str = "utf-8") -> str:
    """A web page of ``text`` as a finance bureau publishes it.

    ``# title`` lines become <h1>/<h2>, other one-cell lines paragraphs, and
    runs of table lines <table>s with rowspan and colspan merges.
    """
    parts = [
        "<!DOCTYPE html>",
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
        f"<title>{html.escape(title or '')}</title>",
        "<style>table{border-collapse:collapse;width:100%;font-size:12px}"
        "td{border:1px solid #000;padding:2px}</style></head><body>",
    ]
    for kind, rows in blocks(text):
        if kind == "heading":
            level = 1 if rows[0][0].startswith("# ") else 2
            parts.append(f"<h{level}>{html.escape(rows[0][0].lstrip('#').strip())}</h{level}>")
        elif kind == "para":
            parts.append(f"<p>{html.escape(rows[0][0])}</p>")
        else:
            parts.append('<table border="1" cellspacing="0">')
            for cells in table_cells(rows):
                parts.append("<tr>")
                for cell in cells:
                    if cell is None:
                        continue
                    text_, rowspan, colspan = cell
                    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
                        f' colspan="{colspan}"' if colspan > 1 else ""
                    )
                    parts.append(f"<td{attrs}>{_cell_html(text_)}</td>")
                parts.append("</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def to_docx(text: str) -> bytes:
    """A Word file of ``text`` as a department saves it, as .docx bytes.

    ``#`` lines become headings (``#`` Heading 1, ``##`` Heading 2), other
    one-cell lines paragraphs, and runs of table lines Word tables in the
    "Table Grid" style whose merged ranges (:func:`table_cells`) are real
    Word merges (``w:vMerge`` down, ``w:gridSpan`` across), with the text
    in the top-left cell only. Every table is followed by a paragraph, as
    Word keeps one between two tables and at the end of a document.
    """
    import io

    import docx  # python-docx: only this writer needs it

    document = docx.Document()
    for kind, rows in blocks(text):
        if kind == "heading":
            line = rows[0][0]
            level = len(line) - len(line.lstrip("#"))
            document.add_heading(line.lstrip("#").strip(), level=min(level, 9))
        elif kind == "para":
            document.add_paragraph(rows[0][0])
        else:
            cells = table_cells(rows)
            table = document.add_table(rows=len(cells), cols=len(cells[0]))
            table.style = "Table Grid"
            # Text first, merges after: a merge keeps the top-left cell's text
            # and the covered cells are empty, so nothing else moves in.
            for row, word_row in zip(cells, table.rows):
                for cell, word_cell in zip(row, word_row.cells):
                    if cell is not None:
                        word_cell.text = cell[0]
            for r, row in enumerate(cells):
                for c, cell in enumerate(row):
                    if cell is not None and (cell[1] > 1 or cell[2] > 1):
                        table.cell(r, c).merge(table.cell(r + cell[1] - 1, c + cell[2] - 1))
            document.add_paragraph()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- Excel


def write_workbook(text: str | Mapping[str, str]) -> bytes:
    """An .xlsx holding a text document, merged the way the original table is.

    A string goes to one sheet, ``Sheet1``; a mapping of sheet name to text
    gives one sheet each, in order. Text line *n* becomes Excel row *n*, TAB
    cells become columns. Cells that read as numbers are written as numbers
    with the format that shows the same text (``1,416,000.00``, ``95%``,
    ``2021``); everything else is written as a string, even ``=…``.

    Merges, over empty cells only, so that reading the workbook back gives
    the text's rows exactly:

    - In an indicator table (from the 一级指标/二级指标 header to the next
      empty line), an empty cell in a category column (绩效指标, 一级, 二级)
      joins the cell above it, until a new value in that column or a column
      to its left; the header's 绩效指标 label spans down the whole table.
    - Outside indicator tables, an empty first cell joins the first cell above
      it across consecutive rows (总体绩效目标 spanning the goal text).
    - Then every value spans the empty cells to its right, up to the next
      value or the table's width (a key/value row's value across the row).

    Examples
    --------
    >>> from lib.ingest.xlsx import read_workbook_rows
    >>> data = write_workbook("项目名称\\t示例\\t\\t\\n预算金额(元)\\t1,000.00")
    >>> [row.cells for row in read_workbook_rows(data)[0].rows]
    [('项目名称', '示例'), ('预算金额(元)', '1,000.00')]
    """
    from openpyxl import Workbook  # imported here: text-only callers never pay for it

    sheets = {"Sheet1": text} if isinstance(text, str) else dict(text)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, sheet_text in sheets.items():
        sheet = workbook.create_sheet(title=name)
        rows = [list(row.cells) for row in split_rows(sheet_text)]
        for row_index, cells in enumerate(rows, start=1):
            for col_index, cell_text in enumerate(cells, start=1):
                if cell_text:
                    _write_cell(sheet.cell(row=row_index, column=col_index), cell_text)
        for top, left, bottom, right in merges(rows):
            sheet.merge_cells(start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.(\d+))?$")
_PERCENT = re.compile(r"^-?\d+(?:\.(\d+))?%$")
_PLAIN = re.compile(r"^-?(?:0|[1-9]\d{0,14})(?:\.(\d+))?$")


def as_number(text: str) -> tuple[int | float, str] | None:
    """(number, format) that Excel shows as exactly ``text``, or None for a string cell."""
    candidate: tuple[Decimal, str] | None = None
    if match := _GROUPED.match(text):
        decimals = len(match.group(1) or "")
        candidate = Decimal(text.replace(",", "")), "#,##0" + ("." + "0" * decimals if decimals else "")
    elif match := _PERCENT.match(text):
        decimals = len(match.group(1) or "")
        candidate = Decimal(text[:-1]).scaleb(-2), "0" + ("." + "0" * decimals if decimals else "") + "%"
    elif match := _PLAIN.match(text):
        decimals = len(match.group(1) or "")
        candidate = Decimal(text), "General" if not decimals or not text.endswith("0") else "0." + "0" * decimals
    if candidate is None:
        return None
    decimal, number_format = candidate
    number: int | float = int(decimal) if decimal == decimal.to_integral_value() and "." not in text else float(decimal)
    # Only a number that shows the same text is a number: "007" stays a string.
    return (number, number_format) if display_text(number, number_format) == text else None


def _write_cell(cell, text: str) -> None:  # noqa: ANN001 - openpyxl's Cell
    number = as_number(text)
    if number is not None:
        cell.value, cell.number_format = number
        return
    cell.value = text
    # openpyxl turns "=…" into a formula and "#N/A" into an error: a document's text is text.
    cell.data_type = "s"


def merges(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Merged ranges (top, left, bottom, right; 0-based, inclusive) for a sheet's rows."""
    width = max((len(cells) for cells in rows), default=0)

    def cell(row: int, col: int) -> str:
        return rows[row][col] if col < len(rows[row]) else ""

    covered: set[tuple[int, int]] = set()
    # Cells that already start a vertical merge: a range may not start where another does.
    anchors: set[tuple[int, int]] = set()
    merges: list[tuple[int, int, int, int]] = []

    def vertical(col: int, anchor: int | None, end: int | None) -> None:
        if anchor is not None and end is not None and end > anchor:
            merges.append((anchor, col, end, col))
            anchors.add((anchor, col))
            covered.update((r, col) for r in range(anchor + 1, end + 1))

    tables = _indicator_tables(rows)
    in_table = {r for start, end, _ in tables for r in range(start, end + 1)}
    for start, end, level2_col in tables:
        for col in range(level2_col + 1):
            # Only the leftmost label (绩效指标) spans down; 一级指标/二级指标 labels do not.
            anchor = start if col == 0 and cell(start, col) else None
            run_end = anchor
            for r in range(start + 1, end + 1):
                if cell(r, col) or any(cell(r, left) for left in range(col)):
                    # A new value here, or a new parent to the left, ends the run above.
                    vertical(col, anchor, run_end)
                    anchor = run_end = r if cell(r, col) else None
                elif anchor is not None:
                    run_end = r
            vertical(col, anchor, run_end)
    # Goal blocks: a first cell spans down over the rows whose first cell is empty.
    anchor = run_end = None
    for r in range(len(rows)):
        if r in in_table or not any(rows[r]) or cell(r, 0):
            vertical(0, anchor, run_end)
            anchor = run_end = r if r not in in_table and cell(r, 0) else None
        elif anchor is not None:
            run_end = r
    vertical(0, anchor, run_end)
    # Then each value spans the empty, uncovered cells to its right.
    for r in range(len(rows)):
        col = 0
        while col < width:
            if not cell(r, col) or (r, col) in covered or (r, col) in anchors:
                col += 1
                continue
            right = col
            while right + 1 < width and not cell(r, right + 1) and (r, right + 1) not in covered:
                right += 1
            if right > col:
                merges.append((r, col, r, right))
                covered.update((r, c) for c in range(col + 1, right + 1))
            col = right + 1
    return merges


def _indicator_tables(rows: list[list[str]]) -> list[tuple[int, int, int]]:
    """(header row, last row, 二级 column) of each indicator table: header to the next empty row."""
    tables = []
    r = 0
    while r < len(rows):
        keys = [re.sub(r"\s+", "", text) for text in rows[r]]
        if "一级指标" in keys and "二级指标" in keys:
            end = r
            while end + 1 < len(rows) and any(rows[end + 1]):
                end += 1
            tables.append((r, end, keys.index("二级指标")))
            r = end
        r += 1
    return tables
