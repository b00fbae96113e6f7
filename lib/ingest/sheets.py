"""Old Excel (.xls) and OpenDocument (.ods) spreadsheets read into a grid with python-calamine.

Sites that publish .xlsx also publish the older forms: .xls (BIFF records in
an OLE2 compound file) and .ods. :func:`read_sheets` reads them the way
:mod:`lib.ingest.xlsx` reads an .xlsx, so the parser sees the same rows whatever
the form:

- the visible sheets in workbook order, hidden ones skipped with a note;
- each row's place is its sheet and the row number shown at the left of the
  sheet, whatever empty rows come before the data;
- a merged range gives its text to the top-left cell and leaves the covered
  cells empty, even where the writer left a value in them;
- cells read as a person sees them: ``1416000`` under ``#,##0.00`` reads
  ``"1,416,000.00"`` and ``0.95`` under ``0%`` reads ``"95%"``.

python-calamine gives values, sheet visibility and (for .xls only) merged
ranges, but no number formats. So the reader first reads from the file
itself what calamine leaves out: for .xls the number format of each numeric
cell (the XF and FORMAT records of the Workbook stream), for .ods the
covered cells and the text the spreadsheet program displayed for each
number (``<text:p>``, written next to ``office:value``). The same pass
bounds the cells each sheet spans, so that a damaged file claiming a cell
far away is refused before calamine tries to allocate the rectangle.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import struct
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from lib.ingest.text import PADDING
from lib.ingest.xlsx import display_text
from lib.ingest import ole
from lib.ingest.grid import Grid, Note, Place, Unreadable, numbered
from lib.ingest.text import Row

#: The mimetypes an OpenDocument spreadsheet (and its template) declares in its "mimetype" member.
ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)

#: The root streams that hold an Excel workbook: BIFF8 (Excel 97-2003) and BIFF5 (Excel 5/95).
_WORKBOOK_STREAMS = ("workbook", "book")

#: How an .ods percentage shows when its writer left out the displayed text: every digit it has.
_PERCENT = "0.##############%"


# ---------------------------------------------------------------- detection


def is_xls(data: bytes) -> bool:
    """True for an Excel 97-2003 (or 5/95) workbook: an OLE2 file with a root "Workbook" or "Book" stream.

    A Word .doc is an OLE2 file too; its main stream is "WordDocument", and
    an Excel object embedded in it sits below the root, so it is not a
    workbook.

    Parameters
    ----------
    data
        The file's bytes.

    Examples
    --------
    >>> is_xls(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(504))
    False
    """
    names = ole.root_stream_names(data)
    return any(name in names for name in _WORKBOOK_STREAMS)


def is_ods(data: bytes) -> bool:
    """True for an OpenDocument spreadsheet: a ZIP whose "mimetype" member names one.

    Parameters
    ----------
    data
        The file's bytes.

    Examples
    --------
    >>> is_ods(b"PK\\x03\\x04 not really a zip")
    False
    """
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        # A mimetype member is a few dozen bytes; reading a bounded prefix
        # keeps a hostile archive from inflating a huge one here.
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("mimetype") as member:
            mimetype = member.read(256).strip()
    except (
        KeyError,
        zipfile.BadZipFile,
        zlib.error,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
    ):
        return False
    return mimetype in ODS_MIMETYPES


# ---------------------------------------------------------------- reading

#: Most cells a workbook's sheets may span together. calamine allocates every
#: sheet's rectangle, from its first to its last value, when it opens the
#: file, and a failed allocation aborts the process instead of raising; a
#: damaged .xls can claim a cell at row 41220, column 54275. The tables of
#: the genre span thousands of cells, not millions.
MAX_CELLS = 4_000_000

#: A rectangle of cells, 0-based: (first row, row count, first column, column count).
_Block = tuple[int, int, int, int]


@dataclass
class _Layout:
    """What the file itself says about one sheet, read before calamine opens it (0-based cells).

    ``extent`` (first row, first column, last row, last column) bounds the
    cells holding a value, as calamine will allocate them; ``formats`` are .xls number formats other than General; ``covered``
    and ``shown`` are .ods cells under a merge and the text displayed for
    typed cells.
    """

    extent: tuple[int, int, int, int] | None = None
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    covered: list[_Block] = field(default_factory=list)
    shown: list[tuple[_Block, str]] = field(default_factory=list)

    def include(self, row: int, rows: int, column: int, columns: int) -> None:
        """Widen the extent to a block of value cells."""
        last_row, last_column = row + rows - 1, column + columns - 1
        if self.extent is None:
            self.extent = (row, column, last_row, last_column)
        else:
            top, left, bottom, right = self.extent
            self.extent = (
                min(top, row),
                min(left, column),
                max(bottom, last_row),
                max(right, last_column),
            )

    @property
    def cells(self) -> int:
        """How many cells the extent spans."""
        if self.extent is None:
            return 0
        top, left, bottom, right = self.extent
        return (bottom - top + 1) * (right - left + 1)


class _Refused(Exception):
    """A file the reader will not hand to calamine, with the reason a person reads."""


def read_sheets(data: bytes, *, form: str) -> Grid:
    """The visible sheets of an .xls or .ods as one grid of rows, as a person sees them.

    Sheets are read in workbook order; a hidden sheet is skipped with an
    info note. Rows are numbered 1..n as the parser sees them; each row's
    place is ``Place(sheet name, None, row number shown at the left of the
    sheet)``. Rows without text are left out and trailing empty cells
    dropped. A merged range keeps its text in the top-left cell only.
    Numbers show under their number format (.xls) or as the spreadsheet
    program displayed them (.ods).

    Parameters
    ----------
    data
        The file's bytes.
    form
        ``"xls"`` or ``"ods"`` (see :func:`is_xls` and :func:`is_ods`).

    Returns
    -------
    Grid
        With ``form`` as given.

    Raises
    ------
    Unreadable
        ``unreadable_workbook`` for a file that cannot be read: damaged,
        encrypted, not a spreadsheet, or spanning more than
        :data:`MAX_CELLS` cells.

    Examples
    --------
    >>> read_sheets(b"not a workbook", form="xls")
    Traceback (most recent call last):
    ...
    lib.ingest.grid.Unreadable: 无法读取 Excel/OpenDocument 表格（...），未载入任何项目
    """
    if form not in ("xls", "ods"):
        raise ValueError(f"read_sheets reads xls or ods, not {form!r}")
    try:
        layouts = _xls_layouts(data) if form == "xls" else _ods_layouts(data)
        _check_size(layouts)
        sheets, notes = _read_calamine(data)
    except _Refused as exc:
        raise _unreadable(str(exc)) from exc
    except BaseException as exc:
        if not _is_damage(exc):
            raise
        raise _unreadable(_detail(exc)) from exc
    rows: list[Row] = []
    places: list[Place] = []
    for sheet in sheets:
        overlay = _Overlay.of(sheet, layouts.get(sheet.name, _Layout()))
        for number, cells in _sheet_rows(sheet, overlay):
            rows.append(Row(number, cells))
            places.append(Place(sheet.name, None, number))
    return Grid(form=form, rows=numbered(rows), places=places, notes=notes)


def _unreadable(detail: str) -> Unreadable:
    return Unreadable("unreadable_workbook", f"无法读取 Excel/OpenDocument 表格（{detail}），未载入任何项目")


def _check_size(layouts: dict[str, _Layout]) -> None:
    if sum(layout.cells for layout in layouts.values()) <= MAX_CELLS:
        return
    name, layout = max(layouts.items(), key=lambda item: item[1].cells)
    top, left, bottom, right = layout.extent or (0, 0, 0, 0)
    raise _Refused(f"工作表「{name}」的数据区域有 {bottom - top + 1} 行 × {right - left + 1} 列，超出可读取的大小")


@dataclass
class _Sheet:
    """A visible sheet as calamine reads it: values from 0-based ``start`` on, and its merged ranges."""

    name: str
    start: tuple[int, int]
    values: list[list[object]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]]

    @property
    def end(self) -> tuple[int, int]:
        """The last 0-based (row, column) holding a value."""
        width = max((len(row) for row in self.values), default=0)
        return self.start[0] + len(self.values) - 1, self.start[1] + width - 1


def _read_calamine(data: bytes) -> tuple[list[_Sheet], list[Note]]:
    # Imported here: callers that never read a spreadsheet never pay for it.
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    sheets: list[_Sheet] = []
    notes: list[Note] = []
    with CalamineWorkbook.from_object(io.BytesIO(data)) as workbook:
        for meta in workbook.sheets_metadata:
            if meta.typ in (SheetTypeEnum.ChartSheet, SheetTypeEnum.Vba):
                continue  # a chart or macro module has no cells to read
            if meta.visible != SheetVisibleEnum.Visible:
                notes.append(Note("info", "hidden_sheet", f"工作表「{meta.name}」是隐藏的，未读取"))
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.start is None:
                continue
            # to_python() starts at the first used row and column; ``start`` says where that is.
            sheets.append(_Sheet(meta.name, sheet.start, sheet.to_python(), sheet.merged_cell_ranges or []))
    return sheets, notes


@dataclass
class _Overlay:
    """What calamine does not say about a sheet's cells, keyed by 0-based (row, column)."""

    covered: set[tuple[int, int]]
    formats: dict[tuple[int, int], str]
    shown: dict[tuple[int, int], str]

    @classmethod
    def of(cls, sheet: _Sheet, layout: _Layout) -> _Overlay:
        """Merges (calamine's for .xls, covered cells for .ods) and displayed text, within the sheet's data.

        A merge or a repeated cell may run to the sheet's edge; only cells
        up to the last value can change what a row shows.
        """
        last_row, last_column = sheet.end

        def cells(block: _Block) -> Iterator[tuple[int, int]]:
            row, rows, column, columns = block
            for r in range(row, min(row + rows, last_row + 1)):
                for c in range(column, min(column + columns, last_column + 1)):
                    yield r, c

        covered: set[tuple[int, int]] = set()
        for (top, left), (bottom, right) in sheet.merges:
            covered.update(cells((top, bottom - top + 1, left, right - left + 1)))
            covered.discard((top, left))
        for block in layout.covered:
            covered.update(cells(block))
        shown = {place: text for block, text in layout.shown for place in cells(block)}
        return cls(covered, layout.formats, shown)


