"""lib.ingest.pdf: PDFs printed by Chromium from web pages of the genre, scans and broken files.

The reference document is printed as a finance bureau's web page would be
(lib/testing/forms.py: rowspan and colspan merges), so its tables run over page
breaks, cells wrap, and the CJK font maps characters to Kangxi radicals; its
PDF must parse to the same projects and indicators as the text.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator

import pdfplumber
import pypdfium2
import pytest
from lib.testing.forms import to_html
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page
from support import REFERENCE

from lib.ingest.grid import Grid, Place, Unreadable
from lib.ingest.pdf import read_pdf
from lib.ingest.parser import ParsedDocument, parse_rows
from lib.ingest.text import Row, decode, split_rows

_STYLE = "<style>table{border-collapse:collapse;width:100%;font-size:12px}td{border:1px solid #000;padding:2px}</style>"
_RADICALS = re.compile("[\u2e80-\u2fdf]")


@pytest.fixture(scope="module")
def printer(browser: Browser) -> Iterator[Page]:
    """A Chromium page that prints HTML to PDF (skipped without Chromium, an error in CI)."""
    page = browser.new_page()
    yield page
    page.close()


def _print(printer: Page, html: str, **options: object) -> bytes:
    printer.set_content(html)
    return printer.pdf(format="A4", **options)


def _page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{_STYLE}</head><body>{body}</body></html>"


def _raw_text(data: bytes) -> list[str]:
    """Each page's text as pdfplumber extracts it, to check what a fixture PDF holds."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() for page in pdf.pages]


@pytest.fixture(scope="module")
def reference_text() -> str:
    return decode(REFERENCE.read_bytes()).text


@pytest.fixture(scope="module")
def reference_pdf(printer: Page, reference_text: str) -> bytes:
    return _print(printer, to_html(reference_text))


@pytest.fixture(scope="module")
def reference_grid(reference_pdf: bytes) -> Grid:
    return read_pdf(reference_pdf)


def _parse(rows: list[Row], source: str) -> ParsedDocument:
    return parse_rows(rows, document_id="d", source=source)


def _whitespace_only_lost(pdf: str, text: str) -> bool:
    """True when ``pdf`` is ``text`` with some whitespace dropped or changed, and none added.

    A space where a line wraps is not in a PDF (the browser does not print
    it), so "46.001万元： 2026年" can read "46.001万元：2026年"; every other
    character must be there, and a space in the PDF text must stand where
    the text has one: a stray space between Chinese characters fails.
    """

    def gaps(value: str) -> set[int]:
        # Positions (counted in non-space characters) after which whitespace stands.
        positions, count = set(), 0
        for part in re.split(r"(\s+)", value):
            if part and part.isspace():
                positions.add(count)
            else:
                count += len(part)
        return positions

    return re.sub(r"\s", "", pdf) == re.sub(r"\s", "", text) and gaps(pdf) <= gaps(text)


def _same_record(pdf: dict, text: dict) -> list[str]:
    """The fields (ids and line numbers aside) where the PDF's record differs from the text's."""
    differ = []
    for key, expected in text.items():
        if key == "line" or key.endswith("_id"):
            continue
        got = pdf[key]
        if isinstance(expected, str) and isinstance(got, str) and _whitespace_only_lost(got, expected):
            continue
        if got != expected:
            differ.append(f"{key}: {got!r} != {expected!r}")
    return differ


# ---------------------------------------------------------------- the reference document


def test_reference_pdf_has_tables_cut_by_page_breaks(reference_pdf: bytes, reference_grid: Grid) -> None:
    pages = _raw_text(reference_pdf)
    assert len(pages) > 10
    # Rows where a table goes on from one page to the next with no text between.
    crossings = [
        (before, after, row)
        for before, after, row in zip(reference_grid.places, reference_grid.places[1:], reference_grid.rows[1:])
        if before.table is not None and after.table is not None and before.part != after.part
    ]
    assert crossings
    # A merged 绩效指标/一级指标 cell goes on over the break: the next page's first row inherits it.
    assert any(row.cells[0] == "" and row.cells[1] == "" for _, _, row in crossings)
    # A row the break cut in two reads as one row: the next page's table starts at its second row.
    assert any(after.row == 2 for _, after, _ in crossings)


def test_reference_pdf_parses_like_the_text(reference_text: str, reference_grid: Grid) -> None:
    text = _parse(split_rows(reference_text), "x.txt")
    pdf = _parse(reference_grid.rows, "x.pdf")

    assert len(pdf.projects) == 15
    assert len(pdf.indicators) == 172
    assert sum(project["budget_yuan"] for project in pdf.projects) == 10_882_500
    assert [p["name"] for p in pdf.projects] == [p["name"] for p in text.projects]
    for got, expected in zip(pdf.projects, text.projects, strict=True):
        assert _same_record(got, expected) == [], expected["name"]
    for got, expected in zip(pdf.indicators, text.indicators, strict=True):
        assert _same_record(got, expected) == [], expected["name"]
    assert (pdf.title, pdf.year, pdf.department, pdf.preamble) == (
        text.title,
        text.year,
        text.department,
        text.preamble,
    )
    assert sorted(d["code"] for d in pdf.diagnostics) == sorted(d["code"] for d in text.diagnostics)


