"""Self-evaluation tables (项目支出绩效自评表): rows of one document → execution, result and diagnostic records.

After the year ends a department publishes, per project, how its targets
went (DOMAIN.md, "Results against targets"): the funding block's budget,
execution and score, the annual goal beside what was achieved, each
indicator's target beside its actual value with a weight, a score and the
reason for a deviation, then 总分 and 自评等级. This reader works on the
same cell rows as the target parser (:mod:`.parser`), so every published
form is read alike. Columns are found by their labels, in the Ministry of
Finance layout (年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分;
年度指标值 / 实际完成值 / 分值 / 得分 / 偏差原因分析及改进措施) and the local
ones (调整后预算数 / 预算执行数 / 预算执行率 / 权重; 未完成原因分析; weights in
level-1 labels such as 产出指标(50分)). Every non-empty cell ends up in a
record field or in a diagnostic naming its line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from lib import taxonomy
from lib.ingest import families
from lib.ingest.budget import SOURCE_LABEL
from lib.ingest.parser import ParsedDocument, parse_amount, plain_text
from lib.ingest.text import Row
from lib.model.diagnostics import diagnostic

_key = families.key

# A title naming the genre: …项目支出绩效自评表, …绩效自评情况, 绩效自评结果.
_TITLE = re.compile(r"绩效自评|自评表")
_DOC_TITLE = re.compile(r"^\s*((?:19|20)\d{2})\s*年度?\s*(.+?)\s*(?:部门)?(?:预算)?(?:项目)?(?:支出)?(?:绩效)?自评")
_YEAR_LINE = re.compile(r"^[(]?\s*((?:19|20)\d{2})\s*年度?\s*[)]?$")
_NUMBER = re.compile(r"-?\d[\d,，]*(?:\.\d+)?")
_EMPTY = frozenset({"—", "-", "/", "--", "——", "无", "–"})

_FIELD_KEYS: dict[str, str] = {
    "主管部门": "department",
    "主管单位": "department",
    "实施单位": "unit",
    "用款单位": "unit",
    "预算单位": "unit",
    "项目单位": "unit",
}
_NAME_KEYS = frozenset({"项目名称", "项目支出名称"})
_GOAL_KEYS = frozenset({"年度总体目标", "年度目标", "总体目标", "年度绩效目标"})
_GOAL_PLANNED = re.compile(r"^(预期目标|年初目标|计划目标)$")
_GOAL_ACTUAL = re.compile(r"^(实际完成情况|实际完成|完成情况|全年实际完成情况)$")
_TOTAL_KEYS = frozenset({"总分", "总得分", "合计得分"})
_GRADE_KEYS = frozenset({"自评等级", "评价等级", "绩效等级", "等级"})

#: Funding-block columns by label, first match wins: 预算执行率 holds 预算 and 执行 both.
_FUNDING_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), slot)
    for pattern, slot in (
        (r"执行率", "execution_rate"),
        (r"执行数|执行金额|实际支出|支出数", "executed_yuan"),
        (r"全年预算|调整后?预算|调整数", "budget_full_year_yuan"),
        (r"年初预算|预算数", "budget_initial_yuan"),
        (r"分值|权重", "weight"),
        (r"^得分$", "score"),
    )
)
_FUNDING_TOTAL = re.compile(r"^(年度)?资金总额$|^(年度)?(资金)?(合计|总计)$")

#: Indicator-table columns by label, first match wins: 实际完成值 holds 值 as 年度指标值 does.
_RESULT_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), slot)
    for pattern, slot in (
        (r"^一级指标", "level1"),
        (r"^二级指标", "level2"),
        (r"^(三级指标|指标名称|三级指标名称|指标内容)$", "name"),
        (r"实际|完成值", "actual"),
        (r"偏差|原因|改进措施", "note"),
        (r"^得分$", "score"),
        (r"分值|权重", "weight"),
        (r"指标值|目标值", "target"),
    )
)
#: Columns a results table must have; a missing one is named in a diagnostic.
_REQUIRED = {"target": "年度指标值", "actual": "实际完成值", "weight": "分值", "score": "得分"}


def is_self_evaluation(rows: Iterable[Row]) -> bool:
    """True when the rows hold a self-evaluation: a title naming 绩效自评, or a header scoring results.

    A target table can have a last-year's-actual column (上年实际完成值), but
    never a 得分 (score) column beside an actual or executed one.

    >>> from lib.ingest.text import split_rows
    >>> is_self_evaluation(split_rows("2026年某局项目支出绩效自评表"))
    True
    >>> is_self_evaluation(split_rows("三级指标\\t上年实际完成值\\t年度指标值"))
    False
    """
    for row in rows:
        joined = "".join(row.cells)
        if "自评" not in joined and "得分" not in joined:
            continue
        cells = [cell for cell in row.cells if cell]
        if len(cells) == 1 and len(cells[0]) <= 80 and _TITLE.search(cells[0]):
            return True
        keys = [_key(cell) for cell in cells]
        if "得分" in keys and any("实际" in k or "执行" in k or "完成值" in k for k in keys):
            return True
    return False


@dataclass
class _Project:
    line: int
    table_year: int | None = None
    fields: dict[str, str] = field(default_factory=dict)
    execution: dict[str, float | str | None] = field(default_factory=dict)
    goals: dict[str, list[str]] = field(default_factory=lambda: {"planned": [], "actual": []})
    results: list[dict] = field(default_factory=list)
    total_score: float | None = None
    grade: str | None = None


class _Reader:
    """A line-by-line reader: key rows, the funding block, the goal block, the indicator table, the total."""

    def __init__(self, document_id: str, source: str) -> None:
        self.document_id = document_id
        self.source = source
        self.title: str | None = None
        self.title_year: int | None = None
        self.department: str | None = None
        self.preamble: list[str] = []
        self.projects: list[_Project] = []
        self.mode = "preamble"
        self.pending_year: int | None = None
        # Column of each slot in the current block's header row.
        self.funding: dict[str, int] = {}
        self.funding_wan = False
        self.goal_columns: tuple[int, int] | None = None
        self.columns: dict[str, int] = {}
        self.context: tuple[str | None, str | None] = (None, None)
        self.diagnostics: list[dict] = []

    @property
    def current(self) -> _Project | None:
        return self.projects[-1] if self.projects else None

    def diag(self, line: int | None, severity: str, code: str, message: str) -> None:
        project_id = f"{self.document_id}-{len(self.projects) - 1:03d}" if self.projects else None
        self.diagnostics.append(
            diagnostic(
                document_id=self.document_id, source=self.source, line=line, severity=severity, code=code,
                text=message, project_id=project_id,
            )
        )  # fmt: skip

    def unrecognised(self, line: int, cells: list[tuple[int, str]]) -> None:
        text = " | ".join(text for _, text in cells)
        self.diag(line, "warning", "unrecognised_row", f"自评表中未识别的行，内容保留于此：{text}")

    # -- rows --------------------------------------------------------------

    def feed(self, row: Row) -> None:
        cells = [(col, text) for col, text in enumerate(row.cells) if text]
        if not cells:
            return
        line = row.line
        keys = [_key(text) for _, text in cells]
        first = keys[0].lstrip("#")
        if len(cells) == 1 and (year := _YEAR_LINE.match(first)):
            self.pending_year = int(year.group(1))
            if self.current is not None and self.mode == "keys":
                self.current.table_year = self.pending_year
            return
        if len(cells) == 1 and len(first) <= 80 and _TITLE.search(first):
            self._title(line, cells[0][1])
            return
        if first in _NAME_KEYS:
            self._start(line, cells)
            return
        if self.current is None:
            if self.title is None and len(cells) == 1:
                self.title = cells[0][1].lstrip("#").strip()
            else:
                self.preamble.append(" ".join(text for _, text in cells))
            return
        if families.is_signoff(first):
            self.mode = "signoff"
            self.diag(line, "info", "signoff", f"表后签署栏（不是指标）：{' | '.join(text for _, text in cells)}")
            return
        if self._funding_header(line, cells, keys) or self._result_header(line, cells, keys):
            return
        if first in _TOTAL_KEYS:
            self._total(line, cells, keys)
            return
        if first in _GRADE_KEYS:
            self._grade(line, cells[1:])
            return
        if first in _GOAL_KEYS:
            self._goal_header(line, cells[1:], keys[1:])
            return
        if first in _FIELD_KEYS or self.mode == "keys" and any(k in _FIELD_KEYS for k in keys):
            self._fields(line, cells, keys)
            return
        if self.mode == "funding":
            self._funding_row(line, cells, keys)
        elif self.mode == "goal":
            self._goal_row(line, cells)
        elif self.mode == "results":
            self._result_row(line, row.cells, cells)
        else:
            self.unrecognised(line, cells)

    def _title(self, line: int, text: str) -> None:
        clean = text.lstrip("#").strip()
        match = _DOC_TITLE.match(_key(clean))
        if self.current is None and self.title is None:
            self.title = clean
            if match:
                self.title_year = int(match.group(1))
                self.department = match.group(2) or None
        elif match and self.title_year is None:
            self.title_year = int(match.group(1))
        self.mode = "title"

    def _start(self, line: int, cells: list[tuple[int, str]]) -> None:
        project = _Project(line=line, table_year=self.pending_year)
        self.projects.append(project)
        self.mode = "keys"
        self.funding, self.columns, self.goal_columns = {}, {}, None
        self.context = (None, None)
        rest = cells[1:]
        if rest:
            project.fields["name"] = rest[0][1]
            self._fields(line, rest[1:], [_key(text) for _, text in rest[1:]])
        else:
            self.diag(line, "warning", "no_name", "项目名称一行没有名称")

    def _fields(self, line: int, cells: list[tuple[int, str]], keys: list[str]) -> None:
        """Key/value pairs, several to a row: 主管部门 | X | 实施单位 | Y."""
        project = self.current
        assert project is not None
        self.mode = "keys"
        index = 0
        while index < len(cells):
            name = _FIELD_KEYS.get(keys[index])
            if name is not None and index + 1 < len(cells) and _key(cells[index + 1][1]) not in _FIELD_KEYS:
                project.fields[name] = cells[index + 1][1]
                index += 2
                continue
            if name is None:
                self.unrecognised(line, [cells[index]])
            index += 1

    # -- funding block -----------------------------------------------------

    def _funding_header(self, line: int, cells: list[tuple[int, str]], keys: list[str]) -> bool:
        columns: dict[str, int] = {}
        for (col, _), key in zip(cells, keys):
            slot = next((slot for pattern, slot in _FUNDING_COLUMNS if pattern.search(key)), None)
            if slot is not None and slot not in columns:
                columns[slot] = col
        if "executed_yuan" not in columns or len(columns) < 3:
            return False
        self.funding = columns
        self.funding_wan = any("万元" in text for _, text in cells)
        self.mode = "funding"
        return True

    def _funding_row(self, line: int, cells: list[tuple[int, str]], keys: list[str]) -> None:
        project = self.current
        assert project is not None
        first_value = min(self.funding.values())
        labels = [(col, text) for col, text in cells if col < first_value]
        label = _key(labels[-1][1]) if labels else ""
        values = {slot: _cell(cells, col) for slot, col in self.funding.items()}
        unread = [(col, text) for col, text in cells if col >= first_value and col not in self.funding.values()]
        if len(labels) > 1 or unread:
            self.unrecognised(line, [*labels[:-1], *unread])
        if _FUNDING_TOTAL.match(label) or (not label and not project.execution):
            if project.execution:
                self.diag(line, "warning", "second_funding_total", f"资金总额行重复，以第一行为准：{label}")
                return
            for slot, text in values.items():
                project.execution[slot] = self._funding_value(line, slot, text)
            return
        if SOURCE_LABEL.match(label) or "资金" in label or "拨款" in label:
            shown = "，".join(f"{_FUNDING_LABELS[slot]} {text}" for slot, text in values.items() if text)
            self.diag(line, "info", "funding_source", f"资金来源「{labels[-1][1]}」：{shown or '无金额'}")
            return
        self.unrecognised(line, cells)

    def _funding_value(self, line: int, slot: str, text: str | None) -> float | None:
        if text is None:
            return None
        if slot.endswith("_yuan"):
            amount = parse_amount(text, wan=self.funding_wan)
        else:
            amount = _number(text)
        if amount is None:
            self.diag(line, "warning", "bad_number", f"「{_FUNDING_LABELS[slot]}」不是数字：{text}")
        return amount

    # -- goals ---------------------------------------------------------------

    def _goal_header(self, line: int, cells: list[tuple[int, str]], keys: list[str]) -> None:
        self.mode = "goal"
        planned = next((col for (col, _), key in zip(cells, keys) if _GOAL_PLANNED.match(key)), None)
        actual = next((col for (col, _), key in zip(cells, keys) if _GOAL_ACTUAL.match(key)), None)
        labelled = {col for col in (planned, actual) if col is not None}
        self.goal_columns = (planned or 0, actual) if actual is not None else None
        texts = [(col, text) for col, text in cells if col not in labelled]
        if texts:
            self._goal_row(line, texts)

    def _goal_row(self, line: int, cells: list[tuple[int, str]]) -> None:
        project = self.current
        assert project is not None
        if self.goal_columns is not None:
            actual_col = self.goal_columns[1]
            for col, text in cells:
                project.goals["actual" if col >= actual_col else "planned"].append(text)
            return
        for slot, (_, text) in zip(("planned", "actual"), cells):
            project.goals[slot].append(text)
        if len(cells) > 2:
            self.unrecognised(line, cells[2:])

    # -- indicators ----------------------------------------------------------

    def _result_header(self, line: int, cells: list[tuple[int, str]], keys: list[str]) -> bool:
        columns: dict[str, int] = {}
        for (col, _), key in zip(cells, keys):
            slot = next((slot for pattern, slot in _RESULT_COLUMNS if pattern.search(key)), None)
            if slot is not None and slot not in columns:
                columns[slot] = col
        if "name" not in columns or len(columns) < 3:
            return False
        self.columns = columns
        self.context = (None, None)
        self.mode = "results"
        missing = [label for slot, label in _REQUIRED.items() if slot not in columns]
        if missing:
            self.diag(
                line,
                "warning",
                "missing_column",
                f"自评表的指标表头缺少列：{'、'.join(missing)}（表头：{' | '.join(text for _, text in cells)}）",
            )
        return True

    def _result_row(self, line: int, row: tuple[str, ...], cells: list[tuple[int, str]]) -> None:
        project = self.current
        assert project is not None
        columns = self.columns
        read = {slot: _cell(cells, col) for slot, col in columns.items()}
        used = set(columns.values())
        extra = [(col, text) for col, text in cells if col not in used]
        name = read.get("name")
        if name is None:
            if (
                read.get("level1") is None
                and read.get("level2") is None
                or any(read.get(slot) for slot in ("target", "actual", "weight", "score", "note"))
            ):
                self.unrecognised(line, cells)
                return
        level1_raw, level2_raw = self._levels(read.get("level1"), read.get("level2"))
        if name is None:
            return
        for col, text in extra:
            self.diag(
                line, "warning", "extra_cell", f"指标「{name}」行第 {col + 1} 列多出单元格「{text}」，未能归入字段"
            )
        level1, level2 = _categories(level1_raw, level2_raw)
        if level1 == "未分类":
            self.diag(line, "warning", "unclassified", f"指标「{name}」没有可识别的一级/二级指标，记为「未分类」")
        target, actual = read.get("target"), read.get("actual")
        if actual is None:
            self.diag(line, "warning", "missing_actual", f"指标「{name}」没有实际完成值")
        project.results.append(
            {
                "line": line,
                "level1": level1,
                "level2": level2,
                "level1_raw": level1_raw,
                "level2_raw": level2_raw,
                "name": name,
                "target_value": target,
                "actual_value": actual,
                "weight": self._score(line, name, "分值", read.get("weight")),
                "score": self._score(line, name, "得分", read.get("score")),
                "deviation_note": read.get("note"),
            }
        )

    def _levels(self, level1: str | None, level2: str | None) -> tuple[str | None, str | None]:
        """The row's level-1 and level-2 text, inherited from the rows above where the cell is empty (merged)."""
        inherited1, inherited2 = self.context
        if level1 is not None:
            inherited1, inherited2 = level1, None
        if level2 is not None:
            inherited2 = level2
        self.context = (inherited1, inherited2)
        return inherited1, inherited2

    def _score(self, line: int, name: str, label: str, text: str | None) -> float | None:
        if text is None:
            return None
        number = _number(text)
        if number is None:
            self.diag(line, "warning", "bad_number", f"指标「{name}」的{label}不是数字：{text}")
        return number

    # -- total ---------------------------------------------------------------

    def _total(self, line: int, cells: list[tuple[int, str]], keys: list[str]) -> None:
        project = self.current
        assert project is not None
        self.mode = "total"
        rest = cells[1:]
        for index, key in enumerate(keys[1:]):
            if key in _GRADE_KEYS:
                self._grade(line, rest[index + 1 :])
                rest = rest[:index]
                break
        numbers = [(text, _number(text)) for _, text in rest]
        if not numbers or any(number is None for _, number in numbers) or len(numbers) > 2:
            self.diag(line, "warning", "bad_total", f"总分一行应为满分和得分：{' | '.join(t for _, t in rest)}")
        read = [number for _, number in numbers if number is not None]
        if read:
            project.total_score = read[-1]

    def _grade(self, line: int, cells: list[tuple[int, str]]) -> None:
        project = self.current
        assert project is not None
        self.mode = "total"
        if not cells:
            self.diag(line, "warning", "no_grade", "自评等级一行没有等级")
            return
        project.grade = cells[0][1]
        if len(cells) > 1:
            self.unrecognised(line, cells[1:])

    # -- result --------------------------------------------------------------

    def result(self) -> ParsedDocument:
        execution: list[dict] = []
        results: list[dict] = []
        for index, project in enumerate(self.projects):
            project_id = f"{self.document_id}-{index:03d}"
            name = project.fields.get("name") or f"未命名项目（第{project.line}行）"

            def note(code: str, message: str, *, severity: str = "warning", line: int = project.line) -> None:
                self.diagnostics.append(
                    diagnostic(
                        document_id=self.document_id, source=self.source, line=line, severity=severity,
                        code=code, text=message, project_id=project_id,
                    )
                )  # fmt: skip

            if not project.execution:
                note("no_execution", f"项目「{name}」的自评表没有资金总额行（年初预算数、全年执行数等）")
            if not project.results:
                note("no_results", f"项目「{name}」的自评表没有绩效指标行")
            if project.total_score is None:
                note("no_total_score", f"项目「{name}」的自评表没有总分")
            execution.append(
                {
                    "project_id": project_id,
                    "document_id": self.document_id,
                    "place": None,
                    "line": project.line,
                    "name": name,
                    "department": project.fields.get("department"),
                    "unit": project.fields.get("unit"),
                    **{slot: project.execution.get(slot) for slot in _FUNDING_LABELS},
                    "total_score": project.total_score,
                    "grade": project.grade,
                    "goal_planned": plain_text("\n".join(project.goals["planned"])) or None,
                    "goal_actual": plain_text("\n".join(project.goals["actual"])) or None,
                }
            )
            for number, record in enumerate(project.results):
                results.append(
                    {"result_id": f"{project_id}-{number:03d}", "project_id": project_id,
                     "document_id": self.document_id, "place": None, **record}
                )  # fmt: skip
        if not self.projects:
            self.diagnostics.append(
                diagnostic(
                    document_id=self.document_id, source=self.source, line=None, severity="error", code="no_table",
                    text="文档像绩效自评表，但没有找到项目（项目名称、资金、绩效指标等），未载入任何自评结果",
                )
            )  # fmt: skip
        year = self.title_year
        if year is None:
            years = Counter(p.table_year for p in self.projects if p.table_year)
            year = years.most_common(1)[0][0] if years else None
        department = self.department
        if department is None:
            departments = Counter(p.fields["department"] for p in self.projects if p.fields.get("department"))
            department = departments.most_common(1)[0][0] if departments else None
        return ParsedDocument(
            title=self.title,
            year=year,
            department=department,
            preamble="\n".join(self.preamble) or None,
            projects=[],
            indicators=[],
            diagnostics=self.diagnostics,
            kind="results",
            results=results,
            execution=execution,
        )


