"""Table families of the genre: which reader a table needs, decided from its header.

Published performance-target tables come in a handful of layouts (DOMAIN.md,
"More families seen in published tables"). The header row, and for a
two-row header the row under it, names the family; each family then has a
small reader of its own. This module holds what the families share: the
:class:`Family` enum, the header vocabulary (column slots, level columns,
lead labels, horizons, project columns of flat tables) and the rows that
close a table (sign-off and contact rows), so that every reader speaks the
same words.
"""

from __future__ import annotations

import enum
import functools
import re
from typing import Protocol


class Family(enum.Enum):
    """Layouts of the indicator table, as the header row shows them."""

    #: The reference: key/value rows above one 一级/二级/三级 table with value columns.
    KEY_VALUE = "key_value"
    #: The reference layout with a lead label (绩效指标, 年度绩效指标) in column 0 of every row.
    LEAD_LABEL = "lead_label"
    #: One row per indicator, the project's fields repeated (or blank) in the first columns.
    FLAT = "flat"
    #: Two blocks side by side: 长期/中期 and 年度, or 预期产出指标 and 效果指标.
    HORIZONS = "horizons"
    #: Two levels only: 指标类型 (or 一级指标) and 指标名称, no 二级 column.
    TWO_LEVEL = "two_level"
    #: A department-wide table (部门整体支出绩效目标表): one "project" for the whole department.
    DEPARTMENT = "department"
    #: A header naming indicators but fitting no family: its rows are kept in diagnostics.
    UNKNOWN = "unknown"


_KEY_NOISE = re.compile(r"[\s\u3000#*]+")


@functools.lru_cache(maxsize=65536)
def key(cell: str) -> str:
    """Normalise a header or key cell: no spaces or '#', ASCII brackets, no trailing colon.

    >>> key("指标值（长期） ")
    '指标值(长期)'
    """
    text = _KEY_NOISE.sub("", cell)
    text = text.replace("（", "(").replace("）", ")").replace("：", ":")
    return text.rstrip(":")


def release_caches() -> None:
    """Drop the memo table of :func:`key` (see lib.ingest.parser.release_caches)."""
    key.cache_clear()
    _classify.cache_clear()
    column_slot.cache_clear()
    level_label.cache_clear()
    department_table.cache_clear()


# ---------------------------------------------------------------- value columns

#: Value-column headers, first match wins. "年度" is also inside "实施周期年度…",
#: so the period and the other specific columns come before the annual one, and
#: a value column "with unit" (指标值及单位) before the unit column.
COLUMN_SLOTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), slot)
    for pattern, slot in (
        (r"实施周期|中期|长期|总体|周期", "period"),
        (r"上年|上一年|前一年|实际|完成值", "prior"),
        (r"符号|运算|性质|比较", "op"),
        (r"(指标|目标)值.*(及|和|含|与|\+).*单位|值及单位", "annual"),
        (r"单位", "unit"),
        (r"权重|分值", "weight"),
        (r"方向", "direction"),
        (r"备注|说明|标准|描述|解释|完成情况", "note"),
        (r"年度|本年|当年|目标值|指标值|值", "annual"),
    )
)


@functools.lru_cache(maxsize=4096)
def column_slot(cell_key: str) -> str | None:
    """The value slot a header key names, or ``None``.

    >>> column_slot("指标值及单位"), column_slot("度量单位"), column_slot("实施周期指标值")
    ('annual', 'unit', 'period')
    """
    return next((slot for pattern, slot in COLUMN_SLOTS if pattern.search(cell_key)), None)


LEVEL1_LABELS = frozenset({"一级指标", "一级指标名称"})
LEVEL2_LABELS = frozenset({"二级指标", "二级指标名称"})
NAME_LABELS = frozenset({"三级指标", "指标名称", "三级指标名称", "指标内容"})
#: The level-1 column of a two-level table (指标类型 / 指标名称).
TYPE_LABELS = frozenset({"指标类型", "指标类别", "指标分类", "指标大类"})
#: Column-0 labels of the indicator part: the reference writes 绩效指标 once
#: (a merged cell), the lead-label family on every row.
LEAD_LABELS = frozenset({"绩效指标", "年度绩效指标", "本年度绩效指标", "项目绩效指标", "绩效指标体系"})
HEADER_LABELS = LEVEL1_LABELS | LEVEL2_LABELS | NAME_LABELS | LEAD_LABELS | TYPE_LABELS


def may_name_levels(joined: str) -> bool:
    """Cheap test on a row's joined text: could the row be an indicator header?

    >>> may_name_levels("一级指标二级指标三级指标指标值"), may_name_levels("指标类型指标名称指标值"), may_name_levels("培训人数≥300人")
    (True, True, False)
    """
    return "级指标" in joined or "指标类" in joined or "指标分类" in joined