def test_reference_pdf_rows_are_placed_by_page_and_table(reference_grid: Grid) -> None:
    assert reference_grid.form == "pdf"
    assert [row.line for row in reference_grid.rows] == list(range(1, len(reference_grid.rows) + 1))
    title = reference_grid.rows[0].cells
    assert title == ("2026年东莞市人民代表大会常务委员会 办公室部门预算绩效目标批复情况",)
    assert reference_grid.places[0] == Place("第1页", None, 1)
    first_table = next(place for place in reference_grid.places if place.table is not None)
    assert first_table == Place("第1页", 1, 1)
    # A heading between two tables is a paragraph of its own.
    headings = [
        place for row, place in zip(reference_grid.rows, reference_grid.places) if row.cells == ("项目绩效目标表",)
    ]
    assert len(headings) == 15 and all(place.table is None for place in headings)


def test_reference_pdf_cells_hold_no_radicals_and_no_padding(reference_grid: Grid) -> None:
    cells = [cell for row in reference_grid.rows for cell in row.cells]
    assert not [cell for cell in cells if _RADICALS.search(cell)]
    assert all(cell == cell.strip(" \t\r\n\u3000\u00a0") for cell in cells)


# ---------------------------------------------------------------- tables over page breaks


def test_cell_cut_by_page_break_is_one_cell(printer: Page) -> None:
    long = "".join(f"第{i}条，根据年度工作计划组织代表开展视察调研活动并形成报告；" for i in range(1, 160))
    data = _print(printer, _page(f"<table><tr><td>说明</td><td>{long}</td></tr></table>"))
    assert len(_raw_text(data)) >= 2

    grid = read_pdf(data)

    assert [row.cells for row in grid.rows] == [("说明", long)]
    assert grid.places == [Place("第1页", 1, 1)]


def test_merged_cell_over_page_break_keeps_its_text_in_its_first_row(printer: Page) -> None:
    # The merged cell's text stands below a page-high gap, on the second page; it belongs to the first row.
    first = '<td rowspan="60"><div style="height:1200px"></div>产出指标</td>'
    rows = "".join(f"<tr>{first if i == 1 else ''}<td>指标{i}</td><td>{i}</td></tr>" for i in range(1, 61))
    data = _print(printer, _page(f"<table>{rows}</table>"))
    assert "产出指标" not in _raw_text(data)[0]

    grid = read_pdf(data)

    assert [row.cells for row in grid.rows] == [
        ("产出指标" if i == 1 else "", f"指标{i}", str(i)) for i in range(1, 61)
    ]
    assert {place.part for place in grid.places} == {"第1页", "第2页"}


def test_page_numbers_do_not_break_a_table(printer: Page) -> None:
    rows = "".join(f"<tr><td>指标{i}</td><td>{i}</td></tr>" for i in range(1, 61))
    footer = '<div style="font-size:10px;width:100%;text-align:center">- <span class="pageNumber"></span> -</div>'
    data = _print(
        printer,
        _page(f"<table>{rows}</table>"),
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=footer,
        margin={"top": "40px", "bottom": "60px"},
    )
    assert "- 2 -" in _raw_text(data)[1]

    grid = read_pdf(data)

    assert [row.cells for row in grid.rows] == [(f"指标{i}", str(i)) for i in range(1, 61)]


# ---------------------------------------------------------------- text


def test_wrapped_cell_text_joins_without_stray_spaces(printer: Page) -> None:
    chinese = "提高代表履职能力助推社会经济高质量发展"
    latin = "quality assurance plan 2026 review"
    data = _print(
        printer,
        _page(
            f"<table><tr><td style='width:70px'>{chinese}</td><td style='width:70px'>{latin}</td><td>x</td></tr></table>"
        ),
    )
    assert chinese not in _raw_text(data)[0] and latin not in _raw_text(data)[0]  # both wrapped

    assert [row.cells for row in read_pdf(data).rows] == [(chinese, latin, "x")]


def test_paragraph_break_inside_a_cell_is_a_line_break(printer: Page) -> None:
    first = "1、组织参加和开展省、市人大新闻奖。"
    second = "2、在东莞日报推出系列年度宣传专栏报道，" * 6
    data = _print(printer, _page(f"<table><tr><td>目标</td><td><p>{first}</p><p>{second}</p></td></tr></table>"))

    assert [row.cells for row in read_pdf(data).rows] == [("目标", f"{first}\n{second}")]


def test_kangxi_radicals_read_as_the_ideographs(printer: Page) -> None:
    # ⼈ (U+2F08) looks like 人; Chinese fonts map 人 to it, and the page writes it too.
    data = _print(printer, _page("<p>⼈⼤代表⼈数</p><table><tr><td>⼈员</td><td>⼀级项⽬</td></tr></table>"))
    assert _RADICALS.search("".join(_raw_text(data)))

    grid = read_pdf(data)

    assert [row.cells for row in grid.rows] == [("人大代表人数",), ("人员", "一级项目")]


