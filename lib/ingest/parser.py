"""The cell-row parser: rows of one document → project, indicator and diagnostic records.

It works on rows of cells, not on text, so the text loader and the Excel
reader share it. The parser trusts names over positions: a category cell is
recognised by the taxonomy wherever it sits, a key row by its key, and values
are taken by the header's columns when the row lines up with the header and in
reading order when it does not. Every non-empty cell ends up in a record field
or in a diagnostic naming its line (DOMAIN.md lists the quirks this handles).
"""

from __future__ import annotations

import enum
import functools
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

from lib import taxonomy
from lib.model.diagnostics import diagnostic
from lib.model.money import YUAN_PER_WAN
from lib.ingest import budget as budgets
from lib.ingest import columns as value_columns
from lib.ingest import families
from lib.ingest.department import DepartmentReader
from lib.ingest.families import Family
from lib.ingest.flat import FlatReader
from lib.ingest.horizons import HorizonsReader
from lib.ingest.two_level import TwoLevelReader
from lib.ingest.unknown import UnknownReader
from lib.ingest.grid import Cell, positions
from lib.ingest.text import Row

# ---------------------------------------------------------------- vocabulary

_TABLE_TITLE = re.compile(r"(项目(支出)?绩效目标(申报|批复)?表|绩效目标(批复|申报)表)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_LINE = re.compile(r"^[（(]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?$")
_DOC_TITLE = re.compile(r"^\s*((?:19|20)\d{2})\s*年度?\s*(.+?)\s*(?:部门)?(?:整体)?(?:预算)?(?:项目)?(?:支出)?绩效目标")
_DOC_TITLE_DEPARTMENT_FIRST = re.compile(
    r"^\s*(.+?)\s*((?:19|20)\d{2})\s*年度?\s*(?:部门)?(?:整体)?(?:预算)?(?:项目)?(?:支出)?绩效目标"
)
# "XX单位项目支出绩效目标申报表（2021年度）": the year after the table name.
_DOC_TITLE_YEAR_AFTER = re.compile(
    r"^\s*(.+?)\s*(?:部门)?(?:整体)?(?:预算)?(?:项目)?(?:支出)?绩效目标(?:申报|批复)?表\s*[(（]\s*((?:19|20)\d{2})\s*年度?\s*[)）]\s*$"
)
_TABLE_WORDS = re.compile(r"^(部门|整体|预算|项目|支出)*$")
_NUMBER = re.compile(r"-?\d[\d,，]*(?:\.\d+)?")
_HTML_BREAK = re.compile(r"<\s*(?:br\s*/?|/p|/div|/li)\s*>", re.IGNORECASE)
# A tag starts with a letter or "/": "投诉率<5%，满意率>90%" holds no tag.
_HTML_TAG = re.compile(r"<\s*/?[A-Za-z][^<>]{0,200}>")
_MD_RULE = re.compile(r"^:?-{3,}:?$")


# One normalisation for key, header and marker cells, shared with the family readers.
_key = families.key


_FIELD_KEYS: dict[str, str] = {
    "项目名称": "name",
    "项目支出名称": "name",
    "项目名": "name",
    "项目类型": "type",
    "项目类别": "type",
    "项目等级": "level",
    "项目级次": "level",
    "主管部门": "department",
    "主管单位": "department",
    "用款单位": "unit",
    "预算单位": "unit",
    "填报单位": "unit",
    "实施单位": "unit",
    "项目单位": "unit",
    "实施周期": "period",
    "项目期限": "period",
    "实施期限": "period",
    "项目实施周期": "period",
}
_GOAL_KEYS: dict[str, str] = {
    "总体绩效目标": "period",
    "绩效目标": "period",
    "总体目标": "period",
    "项目总体绩效目标": "period",
    "年度绩效目标": "annual",
    "年度总体目标": "annual",
    "年度目标": "annual",
}
_BUDGET_KEY = re.compile(r"预算金额|资金总额|项目资金|预算资金|预算数|项目金额|资金合计|预算总额")
_SOURCE_KEY = budgets.SOURCE_LABEL
_TOTAL_LABEL = re.compile(r"^(年度)?(资金)?(总额|合计|总计|小计)$|^年度资金总额$")
_PERIOD_MARKER = re.compile(r"^(实施周期总?目标|中期目标|实施周期目标|长期目标|总目标|中长期目标)$")
_ANNUAL_MARKER = re.compile(
    r"^(?:((?:19|20)\d{2})年)?(年度)?(绩效)?目标$|^((?:19|20)\d{2})年度目标$|^年度目标$|^当年目标$"
)
_HEADER_LABELS = families.HEADER_LABELS
_PERIOD_LABELS = {"起始年度", "到期年度", "开始年度", "结束年度", "起始年份", "到期年份", "至", "-", "~"}

#: Cells that are part of the table's structure rather than data; the
#: nothing-lost check accepts them without a home in a field.
#: What a 指标性质 cell says when it gives no comparator: the indicator is qualitative or quantitative.
_NATURE = frozenset({"定性", "定量"})
STRUCTURAL: frozenset[str] = frozenset(set(_FIELD_KEYS) | set(_GOAL_KEYS) | _HEADER_LABELS | _PERIOD_LABELS | _NATURE)


def is_goal_marker(text: str) -> bool:
    """True for a cell that only says which goal follows (实施周期目标, 年度目标, 目标): a label, not goal text.

    >>> is_goal_marker("年度目标"), is_goal_marker("<p>目标</p>"), is_goal_marker("完成全年会议")
    (True, True, False)
    """
    key = _key(plain_text(text))
    return bool(_PERIOD_MARKER.match(key) or _ANNUAL_MARKER.match(key))


def plain_text(text: str) -> str:
    """Goal text without HTML: tags removed, paragraphs kept as line breaks.

    >>> plain_text("<p>1、评选</p> <p>2、宣传</p>")
    '1、评选\\n2、宣传'
    """
    # Entities first, so an encoded tag (&lt;script&gt;) is removed like a real one.
    text = html.unescape(text)
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    lines = [re.sub(r"[ \t\u3000]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def parse_amount(cell: str, *, wan: bool) -> float | None:
    """Yuan amount of a budget cell; ``wan`` when the header says 万元.

    >>> parse_amount("1,416,000.00", wan=False)
    1416000.0
    >>> parse_amount("141.6", wan=True)
    1416000.0
    """
    match = _NUMBER.search(cell)
    if match is None:
        return None
    number = float(match.group().replace(",", "").replace("，", ""))
    if "万元" in cell or (wan and "元" not in cell.replace("万元", "")):
        number *= YUAN_PER_WAN
    return round(number, 2)


# ---------------------------------------------------------------- records


@dataclass
class _Header:
    line: int
    name_col: int
    # Slots: period, annual, prior, op, unit, weight, direction, note.
    columns: value_columns.ValueColumns
    level2_col: int | None = None
    # Copies of the columns' slots: every indicator row reads them.
    slots: list[tuple[str, int]] = field(init=False)
    value_slots: list[str] = field(init=False)
    slot_cols: frozenset[int] = field(init=False)
    has_period: bool = field(init=False)

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.slots = list(self.columns.slots)
        self.value_slots = self.columns.names
        self.slot_cols = frozenset(col for _, col in self.slots)
        self.has_period = "period" in self.value_slots


@dataclass
class _Project:
    line: int
    table_year: int | None = None
    fields: dict[str, str] = field(default_factory=dict)
    start_year: int | None = None
    end_year: int | None = None
    budget_year: int | None = None
    budget_yuan: float | None = None
    budget_raw: str | None = None
    sources: list[tuple[str, float]] = field(default_factory=list)
    goals: dict[str, list[str]] = field(default_factory=lambda: {"period": [], "annual": []})
    indicators: list[dict] = field(default_factory=list)
    header: _Header | None = None
    family: Family | None = None
    # Where fields that are not a cell's text came from: the years of the period row.
    origin: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class ParsedDocument:
    """What the parser found in one document, as plain records for the loader."""

    title: str | None
    year: int | None
    department: str | None
    preamble: str | None
    projects: list[dict]
    indicators: list[dict]
    diagnostics: list[dict]
    #: The form the rows were read from (set by lib.ingest.document).
    form: str | None = None
    #: What the document is (lib.schema.DOCUMENT_KINDS); the target parser leaves it to lib.ingest.document.
    kind: str | None = None
    #: A self-evaluation's records (lib.ingest.results): one per indicator, one per project.
    results: list[dict] = field(default_factory=list)
    execution: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------- parser


class _State(enum.Enum):
    """Where the key/value reader of the reference family is in a project's table."""

    #: Before the first table: title and preamble lines.
    PREAMBLE = "preamble"
    #: Key/value rows: name, type, unit, period, budget.
    KEYS = "keys"
    #: Goal text under 总体绩效目标 (period or annual, as the markers say).
    GOAL = "goal"
    #: Indicator rows under the header.
    INDICATORS = "indicators"
    #: Sign-off and contact rows after the table: nothing here is an indicator.
    SIGNOFF = "signoff"


#: The states as module names: an enum member looked up on its class costs a
#: class attribute lookup, and the parser compares states on every row.
_PREAMBLE, _KEYS, _GOAL, _INDICATORS, _SIGNOFF = _State


class _DocumentParser:
    def __init__(self, document_id: str, source: str, *, provenance: bool = False) -> None:
        self.document_id = document_id
        self.source = source
        # Records say which cells each field was read from only when asked:
        # wrapping every cell costs about a third of a bulk load.
        self.provenance = provenance
        self.title: str | None = None
        self.title_year: int | None = None
        self.title_department: str | None = None
        self.preamble: list[str] = []
        self.projects: list[_Project] = []
        self.current: _Project | None = None
        self.mode = _PREAMBLE
        self.goal_slot = "period"
        self.context: tuple[str, str, str | None, str | None] | None = None
        self.diagnostics: list[dict] = []
        # A table title waits for the table's first row: a title alone starts nothing.
        self.pending_title: int | None = None
        self.pending_year: int | None = None
        self.tables = 0
        self.reader: FlatReader | HorizonsReader | TwoLevelReader | DepartmentReader | UnknownReader | None = None
        self.header_line: int | None = None
        # A budget block's unit (万元 in its first row) holds for the 其中 rows under it.
        self.budget_wan = False
        # Labels over the two blocks of the next header (长期 | 年度, 预期产出 | 效果).
        self.horizon_groups: list[tuple[int, str, str]] | None = None

    # -- diagnostics ---------------------------------------------------

    def diag(self, line: int | None, severity: str, code: str, message: str) -> None:
        project_id = None
        if self.current is not None:
            project_id = f"{self.document_id}-{len(self.projects) - 1:03d}"
        self.diagnostics.append(
            diagnostic(
                document_id=self.document_id, source=self.source, line=line, severity=severity, code=code,
                text=message, project_id=project_id,
            )
        )  # fmt: skip

    # -- rows ------------------------------------------------------------

    def feed(self, row: Row) -> None:
        if self.provenance:
            row = Row(
                row.line, tuple(Cell(text, row.line, col) if text else text for col, text in enumerate(row.cells))
            )
        cells = [(col, text) for col, text in enumerate(row.cells) if text]
        if not cells:
            return
        first = cells[0][1]
        if first[0] in "-:" and all(_MD_RULE.match(text) for _, text in cells):
            return
        kind = _first_cell(first)
        single = len(cells) == 1
        if self.mode is _INDICATORS and kind.plain and not single and self.reader is None and self.header_line is None:
            # Most rows: an indicator row in the reference family's table. The
            # checks below would all pass it on to _indicator_row; this says so once.
            self._indicator_row(row, cells)
            return
        first_key = kind.key

        if single and (department := families.department_table(first)):
            self._department_title(row.line, cells, first, department)
            return
        if single and kind.table_title:
            self._table_title(row.line, first)
            return
        if self.mode is _PREAMBLE and self.current is None and self._doc_heading(row.line, cells, first):
            return
        if single and kind.year is not None:
            self._year_line(row.line, kind.year)
            return
        # Most rows are indicator rows: a plain substring test rules them out cheaply.
        if not single and families.may_name_levels("".join(row.cells)):
            family = families.classify_header([_key(text) for _, text in cells])
            if family is not None:
                self._header_row(row.line, cells, family, width=len(row.cells))
                return
        if not single and kind.starts_groups:
            if groups := families.horizon_groups(cells):
                self.horizon_groups = groups
                self.diag(
                    row.line, "info", "horizon_groups", f"表头上方的分组：{' | '.join(text for _, text in cells)}"
                )
                return
        if self.header_line is not None:
            self.header_line = None
            if not single and families.is_subheader([_key(text) for _, text in cells]):
                self._subheader_row(row.line, cells)
                return
        if self.reader is not None:
            if not (kind.is_name or kind.signoff):
                self.reader.feed(row.line, row.cells)
                return
            self.reader = None
            self.mode = _KEYS
        if kind.signoff:
            self._signoff_row(row.line, cells)
            return
        # Inside an indicator table only a project name starts a new project:
        # an indicator called 项目资金使用率 must not.
        if kind.is_name or (kind.is_key and self.mode is not _INDICATORS):
            fresh = self.current is None or self.mode in (_INDICATORS, _SIGNOFF) or self.pending_title is not None
            if fresh or (kind.is_name and "name" in self.current.fields):
                self._start_project(row.line)
            self.mode = _KEYS
            self._key_row(row.line, first_key, first, cells[1:])
            return
        if self.mode is _SIGNOFF:
            self._signoff_row(row.line, cells)
            return
        if (
            len(cells) >= 3
            and self.mode is not _INDICATORS
            and families.looks_like_unknown_header([_key(text) for _, text in cells])
        ):
            self._unknown_table(row.line, cells)
            return
        if self.current is None:
            self._preamble_row(row.line, cells)
            return
        if kind.is_source and self.mode in (_KEYS, _GOAL) and not self.current.header:
            self._budget_row(row.line, first, first_key, cells[1:], sources_only=True)
            return
        if kind.goal_slot is not None and self.mode is not _INDICATORS:
            self.mode = _GOAL
            self.goal_slot = kind.goal_slot
            self._goal_cells(row.line, cells[1:])
            return
        if self.mode is _GOAL:
            self._goal_cells(row.line, cells)
            return
        if self.mode is _INDICATORS:
            self._indicator_row(row, cells)
            return
        self.diag(
            row.line,
            "warning",
            "unrecognised_row",
            f"未识别的行，内容保留于此：{' | '.join(text for _, text in cells)}",
        )

    def _signoff_row(self, line: int, cells: list[tuple[int, str]]) -> None:
        # Sign-off and contact rows close the table; their text is kept, never read as an indicator.
        self.mode = _SIGNOFF
        self.diag(line, "info", "signoff", f"表后签署栏（不是指标）：{' | '.join(text for _, text in cells)}")

    def _unknown_table(self, line: int, cells: list[tuple[int, str]]) -> None:
        self.tables += 1
        self.reader = UnknownReader(self, line, cells, self.tables)
        self.header_line = line

    # -- document level --------------------------------------------------

    def _doc_heading(self, line: int, cells: list[tuple[int, str]], first: str) -> bool:
        if self.title is not None or len(cells) != 1:
            return False
        text = first.lstrip("#").strip()
        year = department = None
        if match := _DOC_TITLE.match(text):
            year, department = match.group(1), match.group(2)
        elif match := _DOC_TITLE_DEPARTMENT_FIRST.match(text):
            department, year = match.group(1), match.group(2)
        if not first.startswith("#") and not match:
            return False
        self.title = text
        if year:
            self.title_year = int(year)
            self.title_department = re.sub(r"[\s\u3000]+", "", department) or None
        return True

    def _department_title(self, line: int, cells: list[tuple[int, str]], text: str, name: str) -> None:
        # A department-wide table has no project rows: its title starts its one project.
        if self.title is None and self.current is None:
            if not self._doc_heading(line, cells, text):
                self._title_with_table_name(text.lstrip("#").strip())
        if isinstance(self.reader, DepartmentReader) and self.reader.retitle(line, text):
            return
        self.tables += 1
        self.pending_title = self.pending_year = None
        self.reader = DepartmentReader(self, line, text.lstrip("#").strip(), name)

    def _table_title(self, line: int, text: str) -> None:
        # A document title that names the table (…申报表(2021年度)) titles the
        # document too; either way the table starts with its first row.
        if self.title is None and self.current is None:
            self._title_with_table_name(text.lstrip("#").strip())
        self.reader = None
        if self.current is not None:
            self.mode = _KEYS
        self.pending_title = line
        match = _YEAR.search(text)
        self.pending_year = int(match.group(1)) if match else None

    def _title_with_table_name(self, text: str) -> None:
        year = department = None
        if match := _DOC_TITLE.match(text):
            year, department = match.group(1), match.group(2)
        elif match := _DOC_TITLE_DEPARTMENT_FIRST.match(text):
            department, year = match.group(1), match.group(2)
        elif match := _DOC_TITLE_YEAR_AFTER.match(text):
            department, year = match.group(1), match.group(2)
        if department is None:
            return
        department = re.sub(r"[\s\u3000]+", "", department)
        if _TABLE_WORDS.match(department):
            return
        self.title = text
        self.title_year = int(year)
        self.title_department = department

    def _year_line(self, line: int, year: int) -> None:
        if self.pending_title is not None and self.pending_year is None:
            self.pending_year = year
        elif self.current is not None and self.current.table_year is None:
            self.current.table_year = year
        elif self.title_year is None:
            self.title_year = year
        else:
            self.diag(line, "info", "year_line", f"年度行「{year}年」，文档年度已为 {self.title_year}")

    def _preamble_row(self, line: int, cells: list[tuple[int, str]]) -> None:
        self.preamble.append(" ".join(text for _, text in cells))

    def _start_project(self, line: int) -> None:
        self._finish_project()
        project = _Project(
            line=line if self.pending_title is None else self.pending_title, table_year=self.pending_year
        )
        self.pending_title = self.pending_year = None
        self.projects.append(project)
        self.current = project
        self.mode = _KEYS
        self.context = None

    def _finish_project(self) -> None:
        project = self.current
        if project is None:
            return
        if project.header is None and project.family is None:
            self.diag(
                project.line, "warning", "no_indicators", "项目表没有绩效指标部分（表格可能被截断）；项目其余信息已载入"
            )

    # -- key rows --------------------------------------------------------

    def _key_row(self, line: int, key: str, raw_key: str, rest: list[tuple[int, str]]) -> None:
        project = self.current
        assert project is not None
        if key not in _FIELD_KEYS and _is_budget_key(key):
            self._budget_row(line, raw_key, key, rest, sources_only=False)
            return
        name = _FIELD_KEYS[key]
        if name == "period":
            self._period_row(line, rest)
            return
        values = [text for _, text in rest]
        if not values:
            self.diag(line, "warning", f"no_{name}", f"「{raw_key}」没有填写内容")
            return
        if name in project.fields:
            self.diag(
                line,
                "warning",
                "repeated_field",
                f"「{raw_key}」重复出现，保留第一次的值；本行内容：{' | '.join(values)}",
            )
            return
        project.fields[name] = values[0]
        if len(values) > 1:
            self.diag(line, "info", "extra_cells", f"「{raw_key}」后有多余单元格，已保留于此：{' | '.join(values[1:])}")

    def _period_row(self, line: int, rest: list[tuple[int, str]]) -> None:
        project = self.current
        assert project is not None
        years: list[tuple[int, int]] = []
        others: list[str] = []
        for col, text in rest:
            found = re.findall(r"(?:19|20|21)\d{2}", text)
            year_cell = bool(found) and re.fullmatch(r"((19|20|21)\d{2}\s*年?度?\s*[-~至到—]*\s*)+", text)
            if year_cell and len(years) + len(found) <= 2:
                years.extend((int(y), col) for y in found)
            elif _key(text) not in _PERIOD_LABELS:
                others.append(text)
        if years:
            (project.start_year, start_col), (project.end_year, end_col) = years[0], years[-1]
            project.origin["start_year"] = (line, start_col)
            project.origin["end_year"] = (line, end_col)
        else:
            self.diag(line, "warning", "no_period", "实施周期没有可识别的年份")
        if others:
            self.diag(line, "info", "extra_cells", f"实施周期行中的其他内容：{' | '.join(others)}")

    def _budget_row(
        self, line: int, raw_key: str, key: str, rest: list[tuple[int, str]], *, sources_only: bool
    ) -> None:
        project = self.current
        assert project is not None
        wan = "万元" in key or (sources_only and self.budget_wan)
        if not sources_only:
            self.budget_wan = wan
        year = _YEAR.search(raw_key)
        if year and project.budget_year is None:
            project.budget_year = int(year.group(1))
        # Pair each number with the label before it; the key itself labels the first.
        label = raw_key if sources_only else None
        for _, text in rest:
            amount = (
                parse_amount(text, wan=wan)
                if _NUMBER.fullmatch(text.replace(" ", "").replace("万元", "").replace("元", ""))
                else None
            )
            if amount is None and (free := budgets.free_text(text, wan=wan)) is not None:
                amount = free.amount
                self._budget_breakdown(line, text, free)
            if amount is None:
                if label is not None and label != raw_key:
                    self.diag(line, "info", "budget_extra", f"预算行中的文字「{label}」")
                label = text
                continue
            label_key = _key(label) if label else ""
            if budgets.is_period_total(label_key):
                self.diag(
                    line,
                    "info",
                    "budget_period",
                    f"实施周期资金「{label}」：{text}（{amount:,.2f} 元），不是年度预算，未计入",
                )
            elif label is None or _TOTAL_LABEL.match(label_key) or _is_budget_key(label_key):
                if project.budget_yuan is None:
                    project.budget_yuan, project.budget_raw = amount, text
                else:
                    self.diag(
                        line,
                        "info",
                        "budget_extra",
                        f"预算行中的另一个金额「{text}」（{label or raw_key}），未计入预算",
                    )
            elif _SOURCE_KEY.match(label_key):
                project.sources.append((label, amount))
                self.diag(
                    line,
                    "info",
                    "budget_source",
                    f"资金来源「{label}」：{text}{'万元' if wan and '元' not in text else ''}（{amount:,.2f} 元）",
                )
            else:
                self.diag(line, "info", "budget_extra", f"预算行中「{label}」：{text}，未计入预算")
            label = None
        if label is not None and label != raw_key:
            self.diag(line, "info", "budget_extra", f"预算行中的文字「{label}」")

    def _budget_breakdown(self, line: int, text: str, free: budgets.FreeText) -> None:
        parts = "；".join(f"{label} {amount:,.2f} 元" for label, amount in free.parts)
        self.diag(
            line,
            "info",
            "budget_free_text",
            f"预算金额写作文字「{text}」，读作 {free.amount:,.2f} 元" + (f"；其中 {parts}" if parts else ""),
        )

    # -- goals -----------------------------------------------------------

    def _goal_cells(self, line: int, cells: list[tuple[int, str]]) -> None:
        project = self.current
        assert project is not None
        for _, text in cells:
            key = _key(text)
            if _PERIOD_MARKER.match(key):
                self.goal_slot = "period"
            elif _ANNUAL_MARKER.match(key):
                self.goal_slot = "annual"
            else:
                project.goals[self.goal_slot].append(text)

    # -- indicator table -------------------------------------------------

    def _header_row(self, line: int, cells: list[tuple[int, str]], family: Family, *, width: int) -> None:
        self.tables += 1
        self.reader = None
        self.header_line = line
        if family is Family.FLAT:
            # Each project of a flat table starts at its own row, not at the title.
            self.pending_title = None
            self.reader = FlatReader(self, line, cells, width)
            return
        self.ensure_project(line, family=family)
        groups, self.horizon_groups = self.horizon_groups, None
        if family is Family.HORIZONS:
            self.reader = HorizonsReader(self, line, cells, groups=groups)
            self.mode = _INDICATORS
            return
        if family is Family.TWO_LEVEL:
            self.reader = TwoLevelReader(self, line, cells, width)
            self.mode = _INDICATORS
            return
        project = self.current
        assert project is not None
        name_col = None
        level2_col = None
        for col, text in cells:
            key = _key(text)
            if key in families.LEVEL2_LABELS:
                level2_col = col
            if key in families.NAME_LABELS:
                name_col = col
        if name_col is None:
            name_col = (level2_col or 0) + 1
        for col, text in cells:
            if col <= name_col and _key(text) not in _HEADER_LABELS:
                self.diag(line, "info", "unknown_column", f"表头中的「{text}」不是已知的列名，已忽略")
        columns, unknown = value_columns.from_header(cells, after=name_col, width=width)
        for _, text in unknown:
            self.diag(line, "info", "unknown_column", f"表头列「{text}」不在已知列中，其内容记入诊断")
        if not any(slot in ("period", "annual") for slot in columns.names):
            columns.slots.append(("annual", name_col + 1))
            columns.spans.pop(name_col + 1, None)
        project.header = _Header(line=line, name_col=name_col, columns=columns, level2_col=level2_col)
        if "period" not in project.header.value_slots:
            self.diag(
                line,
                "info",
                "single_value_column",
                "表格没有实施周期指标值列：指标值记为年度指标值，实施周期指标值为空",
            )
        self.mode = _INDICATORS
        self.context = None

    def _subheader_row(self, line: int, cells: list[tuple[int, str]]) -> None:
        # The second row of a two-row header names the columns under a merged cell.
        if self.reader is not None:
            self.reader.refine(line, cells)
        elif self.current is not None and self.current.header is not None:
            self.current.header.columns.refine(cells)
            self.current.header.refresh()
        self.header_line = line

    # -- what family readers call (lib.ingest.families.Sink) -------------

    def start_project(self, line: int, *, family: Family) -> None:
        """Start a project read by a family reader."""
        self._start_project(line)
        assert self.current is not None
        self.current.family = family
        self.mode = _INDICATORS

    def ensure_project(self, line: int, *, family: Family) -> None:
        """Start a project unless one is being read under its title."""
        if self.current is None or self.pending_title is not None:
            self._start_project(line)
        assert self.current is not None
        self.current.family = family

    def project_field(self, line: int, name: str, text: str, *, wan: bool) -> None:
        """Set a field of the current project from a family reader's cell."""
        project = self.current
        assert project is not None
        if name == "budget":
            free = budgets.free_text(text, wan=wan)
            amount = free.amount if free is not None else parse_amount(text, wan=wan)
            if free is not None and project.budget_yuan is None:
                self._budget_breakdown(line, text, free)
            if amount is None or project.budget_yuan is not None:
                self.diag(line, "info", "budget_extra", f"预算栏中的「{text}」未计入预算")
            else:
                project.budget_yuan, project.budget_raw = amount, text
        elif name in ("goal_period", "goal_annual"):
            project.goals[name.removeprefix("goal_")].append(text)
        elif name in project.fields:
            self.diag(line, "info", "repeated_field", f"项目字段重复，保留第一次的值；本格内容：{text}")
        else:
            project.fields[name] = text

    def budget_cells(self, line: int, raw_key: str, cells: list[tuple[int, str]], *, sources_only: bool) -> None:
        """Read a budget row a family reader found: its key, then labels and amounts in reading order."""
        self._budget_row(line, raw_key, _key(raw_key), cells, sources_only=sources_only)

    def resolve_levels(
        self,
        line: int,
        level1: str,
        level2: str,
        inherited: tuple[str, str, str | None, str | None] | None,
    ) -> tuple[str, str, str | None, str | None]:
        """Canonical and raw 一级/二级 of a row whose level cells sit in known columns."""
        l1 = taxonomy.level1_of(level1) if level1 else None
        context_l1 = l1 or (inherited[0] if inherited is not None else None)
        l2 = taxonomy.level2_of(level2, level1=context_l1) if level2 else None
        if level2 and l2 is None and l1 is None and taxonomy.level1_of(level2) is not None:
            # A level 1 in the 二级 column (its merged cell drawn one column right).
            l1, level1, level2 = taxonomy.level1_of(level2), level2, ""
        if level1 and l1 is None:
            self.diag(line, "warning", "unknown_level1", f"一级指标「{level1}」不是已知分类，按上一行的分类读取")
        if level2 and l2 is None:
            self.diag(line, "warning", "unknown_level2", f"二级指标「{level2}」不是已知分类，按上一行的分类读取")
        if l1 is None and l2 is None and inherited is not None:
            return inherited
        return self._set_context(line, l1, l2, level1 if l1 else None, level2 if l2 else None, inherited)

    def add_indicator(
        self,
        line: int,
        levels: tuple[str, str, str | None, str | None],
        name: str | None,
        values: dict[str, str],
        *,
        paired: bool,
    ) -> None:
        """Append an indicator read by a family reader to the current project."""
        self._emit_indicator(line, levels, name, values, paired, [])

    def _indicator_row(self, row: Row, cells: list[tuple[int, str]]) -> None:
        project = self.current
        assert project is not None and project.header is not None
        header = project.header
        line = row.line
        if len(cells) == 1 and re.match(r"^(注|备注|说明)[:：]", cells[0][1]):
            self.diag(line, "info", "note_row", f"表下注释：{cells[0][1]}")
            return

        l1 = l2 = l1_raw = l2_raw = None
        l2_col = None
        rest: list[tuple[int, str]] = []
        inherited = self.context
        for index, (col, text) in enumerate(cells):
            if not rest:
                if l1 is None and "绩效指标" in text and _key(text) in families.LEAD_LABELS:
                    continue
                if l1 is None and l2 is None:
                    candidate = taxonomy.level1_of(text)
                    if candidate is not None and taxonomy.is_ambiguous(text) and inherited is not None:
                        following = cells[index + 1][1] if index + 1 < len(cells) else ""
                        if taxonomy.level2_of(following, level1=candidate) is None:
                            # No level 2 follows: the name is the level 2 itself when it
                            # sits in the 二级 column, or is cost under 产出 (pre-2021 forms).
                            at_level2 = col == header.level2_col
                            old_cost = taxonomy.is_cost(text) and inherited[0] == "产出指标"
                            if at_level2 or old_cost:
                                candidate = None
                    if candidate is not None:
                        l1, l1_raw = candidate, text
                        continue
                if l2 is None:
                    context_l1 = l1 or (inherited[0] if inherited else None)
                    candidate2 = taxonomy.level2_of(text, level1=context_l1)
                    if candidate2 is not None:
                        l2, l2_raw, l2_col = candidate2, text, col
                        continue
            rest.append((col, text))

        if (
            l2 is not None
            and l2_col is not None
            and l2_col >= header.name_col
            and (not rest or _looks_like_value(rest[0][1]))
        ):
            # A category word in the 三级 column followed by values names the
            # indicator itself (e.g. an indicator called 服务对象满意度).
            rest.insert(0, (l2_col, l2_raw))
            l2 = l2_raw = l2_col = None
        under_merged = l1 is None and l2 is not None and inherited is not None and l2_col == header.level2_col
        if under_merged:
            # The level 1 is a merged cell above: the row belongs to it as written.
            l1, l1_raw = taxonomy.level1_of(inherited[2] or "") or inherited[0], inherited[2]
        if not rest:
            # A row of category cells only: it sets the context for the rows below.
            self._set_context(line, l1, l2, l1_raw, l2_raw, inherited)
            return
        level1, level2, level1_raw, level2_raw = self._set_context(line, l1, l2, l1_raw, l2_raw, inherited)

        name_col, name = rest[0]
        row_cells = row.cells
        if header.columns.spans:
            row_cells = header.columns.join_split(row.cells, name_col - header.name_col)
            rest = [(col, row_cells[col]) for col, _ in rest if row_cells[col]]
        values, leftovers, shifted = _assign_values(header, name_col, rest[1:], row_cells)
        if name_col in header.slot_cols and _looks_like_value(name):
            # No 三级 name: the first cell is already a value.
            values, leftovers, shifted = _assign_values(header, header.name_col, rest, row_cells)
            name = None
            self.diag(line, "warning", "no_indicator_name", "指标行没有三级指标名称")
        if shifted:
            self.diag(
                line,
                "info",
                "shifted_row",
                f"指标「{name}」的单元格不在表头所示的列上，按分类名称归入 {level1}/{level2}，按顺序读取指标值",
            )
        self._emit_indicator(line, (level1, level2, level1_raw, level2_raw), name, values, header.has_period, leftovers)

    def _emit_indicator(
        self,
        line: int,
        levels: tuple[str, str, str | None, str | None],
        name: str | None,
        values: dict[str, str],
        has_period_column: bool,
        leftovers: list[tuple[int, str]],
    ) -> None:
        project = self.current
        assert project is not None
        level1, level2, level1_raw, level2_raw = levels
        period = values.get("period")
        annual = values.get("annual")
        if "op" in values or "unit" in values:
            # 指标性质 is a comparator (≥ ＝ …) or says 定性/定量, which is no part of the value.
            op = values.get("op") if values.get("op") not in _NATURE else None
            annual = "".join(part or "" for part in (op, values.get("annual"), values.get("unit"))) or None
        if has_period_column and period is not None and annual is None:
            self.diag(line, "warning", "missing_annual", f"指标「{name}」缺少年度指标值（实施周期值为「{period}」）")
        elif has_period_column and period is None and annual is not None:
            self.diag(line, "warning", "missing_period", f"指标「{name}」缺少实施周期指标值（年度值为「{annual}」）")
        elif period is None and annual is None:
            self.diag(line, "warning", "missing_values", f"指标「{name}」没有指标值")
        for col, text in leftovers:
            self.diag(
                line, "warning", "extra_cell", f"指标「{name}」行第 {col + 1} 列多出单元格「{text}」，未能归入字段"
            )
        weight = None
        if values.get("weight"):
            weight = parse_amount(values["weight"], wan=False)
        if values.get("note"):
            self.diag(line, "info", "indicator_note", f"指标「{name}」的备注：{values['note']}")
        origin = None
        if self.provenance:
            # A value joined from 指标性质 / 指标值 / 度量单位 comes from all three cells.
            read_from = (
                ("level1", level1_raw), ("level2", level2_raw), ("name", name), ("period_value", values.get("period")),
                ("annual_value", values.get("op")), ("annual_value", values.get("annual")),
                ("annual_value", values.get("unit")), ("prior_value", values.get("prior")),
                ("weight", values.get("weight")), ("direction", values.get("direction")),
            )  # fmt: skip
            origin = [(field, *at) for field, text in read_from for at in positions(text)]
        project.indicators.append(
            {
                "origin": origin,
                "line": line,
                "level1": level1,
                "level2": level2,
                "level1_raw": level1_raw,
                "level2_raw": level2_raw,
                "name": name,
                "period_value": period,
                "annual_value": annual,
                "prior_value": values.get("prior"),
                "weight": weight,
                "direction": values.get("direction"),
            }
        )

    def _set_context(
        self,
        line: int,
        l1: str | None,
        l2: str | None,
        l1_raw: str | None,
        l2_raw: str | None,
        inherited: tuple[str, str, str | None, str | None] | None,
    ) -> tuple[str, str, str | None, str | None]:
        """Resolve the row's categories from its own cells, the taxonomy and the rows above."""
        if l2 is not None:
            parent = taxonomy.parent(l2)
            if l1 is None:
                if inherited is None or inherited[0] != parent:
                    self.diag(
                        line,
                        "info",
                        "level1_inferred",
                        f"二级指标「{l2_raw}」所在行没有一级指标，按分类归入「{parent}」",
                    )
                l1_raw = inherited[2] if inherited is not None and inherited[0] == parent else None
            elif l1 != parent:
                self.diag(
                    line,
                    "info",
                    "level1_mismatch",
                    f"二级指标「{l2_raw}」填在一级指标「{l1_raw}」下，按分类归入「{parent}」，原文保留",
                )
            resolved = (parent, l2, l1_raw, l2_raw)
        elif l1 is not None:
            if inherited is not None and inherited[0] == l1:
                resolved = (l1, inherited[1], l1_raw, inherited[3])
            else:
                default = taxonomy.default_level2(l1)
                if default is None:
                    self.diag(
                        line,
                        "warning",
                        "unclassified",
                        f"一级指标「{l1_raw}」下没有可识别的二级指标，二级记为「未分类」",
                    )
                resolved = (l1, default or "未分类", l1_raw, None)
        elif inherited is not None:
            resolved = inherited
        else:
            self.diag(line, "warning", "unclassified", "指标行之前没有一级/二级指标，记为「未分类」")
            resolved = ("未分类", "未分类", None, None)
        self.context = resolved
        return resolved

    # -- result ----------------------------------------------------------

    def result(self) -> ParsedDocument:
        self._finish_project()
        projects: list[dict] = []
        indicators: list[dict] = []
        names: Counter[str] = Counter()
        for index, project in enumerate(self.projects):
            project_id = f"{self.document_id}-{index:03d}"
            name = project.fields.get("name")
            if name is None:
                name = f"未命名项目（第{project.line}行）"
                self._diag_for(project_id, project.line, "warning", "no_name", f"项目表没有项目名称，记为「{name}」")
            names[name] += 1
            if names[name] == 2:
                self._diag_for(project_id, project.line, "warning", "duplicate_name", f"项目名称「{name}」在文档中重复")
            absent = [label for key, label in _REPORTED_FIELDS.items() if key not in project.fields]
            if project.start_year is None:
                absent.append("实施周期")
            if absent:
                self._diag_for(
                    project_id, project.line, "info", "absent_fields", f"项目「{name}」的表格没有：{'、'.join(absent)}"
                )
            budget = project.budget_yuan
            if budget is None and project.sources:
                summed = budgets.total_from_sources(project.sources)
                budget = summed.total
                parts = (
                    f"（{'、'.join(summed.parts_of_subtotals)}是小计的明细，未重复计入）"
                    if summed.parts_of_subtotals
                    else ""
                )
                self._diag_for(
                    project_id,
                    project.line,
                    "info",
                    "budget_from_sources",
                    f"表格没有预算总额，按资金来源合计为 {budget:,.2f} 元{parts}",
                )
            elif budget is None:
                self._diag_for(
                    project_id, project.line, "warning", "no_budget", f"项目「{name}」没有预算金额，预算记为空"
                )
            origin = None
            if self.provenance:
                read_from = [(key, project.fields.get(key)) for key in ("name", "type", "level", "department", "unit")]
                read_from += [("budget_raw", project.budget_raw)]
                read_from += [(f"goal_{slot}", text) for slot in ("period", "annual") for text in project.goals[slot]]
                origin = [(key, *at) for key, text in read_from for at in positions(text)]
                origin += [(key, *at) for key, at in project.origin.items()]
            projects.append(
                {
                    "origin": origin,
                    "project_id": project_id,
                    "document_id": self.document_id,
                    "line": project.line,
                    "name": name,
                    "type": project.fields.get("type"),
                    "level": project.fields.get("level"),
                    "department": project.fields.get("department"),
                    "unit": project.fields.get("unit"),
                    "start_year": project.start_year,
                    "end_year": project.end_year,
                    "budget_year": project.budget_year or project.table_year or self.title_year,
                    "budget_yuan": budget,
                    "budget_raw": project.budget_raw,
                    "goal_period": plain_text("\n".join(project.goals["period"])) or None,
                    "goal_annual": plain_text("\n".join(project.goals["annual"])) or None,
                }
            )
            for number, indicator in enumerate(project.indicators):
                # In place: a copy per indicator costs more than the rest of this loop.
                indicator["indicator_id"] = f"{project_id}-{number:03d}"
                indicator["project_id"] = project_id
                indicators.append(indicator)
        year = self.title_year
        if year is None:
            years = Counter(p["budget_year"] for p in projects if p["budget_year"])
            year = years.most_common(1)[0][0] if years else None
        department = self.title_department
        if department is None:
            departments = Counter(p["department"] for p in projects if p["department"])
            department = departments.most_common(1)[0][0] if departments else None
        if not projects:
            self.diagnostics.append(
                diagnostic(
                    document_id=self.document_id, source=self.source, line=None, severity="error", code="no_table",
                    text="没有找到项目绩效目标表（项目名称、绩效指标等），文档未载入任何项目",
                )
            )  # fmt: skip
        return ParsedDocument(
            title=self.title,
            year=year,
            department=department,
            preamble="\n".join(self.preamble) or None,
            projects=projects,
            indicators=indicators,
            diagnostics=self.diagnostics,
        )

    def _diag_for(self, project_id: str, line: int, severity: str, code: str, message: str) -> None:
        self.diagnostics.append(
            diagnostic(
                document_id=self.document_id, source=self.source, line=line, severity=severity, code=code,
                text=message, project_id=project_id,
            )
        )  # fmt: skip


_REPORTED_FIELDS = {"type": "项目类型", "level": "项目等级", "department": "主管部门", "unit": "用款单位"}


def _is_budget_key(key: str) -> bool:
    return len(key) <= 30 and bool(_BUDGET_KEY.search(key)) and not _SOURCE_KEY.match(key)


class _FirstCell(NamedTuple):
    """What a row's first cell can say about the row, whatever the rest holds."""

    key: str
    table_title: bool  # "…项目绩效目标表" when alone on its line
    year: int | None  # "2026年" when alone on its line
    is_name: bool
    is_key: bool
    is_source: bool
    goal_slot: str | None
    signoff: bool  # 财政部门审核意见, 填报人, 联系电话 …: closes the table
    starts_groups: bool  # 长期绩效指标, 预期产出指标 or a lead label: may open a row of block labels
    #: Nothing about the cell stops an indicator table's row from being an indicator row:
    #: no project name, sign-off, block label or column label (every header starts with one).
    plain: bool


@functools.lru_cache(maxsize=65536)
def _first_cell(first: str) -> _FirstCell:
    """Classify a first cell once: documents repeat the same first cells row after row."""
    key = _key(first)
    title = first.lstrip("#").strip()
    year = _YEAR_LINE.match(key)
    return _FirstCell(
        key=key,
        table_title=len(title) <= 40 and bool(_TABLE_TITLE.search(title)),
        year=int(year.group(1)) if year else None,
        is_name=_FIELD_KEYS.get(key) == "name",
        is_key=key in _FIELD_KEYS or _is_budget_key(key),
        is_source=bool(_SOURCE_KEY.match(key)),
        goal_slot=_GOAL_KEYS.get(key),
        signoff=(signoff := families.is_signoff(key)),
        starts_groups=(starts_groups := families.horizon_group(key) is not None or key in families.LEAD_LABELS),
        plain=not (
            signoff
            or starts_groups
            or _FIELD_KEYS.get(key) == "name"
            # Labels are short; most distinct first cells are long sentences (goals, notes).
            or (
                len(key) <= _LONGEST_LABEL
                and (
                    families.is_header_label(first)
                    or families.level_label(key) is not None
                    or families.flat_field(key) is not None
                )
            )
        ),
    )


#: No column or level label is longer than this (the longest, 年度部门整体支出预算资金总额(万元), has 20).
_LONGEST_LABEL = 40


def release_caches() -> None:
    """Drop the parser's memo tables (see lib.loader: kept alive they pin memory)."""
    _first_cell.cache_clear()
    families.release_caches()
    taxonomy.normalise.cache_clear()


_VALUE_HINT = re.compile(r"^[≥≤><＞＜≧≦=±]|^\d|%$|万元$|^(优|良|良好|合格|是|否|较好|优良)$")


def _looks_like_value(text: str) -> bool:
    return bool(_VALUE_HINT.search(text)) and len(text) <= 20


def _assign_values(
    header: _Header,
    name_col: int,
    rest: list[tuple[int, str]],
    row_cells: tuple[str, ...],
) -> tuple[dict[str, str], list[tuple[int, str]], bool]:
    """Values of an indicator row by header slot, with cells that found no slot.

    The row is read by the header's columns, moved by as many columns as the
    name is moved; when that leaves a value cell unread (the row is ragged,
    not just moved), the values are read in order instead.
    """
    offset = name_col - header.name_col
    positional: dict[str, str] = {}
    used: set[int] = set()
    for slot, col in header.slots:
        at = col + offset
        if 0 <= at < len(row_cells) and row_cells[at] and slot not in positional:
            positional[slot] = row_cells[at]
            used.add(at)
    if all(col in used for col, _ in rest):
        return positional, [], offset != 0
    ordered: dict[str, str] = {}
    leftovers: list[tuple[int, str]] = []
    value_slots = header.value_slots
    for index, (col, text) in enumerate(rest):
        if index < len(value_slots) and value_slots[index] not in ordered:
            ordered[value_slots[index]] = text
        else:
            leftovers.append((col, text))
    return ordered, leftovers, True


def parse_rows(rows: Iterable[Row], *, document_id: str, source: str, provenance: bool = False) -> ParsedDocument:
    """Parse the rows of one document into records.

    Parameters
    ----------
    rows
        The document's rows, in order, each with its line number.
    document_id, source
        Stamped on every record and diagnostic.
    provenance
        Give each record an ``origin``: ``(field, line, column)`` of every
        cell a field was read from (0-based column); None otherwise.

    Examples
    --------
    >>> from lib.ingest.text import split_rows
    >>> doc = parse_rows(split_rows("项目名称\\t示例\\n2026年预算金额(元)\\t1,000.00"), document_id="d", source="x.txt")
    >>> doc.projects[0]["budget_yuan"]
    1000.0
    >>> parse_rows(split_rows("项目名称\\t示例"), document_id="d", source="x.txt", provenance=True).projects[0]["origin"]
    [('name', 1, 1)]
    """
    parser = _DocumentParser(document_id, source, provenance=provenance)
    for row in rows:
        parser.feed(row)
    return parser.result()
