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
  the sheet: their ``source`` is ``"file.xlsx#Sheet1"`` and their ``line``
  the sheet's row (shown as ``file.xlsx#Sheet1:12: …``).
- **Several sheets** are one document: the visible sheets are read in
  workbook order, so a title on the first sheet applies to tables on the next
  ones; one sheet may hold one table or several stacked. Hidden sheets (often
  lists behind drop-downs) are skipped, with a note naming them.

:func:`lib.testing.forms.write_workbook` goes the other way, for the
round-trip tests.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lib.ingest.text import PADDING, Row

#: The part every .xlsx (and .xlsm) package holds; content decides, not the file name.
WORKBOOK_PART = "xl/workbook.xml"


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
    >>> from lib.testing.forms import write_workbook  # test-only writer
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
    >>> from lib.testing.forms import write_workbook  # test-only writer
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
    >>> from lib.testing.forms import write_workbook  # test-only writer
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
        text = display_text(cell.value, cell.number_format).strip(PADDING)
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