# ---------------------------------------------------------------- horizons

#: A horizon tag inside a header cell: 三级指标(长期), 长期绩效指标, 年度指标值.
_PERIOD_TAG = re.compile(r"长期|中期|实施周期|中长期")
_ANNUAL_TAG = re.compile(r"年度|本年|当年")


def horizon_of(cell_key: str) -> str | None:
    """``"period"`` or ``"annual"`` for a header cell tagged with its horizon, else ``None``.

    >>> horizon_of("三级指标(长期)"), horizon_of("指标值(年度)"), horizon_of("三级指标")
    ('period', 'annual', None)
    """
    if _PERIOD_TAG.search(cell_key):
        return "period"
    if _ANNUAL_TAG.search(cell_key):
        return "annual"
    return None


@functools.lru_cache(maxsize=4096)
def level_label(cell_key: str) -> str | None:
    """Which level column a header key names, with any horizon tag ignored.

    >>> level_label("二级指标(长期)"), level_label(key("三级指标（年度）")), level_label("指标值")
    ('level2', 'name', None)
    """
    bare = re.sub(r"\((长期|中期|实施周期|中长期|年度|本年|当年)\)|^(长期|中期|年度)", "", cell_key)
    if bare in LEVEL1_LABELS:
        return "level1"
    if bare in LEVEL2_LABELS:
        return "level2"
    if bare in NAME_LABELS:
        return "name"
    return None


# ---------------------------------------------------------------- flat tables

#: Columns before the levels of a flat table, each naming a project field.
FLAT_PROJECT_COLUMNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), field)
    for pattern, field in (
        (r"编码|代码|编号|序号", "code"),
        (r"^项目(支出)?名称$|^项目$", "name"),
        (r"主管部门|主管单位", "department"),
        (r"单位|部门", "unit"),
        (r"类型|类别", "type"),
        (r"金额|预算|资金|合计", "budget"),
        (r"实施周期|中期|长期|总体", "goal_period"),
        (r"目标", "goal_annual"),
    )
)


def flat_field(cell_key: str) -> str | None:
    """The project field a flat table's leading column holds, or ``None``.

    >>> flat_field("单位名称"), flat_field("项目金额(万元)"), flat_field("年度绩效目标")
    ('unit', 'budget', 'goal_annual')
    """
    return next((name for pattern, name in FLAT_PROJECT_COLUMNS if pattern.search(cell_key)), None)


# ---------------------------------------------------------------- labels

#: Header and marker cells that name a column or a part of the table, never data.
_HEADER_WORDS = re.compile(
    r"^((单位|部门|项目)(编码|代码|名称)|项目(支出)?名称|(项目|年度|预算)?(金额|资金)(\(万?元\))?"
    r"|(长期|中期|中长期|年度|实施周期)(绩效)?目标"
    r"|(指标值|目标值)(及单位|\((长期|中期|年度|实施周期)\))?|指标性质|度量单位|权重|指标方向|序号"
    # Two-level tables: the description and score columns.
    r"|指标(解释|说明)|评\(计\)分标准|评分标准|计分标准|分值"
    # Department-wide tables: the key rows above the indicators.
    r"|部门\(单位\)名称|部门职责|部门职能|年度主要任务|任务名称|主要内容"
    r"|(年度|中期)?资金(总额|合计)"
    r"|(年度)?(部门)?(整体支出)?预算(资金)?(总额)?(\(万?元\))?)$"
)


def is_header_label(text: str) -> bool:
    """True for a cell that labels a column or a part of the table rather than holding data.

    >>> is_header_label("三级指标（长期）"), is_header_label("本年度 绩效指标"), is_header_label("培训人数")
    (True, True, False)
    >>> is_header_label("部门预算总额（万元）"), is_header_label("评(计)分标准"), is_header_label("年度部门整体支出预算（万元）")
    (True, True, True)
    """
    cell_key = key(text)
    return cell_key in HEADER_LABELS or level_label(cell_key) is not None or bool(_HEADER_WORDS.match(cell_key))


# ---------------------------------------------------------------- classification

#: Words of a header cell that names indicators, used to tell an unknown table's header.
_INDICATOR_HEADER = re.compile(r"指标|目标值|分值|权重")


def classify_header(keys: list[str]) -> Family | None:
    """The family a header row names, or ``None`` when the row is no indicator header.

    ``keys`` are the row's non-empty cells, normalised with :func:`key`.

    >>> classify_header(["一级指标", "二级指标", "三级指标", "指标值"])
    <Family.KEY_VALUE: 'key_value'>
    >>> classify_header(["项目名称", "一级指标", "二级指标", "三级指标", "指标值"])
    <Family.FLAT: 'flat'>
    >>> classify_header(["二级指标(长期)", "三级指标(长期)", "指标值(长期)", "二级指标(年度)", "三级指标(年度)", "指标值(年度)"])
    <Family.HORIZONS: 'horizons'>
    >>> classify_header(["指标类型", "指标名称", "指标解释", "指标值"])
    <Family.TWO_LEVEL: 'two_level'>
    """
    return _classify(tuple(keys))


