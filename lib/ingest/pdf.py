"""Read a text PDF into the grid of cell rows: its ruled tables as cells, the rest as lines.

Departments publish the target tables as PDFs printed from Word or a
browser. pdfplumber gives the characters and the ruling lines; this reader
builds the tables from the lines and puts each character into its cell:

- a merged cell is its text in its top-left cell and empty cells under and
  beside it, as in the text documents of the genre;
- a table that runs on to the next page (no repeated header) is one table:
  a cell that the page break cuts in two (a merged 一级指标 cell, a long goal
  text) is one cell again, its text where the cell starts;
- text wrapped inside a cell is joined without the line break: Chinese
  lines join without a space, two Latin words or numbers with one, and a
  line that ends well short of the cell's edge (a new paragraph) keeps a
  line break, as the web page reader keeps a ``<p>``;
- text outside the tables (the document's title, the preamble, the
  项目绩效目标表 headings) is one row per paragraph, in reading order;
- look-alike ideographs that CJK fonts map characters to (⼈ U+2F08 for 人)
  are unified.

A scanned PDF (no text layer), an encrypted or a damaged one raises
:class:`~lib.ingest.grid.Unreadable` with what to do instead.
"""

from __future__ import annotations

import io
import logging
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from lib.ingest.grid import Grid, Note, Place, Unreadable, numbered, unify
from lib.ingest.text import Row

# pdfminer logs a warning for every font descriptor it finds incomplete
# (browser-made PDFs trigger it on every page); the reader reports what
# matters to the user through notes and Unreadable instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

SCANNED_MESSAGE = "PDF 没有文字层（是扫描图像），需要先做文字识别（OCR）才能读取；未载入任何项目"

#: Distance (pt) within which two ruling-line positions are the same line.
_SNAP = 3.0
#: Table finder settings: pdfplumber's default snapping (3 pt, chained) merges
#: the column lines of two tables a few points apart on one page; the two
#: sides of one ruled line are less than a point apart.
_FINDER: dict[str, float] = {"snap_tolerance": 1.5}
#: Cell padding stripped like lib.ingest.text strips cells.
_PADDING = " \t\r\n\u3000\u00a0\ufeff"
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
#: A line that is only a page number ("3", "- 3 -", "第 3 页", "3 / 15", "第3页 共15页").
_PAGE_NUMBER = re.compile(r"^[-–—－\s]*(第\s*)?\d{1,3}(\s*页)?(\s*[/／]\s*\d{1,3})?(\s*共\s*\d{1,3}\s*页)?[-–—－\s]*$")
#: Punctuation that never starts a line (it stays with the character before it).
_CLOSING = frozenset("）)》”’〕】]」』〉，。、；：！？,.;:!?%％")
#: Punctuation that never ends a line (it stays with the character after it).
_OPENING = frozenset("（(《“‘〔【[「『〈")

# One character as the reader keeps it: text, x0, x1, top, bottom, font size.
_Char = tuple[str, float, float, float, float, float]


