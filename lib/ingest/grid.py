"""The grid every reader produces: rows of cells, each with the place it came from.

Readers differ in what they open (a text file, a workbook, a web page, a PDF,
a Word file) but all hand the parser the same thing: rows of stripped cell
texts in reading order, where a merged cell of the published table is its
text in the top-left cell and empty cells under and beside it (as in the text
documents of the genre). Each row keeps its :class:`Place` so that a
diagnostic or a field can name the page or sheet, the table and the row a
person has to look at.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lib.ingest.text import Row

#: The forms a reader exists for, as :attr:`Grid.form` names them.
FORMS: tuple[str, ...] = ("text", "xlsx", "xls", "ods", "html", "pdf", "docx")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a row sits in its file.

    ``part`` is the sheet (``"Sheet1"``) or page (``"第2页"``), None for a
    text file or the body of a web page or Word file; ``table`` the table's
    1-based number in the file (None outside tables and in text and Excel);
    ``row`` the 1-based row a person counts: the line of a text file, the
    Excel row number, the row inside a table, or the paragraph number.

    >>> Place("第2页", 1, 5).label, Place(None, 3, 2).label, Place(None, None, 7).label
    ('第2页表1', '表3', '')
    """

    part: str | None
    table: int | None
    row: int

    @property
    def label(self) -> str:
        """The part and table as a person names them (empty for a plain text line)."""
        return (self.part or "") + (f"表{self.table}" if self.table is not None else "")


@dataclass(frozen=True, slots=True)
class Note:
    """Something a reader noticed that the user should know (a hidden sheet, an encoding)."""

    severity: str  # one of lib.schema.SEVERITIES
    code: str
    message: str


@dataclass(frozen=True)
class Grid:
    """A file read into rows of cells: ``rows[i]`` came from ``places[i]``.

    Text outside the tables (a page's title, the paragraphs before and
    between the tables) is a one-cell row in reading order, with no table in
    its place: the parser takes the title and preamble from such rows, as it
    does in a text document. Rows are numbered 1..n (:func:`numbered`);
    ``places`` is None for a text file, whose row numbers are its lines.
    """

    form: str
    rows: list[Row]
    places: list[Place] | None
    notes: list[Note] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.places is not None and len(self.rows) != len(self.places):
            raise ValueError(f"{len(self.rows)} rows but {len(self.places)} places")

    def place(self, line: int) -> Place:
        """Where the row the parser numbered ``line`` sits in the file."""
        if self.places is None:
            return Place(None, None, line)
        return self.places[line - 1]


class Unreadable(Exception):
    """A file no reader can turn into a grid, with the reason a person can act on.

    ``code`` goes into the diagnostic's code column, ``message`` (Chinese,
    without the file name: the record's ``source`` holds it) says what the file is and
    what to do, e.g. ask for a .docx or a text PDF instead of a scan.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


#: Characters that fonts in Chinese PDFs and Word files map to look-alikes of
#: common ideographs: Kangxi radicals (⼈ U+2F08 for 人), CJK radical
#: supplements (⺠ U+2EA0 for 民) and compatibility ideographs.
_LOOKALIKES = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")
#: The radical supplements NFKC leaves alone, by the ideograph a reader sees
#: (Noto CJK prints 民 见 长 风 with these when a PDF is made).
_SUPPLEMENTS = str.maketrans(
    "⺠⻄⻅⻆⻈⻉⻋⻐⻓⻔⻘⻙⻚⻛⻜⻝⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⺯⺰",
    "民西见角讠贝车钅长门青韦页风飞食饣马骨鬼鱼鸟卤麦黄黾齐齿龙糸纟",
)


def unify(text: str) -> str:
    """Look-alike ideographs replaced by the ideographs they stand for.

    Kangxi radicals and compatibility ideographs by their NFKC form, radical
    supplements by :data:`_SUPPLEMENTS`. Only those: full-width punctuation
    (，（）％) is how the genre writes, so a full NFKC would change names
    that other documents spell the same way.

    >>> unify("⼈⺠代表（⼈）⻅")
    '人民代表（人）见'
    """
    if not _LOOKALIKES.search(text):
        return text
    text = text.translate(_SUPPLEMENTS)
    return _LOOKALIKES.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


class Cell(str):
    """A cell's text that remembers the row and column it was read from.

    Asked for provenance, the parser wraps every non-empty cell of a row once; the text then flows
    through the readers of every family as an ordinary string, and a field
    set from it knows its cells (:func:`positions`). A value joined from
    several cells (an operator, a number and a unit) keeps all their places
    (:meth:`joined`).

    >>> cell = Cell("≥95%", 12, 4)
    >>> cell == "≥95%", positions(cell), positions("≥95%")
    (True, [(12, 4)], [])
    """

    __slots__ = ("line", "column", "others")

    def __new__(cls, text: str, line: int, column: int, others: tuple[tuple[int, int], ...] = ()) -> "Cell":
        cell = str.__new__(cls, text)
        cell.line = line
        cell.column = column
        cell.others = others
        return cell

    @classmethod
    def joined(cls, text: str, parts: list[str]) -> str:
        """``text`` made from ``parts``, with every part's place (the first one's first).

        >>> positions(Cell.joined("≥300人", [Cell("≥", 5, 4), Cell("300", 5, 5), Cell("人", 5, 6)]))
        [(5, 4), (5, 5), (5, 6)]
        """
        places = [place for part in parts for place in positions(part)]
        if not places:
            return text
        (line, column), *others = places
        return cls(text, line, column, tuple(others))


def positions(text: object) -> list[tuple[int, int]]:
    """The (row, 0-based column) cells a text was read from; none for text the parser made."""
    if not isinstance(text, Cell):
        return []
    return [(text.line, text.column), *text.others]


def numbered(rows: list[Row]) -> list[Row]:
    """The rows renumbered 1..n, as the parser sees a grid (places keep the real position).

    >>> numbered([Row(5, ("a",)), Row(9, ("b",))])
    [Row(line=1, cells=('a',)), Row(line=2, cells=('b',))]
    """
    return [Row(index, row.cells) for index, row in enumerate(rows, start=1)]
