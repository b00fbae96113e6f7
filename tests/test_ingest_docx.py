"""Tests for lib.ingest.docx: Word files read into the same rows as the text document."""

from __future__ import annotations

import doctest
import io
import struct
import zipfile

import docx
import pytest
from lib.testing.forms import blocks, table_cells, to_docx
from support import REFERENCE

import lib.ingest.docx
from lib.ingest.docx import OLD_WORD_MESSAGE, is_docx, is_old_word, read_docx
from lib.ingest.grid import Place, Unreadable
from lib.ingest.parser import parse_rows
from lib.ingest.text import decode, split_rows


def _records(records: list[dict]) -> list[dict]:
    """Records as fields: the line and ids say where a record came from, not what it holds."""
    return [{k: v for k, v in record.items() if k != "line" and not k.endswith("_id")} for record in records]


@pytest.fixture(scope="module")
def reference_text() -> str:
    return decode(REFERENCE.read_bytes()).text


@pytest.fixture(scope="module")
def reference_docx(reference_text: str) -> bytes:
    return to_docx(reference_text)


def _save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- the reference document as a Word file ------------------------------------


def test_reference_docx_parses_as_the_text_document(reference_text: str, reference_docx: bytes) -> None:
    grid = read_docx(reference_docx)
    assert grid.form == "docx"
    assert [row.line for row in grid.rows] == list(range(1, len(grid.rows) + 1))
    text = parse_rows(split_rows(reference_text), document_id="d", source="x.txt")
    word = parse_rows(grid.rows, document_id="d", source="x.docx")
    assert len(word.projects) == 15
    assert len(word.indicators) == 172
    assert sum(project["budget_yuan"] for project in word.projects) == 10_882_500
    assert _records(word.projects) == _records(text.projects)
    assert _records(word.indicators) == _records(text.indicators)
    assert (word.title, word.year, word.department, word.preamble) == (
        text.title,
        text.year,
        text.department,
        text.preamble,
    )
    assert [(d["severity"], d["code"]) for d in word.diagnostics] == [
        (d["severity"], d["code"]) for d in text.diagnostics
    ]


def test_reference_docx_has_real_word_merges(reference_text: str, reference_docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(reference_docx)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert '<w:vMerge w:val="restart"/>' in xml
    assert "<w:vMerge/>" in xml  # the continuation cells under a category
    assert "<w:gridSpan " in xml
    # Every merged range of the text's tables became one Word cell.
    document = docx.Document(io.BytesIO(reference_docx))
    first = document.tables[0]
    expected = table_cells(next(rows for kind, rows in blocks(reference_text) if kind == "table"))
    for r, row in enumerate(expected):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            text, rowspan, colspan = cell
            top_left = first.cell(r, c)
            assert top_left.text == text
            assert first.cell(r + rowspan - 1, c + colspan - 1)._tc is top_left._tc


def test_places_point_at_table_and_row(reference_docx: bytes) -> None:
    grid = read_docx(reference_docx)
    placed = dict(zip(grid.places, (row.cells for row in grid.rows)))
    assert grid.places[0] == Place(None, None, 1)
    assert placed[Place(None, None, 1)][0].startswith("2026年东莞市人民代表大会常务委员会")
    assert placed[Place(None, 1, 1)] == ("项目名称", "市人大代表履职经费")
    assert placed[Place(None, 1, 13)] == ("", "产出指标", "数量指标", "代表小组活动次数", "64", "64")
    # Under a vertical merge the category is empty: the row inherits it from above.
    assert placed[Place(None, 1, 14)] == ("", "", "", "发放代表人数", "440", "440")
    assert placed[Place(None, 15, 1)][0] == "项目名称"
    assert max(place.table or 0 for place in grid.places) == 15
    tables = [place.table for place in grid.places if place.table is not None]
    assert tables == sorted(tables)


# -- merged and equal cells ---------------------------------------------------


def test_equal_neighbouring_texts_stay_two_cells() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for c, text in enumerate(("三级指标", "代表小组活动次数", "64", "64")):
        table.cell(0, c).text = text
    table.cell(1, 0).text = "发放标准"
    table.cell(1, 2).text = "64"
    table.cell(1, 3).text = "64"
    grid = read_docx(_save(document))
    assert [row.cells for row in grid.rows] == [
        ("三级指标", "代表小组活动次数", "64", "64"),
        ("发放标准", "", "64", "64"),
    ]


def test_merged_cell_text_only_in_top_left() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).text = "绩效指标"
    table.cell(0, 0).merge(table.cell(2, 0))
    table.cell(0, 1).text = "产出指标"
    table.cell(0, 1).merge(table.cell(1, 2))  # two rows by two columns
    table.cell(0, 3).text = "≥95%"
    table.cell(1, 3).text = "≥95%"
    table.cell(2, 1).text = "效益指标"
    table.cell(2, 2).text = "社会效益"
    grid = read_docx(_save(document))
    assert [row.cells for row in grid.rows] == [
        ("绩效指标", "产出指标", "", "≥95%"),
        ("", "", "", "≥95%"),
        ("", "效益指标", "社会效益"),
    ]
    assert grid.places == [Place(None, 1, 1), Place(None, 1, 2), Place(None, 1, 3)]


