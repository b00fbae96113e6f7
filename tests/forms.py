"""Test-only writers: a text document of the genre in its published forms.

Government sites publish the same tables as web pages, Word files and PDFs.
These writers make those forms from a text document, with the merged cells
a published table has (the same merges :func:`lib.ingest.xlsx.write_workbook`
writes), so that a reader can be checked against the text parse of the same
document.
"""

from __future__ import annotations

import html

from lib.ingest.xlsx import _merges
from lib.ingest.text import split_rows


def _blocks(text: str) -> list[tuple[str, list[list[str]]]]:
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

    The merges are :func:`lib.ingest.xlsx._merges`' (a value spans the empty cells
    to its right, category cells span down), over a table padded to its
    widest row.
    """
    width = max(len(cells) for cells in rows)
    padded = [cells + [""] * (width - len(cells)) for cells in rows]
    grid: list[list[tuple[str, int, int] | None]] = [[(text, 1, 1) for text in cells] for cells in padded]
    for top, left, bottom, right in _merges(padded):
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
    for kind, rows in _blocks(text):
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
    for kind, rows in _blocks(text):
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
