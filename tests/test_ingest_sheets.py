""".xls and .ods readers: the reference document round trip, places, merges, hidden sheets, numbers, damage."""

from __future__ import annotations

import datetime as dt
import doctest
import io
import struct
import zipfile
from pathlib import Path

import pytest
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P

import lib.ingest.sheets
from lib.testing.forms import as_number, merges, write_workbook
from lib.ingest.grid import Grid, Note, Unreadable
from lib.ingest.ole import Compound
from lib.ingest.sheets import is_ods, is_xls, read_sheets
from lib.ingest.parser import parse_rows
from lib.ingest.text import decode, split_rows
from support import rows_with_text

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "000_a5ef52d3e8690c0f.txt"
TEXT = decode(REFERENCE.read_bytes()).text
IDS = ("project_id", "document_id", "indicator_id", "line")

# ---------------------------------------------------------------- writers (test only)


def _sheet_cells(
    text: str,
) -> tuple[list[list[str]], dict[tuple[int, int], tuple[int, int]], set[tuple[int, int]]]:
    """A text's rows, its merges by top-left cell (to bottom, right) and the cells they cover, as lib.ingest.xlsx merges."""
    rows = [list(row.cells) for row in split_rows(text)]
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for top, left, bottom, right in merges(rows):
        anchors[(top, left)] = (bottom, right)
        covered.update((r, c) for r in range(top, bottom + 1) for c in range(left, right + 1))
        covered.discard((top, left))
    return rows, anchors, covered


def write_xls(
    sheets: dict[str, str],
    *,
    hidden: tuple[str, ...] = (),
    leftovers: dict[tuple[int, int], str] | None = None,
) -> bytes:
    """An .xls written by xlwt: numbers as numbers with the format that shows the text, cells merged.

    ``leftovers`` puts a value in cells of the first sheet after merging, as
    a careless writer leaves one in a covered cell.
    """
    workbook = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, xlwt.XFStyle] = {}

    def styled(text: str) -> tuple[object, xlwt.XFStyle]:
        number = as_number(text)
        if number is None:
            return text, xlwt.Style.default_style
        value, number_format = number
        if number_format not in styles:
            styles[number_format] = xlwt.easyxf(num_format_str=number_format)
        return value, styles[number_format]

    for index, (name, text) in enumerate(sheets.items()):
        sheet = workbook.add_sheet(name, cell_overwrite_ok=True)
        rows, anchors, covered = _sheet_cells(text)
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                if (r, c) in anchors:
                    bottom, right = anchors[(r, c)]
                    sheet.write_merge(r, bottom, c, right, *styled(cell))
                elif cell and (r, c) not in covered:
                    sheet.write(r, c, *styled(cell))
        if index == 0:
            for (r, c), value in (leftovers or {}).items():
                sheet.write(r, c, value)
        if name in hidden:
            sheet.visibility = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ods_cell(text: str, **spans: int) -> TableCell:
    cell = TableCell(**spans)
    if not text:
        return cell
    number = as_number(text)
    if number is None:
        cell.setAttribute("valuetype", "string")
    else:
        # As LibreOffice saves a number: its value, and the text it displayed.
        value, number_format = number
        cell.setAttribute("valuetype", "percentage" if number_format.endswith("%") else "float")
        cell.setAttribute("value", repr(value))
    cell.addElement(P(text=text))
    return cell


