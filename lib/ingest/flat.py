"""Flat tables: one row per indicator, with the project's fields in the first columns.

The first columns repeat (or leave blank under a project's first row) the
unit, the project name, the budget and the goal; then come 一级/二级/三级 and
the value columns. A department subtotal row (code, name, total, no
indicator) can precede the projects. A new project starts where the name
column holds a name different from the project being read.
"""

from __future__ import annotations

import enum

from lib.ingest import columns as value_columns
from lib.ingest import families


class FlatState(enum.Enum):
    """Where the reader is: before the first project row, or inside a project."""

    BEFORE_PROJECT = "before_project"
    IN_PROJECT = "in_project"


class FlatReader:
    """Read the rows under a flat table's header into projects and indicators.

    Parameters
    ----------
    sink
        The parser: projects, indicators, categories and diagnostics go through it.
    line, cells, width
        The header row: its line, its non-empty ``(column, text)`` cells and its width.
    """

    family = families.Family.FLAT

    def __init__(self, sink: families.Sink, line: int, cells: list[tuple[int, str]], width: int) -> None:
        self.sink = sink
        self.state = FlatState.BEFORE_PROJECT
        self.project_cols: list[tuple[int, str, str]] = []
        self.levels: dict[str, int] = {}
        for col, text in cells:
            label = families.level_label(families.key(text))
            if label is not None and label not in self.levels:
                self.levels[label] = col
        first_level = min(self.levels.values())
        for col, text in cells:
            if col < first_level:
                name = families.flat_field(families.key(text)) or "other"
                self.project_cols.append((col, name, text))
        for col, text in cells:
            between_levels = first_level < col < max(self.levels.values()) and col not in self.levels.values()
            if between_levels or (col < first_level and families.flat_field(families.key(text)) is None):
                sink.diag(line, "info", "unknown_column", f"表头中的「{text}」不是已知的列名，已忽略")
        self.wan = any(name == "budget" and "万元" in text for _, name, text in self.project_cols)
        self.columns, unknown = value_columns.from_header(cells, after=max(self.levels.values()), width=width)
        for _, text in unknown:
            sink.diag(line, "info", "unknown_column", f"表头列「{text}」不在已知列中，其内容记入诊断")
        self.project_name: str | None = None
        self.seen: dict[str, str] = {}
        self.context: tuple[str, str, str | None, str | None] | None = None

    def refine(self, line: int, sub: list[tuple[int, str]]) -> None:
        """Take the second row of a two-row header."""
        self.columns.refine(sub)

    def feed(self, line: int, row_cells: tuple[str, ...]) -> None:
        """Read one row of the table."""
        first_level = min(self.levels.values())
        row_cells = self.columns.join_split(row_cells, 0)
        fields: dict[str, str] = {}
        for col, name, _ in self.project_cols:
            text = row_cells[col] if col < len(row_cells) else ""
            if not text:
                continue
            if name not in fields:
                fields[name] = text
            elif fields[name] != text:
                # Two columns of the header name the same field: the first is read, the other kept here.
                self.sink.diag(
                    line, "warning", "extra_cell", f"第 {col + 1} 列与前面的列同名，其内容「{text}」未能归入字段"
                )
        indicator_cells = [text for text in row_cells[first_level:] if text]
        if not indicator_cells:
            self._row_without_indicator(line, row_cells, fields)
            return
        name = fields.get("name")
        if self.state is FlatState.BEFORE_PROJECT or (name is not None and name != self.project_name):
            self._start(line, fields)
        else:
            self._repeated(line, fields)
        self._indicator(line, row_cells)

    def _row_without_indicator(self, line: int, row_cells: tuple[str, ...], fields: dict[str, str]) -> None:
        text = " | ".join(cell for cell in row_cells if cell)
        if "budget" in fields and "name" not in fields:
            self.sink.diag(line, "info", "department_subtotal", f"部门合计行（不是项目）：{text}")
        else:
            self.sink.diag(line, "warning", "unrecognised_row", f"未识别的行，内容保留于此：{text}")

    def _start(self, line: int, fields: dict[str, str]) -> None:
        self.sink.start_project(line, family=self.family)
        self.state = FlatState.IN_PROJECT
        self.project_name = fields.get("name")
        self.seen = dict(fields)
        self.context = None
        for name, text in fields.items():
            if name == "other" or name == "code":
                self.sink.diag(line, "info", "extra_cells", f"项目行的「{text}」不是项目字段，保留于此")
            else:
                self.sink.project_field(line, name, text, wan=self.wan)

    def _repeated(self, line: int, fields: dict[str, str]) -> None:
        for name, text in fields.items():
            if self.seen.get(name) == text:
                continue
            if name not in self.seen and name not in ("other", "code"):
                self.seen[name] = text
                self.sink.project_field(line, name, text, wan=self.wan)
            else:
                self.sink.diag(
                    line, "info", "extra_cells", f"项目「{self.project_name}」的行中另有「{text}」，保留第一次的值"
                )

    def _indicator(self, line: int, row_cells: tuple[str, ...]) -> None:
        def at(label: str) -> str:
            col = self.levels.get(label)
            return row_cells[col] if col is not None and col < len(row_cells) else ""

        context = self.sink.resolve_levels(line, at("level1"), at("level2"), self.context)
        self.context = context
        values: dict[str, str] = {}
        used = set(self.levels.values()) | {col for col, _, _ in self.project_cols}
        for slot, col in self.columns.slots:
            if col < len(row_cells) and row_cells[col] and slot not in values:
                values[slot] = row_cells[col]
                used.add(col)
        for col, text in enumerate(row_cells):
            if text and col not in used:
                self.sink.diag(
                    line, "warning", "extra_cell", f"指标行第 {col + 1} 列多出单元格「{text}」，未能归入字段"
                )
        self.sink.add_indicator(line, context, at("name") or None, values, paired=False)
