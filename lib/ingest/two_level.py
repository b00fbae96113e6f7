"""Two-level tables: 指标类型 (or 一级指标) and 指标名称, with no 二级 column.

The header names a type column, a name column, often a description column
(指标解释, 指标说明, 评(计)分标准) and the value columns (指标值, 目标值,
分值). The type cell is merged over the rows of its type, so an empty one
inherits the type above. The table gives no level 2: it is never guessed
from the indicator's name. A level 1 with a default level 2 (满意度 →
服务对象满意度指标, 成本 → 经济成本指标) takes it, any other is filed under
未分类, and an info diagnostic says the table has no level 2. A type cell
that names a level 2 (数量指标) is read as that level 2 under its parent.
"""

from __future__ import annotations

import enum

from lib import taxonomy
from lib.ingest import columns as value_columns
from lib.ingest import families

_Levels = tuple[str, str, str | None, str | None]


class TwoLevelState(enum.Enum):
    """Whether a type cell has been read yet: rows before it have no level 1 to inherit."""

    BEFORE_TYPE = "before_type"
    IN_TYPE = "in_type"


class TwoLevelReader:
    """Read the rows under a two-level header into indicators of the current project.

    Parameters
    ----------
    sink
        The parser: indicators and diagnostics go through it.
    line, cells, width
        The header row: its line, its non-empty ``(column, text)`` cells and its width.
    """

    family = families.Family.TWO_LEVEL

    def __init__(self, sink: families.Sink, line: int, cells: list[tuple[int, str]], width: int) -> None:
        self.sink = sink
        self.state = TwoLevelState.BEFORE_TYPE
        self.type_col: int | None = None
        self.name_col = -1
        self.lead_cols: set[int] = set()
        for col, text in cells:
            cell_key = families.key(text)
            label = families.level_label(cell_key)
            if col == cells[0][0] and cell_key in families.LEAD_LABELS:
                self.lead_cols.add(col)
            elif (label == "level1" or cell_key in families.TYPE_LABELS) and self.type_col is None:
                self.type_col = col
            elif label == "name" and self.name_col < 0:
                self.name_col = col
        for col, text in cells:
            if col < self.name_col and col != self.type_col and col not in self.lead_cols:
                sink.diag(line, "info", "unknown_column", f"表头中的「{text}」不是已知的列名，已忽略")
        self.columns, unknown = value_columns.from_header(cells, after=self.name_col, width=width)
        for _, text in unknown:
            sink.diag(line, "info", "unknown_column", f"表头列「{text}」不在已知列中，其内容记入诊断")
        self.context: _Levels | None = None

    def refine(self, line: int, sub: list[tuple[int, str]]) -> None:
        """Take the second row of a two-row header."""
        self.columns.refine(sub)

    def feed(self, line: int, row_cells: tuple[str, ...]) -> None:
        """Read one row: its type (or the type above), its name and its values."""
        row_cells = self.columns.join_split(row_cells, 0)

        def at(col: int | None) -> str:
            return row_cells[col] if col is not None and 0 <= col < len(row_cells) else ""

        type_text = at(self.type_col)
        name = at(self.name_col)
        values: dict[str, str] = {}
        # The lead column repeats its label (绩效指标); anything else written there is kept as an extra cell.
        lead = {col for col in self.lead_cols if families.key(at(col)) in families.LEAD_LABELS}
        used = {self.type_col, self.name_col, *lead}
        for slot, col in self.columns.slots:
            if at(col) and slot not in values:
                values[slot] = at(col)
                used.add(col)
        for col, text in enumerate(row_cells):
            if text and col not in used:
                self.sink.diag(
                    line, "warning", "extra_cell", f"指标行第 {col + 1} 列多出单元格「{text}」，未能归入字段"
                )
        if type_text:
            self._type(line, type_text)
        if not (name or values):
            return
        if self.context is None:
            self.sink.diag(line, "warning", "unclassified", "指标行之前没有指标类型，记为「未分类」")
            self.context = ("未分类", "未分类", None, None)
        self.sink.add_indicator(line, self.context, name or None, values, paired=False)

    def _type(self, line: int, text: str) -> None:
        inherited = self.context[0] if self.context is not None else None
        level1 = taxonomy.level1_of(text)
        level2 = taxonomy.level2_of(text, level1=inherited) if level1 is None else None
        if level2 is not None:
            self.context = (taxonomy.parent(level2), level2, None, text)
        elif level1 is not None:
            default = taxonomy.default_level2(level1)
            self.context = (level1, default or "未分类", text, None)
            filed = f"按分类记为「{default}」" if default else "二级记为「未分类」"
            self.sink.diag(line, "info", "no_level2", f"表格只有指标类型一列，没有二级指标：「{text}」下的指标{filed}")
        else:
            self.sink.diag(line, "warning", "unknown_level1", f"指标类型「{text}」不是已知分类，按上一行的分类读取")
            return
        self.state = TwoLevelState.IN_TYPE