def read_pdf(data: bytes) -> Grid:
    """A text PDF's tables and lines as a :class:`~lib.ingest.grid.Grid`.

    Parameters
    ----------
    data
        The bytes of the PDF file.

    Returns
    -------
    Grid
        ``form="pdf"``; table rows placed as ``Place("第2页", 1, 5)`` (page,
        the table's 1-based number on that page, the row inside the table on
        that page), paragraph rows as ``Place("第1页", None, k)``. Pages that
        are images without text are named in a note.

    Raises
    ------
    Unreadable
        ``scanned_pdf`` when no page has text (a scan: it needs OCR first),
        ``no_text_pdf`` when there is neither text nor image, ``encrypted_pdf``
        for a password-protected file, ``unmapped_pdf`` when the fonts give
        no characters, ``damaged_pdf`` for anything pdfplumber cannot open.

    Examples
    --------
    A table printed from a web page, with 一级指标 merged over two rows::

        绩效指标 | 产出指标 | 数量指标 | 64
                 |          | 质量指标 | ≥95%

    reads as ``('绩效指标', '产出指标', '数量指标', '64')`` and
    ``('', '', '质量指标', '≥95%')``: the second row inherits the levels of
    the first, as in a text document.
    """
    pages = _load(data)
    scanned = [page.number for page in pages if not page.chars and page.images]
    if not any(page.chars for page in pages):
        if scanned:
            raise Unreadable("scanned_pdf", SCANNED_MESSAGE)
        raise Unreadable("no_text_pdf", "PDF 中没有任何文字（没有文字层，也没有图像），未载入任何项目")
    notes = []
    unmapped = sum(char[0].startswith("(cid:") for page in pages for char in page.chars)
    total = sum(len(page.chars) for page in pages)
    if unmapped > total / 2:
        raise Unreadable(
            "unmapped_pdf",
            "PDF 的字体没有字符编码（ToUnicode）信息，取不出文字；请索取 Word、Excel 原件或网页版，"
            "或先做文字识别（OCR）；未载入任何项目",
        )
    if unmapped:
        notes.append(
            Note("warning", "unmapped_chars", f"PDF 中有 {unmapped} 个字符的字体没有编码信息，读作「(cid:…)」")
        )
    if scanned:
        listed = "、".join(f"第{number}页" for number in scanned)
        notes.append(
            Note("warning", "scanned_pages", f"{listed}是扫描图像，没有文字层，其内容未读取（需要先做文字识别）")
        )
    rows, places = _assemble([_page_blocks(page) for page in pages])
    return Grid(form="pdf", rows=numbered(rows), places=places, notes=notes)


# ---------------------------------------------------------------- pdfplumber


@dataclass(frozen=True)
class _Cut:
    """Where the page break cut a table's ruling: its column lines stop at ``y`` with no line there.

    ``ruled`` are the stretches of ``y`` that do have a line (cells that end
    there, rather than going on over the break).
    """

    y: float
    x0: float
    x1: float
    ruled: list[tuple[float, float]]

    def cuts(self, x0: float, x1: float) -> bool:
        """Whether a cell from ``x0`` to ``x1`` with an edge at ``y`` was cut there."""
        return not _covered((x0 + x1) / 2, self.ruled)


@dataclass
class _Page:
    """What the reader needs of one page, taken out of pdfplumber in one go."""

    number: int
    width: float
    chars: list[_Char]
    images: bool
    tables: list[list[tuple[float, float, float, float]]]  # cell boxes of each table
    cut_top: _Cut | None  # a table going on from the page before
    cut_bottom: _Cut | None  # a table going on to the next page


#: Most pages read. A department's targets fill tens of pages; reading takes
#: about 0.1 s a page, and a server thread busy for minutes on one upload
#: keeps every other user waiting.
MAX_PAGES = 300


def _load(data: bytes) -> list[_Page]:
    """Every page's characters, images and table cells; pdfplumber's failures as Unreadable."""
    try:
        with pdfplumber.open(io.BytesIO(data), raise_unicode_errors=False) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise Unreadable(
                    "too_large",
                    f"PDF 有 {len(pdf.pages):,} 页，超过 {MAX_PAGES} 页的上限，不像一个部门的绩效目标文件；"
                    "请只上传绩效目标表所在的部分；未载入任何项目",
                )
            return [_page(page, number) for number, page in enumerate(pdf.pages, start=1)]
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises any type on a damaged file; each is reported
        # pdfplumber wraps pdfminer's error in its own: the innermost one says what is wrong.
        inner: BaseException = exc
        while inner.args and isinstance(inner.args[0], BaseException):
            inner = inner.args[0]
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise Unreadable(
                "encrypted_pdf", "PDF 已加密（需要密码才能打开），无法读取；请提供未加密的文件；未载入任何项目"
            ) from exc
        detail = (str(inner) or type(inner).__name__)[:200]
        raise Unreadable(
            "damaged_pdf", f"PDF 文件已损坏或不完整，无法读取（{detail}）；请重新下载后再上传；未载入任何项目"
        ) from exc