def write_ods(
    sheets: dict[str, str],
    *,
    hidden: tuple[str, ...] = (),
    leftovers: dict[tuple[int, int], str] | None = None,
) -> bytes:
    """An .ods written by odfpy, merged with number-rows/columns-spanned and covered cells."""
    document = OpenDocumentSpreadsheet()
    hidden_style = Style(name="hidden", family="table")
    hidden_style.addElement(TableProperties(display=False))
    document.automaticstyles.addElement(hidden_style)
    for index, (name, text) in enumerate(sheets.items()):
        table = Table(name=name, stylename=hidden_style) if name in hidden else Table(name=name)
        rows, anchors, covered = _sheet_cells(text)
        width = max((len(cells) for cells in rows), default=1)
        for r, cells in enumerate(rows):
            row = TableRow()
            for c in range(max(len(cells), 1)):
                cell = cells[c] if c < len(cells) else ""
                if (r, c) in anchors:
                    bottom, right = anchors[(r, c)]
                    row.addElement(
                        _ods_cell(
                            cell,
                            numberrowsspanned=bottom - r + 1,
                            numbercolumnsspanned=right - c + 1,
                        )
                    )
                elif (r, c) in covered:
                    leftover = (leftovers or {}).get((r, c)) if index == 0 else None
                    covered_cell = CoveredTableCell()
                    if leftover:
                        covered_cell.setAttribute("valuetype", "string")
                        covered_cell.addElement(P(text=leftover))
                    row.addElement(covered_cell)
                else:
                    row.addElement(_ods_cell(cell))
            # Cells a merge covers past the end of a short row are still covered cells.
            for c in range(len(cells), width):
                if (r, c) in covered:
                    row.addElement(CoveredTableCell())
            table.addElement(row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


WRITERS = {"xls": write_xls, "ods": write_ods}


def _records(records: list[dict]) -> list[dict]:
    """Records without ids and lines: a grid's rows are numbered 1..n, its places hold the sheet rows."""
    return [{key: value for key, value in record.items() if key not in IDS} for record in records]


# ---------------------------------------------------------------- the reference round trip


@pytest.fixture(scope="module")
def text_parse():
    return parse_rows(split_rows(TEXT), document_id="d", source="x.txt")


@pytest.fixture(scope="module", params=["xls", "ods"])
def reference_grid(request) -> Grid:
    form = request.param
    return read_sheets(WRITERS[form]({"绩效目标": TEXT}), form=form)


def test_reference_rows_are_the_text_rows_at_their_line_numbers(reference_grid):
    # Line n of the text is row n of the sheet: every row with text, same cells, at that row.
    rows, places = reference_grid.rows, reference_grid.places
    assert [(place.row, row.cells) for place, row in zip(places, rows, strict=True)] == rows_with_text(TEXT)
    assert [row.line for row in rows] == list(range(1, len(rows) + 1))
    assert {(place.part, place.table) for place in reference_grid.places} == {("绩效目标", None)}
    assert reference_grid.notes == []


def test_reference_written_as_a_spreadsheet_parses_like_the_text(reference_grid, text_parse):
    parsed = parse_rows(reference_grid.rows, document_id="d", source=f"x.{reference_grid.form}")
    assert len(parsed.projects) == 15
    assert len(parsed.indicators) == 172
    assert sum(project["budget_yuan"] for project in parsed.projects) == 10_882_500
    assert _records(parsed.projects) == _records(text_parse.projects)
    assert _records(parsed.indicators) == _records(text_parse.indicators)
    # A record's line, through the grid's places, is the sheet row: the text's line.
    for parsed_records, text_records in (
        (parsed.projects, text_parse.projects),
        (parsed.indicators, text_parse.indicators),
    ):
        assert [reference_grid.place(record["line"]).row for record in parsed_records] == [
            record["line"] for record in text_records
        ]
    assert (parsed.title, parsed.year, parsed.department, parsed.preamble) == (
        text_parse.title,
        text_parse.year,
        text_parse.department,
        text_parse.preamble,
    )


def test_reference_budgets_keep_their_thousands_separators(reference_grid):
    # 1,416,000.00 is stored as the number 1416000 under #,##0.00: the reader shows the format.
    budget_rows = [row.cells for row in reference_grid.rows if row.cells[0].endswith("预算金额(元)")]
    assert budget_rows[0] == ("2026年预算金额(元)", "1,416,000.00")


# ---------------------------------------------------------------- places, sheets, merges


@pytest.mark.parametrize("form", ["xls", "ods"])
def test_rows_are_numbered_from_the_top_of_the_sheet_when_data_starts_lower(form):
    # The data starts at B3: calamine's range starts there, the person still sees rows 3 and 5.
    data = WRITERS[form]({"表": "\n\n\t项目名称\t示例\n\n\t预算\t1,000.00"})
    grid = read_sheets(data, form=form)
    assert [(place.part, place.row, row.cells) for place, row in zip(grid.places, grid.rows, strict=True)] == [
        ("表", 3, ("", "项目名称", "示例")),
        ("表", 5, ("", "预算", "1,000.00")),
    ]
    assert [row.line for row in grid.rows] == [1, 2]


@pytest.mark.parametrize("form", ["xls", "ods"])
def test_sheets_are_read_in_workbook_order_with_their_own_row_numbers(form):
    grid = read_sheets(WRITERS[form]({"封面": "# 标题\n\n说明", "项目": "\n项目名称\t甲"}), form=form)
    assert [(place.part, place.row) for place in grid.places] == [
        ("封面", 1),
        ("封面", 3),
        ("项目", 2),
    ]
    assert [row.cells for row in grid.rows] == [("# 标题",), ("说明",), ("项目名称", "甲")]


@pytest.mark.parametrize("form", ["xls", "ods"])
def test_leftover_value_in_a_covered_cell_is_blanked(form):
    # 示例 spans B1:D1 and 一级 spans A2:A3; a writer left text in C1 and A3 under the merges.
    text = "项目名称\t示例\t\t\n一级指标\t二级指标\t三级指标\t值\n\t数量\t次数\t64"
    _, _, covered = _sheet_cells(text)
    assert {(0, 2), (2, 0)} <= covered
    data = WRITERS[form]({"Sheet1": text}, leftovers={(0, 2): "残留", (2, 0): "旧值"})
    grid = read_sheets(data, form=form)
    assert [row.cells for row in grid.rows] == [
        ("项目名称", "示例"),
        ("一级指标", "二级指标", "三级指标", "值"),
        ("", "数量", "次数", "64"),
    ]


@pytest.mark.parametrize("form", ["xls", "ods"])
def test_hidden_sheet_is_skipped_with_a_note(form):
    data = WRITERS[form]({"项目": "项目名称\t甲", "下拉列表": "一级项目\n二级项目"}, hidden=("下拉列表",))
    grid = read_sheets(data, form=form)
    assert {place.part for place in grid.places} == {"项目"}
    assert grid.notes == [Note("info", "hidden_sheet", "工作表「下拉列表」是隐藏的，未读取")]


# ---------------------------------------------------------------- numbers as a person sees them


def test_xls_numbers_show_under_their_number_format():
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("数字")
    cells = [
        (1416000.0, "#,##0.00", "1,416,000.00"),
        (0.95, "0%", "95%"),
        (0.955, "0.0%", "95.5%"),
        (64.0, "General", "64"),
        (2.5, "General", "2.5"),
        (141.6, '0.0"万元"', "141.6万元"),
        (dt.date(2026, 6, 30), 'yyyy"年"m"月"d"日"', "2026年6月30日"),
        (dt.datetime(2026, 6, 30, 9, 30), "yyyy-mm-dd hh:mm", "2026-06-30 09:30"),
    ]
    for column, (value, number_format, _) in enumerate(cells):
        sheet.write(0, column, value, xlwt.easyxf(num_format_str=number_format))
    buffer = io.BytesIO()
    workbook.save(buffer)
    grid = read_sheets(buffer.getvalue(), form="xls")
    assert grid.rows[0].cells == tuple(shown for _, _, shown in cells)


def test_ods_numbers_show_the_displayed_text_or_else_their_value():
    document = OpenDocumentSpreadsheet()
    table = Table(name="数字")
    row = TableRow()
    shown = TableCell(valuetype="float", value="1416000")
    shown.addElement(P(text="1,416,000.00"))
    row.addElement(shown)
    # Writers other than office programs may leave out the displayed text.
    row.addElement(TableCell(valuetype="percentage", value="0.95"))
    row.addElement(TableCell(valuetype="percentage", value="0.955"))
    row.addElement(TableCell(valuetype="float", value="64.0"))
    row.addElement(TableCell(valuetype="boolean", booleanvalue="true"))
    table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    grid = read_sheets(buffer.getvalue(), form="ods")
    assert grid.rows[0].cells == ("1,416,000.00", "95%", "95.5%", "64", "TRUE")


# ---------------------------------------------------------------- detection


@pytest.fixture(scope="module")
def small_xls() -> bytes:
    return write_xls({"Sheet1": "项目名称\t示例\n预算\t1,000.00"})


def _renamed_stream(data: bytes, old: str, new: str) -> bytes:
    """The compound file with a directory entry renamed, as Word names its main stream."""
    encoded = old.encode("utf-16-le") + b"\0\0"
    at = data.index(encoded)
    name = new.encode("utf-16-le") + b"\0\0"
    entry = bytearray(data[at : at + 128])
    entry[:64] = name.ljust(64, b"\0")
    entry[64:66] = len(name).to_bytes(2, "little")
    return data[:at] + bytes(entry) + data[at + 128 :]


def test_is_xls_knows_a_workbook_from_a_word_document(small_xls):
    assert is_xls(small_xls)
    assert not is_xls(_renamed_stream(small_xls, "Workbook", "WordDocument"))
    assert is_xls(_renamed_stream(small_xls, "Workbook", "Book"))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600,
        "项目名称\t示例".encode(),
    ],
    ids=["empty", "magic only", "garbage header", "text"],
)
def test_is_xls_is_false_for_bytes_that_are_no_compound_file(data):
    assert not is_xls(data)


