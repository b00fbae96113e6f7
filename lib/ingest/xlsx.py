"""Excel workbooks (.xlsx) in and out: rows of cells for the shared cell-row parser.

Departments publish the same performance-target tables as .xlsx as often as
as text. :func:`read_workbook_rows` turns a workbook into the rows the text
reader would have produced, so :func:`lib.ingest.parser.parse_rows` needs no Excel
knowledge:

- **Merged cells** give their value to the top-left cell and leave the others
  empty, exactly as a merged cell appears in a text document (an empty cell,
  so a row inherits the 一级/二级 of the rows above).
- **Numbers** are formatted back to the text a person sees in Excel:
  ``1416000`` with ``#,##0.00`` reads ``"1,416,000.00"``, ``0.95`` with
  ``0%`` reads ``"95%"``, an integral number never gains ``.0``.
- **Line numbers** are Excel's row numbers, per sheet, so ``line`` in every
  frame is the number a person sees at the left of the sheet. Diagnostics name
  the sheet: their ``source`` is ``"file.xlsx#Sheet1"`` and their message
  starts ``"file.xlsx#Sheet1:12: "``.
- **Several sheets** are one document: the visible sheets are read in
  workbook order, so a title on the first sheet applies to tables on the next
  ones; one sheet may hold one table or several stacked. Hidden sheets (often
  lists behind drop-downs) are skipped, with a note naming them.

:func:`write_workbook` goes the other way, text document to workbook with the
merges of the original table; the round-trip tests use it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lib.ingest.text import Row, split_rows

#: The part every .xlsx (and .xlsm) package holds; content decides, not the file name.
WORKBOOK_PART = "xl/workbook.xml"

#: Characters stripped from cell edges, as :func:`lib.ingest.text.split_rows` strips them.
_STRIP = " \t\r\n\u3000\u00a0\ufeff"


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet as rows of cells; ``line`` of each row is its Excel row number."""

    name: str
    rows: list[Row]
    hidden: bool = False


# ---------------------------------------------------------------- detection


def is_workbook(data: bytes) -> bool:
    """True for the bytes of an .xlsx/.xlsm package (a ZIP holding ``xl/workbook.xml``).

    Examples
    --------
    >>> is_workbook(write_workbook("项目名称\\t示例"))
    True
    >>> is_workbook(b"PK\\x03\\x04 not really a zip")
    False
    """
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return WORKBOOK_PART in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
#: The <dimension> element sits before the sheet data; this much XML always reaches it.
_DIMENSION_WINDOW = 64 * 1024


def workbook_extent(data: bytes) -> tuple[int, int]:
    """Rows (summed over worksheets) and widest column of a workbook, read cheaply.

    Reads each worksheet's ``<dimension ref="A1:F400"/>`` from the first bytes of
    its XML instead of loading the workbook, so an upload check can refuse a
    sheet of a million rows before openpyxl allocates it. A sheet without a
    dimension element has its ``<row>`` tags counted (width unknown, 0).

    Examples
    --------
    >>> workbook_extent(write_workbook("a\\tb\\tc\\n\\nd"))
    (3, 3)
    """
    rows = columns = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with archive.open(info) as part:
                head = part.read(_DIMENSION_WINDOW)
                match = _DIMENSION.search(head)
                if match:
                    last_col = match.group(3) or match.group(1)
                    last_row = match.group(4) or match.group(2)
                    rows += int(last_row)
                    columns = max(columns, _column_index(last_col.decode()))
                    continue
                # No dimension: count row tags, streaming, without keeping the XML.
                count, tail = len(_ROW_TAG.findall(head)), head[-16:]
                while chunk := part.read(1 << 20):
                    window = tail + chunk
                    count += len(_ROW_TAG.findall(window)) - len(_ROW_TAG.findall(tail))
                    tail = window[-16:]
                rows += count
    return rows, columns


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index


# ---------------------------------------------------------------- reading


