"""Tables that fit no family: every row kept in a diagnostic, nothing read into a field.

A header that names indicators but matches no known layout says a table is
there; guessing its columns would put text into the wrong fields, so its
rows are reported, each naming the file, the table and the row, with all of
its cells.
"""

from __future__ import annotations

import enum

from lib.ingest import families


class UnknownState(enum.Enum):
    """The reader keeps every row until the table ends; it has one state."""

    KEEPING = "keeping"


class UnknownReader:
    """Keep the rows of an unrecognised table in diagnostics.

    Parameters
    ----------
    sink
        The parser, for diagnostics.
    line, cells
        The header row: its line and its non-empty ``(column, text)`` cells.
    table
        The table's 1-based number in the document.
    """

    family = families.Family.UNKNOWN

    def __init__(self, sink: families.Sink, line: int, cells: list[tuple[int, str]], table: int) -> None:
        self.sink = sink
        self.table = table
        self.state = UnknownState.KEEPING
        header = " | ".join(text for _, text in cells)
        sink.diag(
            line,
            "warning",
            "unknown_table",
            f"第 {table} 个表格（表头：{header}）不属于已知的绩效目标表格式，未读取为指标；各行内容保留在诊断中",
        )

    def refine(self, line: int, sub: list[tuple[int, str]]) -> None:
        """A second header row of an unknown table is one more kept row."""
        self.sink.diag(
            line, "warning", "unknown_table_row", f"第 {self.table} 个表格的表头续行：{' | '.join(t for _, t in sub)}"
        )

    def feed(self, line: int, row_cells: tuple[str, ...]) -> None:
        """Keep one row, with every non-empty cell."""
        text = " | ".join(cell for cell in row_cells if cell)
        self.sink.diag(line, "warning", "unknown_table_row", f"第 {self.table} 个表格第 {line} 行（未读取）：{text}")