def test_radical_supplement_lookalikes_read_as_the_ideographs(printer: Page) -> None:
    # The CJK font prints 民 and 见 with the glyphs of ⺠ (U+2EA0) and ⻅ (U+2EC5),
    # which have no NFKC form.
    data = _print(printer, _page("<p>人民意见</p>"))
    assert _RADICALS.search("".join(_raw_text(data)))

    assert [row.cells for row in read_pdf(data).rows] == [("人民意见",)]


def test_pdf_without_a_table_reads_as_paragraphs(printer: Page) -> None:
    paragraph = "各镇街人大：为做好年度工作，现将有关事项通知如下。" * 12
    data = _print(printer, _page(f"<h1>关于做好2026年工作的通知</h1><p>{paragraph}</p><p>特此通知。</p>"))

    grid = read_pdf(data)

    assert [row.cells for row in grid.rows] == [("关于做好2026年工作的通知",), (paragraph,), ("特此通知。",)]
    assert grid.places == [Place("第1页", None, k) for k in (1, 2, 3)]
    assert [d["code"] for d in _parse(grid.rows, "x.pdf").diagnostics] == ["no_table"]


# ---------------------------------------------------------------- files that cannot be read


def _scan() -> bytes:
    image = Image.new("RGB", (800, 400), "white")
    ImageDraw.Draw(image).text((40, 40), "2026 budget performance targets", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PDF")
    return buffer.getvalue()


def _hand_made_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of the given objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


_PAGES = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def test_scanned_pdf_is_unreadable_and_says_ocr() -> None:
    with pytest.raises(Unreadable) as raised:
        read_pdf(_scan())
    assert raised.value.code == "scanned_pdf"
    assert "扫描" in raised.value.message and "OCR" in raised.value.message


def test_encrypted_pdf_is_unreadable() -> None:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    # A user password (the empty one does not open it): the /U entry does not match "".
    security = b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>"
    file_id = b"<00112233445566778899aabbccddeeff>"
    data = _hand_made_pdf([*_PAGES, page, security], b"/Encrypt 4 0 R /ID [%s %s]" % (file_id, file_id))

    with pytest.raises(Unreadable) as raised:
        read_pdf(data)
    assert raised.value.code == "encrypted_pdf"
    assert "加密" in raised.value.message


def test_pdf_whose_font_maps_no_characters_is_unreadable() -> None:
    content = b"BT /F1 12 Tf 72 700 Td <0041004200430044> Tj ET"
    objects = [
        *_PAGES,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Embedded /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Embedded"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
    ]
    with pytest.raises(Unreadable) as raised:
        read_pdf(_hand_made_pdf(objects))
    assert raised.value.code == "unmapped_pdf"


@pytest.mark.parametrize("data", [b"%PDF-1.4\ngarbage, not a PDF body", b"%PDF-", b""])
def test_garbage_pdf_is_unreadable(data: bytes) -> None:
    with pytest.raises(Unreadable) as raised:
        read_pdf(data)
    assert raised.value.code == "damaged_pdf"
    assert "损坏" in raised.value.message


def test_damaged_pdf_never_raises_anything_but_unreadable(printer: Page) -> None:
    data = _print(printer, _page("<p>项目名称</p><table><tr><td>预算</td><td>1,000.00</td></tr></table>"))
    rng = random.Random(20260101)
    for attempt in range(40):
        damaged = bytearray(data)
        if attempt % 3 == 0:
            damaged = damaged[: rng.randrange(len(damaged))]
        else:
            for _ in range(20):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            grid = read_pdf(bytes(damaged))
        except Unreadable as error:
            assert error.code in {"damaged_pdf", "no_text_pdf", "unmapped_pdf", "scanned_pdf"}
        else:
            assert len(grid.rows) == len(grid.places)


def test_scanned_pages_among_text_pages_are_named_in_a_note(printer: Page) -> None:
    text = _print(printer, _page("<table><tr><td>项目名称</td><td>示例</td></tr></table>"))
    # A document of a text page and a scanned page, joined with pypdfium2.
    merged = pypdfium2.PdfDocument.new()
    merged.import_pages(pypdfium2.PdfDocument(text))
    merged.import_pages(pypdfium2.PdfDocument(_scan()))
    buffer = io.BytesIO()
    merged.save(buffer)

    grid = read_pdf(buffer.getvalue())

    assert [row.cells for row in grid.rows] == [("项目名称", "示例")]
    assert [(note.code, note.severity) for note in grid.notes] == [("scanned_pages", "warning")]
    assert "第2页" in grid.notes[0].message


def test_pdf_past_the_page_limit_is_refused_before_its_pages_are_read(reference_pdf: bytes, monkeypatch) -> None:
    import lib.ingest.pdf

    monkeypatch.setattr(lib.ingest.pdf, "MAX_PAGES", 5)
    with pytest.raises(Unreadable) as raised:
        read_pdf(reference_pdf)
    assert raised.value.code == "too_large" and "19 页" in raised.value.message