def _page(page: pdfplumber.page.Page, number: int) -> _Page:
    width, height = float(page.width), float(page.height)
    chars = []
    # Text printed twice (fake bold) would otherwise read doubled.
    for char in page.dedupe_chars().chars:
        x0, x1, top, bottom = char["x0"], char["x1"], char["top"], char["bottom"]
        # Text clipped off the page is not on it.
        if 0 <= (x0 + x1) / 2 <= width and 0 <= (top + bottom) / 2 <= height:
            chars.append((char["text"], x0, x1, top, bottom, char["size"] or (bottom - top)))
    vertical = [edge for edge in page.edges if edge["orientation"] == "v" and edge["height"] >= _SNAP]
    if not vertical:  # no ruled table on the page
        return _Page(number, width, chars, bool(page.images), [], None, None)
    horizontal = [edge for edge in page.edges if edge["orientation"] == "h" and edge["width"] >= _SNAP]
    cut_top = _cut(vertical, horizontal, "top")
    cut_bottom = _cut(vertical, horizontal, "bottom")
    # Close the cut tables where the page cuts them, so that the finder sees their cells.
    closing = [
        {
            "object_type": "line",
            "x0": cut.x0,
            "x1": cut.x1,
            "top": cut.y,
            "bottom": cut.y,
            "width": cut.x1 - cut.x0,
            "height": 0,
        }
        for cut in (cut_top, cut_bottom)
        if cut is not None
    ]
    tables = [list(table.cells) for table in page.find_tables({**_FINDER, "explicit_horizontal_lines": closing})]
    return _Page(number, width, chars, bool(page.images), tables, cut_top, cut_bottom)


def _cut(vertical: list[dict], horizontal: list[dict], end: str) -> _Cut | None:
    """The page's topmost (``end="top"``) or lowest ruling, if the page break cut it.

    A table that runs on over a page break has no line where the page cuts
    it (at the top of the next page, and under cells that go on): its
    column lines just stop there.
    """
    y = min(edge["top"] for edge in vertical) if end == "top" else max(edge["bottom"] for edge in vertical)
    ends = [edge for edge in vertical if abs(edge[end] - y) <= 1.0]
    ruled = [(edge["x0"], edge["x1"]) for edge in horizontal if abs(edge["top"] - y) <= _SNAP]
    if len(ends) < 2 or all(_covered((edge["x0"] + edge["x1"]) / 2, ruled) for edge in ends):
        return None
    return _Cut(y, min(edge["x0"] for edge in ends), max(edge["x1"] for edge in ends), ruled)


def _covered(x: float, intervals: list[tuple[float, float]]) -> bool:
    return any(x0 - _SNAP <= x <= x1 + _SNAP for x0, x1 in intervals)


# ---------------------------------------------------------------- one page


@dataclass
class _Cell:
    x0: float
    top: float
    x1: float
    bottom: float
    chars: list[_Char] = field(default_factory=list)
    text: str = ""
    cut_top: bool = False  # the page break cut it at its top (it goes on from the page before)
    cut_bottom: bool = False  # the page break cut it at its bottom
    continued: bool = False  # the rest of a cell that starts on a page before
    origin: _Cell | None = None  # for the rest of a cut cell, the cell where it starts


@dataclass
class _Fragment:
    """The part of a table on one page."""

    page: int
    number: int  # on its page, 1-based
    cells: list[_Cell]
    rows: list[float]  # row boundaries (tops, then the last bottom)

    @property
    def x0(self) -> float:
        return min(cell.x0 for cell in self.cells)

    @property
    def x1(self) -> float:
        return max(cell.x1 for cell in self.cells)


@dataclass
class _Paragraph:
    page: int
    number: int  # on its page, 1-based
    text: str