def test_text_left_under_a_merge_is_not_read_twice() -> None:
    # Word empties the cells it merges, but converters leave the text in the
    # continuation cells (w:vMerge, legacy w:hMerge) where Word never shows it.
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "产出指标"
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).text, table.cell(0, 2).text = "数量指标", "64"
    table.cell(1, 1).text, table.cell(1, 2).text = "质量指标", "≥95%"
    continuation = table.rows[1]._tr.tc_lst[0]
    continuation.clear_content()
    continuation.add_p().add_r().text = "产出指标"
    second = table.rows[1]._tr.tc_lst[2]
    tc_pr = second.get_or_add_tcPr()
    tc_pr.append(tc_pr.makeelement(docx.oxml.ns.qn("w:hMerge"), {docx.oxml.ns.qn("w:val"): "continue"}))
    assert "<w:vMerge/>" in continuation.xml
    grid = read_docx(_save(document))
    assert [row.cells for row in grid.rows] == [("产出指标", "数量指标", "64"), ("", "质量指标")]


def test_cell_paragraphs_join_with_newline_and_padding_is_stripped() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    cell = table.cell(0, 1)
    cell.text = "\u3000 1、召开常委会会议\u00a0"
    cell.add_paragraph("")
    cell.add_paragraph("\ufeff2、开展执法检查\t")
    table.cell(0, 0).text = "实施周期总目标"
    grid = read_docx(_save(document))
    assert grid.rows[0].cells == ("实施周期总目标", "1、召开常委会会议\n2、开展执法检查")


def test_paragraphs_and_tables_keep_document_order() -> None:
    document = docx.Document()
    document.add_heading("2026年示例局部门预算绩效目标", level=1)
    document.add_paragraph("")
    document.add_paragraph("  现将绩效目标公开如下：  ")
    document.add_table(rows=1, cols=2).cell(0, 0).text = "项目名称"
    document.add_paragraph("项目绩效目标表")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "项目二"
    grid = read_docx(_save(document))
    assert [(place, row.cells) for place, row in zip(grid.places, grid.rows)] == [
        (Place(None, None, 1), ("2026年示例局部门预算绩效目标",)),
        (Place(None, None, 2), ("现将绩效目标公开如下：",)),
        (Place(None, 1, 1), ("项目名称",)),
        (Place(None, None, 3), ("项目绩效目标表",)),
        (Place(None, 2, 1), ("", "项目二")),
    ]
    assert grid.notes == []


def test_tab_separated_paragraphs_read_as_cells() -> None:
    # A text document pasted into Word keeps its TABs: they still separate cells.
    document = docx.Document()
    document.add_paragraph("项目名称\t市人大代表履职经费\t\t")
    grid = read_docx(_save(document))
    assert grid.rows[0].cells == ("项目名称", "市人大代表履职经费")
    assert [note.code for note in grid.notes] == []


def test_table_inside_a_layout_table_is_read_as_a_table() -> None:
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.text = "项目绩效目标表"
    inner = frame.add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "项目名称", "示例项目"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "项目等级", "二级项目"
    frame.add_paragraph("填报人：张三")
    grid = read_docx(_save(document))
    assert [(place, row.cells) for place, row in zip(grid.places, grid.rows)] == [
        (Place(None, None, 1), ("项目绩效目标表",)),
        (Place(None, 1, 1), ("项目名称", "示例项目")),
        (Place(None, 1, 2), ("项目等级", "二级项目")),
        (Place(None, None, 2), ("填报人：张三",)),
    ]
    assert [note.code for note in grid.notes] == ["nested_table_docx"]