def read_workbook_rows(data: bytes) -> list[Sheet]:
    """Every worksheet of an .xlsx as rows of display text, in workbook order.

    Cells read as a person sees them (see :func:`display_text`); a merged
    range gives its value to the top-left cell and leaves the others empty;
    formulas read as their last calculated value. Each row's ``line`` is its
    Excel row number; rows without any text are left out (the parser skips
    empty rows anyway), and trailing empty cells are dropped.

    Raises whatever openpyxl raises for a damaged package;
    :func:`lib.ingest.forms.read_grid` turns that into an
    :class:`~lib.ingest.grid.Unreadable`.

    Examples
    --------
    >>> sheet = read_workbook_rows(write_workbook("项目名称\\t示例\\t\\t\\n预算\\t1,000.00"))[0]
    >>> sheet.name, sheet.rows[1]
    ('Sheet1', Row(line=2, cells=('预算', '1,000.00')))
    """
    import openpyxl  # imported here: text-only callers never pay for it

    # Full mode, not read_only: only the full reader knows the merged ranges
    # and blanks the covered cells, whatever values a writer left in them.
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    try:
        return [
            Sheet(name=sheet.title, rows=_sheet_rows(sheet), hidden=sheet.sheet_state != "visible")
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _sheet_rows(sheet) -> list[Row]:  # noqa: ANN001 - openpyxl's Worksheet
    # The stored cells only: the public iter_rows() materialises every cell of
    # the bounding rectangle, so one stray styled cell at XFD1048576 would
    # allocate billions of cells. _cells holds what the file holds.
    by_row: dict[int, dict[int, str]] = {}
    for (row, column), cell in sheet._cells.items():  # noqa: SLF001 - see above
        text = display_text(cell.value, cell.number_format).strip(_STRIP)
        if text:
            by_row.setdefault(row, {})[column] = text
    rows = []
    for number in sorted(by_row):
        cells = by_row[number]
        width = max(cells)
        rows.append(Row(number, tuple(cells.get(column, "") for column in range(1, width + 1))))
    return rows


# ---------------------------------------------------------------- display text


def display_text(value: object, number_format: str = "General") -> str:
    """The text Excel shows for a cell value under its number format.

    Covers the formats of the genre: General, fixed decimals, thousands
    separators, percentages, literal prefixes and suffixes (``0.00"万元"``),
    currency brackets, separate sections for negative numbers and zero, and
    dates. Rounding is Excel's (half away from zero). Anything stranger falls
    back to General, which never invents digits.

    Examples
    --------
    >>> display_text(1416000, "#,##0.00")
    '1,416,000.00'
    >>> display_text(0.95, "0%"), display_text(64.0, "General"), display_text(2.5, '0.0"万元"')
    ('95%', '64', '2.5万元')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and not math.isfinite(value):
        return "#NUM!"
    if isinstance(value, (int, float)):
        return _format_number(value, number_format or "General")
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _format_date(value, number_format or "")
    return str(value)


def _general(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    # 15 significant digits: what Excel stores, so 0.1+0.2 shows as 0.3.
    return f"{value:.15g}".replace("e", "E")


def _sections(number_format: str) -> list[str]:
    """Split a format on ';' outside quotes, brackets and escapes."""
    sections, current, quoted, bracket, escaped = [], [], False, False, False
    for char in number_format:
        if escaped:
            escaped = False
        elif char == "\\" and not quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "[" and not quoted:
            bracket = True
        elif char == "]" and not quoted:
            bracket = False
        elif char == ";" and not quoted and not bracket:
            sections.append("".join(current))
            current = []
            continue
        current.append(char)
    sections.append("".join(current))
    return sections


_PLACEHOLDERS = frozenset("0#?")


def _tokens(section: str) -> list[tuple[str, str]] | None:
    """(kind, text) tokens of one format section; None when only General can show it.

    Kinds: ``lit`` literal text, ``ph`` digit placeholder, ``dot``, ``comma``,
    ``pct``. A section without placeholders (``"-"`` for zero) shows only its
    literals.
    """
    tokens: list[tuple[str, str]] = []
    index = 0
    while index < len(section):
        char = section[index]
        if char == '"':
            end = section.find('"', index + 1)
            end = len(section) if end < 0 else end
            tokens.append(("lit", section[index + 1 : end]))
            index = end + 1
            continue
        if char == "\\" and index + 1 < len(section):
            tokens.append(("lit", section[index + 1]))
            index += 2
            continue
        if char == "[":
            end = section.find("]", index)
            end = len(section) if end < 0 else end
            inner = section[index + 1 : end]
            if inner.startswith("$"):
                # [$¥-804]: a currency symbol, then a locale id that shows nothing.
                tokens.append(("lit", inner[1:].split("-", 1)[0]))
            index = end + 1
            continue
        if char in "_*":
            # _x pads with the width of x, *x repeats x to fill: both are layout, not text.
            index += 2
            continue
        if char in _PLACEHOLDERS:
            tokens.append(("ph", char))
        elif char == ".":
            tokens.append(("dot", char))
        elif char == ",":
            tokens.append(("comma", char))
        elif char == "%":
            tokens.append(("pct", char))
        elif char in "Ee" and index + 1 < len(section) and section[index + 1] in "+-":
            return None  # scientific notation: General's exponent form is close enough
        elif char.lower() in "ymdhs/@" or char.lower() == "g" and section[index:].lower().startswith("general"):
            return None
        else:
            tokens.append(("lit", char))
        index += 1
    return tokens


def _format_number(value: int | float, number_format: str) -> str:
    sections = _sections(number_format)
    negative = value < 0
    section = sections[0]
    sign = "-" if negative else ""
    if negative and len(sections) >= 2 and sections[1].strip():
        # A negative section writes its own sign (a '-' or parentheses) as literals.
        section, sign = sections[1], ""
    elif value == 0 and len(sections) >= 3:
        section = sections[2]
    tokens = _tokens(section)
    if tokens is None or not section.strip():
        return _general(value)
    kinds = [kind for kind, _ in tokens]
    if "ph" not in kinds:
        return "".join(text for kind, text in tokens if kind == "lit")
    try:
        number = Decimal(repr(float(value)) if isinstance(value, float) else str(value)).copy_abs()
    except InvalidOperation:
        return _general(value)

    first = kinds.index("ph")
    last = len(kinds) - 1 - kinds[::-1].index("ph")
    dot = next((i for i in range(first, last + 1) if kinds[i] == "dot"), None)
    integer_part = tokens[first : (dot if dot is not None else last + 1)]
    decimal_part = tokens[dot + 1 : last + 1] if dot is not None else []
    mandatory_int = sum(1 for kind, text in integer_part if kind == "ph" and text == "0")
    grouped = any(kind == "comma" for kind, _ in integer_part)
    mandatory_dec = sum(1 for kind, text in decimal_part if kind == "ph" and text == "0")
    decimals = sum(1 for kind, _ in decimal_part if kind == "ph")
    # Commas right after the last digit placeholder scale by thousands ("#,##0," shows 1,234 for 1234567).
    scale = 0
    for kind, _ in tokens[last + 1 :]:
        if kind != "comma":
            break
        scale += 1
    percents = kinds.count("pct")
    number = number.scaleb(2 * percents - 3 * scale)

    try:
        rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        # Beyond Decimal's 28 digits: show the number as General would.
        return _general(value)
    digits = f"{rounded:f}"
    whole, _, fraction = digits.partition(".")
    whole = whole.lstrip("0").rjust(mandatory_int, "0")
    if grouped:
        whole = ",".join(whole[max(0, end - 3) : end] for end in range(len(whole), 0, -3)[::-1])
    fraction = fraction.rstrip("0").ljust(mandatory_dec, "0") if decimals else ""
    body = whole + ("." + fraction if fraction else "")
    if not body:
        # Excel shows nothing for 0 under "#"; a value a format hides is still a value.
        body = "0"
    if rounded == 0:
        sign = ""
    prefix = "".join(text for kind, text in tokens[:first] if kind in ("lit", "pct"))
    suffix = "".join(text for kind, text in tokens[last + 1 :] if kind in ("lit", "pct"))
    return f"{sign}{prefix}{body}{suffix}"


def _format_date(value: dt.datetime | dt.date | dt.time, number_format: str) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S") if value.second else value.strftime("%H:%M")
    chinese = "年" in number_format
    date_text = f"{value.year}年{value.month}月{value.day}日" if chinese else f"{value:%Y-%m-%d}"
    if isinstance(value, dt.datetime) and (value.time() != dt.time(0) or re.search(r"[hH]", number_format)):
        return f"{date_text} {value:%H:%M:%S}" if value.second else f"{date_text} {value:%H:%M}"
    return date_text


# ---------------------------------------------------------------- writing


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
        for top, left, bottom, right in _merges(rows):
            sheet.merge_cells(start_row=top + 1, start_column=left + 1, end_row=bottom + 1, end_column=right + 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.(\d+))?$")
_PERCENT = re.compile(r"^-?\d+(?:\.(\d+))?%$")
_PLAIN = re.compile(r"^-?(?:0|[1-9]\d{0,14})(?:\.(\d+))?$")


def _as_number(text: str) -> tuple[int | float, str] | None:
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
    number = _as_number(text)
    if number is not None:
        cell.value, cell.number_format = number
        return
    cell.value = text
    # openpyxl turns "=…" into a formula and "#N/A" into an error: a document's text is text.
    cell.data_type = "s"


def _merges(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
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