def _page_blocks(page: _Page) -> list[_Fragment | _Paragraph]:
    """The page's tables and paragraphs, top to bottom."""
    fragments = []
    boxes = []
    for cells in page.tables:
        fragment = _fragment(page, cells)
        if fragment is not None:
            fragments.append(fragment)
            boxes.append((fragment.x0, fragment.rows[0], fragment.x1, fragment.rows[-1]))
    outside: list[_Char] = []
    for char in page.chars:
        middle_x, middle_y = (char[1] + char[2]) / 2, (char[3] + char[4]) / 2
        for fragment, (x0, top, x1, bottom) in zip(fragments, boxes):
            if x0 <= middle_x <= x1 and top <= middle_y <= bottom:
                _place_char(fragment, char, middle_x, middle_y)
                break
        else:
            outside.append(char)
    placed: list[tuple[float, _Fragment | list[_Line]]] = []
    for fragment in fragments:
        _cell_texts(fragment)
        placed.append((fragment.rows[0], fragment))
    lines = _lines(outside)
    if lines:
        right = max(max(line.x1 for line in lines), page.width - min(line.x0 for line in lines))
        for paragraph in _paragraphs(lines, right, fragments):
            placed.append((paragraph[0].top, paragraph))
    placed.sort(key=lambda item: item[0])
    blocks: list[_Fragment | _Paragraph] = []
    count = 0
    for index, (_, item) in enumerate(placed):
        if isinstance(item, _Fragment):
            item.number = sum(isinstance(block, _Fragment) for block in blocks) + 1
            blocks.append(item)
            continue
        text = _tidy(_join_lines(item, right=None))
        # Page numbers above or below everything else are the page's furniture, not text.
        if not text or (index in (0, len(placed) - 1) and _PAGE_NUMBER.match(text)):
            continue
        count += 1
        blocks.append(_Paragraph(page.number, count, text))
    return blocks


def _fragment(page: _Page, boxes: list[tuple[float, float, float, float]]) -> _Fragment | None:
    if not boxes:
        return None
    cells = [_Cell(*box) for box in boxes]
    rows = _boundaries([cell.top for cell in cells] + [cell.bottom for cell in cells])
    top, bottom = page.cut_top, page.cut_bottom
    for cell in cells:
        cell.cut_top = top is not None and abs(cell.top - top.y) <= _SNAP and top.cuts(cell.x0, cell.x1)
        cell.cut_bottom = bottom is not None and abs(cell.bottom - bottom.y) <= _SNAP and bottom.cuts(cell.x0, cell.x1)
    return _Fragment(page.number, 0, cells, rows)


def _boundaries(values: list[float]) -> list[float]:
    """Sorted positions, those as close as the table finder snaps taken as one."""
    merged: list[float] = []
    for value in sorted(values):
        if not merged or value - merged[-1] > _FINDER["snap_tolerance"]:
            merged.append(value)
    return merged


def _place_char(fragment: _Fragment, char: _Char, x: float, y: float) -> None:
    # Cells are few per table: the first that holds the character's middle takes it.
    for cell in fragment.cells:
        if cell.x0 <= x <= cell.x1 and cell.top <= y <= cell.bottom:
            cell.chars.append(char)
            return
    # Inside the table but in no cell (a ruling line the finder missed): a cell of its own.
    columns = _boundaries([c.x0 for c in fragment.cells] + [c.x1 for c in fragment.cells])
    col = min(max(bisect_right(columns, x) - 1, 0), len(columns) - 2)
    row = min(max(bisect_right(fragment.rows, y) - 1, 0), len(fragment.rows) - 2)
    cell = _Cell(columns[col], fragment.rows[row], columns[col + 1], fragment.rows[row + 1], [char])
    fragment.cells.append(cell)


def _cell_texts(fragment: _Fragment) -> None:
    lines_of = {id(cell): _lines(cell.chars) for cell in fragment.cells}
    # The cell padding is the smallest distance of any line from its cell's
    # left edge; a line that ends short of the padded right edge by more than
    # the start of the next line ended a paragraph.
    offsets = [line.x0 - cell.x0 for cell in fragment.cells for line in lines_of[id(cell)]]
    padding = max(min(offsets), 0.0) if offsets else 0.0
    for cell in fragment.cells:
        cell.text = _tidy(_join_lines(lines_of[id(cell)], right=cell.x1 - padding))
        cell.chars = []