def test_document_without_tables_is_noted() -> None:
    document = docx.Document()
    document.add_paragraph("关于公开2026年部门预算的说明")
    grid = read_docx(_save(document))
    assert [(note.severity, note.code) for note in grid.notes] == [("warning", "no_table_docx")]


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _with_body(package: bytes, body: str, *, namespace: str = _W) -> bytes:
    """``package`` with its main part replaced by a document whose body is ``body`` (WordprocessingML)."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{namespace}"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    return _rezip(package, {"word/document.xml": xml.encode()})


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_revisions_fields_and_links_read_as_word_shows_them(reference_docx: bytes) -> None:
    body = (
        "<w:p><w:r><w:t>项目</w:t></w:r>"
        '<w:ins w:id="1" w:author="a"><w:r><w:t>名称</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>旧名</w:delText></w:r></w:del>'
        '<w:moveFrom w:id="3" w:author="a"><w:r><w:t>移走的字</w:t></w:r></w:moveFrom>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:hyperlink r:id="rId9"><w:r><w:t>（链接）</w:t></w:r></w:hyperlink></w:p>'
    )
    grid = read_docx(_with_body(reference_docx, body))
    assert [row.cells for row in grid.rows] == [("项目名称1（链接）",)]


def test_text_box_is_noted_not_read(reference_docx: bytes) -> None:
    box = "<w:txbxContent>" + _p("框内文字") + "</w:txbxContent>"
    body = (
        "<w:p><w:r><w:t>2026年部门预算绩效目标</w:t></w:r><w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "<w:tbl><w:tr><w:tc>" + _p("项目名称") + "</w:tc></w:tr></w:tbl>"
    )
    grid = read_docx(_with_body(reference_docx, body))
    assert [row.cells for row in grid.rows] == [("2026年部门预算绩效目标",), ("项目名称",)]
    assert [(note.severity, note.code) for note in grid.notes] == [("warning", "text_box_docx")]
    assert "1 个文本框" in grid.notes[0].message


_CONTROLS_BODY = (
    "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>"
    "<w:sdt><w:sdtPr/><w:sdtContent><w:tbl>"
    '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>'
    "<w:sdt><w:sdtContent><w:tc>" + _p("起始年度") + "</w:tc></w:sdtContent></w:sdt>"
    "<w:tc>" + _p("2021") + "</w:tc></w:tr>"
    '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="abc"/></w:tcPr>' + _p("甲") + "</w:tc>"
    '<w:tc><w:tcPr><w:gridSpan w:val="100000"/></w:tcPr>' + _p("乙") + "</w:tc>"
    "<w:tc>" + _p("丙") + "</w:tc></w:tr>"
    "</w:tbl></w:sdtContent></w:sdt>"
)


@pytest.mark.parametrize(
    "namespace", [_W, "http://purl.oclc.org/ooxml/wordprocessingml/main"], ids=["transitional", "strict"]
)
def test_content_controls_grid_before_and_bad_spans(reference_docx: bytes, namespace: str) -> None:
    grid = read_docx(_with_body(reference_docx, _CONTROLS_BODY, namespace=namespace))
    assert [(place, row.cells) for place, row in zip(grid.places, grid.rows)] == [
        (Place(None, None, 1), ("第一行",)),
        (Place(None, None, 1), ("第二行",)),
        (Place(None, 1, 1), ("", "起始年度", "2021")),
        # An unreadable span is one column; one beyond Word's 63 columns is cut to 63.
        (Place(None, 1, 2), ("甲", "乙", *[""] * 62, "丙")),
    ]


# -- recognising and refusing files --------------------------------------------


def test_is_docx_by_content(reference_docx: bytes) -> None:
    assert is_docx(reference_docx)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert not is_docx(buffer.getvalue())
    assert not is_docx(b"PK\x03\x04" + b"\x00" * 100)
    assert not is_docx("项目名称\t示例".encode())


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # a download cut short
        lambda data: data[:30],
        lambda data: b"PK\x03\x04" + b"\x00" * 200,
        lambda data: b"not a zip at all",
    ],
    ids=["half", "header", "zeros", "text"],
)
def test_damaged_docx_is_unreadable(reference_docx: bytes, damage) -> None:
    with pytest.raises(Unreadable) as raised:
        read_docx(damage(reference_docx))
    assert raised.value.code == "unreadable_docx"
    assert "Word" in raised.value.message and "未载入任何项目" in raised.value.message


def _rezip(data: bytes, replace: dict[str, bytes], drop: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in drop:
                target.writestr(info.filename, replace.get(info.filename, source.read(info)))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("replace", "drop"),
    [
        ({"word/document.xml": b"<w:document><w:body><w:p>"}, ()),  # XML cut short
        ({"word/document.xml": b"<html><body/></html>"}, ()),
        ({}, ("word/document.xml",)),
    ],
    ids=["truncated-xml", "foreign-root", "no-main-part"],
)
def test_damaged_parts_are_unreadable(reference_docx: bytes, replace: dict, drop: tuple) -> None:
    with pytest.raises(Unreadable) as raised:
        read_docx(_rezip(reference_docx, replace, drop))
    assert raised.value.code == "unreadable_docx"


def test_main_part_too_large_to_parse_is_refused(reference_docx: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lib.ingest.docx, "_MAX_PART_BYTES", 10_000)
    with pytest.raises(Unreadable) as raised:
        read_docx(reference_docx)
    assert raised.value.code == "docx_too_large"
    assert "MB" in raised.value.message and "未载入任何项目" in raised.value.message


def test_flipped_bytes_raise_only_unreadable(reference_docx: bytes) -> None:
    # Damage anywhere in the package (headers, compressed data, the directory)
    # either still reads or is refused with a reason; nothing else escapes.
    step = max(len(reference_docx) // 97, 1)
    for offset in range(0, len(reference_docx), step):
        damaged = bytearray(reference_docx)
        damaged[offset] ^= 0x5A
        try:
            read_docx(bytes(damaged))
        except Unreadable as exc:
            assert exc.code == "unreadable_docx"


def test_entity_expansion_is_not_performed(reference_docx: bytes) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    grid = read_docx(_rezip(reference_docx, {"word/document.xml": bomb}))
    assert all("aaaaaaaaaa" not in cell for row in grid.rows for cell in row.cells)


def _ole2(*streams: str) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) whose root holds empty ``streams``."""
    end, free, fat_sector, no_entry = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    # FAT sectors, first directory sector, transaction, mini cutoff, mini FAT, DIFAT.
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))

    def entry(name: str, kind: int, right: int, child: int) -> bytes:
        raw = bytearray(128)
        encoded = (name + "\0").encode("utf-16-le")
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBBIII", raw, 0x40, len(encoded), kind, 1, no_entry, right, child)
        struct.pack_into("<II", raw, 0x74, end, 0)
        return bytes(raw)

    entries = [entry("Root Entry", 5, no_entry, 1 if streams else no_entry)]
    for index, name in enumerate(streams, start=1):
        entries.append(entry(name, 2, index + 1 if index < len(streams) else no_entry, no_entry))
    sectors = (len(entries) + 3) // 4  # four entries to a sector, from sector 1 on
    directory = b"".join(entries).ljust(512 * sectors, b"\0")
    # Sector 0 is the FAT itself; the directory chains 1 -> 2 -> ... -> end.
    fat = struct.pack("<128I", fat_sector, *range(2, sectors + 1), end, *([free] * (127 - sectors)))
    return bytes(header) + fat + directory


