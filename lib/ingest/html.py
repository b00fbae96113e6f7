"""Read a web page (.html/.htm as a browser saves it) into the grid of cell rows.

Finance bureaus publish the target tables as HTML: merged cells as rowspan
and colspan, cell text wrapped in ``<p>`` and padded with ``&nbsp;``, pages
saved from Word with the text hard-wrapped in the source, older sites in
GB2312 or GBK with the charset in a meta tag, and the whole page sometimes
inside a layout table. This reader builds a small element tree with the
standard library's parser, then walks it in document order:

- a table holding no other table is a data table: each ``<tr>`` a row, a
  cell's rowspan and colspan expanded so that its text sits in the top-left
  cell and the cells it covers are empty (as in the text documents);
- a table holding tables is layout: its text is read as paragraphs and the
  tables inside it as tables;
- text outside tables (headings, paragraphs) becomes one-cell rows, and the
  page's ``<title>`` is the first row when the body names no document before
  its first table.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from lib.ingest.grid import Grid, Place, Unreadable, numbered, unify
from lib.ingest.text import Row, decode

#: Elements that never hold content.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "wbr"}
)
#: Elements whose content is not text of the page.
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "select", "button", "iframe", "object"})
#: Elements that start a new line of text.
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "dd",
        "dt",
        "dl",
        "center",
        "caption",
        "form",
    }
)
#: An open element that a new start tag of the key closes (HTML's implied end tags).
_CLOSED_BY = {
    "td": {"td", "th", "tr", "tbody", "thead", "tfoot"},
    "th": {"td", "th", "tr", "tbody", "thead", "tfoot"},
    "tr": {"tr", "tbody", "thead", "tfoot"},
    "p": {"p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"},
    "li": {"li"},
}
#: Upper bound on one cell's rowspan or colspan: a page's "rowspan=9999" must not allocate a huge grid.
_MAX_SPAN = 1000
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v]*\n\s*(?=[{_CJK}])")
#: A line that names the document (a year and 绩效), not just a table (项目绩效目标表).
_DOCUMENT_TITLE = re.compile(r"(?:19|20)\d{2}\s*年.*绩效")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u200b]+")


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: unclosed cells, rows and paragraphs end where HTML says they do."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {})
        self.stack: list[_Element] = [self.root]
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
            return
        if tag in _SKIP:
            self._skip += 1
            return
        if self._skip:
            return
        closes = {open_tag for open_tag, closers in _CLOSED_BY.items() if tag in closers}
        # Close an implied end only inside the current table: a <td> in a nested table must not close the outer cell.
        while len(self.stack) > 1 and self.stack[-1].tag in closes:
            self.stack.pop()
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip and tag not in _SKIP:
            self.stack[-1].children.append(_Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            return
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
            if self.stack[depth].tag == "table" and tag != "table":
                return  # a stray </td> must not close anything outside its table

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.stack[-1].children.append(data)


_LEADING_COMMENTS = re.compile(rb"^(?:\s*<!--.*?-->)*\s*", re.DOTALL)
_PAGE_STARTS = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<table", b"<?xml")


def looks_like_html(data: bytes) -> bool:
    """True when the bytes are a web page rather than a text document.

    A text document of the genre can hold ``<p>`` inside a goal cell; a page
    starts (after any comments, such as the ``<!-- saved from url=… -->``
    a browser writes) with a doctype, an ``<html>``, ``<head>`` or ``<body>``
    element, or a table. A page saved as one file (.mht/.mhtml) counts too.

    >>> looks_like_html(b"<!-- saved from url=(0014)about:internet --><!DOCTYPE html><html><table></table></html>")
    True
    >>> looks_like_html("项目名称\\t示例\\n总体绩效目标\\t<p>1、评选</p>".encode())
    False
    """
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = decode(data[:4096]).text.encode()
    head = _LEADING_COMMENTS.sub(b"", head.lstrip(codecs.BOM_UTF8).lstrip(b"\xef\xbb\xbf"), count=1).lower()
    if head.startswith(_PAGE_STARTS):
        return any(tag in head for tag in (b"<html", b"<table", b"<body"))
    return is_mhtml(data)


def is_mhtml(data: bytes) -> bool:
    """True for a page a browser saved as one file (.mht/.mhtml): MIME parts, the page among them.

    >>> is_mhtml(b"From: <Saved by Blink>\\r\\nMIME-Version: 1.0\\r\\nContent-Type: multipart/related;")
    True
    """
    head = data[:2048].lower()
    return b"mime-version:" in head and b"multipart/related" in head


def _mhtml_page(data: bytes) -> bytes:
    """The bytes of the first HTML part of a .mht/.mhtml file, undone from quoted-printable or base64.

    Bytes, not text: the page's meta tag (or the sniffing in :func:`_decode`)
    names its charset, which the part's header often leaves out.
    """
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True) or b""
    raise Unreadable("no_table_html", "网页存档（.mht）中没有网页内容，未载入任何项目")


def _decode(data: bytes) -> str:
    """The page's text: a BOM first, then the charset its meta tag names, then UTF-8 or GB18030."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data).text
    match = _CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii").lower()
        # Pages that say gb2312 or gbk are written with characters only GB18030 holds.
        name = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936") else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data).text