# ---------------------------------------------------------------- lines


@dataclass
class _Line:
    chars: list[_Char]  # left to right
    text: str

    @property
    def x0(self) -> float:
        return self.chars[0][1]

    @property
    def x1(self) -> float:
        return self.chars[-1][2]

    @property
    def top(self) -> float:
        return min(char[3] for char in self.chars)

    @property
    def bottom(self) -> float:
        return max(char[4] for char in self.chars)

    @property
    def size(self) -> float:
        return max(char[5] for char in self.chars)


def _lines(chars: list[_Char]) -> list[_Line]:
    """Characters grouped into lines, top to bottom, each left to right.

    Latin and Chinese glyphs of one line have different tops (their fonts
    differ), so a line is the characters whose vertical middles are within
    half a character of the line's first.
    """
    if not chars:
        return []
    ordered = sorted(chars, key=lambda char: char[3] + char[4])
    groups: list[list[_Char]] = []
    start = -1e9
    for char in ordered:
        middle = (char[3] + char[4]) / 2
        if middle - start > char[5] / 2:
            groups.append([])
            start = middle
        groups[-1].append(char)
    return [_line(sorted(group, key=lambda char: char[1])) for group in groups]


def _line(chars: list[_Char]) -> _Line:
    parts = [chars[0][0]]
    for before, char in zip(chars, chars[1:]):
        # Producers that place words instead of printing spaces leave a gap:
        # a space between two Latin words or numbers, none between Chinese.
        if char[1] - before[2] > char[5] * 0.25 and _wordish(before[0][-1:]) and _wordish(char[0][:1]):
            parts.append(" ")
        parts.append(char[0])
    return _Line(chars, "".join(parts))


def _wordish(text: str) -> bool:
    """A Latin letter or digit: the characters that need a space between words."""
    return text.isascii() and text.isalnum()


def _join_lines(lines: list[_Line], *, right: float | None) -> str:
    """The lines of a cell (or a paragraph) as one text.

    A wrapped line joins the next without a space (with one between two
    Latin words or numbers); with ``right`` (the text's right edge), a line
    that ends further from it than the next line's first word needs ended a
    paragraph and keeps a line break.
    """
    if not lines:
        return ""
    parts = [lines[0].text]
    for before, line in zip(lines, lines[1:]):
        if right is not None and right - before.x1 > _lead_width(line) + line.size * 0.3:
            parts.append("\n")
        elif _wordish(before.text.rstrip()[-1:]) and _wordish(line.text[:1]) and not before.text.endswith(" "):
            parts.append(" ")
        parts.append(line.text)
    return "".join(parts)


def _lead_width(line: _Line) -> float:
    """Width of what a line breaker keeps together at the start of a line."""
    chars = line.chars
    end = 0
    while end < len(chars) and chars[end][0] in _OPENING:
        end += 1
    if end < len(chars):
        if _wordish(chars[end][0][:1]):
            while end < len(chars) and chars[end][0].isascii() and not chars[end][0].isspace():
                end += 1
        else:
            end += 1
    while end < len(chars) and chars[end][0] in _CLOSING:
        end += 1
    return chars[max(end, 1) - 1][2] - chars[0][1]


def _paragraphs(lines: list[_Line], right: float, fragments: list[_Fragment]) -> list[list[_Line]]:
    """Lines outside the tables grouped into paragraphs.

    The next line continues a paragraph when it is set in the same size
    right under it, no table lies between, and the line before it reached
    the right edge (it wrapped rather than ended).
    """
    paragraphs: list[list[_Line]] = []
    for line in lines:
        if paragraphs:
            before = paragraphs[-1][-1]
            if (
                abs(line.size - before.size) <= 0.5
                and line.top - before.bottom < line.size * 0.8
                and right - before.x1 <= _lead_width(line) + line.size * 0.3
                and not any(before.bottom <= fragment.rows[0] <= line.top for fragment in fragments)
            ):
                paragraphs[-1].append(line)
                continue
        paragraphs.append([line])
    return paragraphs