def _sheet_rows(sheet: _Sheet, overlay: _Overlay) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(row number shown at the left of the sheet, cells) for each row with text."""
    first_row, first_column = sheet.start
    for index, values in enumerate(sheet.values):
        row = first_row + index
        texts = [""] * first_column
        for offset, value in enumerate(values):
            place = (row, first_column + offset)
            texts.append("" if place in overlay.covered else _cell_text(value, place, overlay).strip(PADDING))
        while texts and not texts[-1]:
            texts.pop()
        if texts:
            yield row + 1, tuple(texts)


def _cell_text(value: object, place: tuple[int, int], overlay: _Overlay) -> str:
    if isinstance(value, str):
        return value
    if place in overlay.shown:
        return overlay.shown[place]
    if isinstance(value, dt.timedelta):
        return _duration(value)
    return display_text(value, overlay.formats.get(place, "General"))


def _duration(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


# ---------------------------------------------------------------- failures


#: What a damaged file makes the readers here raise: the compound-file reader's
#: errors, and the stdlib parsers' of BIFF records, ZIP members and XML
#: (calamine raises CalamineError or panics).
_DAMAGE = (
    *ole.DAMAGE,
    struct.error,
    IndexError,
    KeyError,
    ValueError,
    UnicodeDecodeError,
    OSError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    ElementTree.ParseError,
    NotImplementedError,
)


def _is_damage(exc: BaseException) -> bool:
    """True for an error that says the file is damaged rather than the program wrong."""
    from python_calamine import CalamineError

    # A Rust panic in calamine on malformed bytes reaches Python as
    # pyo3_runtime.PanicException, a BaseException no module exports by name.
    return isinstance(exc, (CalamineError, *_DAMAGE)) or type(exc).__name__ == "PanicException"


def _detail(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


# ---------------------------------------------------------------- .xls number formats

#: Excel's built-in number formats that do not depend on the locale (the file names the others).
_BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "yyyy-mm-dd",
    22: "yyyy-mm-dd h:mm",
    27: 'yyyy"年"m"月"',
    31: 'yyyy"年"m"月"d"日"',
    36: 'yyyy"年"m"月"',
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    48: "##0.0E+0",
    49: "@",
    50: 'yyyy"年"m"月"',
    57: 'yyyy"年"m"月"',
}

_BOF, _EOF, _FILEPASS, _CODEPAGE = 0x0809, 0x000A, 0x002F, 0x0042
_FORMAT, _XF, _BOUNDSHEET = 0x041E, 0x00E0, 0x0085
_NUMBER, _RK, _MULRK, _FORMULA = 0x0203, 0x027E, 0x00BD, 0x0006
#: Cells whose value is text or a boolean: they count towards the extent, their format does not matter.
_OTHER_VALUES = frozenset({0x00FD, 0x0204, 0x0205, 0x00D6})  # LABELSST, LABEL, BOOLERR, RSTRING


def _xls_layouts(data: bytes) -> dict[str, _Layout]:
    """Each sheet's extent and number formats, read from the BIFF records of the Workbook stream.

    Raises ``_Refused`` for an encrypted workbook and one of ``_DAMAGE``
    for a compound file that cannot be followed.
    """
    compound = ole.Compound(data)
    streams = compound.root_streams()
    entry = next((streams[name] for name in _WORKBOOK_STREAMS if name in streams), None)
    if entry is None:
        return {}  # no workbook stream: calamine says what the file is not
    return _biff_layouts(compound.read(entry))


def _records(stream: bytes, position: int) -> Iterator[tuple[int, bytes]]:
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


def _biff_layouts(stream: bytes) -> dict[str, _Layout]:
    biff8 = True
    codepage = "cp1252"
    formats = dict(_BUILTIN_FORMATS)
    xf_formats: list[int] = []
    sheets: list[tuple[str, int]] = []
    for kind, body in _records(stream, 0):
        if kind == _EOF:
            break
        if kind == _FILEPASS:
            raise _Refused("文件已加密，需要密码才能打开")
        try:
            if kind == _BOF:
                biff8 = struct.unpack_from("<H", body)[0] >= 0x0600
            elif kind == _CODEPAGE:
                codepage = _codec(struct.unpack_from("<H", body)[0])
            elif kind == _FORMAT:
                index = struct.unpack_from("<H", body)[0]
                formats[index] = _biff_string(body, 2, biff8=biff8, wide_count=biff8, codepage=codepage)
            elif kind == _XF:
                xf_formats.append(struct.unpack_from("<H", body, 2)[0])
            elif kind == _BOUNDSHEET:
                position = struct.unpack_from("<I", body)[0]
                sheets.append(
                    (
                        _biff_string(body, 6, biff8=biff8, wide_count=False, codepage=codepage),
                        position,
                    )
                )
        except (struct.error, IndexError):
            continue  # a record too short for its fields: calamine decides what the file holds

    def number_format(xf: int) -> str:
        return formats.get(xf_formats[xf], "General") if xf < len(xf_formats) else "General"

    layouts: dict[str, _Layout] = {}
    for name, position in sheets:
        _biff_sheet(stream, position, layouts.setdefault(name, _Layout()), number_format)
    return layouts


def _biff_sheet(stream: bytes, position: int, layout: _Layout, number_format: Callable[[int], str]) -> None:
    """Widen ``layout`` by the value cells of the sheet substream at ``position``, with their formats."""
    depth = 0
    for kind, body in _records(stream, position):
        if kind == _BOF:
            depth += 1  # a chart embedded in the sheet is a substream of its own
            continue
        if kind == _EOF:
            depth -= 1
            if depth <= 0:
                return
            continue
        if depth != 1:
            continue
        try:
            if kind in (_NUMBER, _RK, _FORMULA):
                row, column, xf = struct.unpack_from("<HHH", body)
                layout.include(row, 1, column, 1)
                if (shown := number_format(xf)) != "General":
                    layout.formats[(row, column)] = shown
            elif kind == _MULRK:
                row, first = struct.unpack_from("<HH", body)
                count = (len(body) - 6) // 6
                if count > 0:
                    layout.include(row, 1, first, count)
                for index in range(count):
                    if (shown := number_format(struct.unpack_from("<H", body, 4 + 6 * index)[0])) != "General":
                        layout.formats[(row, first + index)] = shown
            elif kind in _OTHER_VALUES:
                row, column = struct.unpack_from("<HH", body)
                layout.include(row, 1, column, 1)
        except struct.error:
            continue  # a record too short for its fields: calamine decides what the file holds


def _biff_string(body: bytes, offset: int, *, biff8: bool, wide_count: bool, codepage: str) -> str:
    """A BIFF string at ``offset``: a 1- or 2-byte length, then (BIFF8) a flags byte and the characters."""
    if wide_count:
        count = struct.unpack_from("<H", body, offset)[0]
        offset += 2
    else:
        count = body[offset]
        offset += 1
    if not biff8:
        return body[offset : offset + count].decode(codepage, errors="replace")
    flags = body[offset]
    offset += 1
    if flags & 0x08:
        offset += 2  # rich-text run count
    if flags & 0x04:
        offset += 4  # Far East phonetic block size
    if flags & 0x01:
        return body[offset : offset + 2 * count].decode("utf-16-le", errors="replace")
    return body[offset : offset + count].decode("latin-1")


def _codec(codepage: int) -> str:
    name = {1200: "utf-16-le", 10000: "mac_roman", 32768: "mac_roman"}.get(codepage, f"cp{codepage}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "cp1252"


# ---------------------------------------------------------------- .ods covered cells and displayed text

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELL, _COVERED, _ROW = _TABLE + "table-cell", _TABLE + "covered-table-cell", _TABLE + "table-row"
#: Value types whose <text:p> is the program's rendering of office:value under the cell's style.
_RENDERED = frozenset({"float", "percentage", "currency", "date", "time", "boolean"})


def _ods_layouts(data: bytes) -> dict[str, _Layout]:
    """Each table's extent, covered cells and displayed text of numbers, dates and booleans.

    calamine gives an .ods no merged ranges and a number's value but not
    its format, and it reads a covered cell's leftover value. content.xml
    has both: a covered cell is a <table:covered-table-cell>, and every
    typed cell carries the text the program showed in its <text:p>. Rows
    and cells can repeat (a whole empty sheet is one repeated row), so
    everything is kept as blocks, never cell by cell.
    """
    layouts: dict[str, _Layout] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as content:
        layout = _Layout()
        depth = row = column = 0
        rows = 1
        for event, element in ElementTree.iterparse(content, events=("start", "end")):
            tag = element.tag
            if tag == _TABLE + "table":
                if event == "start":
                    depth += 1
                    if depth == 1:
                        layout, row = (
                            layouts.setdefault(element.get(_TABLE + "name", ""), _Layout()),
                            0,
                        )
                else:
                    depth -= 1
                    element.clear()
            elif depth != 1:
                continue  # outside the tables, or in a table nested inside a cell
            elif tag == _ROW:
                if event == "start":
                    column, rows = 0, _count(element, "number-rows-repeated")
                else:
                    row += rows
                    element.clear()
            elif event == "end" and tag in (_CELL, _COVERED):
                block = (row, rows, column, _count(element, "number-columns-repeated"))
                value_type = element.get(_OFFICE + "value-type")
                if value_type is not None:
                    layout.include(*block)
                if tag == _COVERED:
                    layout.covered.append(block)
                elif value_type in _RENDERED:
                    layout.shown.append((block, _displayed(element)))
                column += block[3]
                element.clear()
    return layouts


def _count(element: ElementTree.Element, attribute: str) -> int:
    count = int(element.get(_TABLE + attribute, "1"))
    if count < 1:
        raise ValueError(f"table:{attribute}={count}")
    return count


def _displayed(cell: ElementTree.Element) -> str:
    """The text a typed cell shows: its paragraphs, or its value when a writer left them out."""
    paragraphs = ["".join(paragraph.itertext()) for paragraph in cell.findall(_TEXT + "p")]
    if any(paragraphs):
        return "\n".join(paragraphs)
    value_type = cell.get(_OFFICE + "value-type")
    value = cell.get(_OFFICE + "value")
    if value_type in ("float", "percentage", "currency") and value is not None:
        number = float(value)
        return display_text(number, _PERCENT if value_type == "percentage" else "General")
    if value_type == "boolean":
        return display_text(cell.get(_OFFICE + "boolean-value") == "true")
    return cell.get(_OFFICE + "date-value") or cell.get(_OFFICE + "time-value") or ""
