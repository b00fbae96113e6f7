"""Two horizons side by side: a 长期 (or 中期) block and a 年度 block on every row.

The header repeats 二级/三级/指标值 once per horizon (二级指标(长期) 三级指标(长期)
指标值(长期) | 二级指标(年度) 三级指标(年度) 指标值(年度)), one 一级 column may
be shared. Each half of a row is read on its own, with its own merged-cell
context. When both halves name the same indicator, it is one indicator with
a period and an annual value; otherwise each half is its own indicator, the
long-term one with only a period value, the annual one with only an annual
value. Either half may be empty.

A row of group labels can stand above the header (长期绩效指标 | 年度绩效指标
over 一级/二级/三级/指标值 twice, or 中期/年度): it tags each half with its
horizon. Labels 预期产出指标 | 效果指标 instead say which level 1 each block
holds; both blocks are this year's targets, so each half is its own
indicator with an annual value.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from lib.ingest import families
from lib.ingest.grid import Cell


class Horizon(enum.Enum):
    """Which value a half of the table holds."""

    PERIOD = "period"
    ANNUAL = "annual"


@dataclass
class _Half:
    """One block of the header: its level and value columns and its horizon."""

    levels: dict[str, int] = field(default_factory=dict)
    values: list[tuple[str, int]] = field(default_factory=list)
    horizon: Horizon | None = None
    #: The level 1 a block holds when a group label names it (预期产出指标, 效果指标).
    level1: str | None = None
    context: tuple[str, str, str | None, str | None] | None = None
    #: A shared 一级 cell met on a row where this half was empty: its next rows are under it.
    pending_level1: str = ""


class HorizonsReader:
    """Read the rows under a two-horizon header into indicators of the current project.

    Parameters
    ----------
    sink
        The parser: categories, indicators and diagnostics go through it.
    line, cells
        The header row: its line and its non-empty ``(column, text)`` cells.
    """

    family = families.Family.HORIZONS

    def __init__(
        self,
        sink: families.Sink,
        line: int,
        cells: list[tuple[int, str]],
        *,
        groups: list[tuple[int, str, str]] | None = None,
    ) -> None:
        self.sink = sink
        self.shared_level1: int | None = None
        self.halves: list[_Half] = []
        for col, text in cells:
            cell_key = families.key(text)
            if cell_key in families.LEAD_LABELS:
                continue
            label = families.level_label(cell_key)
            horizon = families.horizon_of(cell_key)
            if label == "level1" and not self.halves:
                self.shared_level1 = col
                continue
            if label == "level1" and self.shared_level1 is not None and len(self.halves) == 1:
                # A 一级 column in each block: the first was the first block's, not shared.
                self.halves[0].levels["level1"] = self.shared_level1
                self.shared_level1 = None
            if label is not None:
                if not self.halves or label in self.halves[-1].levels or label == "level1":
                    self.halves.append(_Half())
                self.halves[-1].levels[label] = col
            else:
                slot = families.column_slot(cell_key)
                if not self.halves or slot is None:
                    sink.diag(line, "info", "unknown_column", f"表头列「{text}」不在已知列中，其内容记入诊断")
                    continue
                field = "value" if slot in ("period", "annual") else slot
                if any(taken == field for taken, _ in self.halves[-1].values):
                    # A second column for one field of one block: read, it would overwrite the first.
                    sink.diag(line, "info", "duplicate_column", f"表头列「{text}」重复，其内容记入诊断")
                    continue
                self.halves[-1].values.append((field, col))
            if horizon is not None and self.halves and self.halves[-1].horizon is None:
                self.halves[-1].horizon = Horizon(horizon)
        if groups:
            self._tag(groups)
        untagged = [half for half in self.halves if half.horizon is None]
        if untagged:
            for index, half in enumerate(self.halves):
                half.horizon = half.horizon or (Horizon.PERIOD if index == 0 else Horizon.ANNUAL)
            sink.diag(
                line,
                "info",
                "horizon_by_order",
                "表头未写明长期/年度：左侧按实施周期（长期）指标读取，右侧按年度指标读取",
            )

    def _tag(self, groups: list[tuple[int, str, str]]) -> None:
        # Each half takes the label standing at or left of its first column.
        for half in self.halves:
            start = min([*half.levels.values(), *(col for _, col in half.values)], default=0)
            _, tag, text = ([group for group in groups if group[0] <= start] or groups[:1])[-1]
            if tag in ("period", "annual"):
                half.horizon = Horizon(tag)
            else:
                # The block's label, as written, is the level 1 of its rows.
                half.level1, half.horizon = text, Horizon.ANNUAL

    def refine(self, line: int, sub: list[tuple[int, str]]) -> None:
        """A second header row is not expected here; its cells are kept in a diagnostic."""
        self.sink.diag(line, "info", "extra_cells", f"表头第二行：{' | '.join(text for _, text in sub)}")

    def feed(self, line: int, row_cells: tuple[str, ...]) -> None:
        """Read one row: each half on its own, the two merged when they name the same indicator."""

        def at(col: int | None) -> str:
            return row_cells[col] if col is not None and col < len(row_cells) else ""

        used = {col for half in self.halves for col in [*half.levels.values(), *(c for _, c in half.values)]}
        used.add(self.shared_level1 if self.shared_level1 is not None else -1)
        for col, text in enumerate(row_cells):
            if text and col not in used and not (col == 0 and families.key(text) in families.LEAD_LABELS):
                self.sink.diag(
                    line, "warning", "extra_cell", f"指标行第 {col + 1} 列多出单元格「{text}」，未能归入字段"
                )
        shared = at(self.shared_level1)
        parts: list[tuple[_Half, tuple[str, str, str | None, str | None], str, dict[str, str]]] = []
        for half in self.halves:
            level1 = at(half.levels.get("level1")) or shared or half.pending_level1
            level1 = level1 or (half.level1 if half.context is None else "")
            level2 = at(half.levels.get("level2"))
            name = at(half.levels.get("name"))
            values = {slot: at(col) for slot, col in half.values if at(col)}
            if not (level2 or name or values):
                half.pending_level1 = level1
                continue
            half.pending_level1 = ""
            half.context = self.sink.resolve_levels(line, level1, level2, half.context)
            if name or values:
                parts.append((half, half.context, name, values))
        same = len(parts) == 2 and parts[0][0].horizon is not parts[1][0].horizon and parts[0][2]
        if same and families.key(parts[0][2]) == families.key(parts[1][2]):
            (left, levels, name, left_values), (right, _, right_name, right_values) = parts
            # One indicator read from both halves: its name comes from both cells.
            name = Cell.joined(name, [name, right_name])
            merged = {**right_values, **left_values}
            merged.pop("value", None)
            merged.update(self._horizon_values(left, left_values))
            merged.update(self._horizon_values(right, right_values))
            self.sink.add_indicator(line, levels, name, merged, paired=True)
            return
        for half, levels, name, values in parts:
            horizon_values = {slot: text for slot, text in values.items() if slot != "value"}
            horizon_values.update(self._horizon_values(half, values))
            self.sink.add_indicator(line, levels, name or None, horizon_values, paired=False)

    @staticmethod
    def _horizon_values(half: _Half, values: dict[str, str]) -> dict[str, str]:
        assert half.horizon is not None
        return {half.horizon.value: values["value"]} if "value" in values else {}