def _tidy(text: str) -> str:
    """Look-alike ideographs unified, spaces made one and each line stripped as lib.ingest.text strips cells."""
    lines = (_SPACES.sub(" ", line).strip(_PADDING) for line in unify(text).split("\n"))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- the document


def _assemble(pages: list[list[_Fragment | _Paragraph]]) -> tuple[list[Row], list[Place]]:
    """Rows and places of the whole document, tables joined over page breaks."""
    rows: list[Row] = []
    places: list[Place] = []
    table: list[_Fragment] = []  # the fragments of the table being read

    def flush() -> None:
        if table:
            _table_rows(table, rows, places)
            table.clear()

    for blocks in pages:
        for index, block in enumerate(blocks):
            if isinstance(block, _Paragraph):
                flush()
                rows.append(Row(0, (block.text,)))
                places.append(Place(f"第{block.page}页", None, block.number))
                continue
            if not (index == 0 and table and _continues(table[-1], block)):
                flush()
            table.append(block)
    flush()
    return rows, places


def _continues(before: _Fragment, fragment: _Fragment) -> bool:
    """Whether a page's first table goes on with the table that ended the page before."""
    return (
        fragment.page == before.page + 1
        and abs(fragment.x0 - before.x0) <= _SNAP
        and abs(fragment.x1 - before.x1) <= _SNAP
    )


def _table_rows(fragments: list[_Fragment], rows: list[Row], places: list[Place]) -> None:
    """Append one table's rows (over one or more pages) with merged cells as empty cells."""
    for before, after in zip(fragments, fragments[1:]):
        _join_cut_cells(before, after)
    columns = _boundaries([x for fragment in fragments for cell in fragment.cells for x in (cell.x0, cell.x1)])
    width = len(columns) - 1
    for fragment in fragments:
        grid = [[""] * width for _ in range(len(fragment.rows) - 1)]
        starts: list[list[_Cell]] = [[] for _ in grid]
        for cell in fragment.cells:
            row = _index(fragment.rows, cell.top)
            col = _index(columns, cell.x0)
            starts[row].append(cell)
            if not cell.continued:
                grid[row][col] = cell.text
        for number, (cells, first) in enumerate(zip(grid, starts), start=1):
            # A row that only holds the rest of cells cut by the page break was joined above.
            if first and all(cell.continued for cell in first):
                continue
            rows.append(Row(0, tuple(cells)))
            places.append(Place(f"第{fragment.page}页", fragment.number, number))


def _index(boundaries: list[float], value: float) -> int:
    """Index of the boundary nearest to ``value`` (never the last: a cell starts before it)."""
    at = bisect_left(boundaries, value)
    if at == len(boundaries) or (at > 0 and value - boundaries[at - 1] < boundaries[at] - value):
        at -= 1
    return max(min(at, len(boundaries) - 2), 0)


def _join_cut_cells(before: _Fragment, after: _Fragment) -> None:
    """Give each cell the page break cut its whole text, where the cell starts.

    A cell is cut when the page before shows it open at the bottom and this
    page open at the top, in the same columns.
    """
    open_below = [cell for cell in before.cells if cell.cut_bottom]
    for cell in after.cells:
        if not cell.cut_top:
            continue
        for upper in open_below:
            if abs(upper.x0 - cell.x0) <= _SNAP and abs(upper.x1 - cell.x1) <= _SNAP:
                # A cell can run over more than one page break: its text goes where it starts.
                origin = upper.origin or upper
                origin.text = _join_texts(origin.text, cell.text)
                cell.continued, cell.origin = True, origin
                break


def _join_texts(first: str, second: str) -> str:
    if not first or not second:
        return first or second
    space = " " if _wordish(first[-1]) and _wordish(second[0]) else ""
    return first + space + second
