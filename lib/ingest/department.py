"""Department-wide tables (部门整体支出绩效目标表): one "project" for the whole department.

Such a table has no project rows. Under its title come the department's
name, its budget (部门预算总额, 年度预算资金总额 or 资金总额, with 其中 rows
such as 基本支出 and 项目支出, or 财政拨款 and 其他资金, sometimes as a row of
labels over a row of amounts), its duties and tasks (部门职责, 年度主要任务,
often a small table of 任务名称 / 主要内容) and its 年度总体目标; then the
indicator header, whose rows the parser's readers take over. The project is
named from the table (部门整体支出) and typed 部门整体支出, so dashboards can
tell it from the projects.
"""

from __future__ import annotations

import enum
import re

from lib.ingest import budget, families
from lib.ingest.grid import Cell

#: The project type of a department-wide table.
PROJECT_TYPE = "部门整体支出"

_UNIT_KEYS = frozenset({"部门名称", "单位名称", "部门(单位)名称", "预算单位", "部门", "单位", "预算部门"})
_DEPARTMENT_KEYS = frozenset({"主管部门", "主管单位"})
_BUDGET_KEY = re.compile(r"预算|资金|金额|总额|支出合计")
#: A budget label standing alone in column 0 (部门预算总额（万元）, 其中：基本支出), told from a
#: task or goal sentence that merely names the budget (2. 持续做好预算绩效管理工作).
_BUDGET_LABEL = re.compile(r"^(其中:?)?[^\d。，,；;、:]{0,16}(预算|资金|金额|总额|合计|小计|支出)数?(\(万?元\))?$")
#: Goal rows and the goal each feeds: the standing duties are the long view, the year's tasks and goal the annual one.
_GOAL_KEYS = {
    "年度总体目标": "annual",
    "年度绩效目标": "annual",
    "年度目标": "annual",
    "总体目标": "annual",
    "整体绩效目标": "annual",
    "部门职责": "period",
    "部门职能": "period",
    "职能职责": "period",
    "主要职能": "period",
    "中长期目标": "period",
    "长期目标": "period",
}
_TASK_KEYS = frozenset({"年度主要任务", "主要任务", "年度重点工作", "重点工作任务", "年度重点任务"})
_TASK_COLUMNS = re.compile(
    r"^(序号|任务名称|任务|主要内容|工作内容|内容|预算金额|金额|资金|(预算)?(金额|资金)?\(万?元\))"
)


class DepartmentState(enum.Enum):
    """Where the reader is in the part of the table above the indicators."""

    #: The title is read, no row yet: a repeated title names the same table.
    TITLE = "title"
    #: Key rows: name, budget, goals.
    KEYS = "keys"
    #: A budget row of labels was read; the amounts are on the next row, column by column.
    BUDGET_COLUMNS = "budget_columns"
    #: Rows of the 年度主要任务 block.
    TASKS = "tasks"
    #: Rows continuing a goal's text.
    GOAL = "goal"