def _text(node: _Element | str, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(node)
        return
    if node.tag in _BLOCK:
        out.append("\n")
    for child in node.children:
        _text(child, out)
    if node.tag in _BLOCK:
        out.append("\n")


def _lines(text: str) -> str:
    """Text whose newlines are block boundaries: each line's spaces made one, empty lines dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in unify(text).split("\n"))
    return "\n".join(line for line in lines if line)


def _cell_text(cell: _Element) -> str:
    out: list[str] = []
    for child in cell.children:
        _text(child, out)
    return _lines(_join_blocks(out))


def _join_blocks(parts: list[str]) -> str:
    """Source text as a browser lays it out: block boundaries are line breaks, source line breaks spaces.

    A line break in the source between two Chinese characters is no space
    (pages saved from Word wrap their source mid-sentence).

    >>> _join_blocks(["\\u00a0市人大代表\\n  履职经费", "\\n", "第二段"])
    '\\xa0市人大代表履职经费\\n第二段'
    """
    return "".join(part if part == "\n" else _CJK_BREAK.sub("", part).replace("\n", " ") for part in parts)


def _span(value: str) -> int:
    match = re.match(r"\s*(\d+)", value or "")
    return min(max(int(match.group(1)), 1), _MAX_SPAN) if match else 1


def _has_table(element: _Element) -> bool:
    return any(
        isinstance(child, _Element) and (child.tag == "table" or _has_table(child)) for child in element.children
    )


def _rows_of(table: _Element) -> list[_Element]:
    rows: list[_Element] = []
    for child in table.children:
        if isinstance(child, _Element):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("tbody", "thead", "tfoot"):
                rows.extend(_rows_of(child))
    return rows


def _table_grid(table: _Element) -> list[list[str]]:
    """The table's rows with spans expanded: text in the top-left cell, empty cells under and beside it."""
    grid: list[list[str]] = []
    covered: dict[tuple[int, int], bool] = {}
    for r, tr in enumerate(_rows_of(table)):
        row: list[str] = []
        c = 0
        for cell in (child for child in tr.children if isinstance(child, _Element) and child.tag in ("td", "th")):
            while covered.pop((r, c), False):
                row.append("")
                c += 1
            rowspan, colspan = _span(cell.attrs.get("rowspan", "")), _span(cell.attrs.get("colspan", ""))
            row.append(_cell_text(cell))
            row.extend([""] * (colspan - 1))
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    covered[(r + dr, c + dc)] = True
            c += colspan
        # Cells of rowspans from above that end this row's right side.
        while covered.pop((r, c), False):
            row.append("")
            c += 1
        grid.append(row)
    return grid


def _walk(element: _Element, blocks: list[tuple[str, object]], buffer: list[str]) -> None:
    """Paragraph texts and data tables of ``element`` in document order."""
    for child in element.children:
        if isinstance(child, str):
            buffer.append(child)
            continue
        if child.tag == "table":
            _flush(blocks, buffer)
            if _has_table(child):
                for tr in _rows_of(child):
                    for cell in tr.children:
                        if isinstance(cell, _Element):
                            _walk(cell, blocks, buffer)
                            _flush(blocks, buffer)
            else:
                blocks.append(("table", _table_grid(child)))
            continue
        block = child.tag in _BLOCK
        if block:
            buffer.append("\n")
        _walk(child, blocks, buffer)
        if block:
            buffer.append("\n")


def _flush(blocks: list[tuple[str, object]], buffer: list[str]) -> None:
    for line in _lines(_join_blocks(buffer)).split("\n"):
        if line:
            blocks.append(("text", line))
    buffer.clear()


def read_html(data: bytes) -> Grid:
    """A web page's text and tables as a :class:`~lib.ingest.grid.Grid`.

    Paragraph rows are numbered in reading order (``Place(None, None, k)``),
    table rows by table and row (``Place(None, t, r)``). A page without any
    table raises :class:`~lib.ingest.grid.Unreadable`: the targets are
    always a table, so such a page is a notice or a list of attachments.

    Examples
    --------
    >>> page = '<html><body><h1>2026年示例局部门预算绩效目标</h1><table><tr><td rowspan="2">绩效指标</td>'
    >>> page += '<td colspan="2">产出指标</td></tr><tr><td>数量指标</td><td>&nbsp;<p>64</p></td></tr></table>'
    >>> grid = read_html(page.encode())
    >>> [row.cells for row in grid.rows]
    [('2026年示例局部门预算绩效目标',), ('绩效指标', '产出指标'), ('', '数量指标', '64')]
    >>> grid.places[2]
    Place(part=None, table=1, row=2)
    """
    if is_mhtml(data):
        data = _mhtml_page(data)
    builder = _TreeBuilder()
    try:
        builder.feed(_decode(data))
        builder.close()
    except (AssertionError, ValueError) as exc:  # html.parser raises these on malformed declarations
        raise Unreadable("unreadable_html", f"网页无法解析（{exc}），未载入任何项目") from exc
    blocks: list[tuple[str, object]] = []
    buffer: list[str] = []
    _walk(builder.root, blocks, buffer)
    _flush(blocks, buffer)
    tables = [block for block in blocks if block[0] == "table" and any(any(row) for row in block[1])]
    if not tables:
        raise Unreadable(
            "no_table_html",
            "网页中没有表格：绩效目标表在网页上总是表格，这个网页可能只有正文或附件链接"
            "（请打开附件下载 PDF、Word 或 Excel 文件后再上传）；未载入任何项目",
        )
    rows: list[Row] = []
    places: list[Place] = []
    title = _lines(" ".join(builder.title).replace("\n", " "))
    first_table = next(index for index, block in enumerate(blocks) if block[0] == "table")
    names_document = any(_DOCUMENT_TITLE.search(str(text)) for kind, text in blocks[:first_table] if kind == "text")
    paragraph = 0
    if title and not names_document:
        paragraph += 1
        rows.append(Row(0, (title,)))
        places.append(Place(None, None, paragraph))
    table_number = 0
    for kind, content in blocks:
        if kind == "text":
            paragraph += 1
            rows.append(Row(0, (str(content),)))
            places.append(Place(None, None, paragraph))
            continue
        table_number += 1
        for index, cells in enumerate(content, start=1):  # type: ignore[arg-type]
            if any(cells):
                while cells and not cells[-1]:
                    cells = cells[:-1]
                rows.append(Row(0, tuple(cells)))
                places.append(Place(None, table_number, index))
    return Grid(form="html", rows=numbered(rows), places=places)
