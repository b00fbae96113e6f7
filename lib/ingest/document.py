"""From a file's bytes to one document's records, every line pointing back into the file.

:func:`parse_document` reads the bytes with the reader of their form
(:func:`lib.ingest.forms.read_grid`), parses the grid with the cell-row
parser (or, for a self-evaluation, with :mod:`lib.ingest.results`), and turns the parser's row numbers back into places a person can
find: the line of a text file; the sheet and Excel row of a workbook
(``source`` ``"x.xlsx#Sheet1"``); the page, table and row of a PDF
(``"x.pdf#第2页表1"``); the table and row of a web page or Word file
(``"x.html#表3"``). It never raises: an unreadable file, a file past the
limits and a fault of the parser are each one error diagnostic.
"""

from __future__ import annotations

import traceback
from operator import attrgetter

from lib.ingest.forms import detect, read_form
from lib.ingest.grid import Grid, Place, Unreadable
from lib.ingest.parser import ParsedDocument, parse_rows
from lib.ingest.results import is_self_evaluation, parse_results
from lib.model.diagnostics import diagnostic, relocate

#: Largest document the loader parses. One department's document is well under
#: a megabyte; a file far larger is a mistake or an attack, and parsing it
#: would hold a server thread for minutes while other users wait.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
#: Most rows a document may have, and most cells in one row.
MAX_LINES = 1_000_000
MAX_CELLS_PER_LINE = 500
_CELLS = attrgetter("cells")


def file_diagnostic(source: str, doc_id: str | None, severity: str, code: str, message: str) -> dict:
    """A diagnostic about a whole file (no line), in the loader's record shape."""
    return diagnostic(document_id=doc_id, source=source, line=None, severity=severity, code=code, text=message)


def _failed(source: str, doc_id: str, code: str, message: str, *, form: str | None = None) -> ParsedDocument:
    empty = ParsedDocument(None, None, None, None, [], [], [], form=form, kind="neither")
    empty.diagnostics.append(file_diagnostic(source, doc_id, "error", code, message))
    return empty


def parse_document(data: bytes, *, name: str, doc_id: str, provenance: bool = False) -> ParsedDocument:
    """Records of one file of any form; never raises.

    With ``provenance`` each project and indicator has an ``origin``: a
    ``{"field", "source", "line", "column"}`` dict (1-based column) for
    every cell a field was read from, the source and line as the
    diagnostics name them.

    Examples
    --------
    >>> doc = parse_document("项目名称\\t示例\\n2026年预算金额(元)\\t1,000.00".encode(), name="x.txt", doc_id="d")
    >>> doc.projects[0]["budget_yuan"]
    1000.0
    >>> parse_document(b"%PDF-1.4 damaged", name="x.pdf", doc_id="d").diagnostics[0]["severity"]
    'error'
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        message = f"文件有 {len(data) / 1024 / 1024:,.1f} MB，超过单个文档 {MAX_DOCUMENT_BYTES // 1024 // 1024} MB 的上限，未载入"
        return _failed(name, doc_id, "too_large", message)
    form = None
    try:
        form = detect(data)
        grid = read_form(data, form)
    except Unreadable as exc:
        return _failed(name, doc_id, exc.code, exc.message, form=form)
    except Exception as exc:  # noqa: BLE001 - a reader's fault is reported, never swallowed: the other files must still load
        message = f"读取文件时出错（{_detail(exc)}），此文件未载入；请报告此问题"
        return _failed(name, doc_id, "internal_error", message, form=form)
    widest = max(map(len, map(_CELLS, grid.rows)), default=0)
    if len(grid.rows) > MAX_LINES or widest > MAX_CELLS_PER_LINE:
        message = (
            f"文件有 {len(grid.rows):,} 行、最多 {widest:,} 个单元格一行，超过 {MAX_LINES:,} 行或每行 "
            f"{MAX_CELLS_PER_LINE} 个单元格的上限，不像绩效目标表，未载入"
        )
        return _failed(name, doc_id, "too_large", message, form=form)
    try:
        if is_self_evaluation(grid.rows):
            parsed = parse_results(grid.rows, document_id=doc_id, source=name)
        else:
            parsed = parse_rows(grid.rows, document_id=doc_id, source=name, provenance=provenance)
    except Exception as exc:  # noqa: BLE001 - reported, never swallowed: the other files must still load
        return _failed(
            name, doc_id, "internal_error", f"解析程序出错（{_detail(exc)}），此文件未载入；请报告此问题", form=form
        )
    # A table of neither kind found (the parser's no_table error says so): the document is neither.
    parsed.kind = "targets" if parsed.projects else "results" if parsed.execution else "neither"
    parsed.form = form
    if provenance:
        _origins(parsed, grid, source=name)
    if grid.places is not None:
        _to_places(parsed, grid, source=name)
    notes = [file_diagnostic(name, doc_id, note.severity, note.code, note.message) for note in grid.notes]
    parsed.diagnostics[:0] = notes
    return parsed


def _origins(parsed: ParsedDocument, grid: Grid, *, source: str) -> None:
    """Each record's (field, row, column) cells as the places a person finds them, in place."""
    for record in (*parsed.projects, *parsed.indicators):
        origin = []
        for field, line, column in record["origin"]:
            place = grid.place(line)
            where = f"{source}#{place.label}" if place.label else source
            origin.append({"field": field, "source": where, "line": place.row, "column": column + 1})
        record["origin"] = origin


#: Forms whose parts are sheets, named 工作表「…」 to a person.
_SHEET_FORMS = frozenset({"xlsx", "xls", "ods"})


def _to_places(parsed: ParsedDocument, grid: Grid, *, source: str) -> None:
    """Turn the parser's row numbers into each row's place in the file, in place."""
    renamed: dict[str, tuple[str, str]] = {}
    # A one-sheet workbook or one-table page numbers its rows as a text file would: no need to say where.
    several = len({(place.part, place.table) for place in grid.places or ()}) > 1
    sheets = grid.form in _SHEET_FORMS
    for project in parsed.projects:
        place = grid.place(project["line"])
        where = _where(place, sheets)
        unnamed = f"未命名项目（第{project['line']}行）"
        if project["name"] == unnamed:
            # The parser names a nameless project by its row: name the row a person can find.
            project["name"] = f"未命名项目（{where if several and where != '正文' else ''}第{place.row}行）"
            if project["name"] != unnamed:
                renamed[project["project_id"]] = (unnamed, project["name"])
        project["place"] = where
        project["line"] = place.row
    for indicator in parsed.indicators:
        place = grid.place(indicator["line"])
        indicator["place"] = _where(place, sheets)
        indicator["line"] = place.row
    for record in (*parsed.execution, *parsed.results):
        place = grid.place(record["line"])
        record["place"] = _where(place, sheets)
        record["line"] = place.row
    for record in parsed.diagnostics:
        if record["project_id"] in renamed:
            old, new = renamed[record["project_id"]]
            record["message"] = record["message"].replace(old, new)
        line = record["line"]
        place = grid.place(line) if line is not None else None
        relocate(
            record,
            source=f"{source}#{place.label}" if place is not None and place.label else record["source"],
            line=place.row if place is not None else None,
        )


def _where(place: Place, sheets: bool) -> str:
    """A place's part and table as a person names them: 工作表「Sheet1」, 第2页表1, 表3, or 正文.

    正文 is the body of a web page or Word file outside its tables, where
    the row is the paragraph's number.
    """
    if sheets and place.part:
        return f"工作表「{place.part}」"
    return place.label or "正文"


def _detail(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
