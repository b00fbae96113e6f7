"""Value columns of an indicator table: which column holds which value, however the header is drawn.

A header names its value columns (实施周期指标值, 年度指标值, 指标性质, 度量单位,
权重 …); a merged header cell over several columns (指标值 above 指标性质 /
指标值 / 度量单位) is either refined by a second header row or, without one,
leaves the operator, the number and the unit in separate cells under one
name. Every family reads its values through :class:`ValueColumns`, so a
split value is joined the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lib.ingest import families
from lib.ingest.grid import Cell


@dataclass
class ValueColumns:
    """The value slots of a header, each with its column and the columns its cell spans.

    ``slots`` is ``(slot, column)`` in column order; ``spans`` maps a slot's
    column to the end (exclusive) of the empty header cells right of it, only
    where that is more than the column itself.
    """

    slots: list[tuple[str, int]]
    spans: dict[int, int] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """The slots, in column order."""
        return [slot for slot, _ in self.slots]

    def refine(self, sub: list[tuple[int, str]]) -> None:
        """Take the second row of a two-row header: its cells name the columns under a merged cell.

        >>> columns = ValueColumns([("annual", 3), ("weight", 6)], {3: 6})
        >>> columns.refine([(3, "指标性质"), (4, "指标值"), (5, "度量单位")])
        >>> columns.slots, columns.spans
        ([('op', 3), ('annual', 4), ('unit', 5), ('weight', 6)], {})
        """
        by_col = dict((col, slot) for slot, col in self.slots)
        for col, text in sub:
            slot = families.column_slot(families.key(text))
            if slot is not None:
                by_col[col] = slot
        self.slots = sorted(((slot, col) for col, slot in by_col.items()), key=lambda pair: pair[1])
        self.spans = {}

    def join_split(self, row_cells: tuple[str, ...], offset: int) -> tuple[str, ...]:
        """The row with each operator / number / unit under one merged header cell joined into one cell.

        Cells are joined only when they are exactly an operator, a number and
        a unit (any of them may be missing but the number); other text under
        a merged cell is left where it is, for the caller to report.

        >>> ValueColumns([("annual", 1)], {1: 4}).join_split(("培训人数", "≥", "300", "人"), 0)
        ('培训人数', '≥300人', '', '')
        """
        if not self.spans:
            return row_cells
        cells = list(row_cells)
        for start, end in self.spans.items():
            start, end = start + offset, min(end + offset, len(cells))
            if start < 0 or start >= len(cells):
                continue
            texts = [(col, cells[col]) for col in range(start, end) if cells[col]]
            if len(texts) < 2:
                continue
            joined = families.join_split_value([text for _, text in texts])
            if joined is None or joined[1] != len(texts):
                continue
            for col, _ in texts:
                cells[col] = ""
            cells[start] = Cell.joined(joined[0], [text for _, text in texts])
        return tuple(cells)


#: Cells a value split into operator, number and unit takes.
_SPLIT_CELLS = 3


def from_header(cells: list[tuple[int, str]], *, after: int, width: int) -> tuple[ValueColumns, list[tuple[int, str]]]:
    """Value columns of a header row: every named cell right of column ``after``.

    Returns the columns and the header cells that name no known column
    (their rows' text goes to a note, so nothing is lost).

    >>> columns, unknown = from_header([(3, "指标值"), (6, "权重")], after=2, width=8)
    >>> columns.slots, columns.spans, unknown
    ([('annual', 3), ('weight', 6)], {3: 6, 6: 8}, [])
    """
    slots: list[tuple[str, int]] = []
    unknown: list[tuple[int, str]] = []
    for col, text in cells:
        if col <= after:
            continue
        slot = families.column_slot(families.key(text))
        if slot is None:
            slot = "note"
            unknown.append((col, text))
        slots.append((slot, col))
    spans: dict[int, int] = {}
    # A single value column last in the header may be merged over the operator,
    # number and unit even where the header row ends with it: web pages, Word
    # and Excel files keep no empty cells after a row's last text. Beside a
    # period column, values are one a cell (a stray cell after them is no unit).
    single_value = not any(slot == "period" for slot, _ in slots)
    for index, (slot, col) in enumerate(slots):
        end = slots[index + 1][1] if index + 1 < len(slots) else width
        if index + 1 == len(slots) and single_value and slot == "annual":
            end = max(end, col + _SPLIT_CELLS)
        if end > col + 1:
            spans[col] = end
    return ValueColumns(slots, spans), unknown