_FUNDING_LABELS = {
    "budget_initial_yuan": "年初预算数",
    "budget_full_year_yuan": "全年预算数",
    "executed_yuan": "全年执行数",
    "execution_rate": "执行率",
    "weight": "分值",
    "score": "得分",
}


def _cell(cells: list[tuple[int, str]], col: int) -> str | None:
    text = next((text for at, text in cells if at == col), None)
    if text is None or text.strip() in _EMPTY:
        return None
    return text


def _number(text: str) -> float | None:
    """The number of a score, weight or rate cell (``97.63%``, ``10分``), or None when it holds none.

    >>> _number("97.63%"), _number("10分"), _number("已完成")
    (97.63, 10.0, None)
    """
    match = _NUMBER.search(text)
    if match is None or len(text.strip()) > len(match.group()) + 2:
        return None
    return float(match.group().replace(",", "").replace("，", ""))


def _categories(level1_raw: str | None, level2_raw: str | None) -> tuple[str, str]:
    """Canonical 一级 and 二级 of a result row, by the taxonomy (a weight in the label, 产出指标(50分), is no part of it).

    >>> _categories("产出指标(50分)", "数量指标"), _categories("满意度指标", None), _categories(None, None)
    (('产出指标', '数量指标'), ('满意度指标', '服务对象满意度指标'), ('未分类', '未分类'))
    """
    level1 = taxonomy.level1_of(level1_raw) if level1_raw else None
    level2 = taxonomy.level2_of(level2_raw, level1=level1) if level2_raw else None
    if level2 is not None:
        return taxonomy.parent(level2), level2
    if level1 is not None:
        return level1, taxonomy.default_level2(level1) or "未分类"
    return "未分类", "未分类"


def parse_results(rows: Iterable[Row], *, document_id: str, source: str) -> ParsedDocument:
    """Read the rows of a self-evaluation document into execution and result records.

    Examples
    --------
    >>> from lib.ingest.text import split_rows
    >>> text = "项目名称\\t示例\\n项目资金（万元）\\t年初预算数\\t全年执行数\\t执行率\\n年度资金总额\\t10\\t9\\t90%"
    >>> doc = parse_results(split_rows(text), document_id="d", source="x.txt")
    >>> doc.execution[0]["budget_initial_yuan"], doc.execution[0]["execution_rate"], doc.kind
    (100000.0, 90.0, 'results')
    """
    reader = _Reader(document_id, source)
    for row in rows:
        reader.feed(row)
    return reader.result()