class DepartmentReader:
    """Read the rows of a department-wide table above its indicator header into one project.

    Parameters
    ----------
    sink
        The parser: the project, its fields and budget, and diagnostics go through it.
    line, title
        The table title: its line and its text.
    name
        The table's own name for what it covers (:func:`families.department_table`).
    """

    family = families.Family.DEPARTMENT

    def __init__(self, sink: families.Sink, line: int, title: str, name: str) -> None:
        self.sink = sink
        self.state = DepartmentState.TITLE
        self.goal_slot = "annual"
        self.budget_key: str | None = None
        self.budget_labels: dict[int, str] = {}
        self.has_department = False
        # The unit row, until the name rows end: a 主管部门 row next to it names the department.
        self.unit_row: tuple[int, str] | None = None
        self.department_is_unit = False
        sink.start_project(line, family=self.family)
        sink.project_field(line, "name", name, wan=False)
        sink.project_field(line, "type", PROJECT_TYPE, wan=False)
        sink.diag(line, "info", "department_table", f"部门整体绩效目标表「{title}」：全部门记为一个项目「{name}」")

    def retitle(self, line: int, title: str) -> bool:
        """A second title before any row (a document title, then the table's): True when it is the same table."""
        if self.state is not DepartmentState.TITLE:
            return False
        self.sink.diag(line, "info", "department_table", f"表格标题「{title}」")
        return True

    def refine(self, line: int, sub: list[tuple[int, str]]) -> None:
        """No header of its own: a row taken for a second header row is kept in a diagnostic."""
        self.sink.diag(
            line, "warning", "unrecognised_row", f"未识别的行，内容保留于此：{' | '.join(t for _, t in sub)}"
        )

    def feed(self, line: int, row_cells: tuple[str, ...]) -> None:
        """Read one row above the indicator header."""
        cells = [(col, text) for col, text in enumerate(row_cells) if text]
        if not cells:
            return
        (first_col, first), rest = cells[0], cells[1:]
        cell_key = families.key(first)
        names_row = cell_key in _UNIT_KEYS or cell_key in _DEPARTMENT_KEYS
        if not names_row:
            self._department_from_unit()
        if self.state is DepartmentState.BUDGET_COLUMNS:
            if self._budget_amounts(line, cells):
                return
            labels = " | ".join(self.budget_labels.values())
            self.sink.diag(
                line, "warning", "budget_extra", f"预算行「{self.budget_key}」的列（{labels}）下一行没有金额"
            )
            self.state = DepartmentState.KEYS
        # Under 年度主要任务 or a goal, a sentence naming 预算 or 资金 continues the block:
        # only a budget label in column 0 followed by amounts starts a budget row there.
        in_block = self.state in (DepartmentState.TASKS, DepartmentState.GOAL)
        budget_row = not in_block or _is_budget_label(first_col, cell_key, rest)
        if names_row:
            self.state = DepartmentState.KEYS
            self._unit(line, cell_key, first, rest)
        elif budget_row and budget.SOURCE_LABEL.match(cell_key):
            self.state = DepartmentState.KEYS
            self.sink.budget_cells(line, first, rest, sources_only=True)
        elif budget_row and _BUDGET_KEY.search(cell_key) and len(cell_key) <= 30:
            self.state = DepartmentState.KEYS
            self._budget(line, first, rest)
        elif cell_key in _GOAL_KEYS:
            self.state, self.goal_slot = DepartmentState.GOAL, _GOAL_KEYS[cell_key]
            self._goal(line, rest)
        elif cell_key in _TASK_KEYS:
            self.state = DepartmentState.TASKS
            self._task(line, rest)
        elif self.state is DepartmentState.GOAL:
            # An unlabelled row continues the goal or the tasks above it.
            self._goal(line, cells)
        elif self.state is DepartmentState.TASKS:
            self._task(line, cells)
        else:
            self.state = DepartmentState.KEYS
            self.sink.diag(
                line, "warning", "unrecognised_row", f"未识别的行，内容保留于此：{' | '.join(t for _, t in cells)}"
            )

    def _unit(self, line: int, cell_key: str, raw_key: str, rest: list[tuple[int, str]]) -> None:
        if not rest:
            self.sink.diag(line, "warning", "no_unit", f"「{raw_key}」没有填写内容")
            return
        text = rest[0][1]
        if cell_key in _DEPARTMENT_KEYS:
            if self.department_is_unit:
                # Rows after the name rows made the unit the department; say so rather than drop the cell quietly.
                self.sink.diag(
                    line,
                    "warning",
                    "late_department",
                    f"「{raw_key}」写在单位名称之后隔了几行，主管部门已按单位名称记录；本格内容：{text}",
                )
            else:
                self.sink.project_field(line, "department", text, wan=False)
                self.has_department = True
                self.unit_row = None
        else:
            self.sink.project_field(line, "unit", text, wan=False)
            if not self.has_department:
                self.unit_row = (line, text)
        if len(rest) > 1:
            self.sink.diag(
                line,
                "info",
                "extra_cells",
                f"「{raw_key}」后有多余单元格，已保留于此：{' | '.join(t for _, t in rest[1:])}",
            )

    def _department_from_unit(self) -> None:
        # A department-wide table without a 主管部门 row is the department's own: its unit is its department.
        if self.unit_row is None:
            return
        line, text = self.unit_row
        self.sink.project_field(line, "department", text, wan=False)
        self.has_department = self.department_is_unit = True
        self.unit_row = None

    def _budget(self, line: int, raw_key: str, rest: list[tuple[int, str]]) -> None:
        if rest and not any(_is_amount(text) for _, text in rest):
            # 年度部门整体支出预算 | 资金总额 | 财政拨款 | 其他资金, the amounts on the next row.
            self.state = DepartmentState.BUDGET_COLUMNS
            self.budget_key = raw_key
            self.budget_labels = dict(rest)
            self.sink.budget_cells(line, raw_key, [], sources_only=False)
            return
        self.sink.budget_cells(line, raw_key, rest, sources_only=False)

    def _budget_amounts(self, line: int, cells: list[tuple[int, str]]) -> bool:
        if not all(col in self.budget_labels and _is_amount(text) for col, text in cells):
            return False
        assert self.budget_key is not None
        paired: list[tuple[int, str]] = []
        for col, text in cells:
            paired += [(col, self.budget_labels[col]), (col, text)]
        self.sink.budget_cells(line, self.budget_key, paired, sources_only=False)
        self.state = DepartmentState.KEYS
        return True

    def _goal(self, line: int, cells: list[tuple[int, str]]) -> None:
        for _, text in cells:
            self.sink.project_field(line, f"goal_{self.goal_slot}", text, wan=False)

    def _task(self, line: int, cells: list[tuple[int, str]]) -> None:
        if not cells:
            return
        if all(_TASK_COLUMNS.match(families.key(text)) for _, text in cells):
            self.sink.diag(line, "info", "task_columns", f"年度主要任务的表头：{' | '.join(t for _, t in cells)}")
            return
        task = Cell.joined("：".join(text for _, text in cells), [text for _, text in cells])
        self.sink.project_field(line, "goal_annual", task, wan=False)


def _is_budget_label(col: int, cell_key: str, rest: list[tuple[int, str]]) -> bool:
    """True for a budget key cell inside the tasks or goals: a short label in column 0, then amounts, labels or nothing."""
    if col != 0 or not (_BUDGET_LABEL.match(cell_key) or (budget.SOURCE_LABEL.match(cell_key) and len(cell_key) <= 12)):
        return False
    return all(
        _is_amount(text) or _BUDGET_LABEL.match(families.key(text)) or budget.SOURCE_LABEL.match(families.key(text))
        for _, text in rest
    )


def _is_amount(text: str) -> bool:
    return budget.free_text(text, wan=False) is not None or bool(re.fullmatch(r"-?\d[\d,，]*(\.\d+)?", text.strip()))
