"""Read a Word file (.docx) into the grid of cell rows.

Departments publish the target tables as Word files too: a title and a
preamble as paragraphs, then one table per project whose category cells are
merged down (``w:vMerge``) and whose values are merged across
(``w:gridSpan``). This reader opens the package's main part itself (no
images or other parts are loaded, and a part too large to parse is refused
before it is unpacked) and walks the body in document order:

- a paragraph is a one-cell row; a TAB inside it separates cells, as in a
  text document pasted into Word, and a manual line break starts a new row;
- a table holding no other table is a data table: each ``w:tr`` a row, each
  ``w:tc`` its text once, in the top-left cell of the range it covers, with
  empty cells for the rest of its span and for the ``vMerge`` continuations
  under it (as in the text documents, so that a row inherits the 一级/二级
  of the rows above it);
- a table holding tables is layout: its cells are read as paragraphs and
  the tables inside them as tables (as :mod:`lib.ingest.html` does).

Old binary Word files (.doc, and WPS's .wps, which builds on the .doc
format) are not read: :func:`is_old_word` recognises them so that the caller
can refuse them with :data:`OLD_WORD_MESSAGE`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from posixpath import normpath

from lxml import etree

from lib.ingest import ole
from lib.ingest.grid import Grid, Note, Place, Unreadable, numbered
from lib.ingest.text import PADDING, Row

#: What the caller tells a person who uploads a .doc or .wps file.
OLD_WORD_MESSAGE = (
    "这是旧版 Word 文档（.doc）或 WPS 文档（.wps），无法直接读取：请在 Word 或 WPS 中另存为 .docx，"
    "或导出为 PDF 后再上传；未载入任何项目"
)

#: Largest main part parsed: the XML tree takes several times its size in memory,
#: and a small .docx can unpack to gigabytes.
_MAX_PART_BYTES = 64 * 1024 * 1024
#: Word tables have at most 63 columns; a larger gridSpan is damage, not a table.
_MAX_SPAN = 63

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DEFAULT_MAIN_PART = "word/document.xml"

#: Entities never resolved, nothing fetched: the XML comes from an upload.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)

#: Stream names of a binary Word document; Kingsoft WPS writes the same stream.
_WORD_STREAMS = frozenset({"worddocument"})


def is_docx(data: bytes) -> bool:
    """True for the bytes of a Word package (.docx, .docm, .dotx): a ZIP holding ``word/document.xml``.

    Examples
    --------
    >>> is_docx(b"PK\\x03\\x04 not really a zip"), is_docx(b"\\xd0\\xcf\\x11\\xe0")
    (False, False)
    """
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _DEFAULT_MAIN_PART in archive.namelist():
                return True
            # A package whose main part has another name still declares its type.
            return b"wordprocessingml.document.main" in _small_part(archive, "[Content_Types].xml")
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        return False


def is_old_word(data: bytes) -> bool:
    """True for a binary Word (.doc) or WPS (.wps) document: an OLE2 file with a ``WordDocument`` stream.

    The OLE2 container is shared with old Excel (.xls, streams ``Workbook``
    or ``Book``) and PowerPoint files, so the names in its directory decide,
    not the first bytes. Every entry of the directory counts, whatever its
    depth, not only the streams under the root, so a file holding an
    embedded Word document gives True too. A damaged directory gives False.

    Examples
    --------
    >>> is_old_word(b"PK\\x03\\x04"), is_old_word(b"\\xd0\\xcf\\x11\\xe0\\xa1\\xb1\\x1a\\xe1" + bytes(504))
    (False, False)
    """
    return any(name.lower() in _WORD_STREAMS for name in ole.entry_names(data))


def read_docx(data: bytes) -> Grid:
    """A Word file's paragraphs and tables as a :class:`~lib.ingest.grid.Grid`.

    Paragraph rows are placed by their number among the paragraphs that hold
    text (``Place(None, None, k)``), table rows by table and row
    (``Place(None, t, r)``, both 1-based, ``r`` counting every ``w:tr``).
    Empty paragraphs and empty table rows are left out. A merged cell's text
    is in its top-left cell only: two neighbouring cells that hold the same
    text stay two cells.

    Parameters
    ----------
    data
        The bytes of a .docx (or .docm/.dotx) file.

    Raises
    ------
    Unreadable
        ``unreadable_docx`` for a damaged or foreign package,
        ``docx_too_large`` when the main part would unpack beyond what can be
        parsed. Nothing else escapes.

    Examples
    --------
    >>> import io, docx
    >>> document = docx.Document()
    >>> _ = document.add_paragraph("2026年示例局部门预算绩效目标")
    >>> table = document.add_table(rows=2, cols=3)
    >>> table.cell(0, 0).text, table.cell(0, 1).text = "绩效指标", "产出指标"
    >>> _ = table.cell(0, 0).merge(table.cell(1, 0)), table.cell(0, 1).merge(table.cell(0, 2))
    >>> table.cell(1, 1).text, table.cell(1, 2).text = "数量指标", "64"
    >>> buffer = io.BytesIO()
    >>> document.save(buffer)
    >>> grid = read_docx(buffer.getvalue())
    >>> [row.cells for row in grid.rows]
    [('2026年示例局部门预算绩效目标',), ('绩效指标', '产出指标'), ('', '数量指标', '64')]
    >>> grid.places[2]
    Place(part=None, table=1, row=2)
    """
    body, ns = _open_body(data)
    reader = _Reader(ns)
    reader.blocks(body)
    return Grid(form="docx", rows=numbered(reader.rows), places=reader.places, notes=_notes(reader))


def _notes(reader: _Reader) -> list[Note]:
    """What the user should know about a file that was read: what was read differently or not at all."""
    notes = []
    if reader.nested:
        notes.append(
            Note(
                "info",
                "nested_table_docx",
                f"Word 文档中有 {reader.nested} 个表格内嵌了表格：外层表格按排版框读取（其中的文字按段落），"
                "内嵌的表格逐个按表读取",
            )
        )
    if reader.text_boxes:
        notes.append(
            Note(
                "warning",
                "text_box_docx",
                f"Word 文档中有 {reader.text_boxes} 个文本框，其中的文字未读取；"
                "如果绩效目标表在文本框里，请把它移到正文后另存再上传",
            )
        )
    if not reader.tables and all(len(row.cells) == 1 for row in reader.rows):
        notes.append(
            Note(
                "warning",
                "no_table_docx",
                "Word 文档中没有表格：绩效目标表通常是表格，这个文档可能只有正文（已按段落读取）",
            )
        )
    return notes


# -- the package -----------------------------------------------------------


def _unreadable(detail: str) -> Unreadable:
    return Unreadable("unreadable_docx", f"Word 文档已损坏或不是 .docx 文件，无法读取（{detail}）；未载入任何项目")


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part that is small in any real package (relationships, content types), else b""."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return b""
    return archive.read(info) if info.file_size <= 1024 * 1024 else b""


def _main_part_name(archive: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships (``word/document.xml`` by default)."""
    rels = _small_part(archive, "_rels/.rels")
    try:
        root = etree.fromstring(rels, _PARSER) if rels else None
    except etree.XMLSyntaxError:
        root = None  # Word's own part name still finds the text of a package with broken relationships
    if root is not None:
        for rel in root.iter(f"{{{_REL}}}Relationship", "Relationship"):
            if rel.get("Type", "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
                target = normpath(rel.get("Target", "").lstrip("/"))
                if target in archive.namelist():
                    return target
    return _DEFAULT_MAIN_PART


def _open_body(data: bytes) -> tuple[etree._Element, str]:
    """The ``w:body`` element of the main part and the WordprocessingML namespace it uses."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            name = _main_part_name(archive)
            try:
                info = archive.getinfo(name)
            except KeyError:
                raise _unreadable("压缩包里没有 Word 正文 word/document.xml") from None
            if info.file_size > _MAX_PART_BYTES:
                raise Unreadable(
                    "docx_too_large",
                    f"Word 文档正文解压后有 {info.file_size / 1024 / 1024:.0f} MB，"
                    f"超过上限 {_MAX_PART_BYTES // 1024 // 1024} MB；请拆分文档或导出为 PDF 后再上传，未载入任何项目",
                )
            # zipfile reads no more than the declared size, so the check above bounds the read.
            xml = archive.read(info)
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise _unreadable(f"正文 XML 有误：{exc}") from exc
    except RuntimeError as exc:  # zipfile: an entry encrypted with a ZIP password
        raise _unreadable(f"压缩包加了密码：{exc}") from exc
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise _unreadable(str(exc) or type(exc).__name__) from exc
    ns = etree.QName(root).namespace
    if ns not in (_W, _W_STRICT) or etree.QName(root).localname != "document":
        raise _unreadable(f"正文不是 Word 文档（根元素 {root.tag}）")
    body = root.find(f"{{{ns}}}body")
    if body is None:
        raise _unreadable("正文没有 w:body")
    return body, ns


# -- the body --------------------------------------------------------------


class _Reader:
    """Rows and places of a body, collected in document order."""

    def __init__(self, ns: str) -> None:
        self.w = ns
        self.rows: list[Row] = []
        self.places: list[Place] = []
        self.paragraphs = 0
        self.tables = 0
        self.nested = 0
        self.text_boxes = 0
        # Wrappers that hold block content without being content themselves.
        self._wrappers = {self._q("sdt"), self._q("sdtContent"), self._q("customXml")}
        # Subtrees whose text is not the paragraph's: deleted or moved-away
        # revisions, embedded objects, field codes, properties.
        self._skipped = {self._q(tag) for tag in ("del", "moveFrom", "object", "instrText", "pPr", "rPr", "sdtPr")}
        # Drawings hold text boxes, counted for a note but not read: a box floats
        # outside the reading order, and mc:AlternateContent repeats it in its fallback.
        self._drawings = {self._q("drawing"), self._q("pict"), f"{{{_MC}}}AlternateContent"}
        self._breaks = {self._q("br"), self._q("cr")}
        self._tabs = {self._q("tab"), self._q("ptab")}

    def _q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    def _children(self, element: etree._Element, *tags: str) -> Iterator[etree._Element]:
        """Children of ``element`` with one of ``tags``, looking through content controls."""
        wanted = {self._q(tag) for tag in tags}
        for child in element:
            if child.tag in wanted:
                yield child
            elif child.tag in self._wrappers:
                yield from self._children(child, *tags)

    def blocks(self, container: etree._Element) -> None:
        """Read the paragraphs and tables of a body or layout cell, in order."""
        for child in self._children(container, "p", "tbl"):
            if child.tag == self._q("p"):
                self._paragraph(child)
            elif self._holds_table(child):
                self.nested += 1
                self._layout(child)
            else:
                self._table(child)

    def _paragraph(self, p: etree._Element) -> None:
        lines = [line.strip(PADDING) for line in self._text(p).split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            return
        self.paragraphs += 1
        for line in lines:
            cells = [cell.strip(PADDING) for cell in line.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            self.rows.append(Row(0, tuple(cells)))
            self.places.append(Place(None, None, self.paragraphs))

    def _holds_table(self, tbl: etree._Element) -> bool:
        return any(True for _ in tbl.iterdescendants(self._q("tbl")))

    def _layout(self, tbl: etree._Element) -> None:
        for tr in self._children(tbl, "tr"):
            for tc in self._children(tr, "tc"):
                if not self._covered(tc):
                    self.blocks(tc)

    def _table(self, tbl: etree._Element) -> None:
        self.tables += 1
        for number, tr in enumerate(self._children(tbl, "tr"), start=1):
            cells = [""] * self._columns(tr.find(f"{self._q('trPr')}/{self._q('gridBefore')}"), least=0)
            for tc in self._children(tr, "tc"):
                span = self._columns(tc.find(f"{self._q('tcPr')}/{self._q('gridSpan')}"), least=1)
                # One w:tc is one cell however many grid columns and rows it covers:
                # its text goes in the first, and a vMerge continuation holds none.
                cells.append("" if self._covered(tc) else self._cell_text(tc))
                cells.extend([""] * (span - 1))
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                self.rows.append(Row(0, tuple(cells)))
                self.places.append(Place(None, self.tables, number))

    def _covered(self, tc: etree._Element) -> bool:
        """A cell under a vertical merge (or right of a legacy horizontal one): its text is above or left."""
        tc_pr = tc.find(self._q("tcPr"))
        if tc_pr is None:
            return False
        for tag in ("vMerge", "hMerge"):
            merge = tc_pr.find(self._q(tag))
            # A vMerge without w:val continues the merge above (ST_Merge's default).
            if merge is not None and merge.get(self._q("val"), "continue") == "continue":
                return True
        return False

    def _columns(self, element: etree._Element | None, *, least: int) -> int:
        """A count of grid columns (gridSpan, gridBefore): ``least`` when absent or unreadable."""
        if element is None:
            return least
        try:
            value = int(element.get(self._q("val"), least))
        except ValueError:
            return least
        return min(max(value, least), _MAX_SPAN)

    def _cell_text(self, tc: etree._Element) -> str:
        lines: list[str] = []
        for p in self._children(tc, "p"):
            # A TAB inside a cell aligns text; only a paragraph's TAB separates cells.
            for line in self._text(p).replace("\t", " ").split("\n"):
                line = line.strip(PADDING)
                if line:
                    lines.append(line)
        return "\n".join(lines)

    def _text(self, element: etree._Element) -> str:
        parts: list[str] = []
        self._collect(element, parts)
        return "".join(parts)

    def _collect(self, element: etree._Element, parts: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag in self._drawings:
                self.text_boxes += self._boxes_with_text(child)
            elif not isinstance(tag, str) or tag in self._skipped:
                continue  # comments and processing instructions have no string tag
            elif tag == self._q("t"):
                parts.append(child.text or "")
            elif tag in self._tabs:
                parts.append("\t")
            elif tag in self._breaks:
                parts.append("\n")
            elif tag == self._q("noBreakHyphen"):
                parts.append("-")
            else:
                self._collect(child, parts)

    def _boxes_with_text(self, element: etree._Element) -> int:
        boxes = [box for box in element.iter(self._q("txbxContent")) if any(t.text for t in box.iter(self._q("t")))]
        # mc:AlternateContent holds the same text box twice (the choice and its fallback).
        return min(len(boxes), 1) if element.tag == f"{{{_MC}}}AlternateContent" else len(boxes)