@functools.lru_cache(maxsize=4096)
def _classify(keys: tuple[str, ...]) -> Family | None:
    # Documents repeat the same header once per project.
    levels = [level_label(k) for k in keys]
    if levels.count("name") >= 2 and levels.count("level2") != 1 and not any(flat_field(k) == "name" for k in keys):
        return Family.HORIZONS
    has_level1 = "level1" in levels
    has_level2 = "level2" in levels
    if not has_level2 and "name" in levels and (has_level1 or any(k in TYPE_LABELS for k in keys)):
        return Family.TWO_LEVEL
    if not (has_level1 and has_level2) and not (has_level2 and "name" in levels):
        return None
    if any(flat_field(k) == "name" for k in keys):
        return Family.FLAT
    if keys and keys[0] in LEAD_LABELS and keys[0] != "绩效指标":
        return Family.LEAD_LABEL
    return Family.KEY_VALUE


def looks_like_unknown_header(keys: list[str]) -> bool:
    """True for a row of three or more short labels, two naming indicators or targets.

    Such a row heads a table; when :func:`classify_header` places it in no
    family, its rows are kept in diagnostics rather than guessed into fields.

    >>> looks_like_unknown_header(["序号", "绩效指标名称", "目标值", "完成时限"])
    True
    """
    if len(keys) < 3 or any(len(k) > 12 for k in keys):
        return False
    return sum(1 for k in keys if _INDICATOR_HEADER.search(k)) >= 2


# ---------------------------------------------------------------- department-wide tables

_DEPARTMENT_TABLE = re.compile(r"(部门(?:\s*[(（]\s*单位\s*[)）])?\s*整体\s*(?:支出)?)\s*(?:预算)?\s*绩效目标")


@functools.lru_cache(maxsize=4096)
def department_table(text: str) -> str | None:
    """The table's own name for a department-wide table title (部门整体支出绩效目标表), else ``None``.

    >>> department_table("2021年东莞市档案馆部门整体支出绩效目标表"), department_table("部门（单位）整体支出绩效目标申报表")
    ('部门整体支出', '部门（单位）整体支出')
    >>> department_table("2026年东莞市某局部门预算绩效目标批复情况") is None
    True
    """
    match = _DEPARTMENT_TABLE.search(text)
    return match.group(1) if match and len(text) <= 60 else None


# ---------------------------------------------------------------- horizon group rows

#: A label over a block of a two-block header: its horizon, or the level 1 the block holds.
_GROUP_LABELS = (
    (re.compile(r"^(长期|中期|中长期|实施周期)(绩效)?指标$"), "period"),
    (re.compile(r"^(年度|本年度?|当年)(绩效)?指标$"), "annual"),
    (re.compile(r"^(预期)?产出指标$"), "产出指标"),
    (re.compile(r"^(预期)?(效果|效益)指标$"), "效益指标"),
)


def horizon_group(cell_key: str) -> str | None:
    """What a group label above a two-block header says: ``period``, ``annual`` or a level 1.

    >>> horizon_group("长期绩效指标"), horizon_group("年度指标"), horizon_group("预期产出指标"), horizon_group("数量指标")
    ('period', 'annual', '产出指标', None)
    """
    # Every label ends in 指标; the parser asks this of every distinct first cell.
    if not cell_key.endswith("指标"):
        return None
    return next((tag for pattern, tag in _GROUP_LABELS if pattern.match(cell_key)), None)


def horizon_groups(cells: list[tuple[int, str]]) -> list[tuple[int, str, str]] | None:
    """The ``(column, tag, text)`` of a row of block labels above a two-block header, else ``None``.

    Exactly two labels, either two horizons or 产出 beside 效果; a lead label
    in column 0 (绩效指标) may stand before them.

    >>> horizon_groups([(0, "长期绩效指标"), (4, "年度绩效指标")])
    [(0, 'period', '长期绩效指标'), (4, 'annual', '年度绩效指标')]
    >>> horizon_groups([(0, "年度绩效指标"), (1, "产出指标")]) is None
    True
    """
    if len(cells) > 3:  # two labels and a lead label at most
        return None
    groups: list[tuple[int, str, str]] = []
    for col, text in cells:
        cell_key = key(text)
        if col == 0 and cell_key in LEAD_LABELS:
            continue
        tag = horizon_group(cell_key)
        if tag is None:
            return None
        groups.append((col, tag, text))
    tags = {tag for _, tag, _ in groups}
    if len(groups) != 2 or tags not in ({"period", "annual"}, {"产出指标", "效益指标"}):
        return None
    return groups