@pytest.mark.parametrize(
    ("streams", "word"),
    [
        (("WordDocument", "1Table", "\x05SummaryInformation"), True),  # .doc, and WPS's .wps
        (("Data", "0Table", "WordDocument", "CompObj", "ObjectPool", "\x01CompObj"), True),  # two directory sectors
        (("Workbook", "\x05SummaryInformation"), False),  # .xls
        (("Book",), False),  # Excel 5/95 .xls
        (("PowerPoint Document", "Current User"), False),
        (("EncryptionInfo", "EncryptedPackage"), False),  # a password-protected .docx
    ],
)
def test_is_old_word_reads_the_ole2_directory(streams: tuple[str, ...], word: bool) -> None:
    data = _ole2(*streams)
    assert is_old_word(data) is word
    assert not is_docx(data)


def test_is_old_word_rejects_damaged_and_other_files(reference_docx: bytes) -> None:
    doc = _ole2("WordDocument", "1Table")
    assert not is_old_word(doc[:512])  # the header only
    assert not is_old_word(doc[:8] + b"\xff" * 1024)
    assert not is_old_word(reference_docx)
    assert not is_old_word("项目名称\t示例".encode())
    looping = bytearray(doc)
    struct.pack_into("<I", looping, 512 + 4, 1)  # the directory sector's FAT entry points at itself
    assert not is_old_word(bytes(looping))
    assert "另存为 .docx" in OLD_WORD_MESSAGE and "未载入任何项目" in OLD_WORD_MESSAGE


def test_doctests() -> None:
    result = doctest.testmod(lib.ingest.docx)
    assert result.failed == 0 and result.attempted > 0