def test_is_ods_knows_a_spreadsheet_from_other_zips(small_xls):
    assert is_ods(write_ods({"Sheet1": "项目名称\t示例"}))
    assert not is_ods(write_workbook("项目名称\t示例"))
    assert not is_ods(small_xls)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert not is_ods(buffer.getvalue())
    assert not is_xls(write_ods({"Sheet1": "项目名称\t示例"}))


# ---------------------------------------------------------------- damage


def _damaged(data: bytes) -> list[bytes]:
    """Truncations and a spread of overwritten bytes, deterministic."""
    cases = [data[:cut] for cut in (0, 8, 512, 4096, len(data) // 2, len(data) - 7)]
    for seed in range(60):
        damaged = bytearray(data)
        for step in range(1 + seed % 7):
            damaged[(seed * 7919 + step * 104729) % len(damaged)] ^= 0x5A + step
        cases.append(bytes(damaged))
    return cases


@pytest.mark.parametrize("form", ["xls", "ods"])
def test_damaged_file_is_unreadable_and_nothing_else_escapes(form, small_xls):
    data = small_xls if form == "xls" else write_ods({"Sheet1": "项目名称\t示例\n预算\t1,000.00"})
    unreadable = 0
    for case in _damaged(data):
        try:
            grid = read_sheets(case, form=form)
        except Unreadable as error:
            unreadable += 1
            assert error.code == "unreadable_workbook"
            assert error.message.startswith("无法读取 Excel/OpenDocument 表格（")
            assert error.message.endswith("），未载入任何项目")
        else:
            assert isinstance(grid, Grid)
    assert unreadable > 0


def test_truncated_xls_that_makes_calamine_panic_is_unreadable(small_xls):
    # calamine panics (a BaseException from Rust) on this cut rather than raising CalamineError.
    with pytest.raises(Unreadable) as raised:
        read_sheets(small_xls[:4096], form="xls")
    assert raised.value.code == "unreadable_workbook"


def _patched_record(data: bytes, kind: int, body: bytes, new_kind: int, new_body: bytes) -> bytes:
    """The file with one BIFF record (found by its bytes, which must occur once) replaced in place."""
    old = struct.pack("<HH", kind, len(body)) + body
    assert data.count(old) == 1
    return data.replace(old, struct.pack("<HH", new_kind, len(new_body)) + new_body)


def test_xls_cell_claimed_far_away_is_refused_before_calamine_allocates_the_rectangle():
    data = write_xls({"Sheet1": "项目名称\t示例\n预算\t说明"})
    # 说明 is B2: a LABELSST record (row 1, column 1, XF 17, string 3). Damage moves it to
    # row 41220, column 54275, and calamine would allocate 2.2 billion cells and abort.
    far = _patched_record(
        data,
        0x00FD,
        struct.pack("<HHHI", 1, 1, 17, 3),
        0x00FD,
        struct.pack("<HHHI", 41219, 54274, 17, 3),
    )
    with pytest.raises(Unreadable) as raised:
        read_sheets(far, form="xls")
    assert raised.value.code == "unreadable_workbook"
    assert "工作表「Sheet1」的数据区域有 41220 行 × 54275 列，超出可读取的大小" in raised.value.message


def test_ods_repeated_value_spanning_millions_of_cells_is_refused():
    document = OpenDocumentSpreadsheet()
    table = Table(name="大表")
    row = TableRow(numberrowsrepeated=3000)
    cell = TableCell(valuetype="string", numbercolumnsrepeated=3000)
    cell.addElement(P(text="x"))
    row.addElement(cell)
    table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    with pytest.raises(Unreadable) as raised:
        read_sheets(buffer.getvalue(), form="ods")
    assert "工作表「大表」的数据区域有 3000 行 × 3000 列" in raised.value.message


def test_encrypted_xls_is_unreadable_and_says_so(small_xls):
    # A FILEPASS record in the workbook globals: every record after it is encrypted.
    writeaccess = next(
        body for kind, body in lib.ingest.sheets._records(_workbook_stream(small_xls), 0) if kind == 0x005C
    )
    encrypted = _patched_record(small_xls, 0x005C, writeaccess, 0x002F, b"\x01\x00" + writeaccess[2:])
    with pytest.raises(Unreadable) as raised:
        read_sheets(encrypted, form="xls")
    assert raised.value.message == "无法读取 Excel/OpenDocument 表格（文件已加密，需要密码才能打开），未载入任何项目"


def _workbook_stream(data: bytes) -> bytes:
    compound = Compound(data)
    return compound.read(compound.root_streams()["workbook"])


def test_docstring_examples():
    assert doctest.testmod(lib.ingest.sheets, optionflags=doctest.ELLIPSIS).failed == 0