def is_subheader(keys: list[str]) -> bool:
    """True for the second row of a two-row header (指标性质 / 指标值 / 度量单位 under 指标值).

    >>> is_subheader(["指标性质", "指标值", "度量单位"])
    True
    """
    return len(keys) >= 2 and all(column_slot(k) is not None or level_label(k) is not None for k in keys)


# ---------------------------------------------------------------- sign-off rows

#: First cells of the rows after a table: opinions, signatures, contacts, dates.
_SIGNOFF = re.compile(
    r"^((财政|主管|预算|归口|业务)?(部门|单位|处室|科室)?(审核|审批|审查|评审)意见"
    r"|填报人|填表人|联系人|联系电话|电话|填报日期|填表日期|日期:|单位负责人|负责人|财务负责人"
    r"|审核人|经办人|分管领导|(单位)?(盖章|公章)|\(?盖章\)?)"
)


def is_signoff(cell_key: str) -> bool:
    """True for the first cell of a sign-off or contact row: never an indicator.

    >>> is_signoff("财政部门审核意见"), is_signoff("填报人:李明"), is_signoff("培训人数")
    (True, True, False)
    """
    return bool(_SIGNOFF.match(cell_key))


# ---------------------------------------------------------------- operators split from numbers

_OPERATOR_CELL = re.compile(
    r"^(≥|≤|>|<|=|＞|＜|＝|≧|≦|>=|<=|=>|=<|⩾|⩽|大于等于|小于等于|大于|小于|等于|不低于|不高于|不少于|不超过|定性|定量)$"
)
_NUMBER_CELL = re.compile(r"^[-+]?\d[\d,，]*(\.\d+)?$")
_UNIT_CELL = re.compile(r"^[^\d≥≤<>=＞＜≧≦]{1,8}$")


def is_operator(text: str) -> bool:
    """True for a cell holding only a comparator (≥, >=, ≧, 不低于 …).

    >>> is_operator("≧"), is_operator(">="), is_operator("≥95%")
    (True, True, False)
    """
    return bool(_OPERATOR_CELL.match(text.replace(" ", "")))


def join_split_value(texts: list[str]) -> tuple[str, int] | None:
    """One value from an operator, a number and a unit written in separate cells.

    Returns the joined text and how many cells it used, or ``None`` when
    ``texts`` does not start with an operator or a bare number followed by
    its unit.

    >>> join_split_value(["≧", "12", "次", "20"])
    ('≧12次', 3)
    >>> join_split_value(["95", "%"])
    ('95%', 2)
    """
    index = 0
    parts: list[str] = []
    if texts and is_operator(texts[0]) and texts[0] not in ("定性", "定量"):
        parts.append(texts[0].strip())
        index = 1
    if index >= len(texts) or not _NUMBER_CELL.match(texts[index]):
        return None
    parts.append(texts[index])
    index += 1
    if index < len(texts) and _UNIT_CELL.match(texts[index]) and not _NUMBER_CELL.match(texts[index]):
        parts.append(texts[index])
        index += 1
    if index < 2:
        return None
    return "".join(parts), index


# ---------------------------------------------------------------- the parser, as readers see it


class Sink(Protocol):
    """What a family reader needs from the parser: projects, categories, indicators, diagnostics."""

    def diag(self, line: int | None, severity: str, code: str, message: str) -> None:
        """Record a diagnostic for ``line`` (its text keeps what was not read)."""

    def start_project(self, line: int, *, family: Family) -> None:
        """Start a project at ``line`` (or at the table title above it)."""

    def ensure_project(self, line: int, *, family: Family) -> None:
        """Make sure a project is being read; start one at ``line`` if not."""

    def project_field(self, line: int, name: str, text: str, *, wan: bool) -> None:
        """Set a field of the current project: name, unit, department, type, budget or a goal."""

    def budget_cells(self, line: int, raw_key: str, cells: list[tuple[int, str]], *, sources_only: bool) -> None:
        """Read a budget row: its key (a total, or a 其中 source when ``sources_only``), then labels and amounts."""

    def resolve_levels(
        self,
        line: int,
        level1: str,
        level2: str,
        inherited: tuple[str, str, str | None, str | None] | None,
    ) -> tuple[str, str, str | None, str | None]:
        """Canonical and raw 一级/二级 of a row from its level cells and the rows above."""

    def add_indicator(
        self,
        line: int,
        levels: tuple[str, str, str | None, str | None],
        name: str | None,
        values: dict[str, str],
        *,
        paired: bool,
    ) -> None:
        """Append an indicator to the current project; ``paired`` when period and annual both belong."""
