"""Synthetic documents of the other template families, with the truth they encode.

:mod:`lib.testing.synth` writes the reference (key/value) layout. The genre has other
layouts (DOMAIN.md, "More families seen in published tables"), each read by a
reader of its own; this module writes documents in six of them, with the
same projects, vocabulary and :class:`~lib.synth.Truth` types as
:mod:`lib.testing.synth`, so a reader can be checked against what the text encodes:

``"flat"``
    One row per indicator. The first columns hold the unit, the project name,
    the budget in 万元 and the annual goal, repeated on every row or blank under
    a project's first row; a department subtotal row (code, name, total)
    precedes the projects; the value is split into 指标性质 / 指标值 / 度量单位,
    followed by 权重 and 指标方向.
``"horizons"``
    Key/value rows, then 长期 (or 中期) and 年度 halves side by side: 二级 / 三级 /
    指标值 once per horizon, a shared 一级 column. A half can be empty, and the
    two halves of a row can name the indicator alike (one indicator with both
    values) or not (two indicators, one value each).
``"lead_label"``
    Key/value rows, then an indicator table whose column 0 holds a lead label
    (绩效指标, 年度绩效指标, 本年度 绩效指标 …) on every row. The value is one cell,
    or an operator, a number and a unit under one merged 指标值 header, or a
    period and an annual column.
``"two_row_header"``
    Key/value rows, then a header whose 指标值 cell spans 指标性质 / 指标值 / 度量单位
    named on a second header row, then 权重 and 指标方向; older documents name
    level 1 项目完成指标 / 项目效益指标.
``"two_level"``
    Key/value rows (the budget sometimes as free text, 600万(其中：…)), then a
    table of two levels only: 指标类型 (or 一级指标) and 指标名称, a description
    column (指标解释, 评(计)分标准 …), the value and often 分值. The type column
    names level 1 (merged or repeated), or in some tables level 2. A table
    with no level 2 files its indicators under the taxonomy's default level 2
    (满意度 → 服务对象满意度指标, 成本 → 经济成本指标), any other under 未分类:
    the level 2 is never guessed from the indicator's name.
``"department"``
    Department-wide tables (部门整体支出绩效目标表), one per table and no
    project rows: the department's, then one per spending unit. Each is one
    "project" named after the table and typed 部门整体支出: the unit (and its
    主管部门), the budget as a total with 其中 rows, as labels over a row of
    amounts, or as 其中 rows alone (a 小计 counted once), the duties (the
    period goal), the year's tasks and overall goal (the annual goal, in
    reading order), then a three-level or a two-level indicator table.

Every document starts with a title line ("2021年东莞市教育局项目支出绩效目标申报表
(2021年度)"; "2021年东莞市教育局部门整体支出绩效目标表" for department-wide
tables) and ends its tables with sign-off rows (审核意见, 填报人, 联系电话),
which are never indicators. Cells are written as published: padding spaces,
full-width brackets and colons, budgets in 万元.

The content of each project is a clean :mod:`lib.testing.synth` project (its
``Plan``), drawn from a ``random.Random`` seeded with ``f"{seed}:{template}"``;
layout decisions draw from their own stream (``…:layout``), so the same
arguments always give the same text.

Examples
--------
>>> text, truth = generate_family_document_with_truth("flat", 3, seed=1)
>>> text.splitlines()[0].endswith("项目支出绩效目标申报表(2021年度)")
True
>>> len(truth.projects), truth.template
(3, 'flat')
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import polars as pl

from lib import schema

# The content generator and the department vocabulary are private to
# lib.synth; they are imported, not copied, so both modules draw the same projects.
from lib.testing.synth import DEPARTMENT_BY_NAME, Plan, wan_text
from lib.testing.synth import DEPARTMENTS, IndicatorTruth, ProjectTruth, Truth

__all__ = [
    "TEMPLATES",
    "FamilyTruth",
    "generate_family_document",
    "generate_family_document_with_truth",
]

#: Layouts this module writes, in a fixed order.
TEMPLATES: tuple[str, ...] = (
    "flat",
    "horizons",
    "lead_label",
    "two_row_header",
    "two_level",
    "department",
)


@dataclass(frozen=True, slots=True)
class FamilyTruth(Truth):
    """A :class:`~lib.synth.Truth` with the layout it was written in and the weights it holds.

    ``weights`` and ``directions`` hold one tuple per project, aligned with
    that project's ``indicators``: the 权重 as a number and the 指标方向 as
    written, ``None`` where the layout has no such column.
    """

    template: str
    weights: tuple[tuple[float | None, ...], ...]
    directions: tuple[tuple[str | None, ...], ...]

    def indicators_frame(self) -> pl.DataFrame:
        """The indicators as :meth:`Truth.indicators_frame`, with ``weight`` and ``direction``."""
        frame = Truth.indicators_frame(self)
        return frame.with_columns(
            pl.Series("weight", [w for ws in self.weights for w in ws], dtype=schema.INDICATORS["weight"]),
            pl.Series(
                "direction",
                [d for ds in self.directions for d in ds],
                dtype=schema.INDICATORS["direction"],
            ),
        )


def generate_family_document(
    template: str,
    n_projects: int,
    *,
    seed: int = 0,
    department: str | None = None,
    year: int = 2021,
) -> str:
    """The text of :func:`generate_family_document_with_truth` alone."""
    return generate_family_document_with_truth(template, n_projects, seed=seed, department=department, year=year)[0]


def generate_family_document_with_truth(
    template: str,
    n_projects: int,
    *,
    seed: int = 0,
    department: str | None = None,
    year: int = 2021,
) -> tuple[str, FamilyTruth]:
    """A document of ``n_projects`` projects in the layout ``template``, and its truth.

    Parameters
    ----------
    template
        One of :data:`TEMPLATES`.
    n_projects
        Projects in the document (at least 1); for ``"department"``, tables:
        the department's, then one per spending unit.
    seed
        Seed of the generator; the same arguments always give the same text.
    department
        The department in the title and the 主管部门 rows; one of
        :data:`lib.synth.DEPARTMENTS`, by default chosen by ``seed``.
    year
        Budget year, in the title and every year line.

    Returns
    -------
    tuple[str, FamilyTruth]
        The document (TAB-separated cells, LF line endings, ending in a
        newline) and what a correct parser reads from it. Values are the
        text a reader joins from the cells: an operator, a number and a unit
        in three cells read as one value ("≥", "95", "%" is "≥95%").

    Examples
    --------
    >>> text, truth = generate_family_document_with_truth("horizons", 2, seed=4, department="东莞市水务局")
    >>> truth.department, truth.year
    ('东莞市水务局', 2021)
    >>> truth.projects[0].indicators[0].level1
    '产出指标'
    """
    if template not in _WRITERS:
        msg = f"unknown template {template!r}; known: {', '.join(TEMPLATES)}"
        raise ValueError(msg)
    if n_projects < 1:
        msg = f"n_projects must be at least 1, got {n_projects}"
        raise ValueError(msg)
    rng = random.Random(f"{seed}:{template}")
    layout = random.Random(f"{seed}:{template}:layout")
    if department is None:
        department = rng.choice(DEPARTMENTS)
    data = DEPARTMENT_BY_NAME.get(department)
    if data is None:
        msg = f"unknown department {department!r}; use one of lib.synth.DEPARTMENTS"
        raise ValueError(msg)
    used: dict[str, int] = {}
    # An empty quirk set: the project as the reference would write it, without layout quirks.
    plans = [Plan(rng, random.Random(0), set(), data, year, used) for _ in range(n_projects)]
    if template == "department":
        title = f"{year}年{department}部门整体支出绩效目标" + layout.choice(("表", ""))
    else:
        opening, closing = layout.choice((("(", ")"), ("（", "）")))
        title = f"{year}年{department}项目支出绩效目标申报表{opening}{year}年度{closing}"
    doc = _Doc(lines=[title], layout=layout, year=year, department=department, content=rng)
    projects = _WRITERS[template](doc, plans)
    truth = FamilyTruth(
        title=title,
        year=year,
        department=department,
        preamble="",
        projects=tuple(p for p, _, _ in projects),
        template=template,
        weights=tuple(w for _, w, _ in projects),
        directions=tuple(d for _, _, d in projects),
    )
    return "\n".join(doc.lines) + "\n", truth


# --------------------------------------------------------------------------
# Implementation
# --------------------------------------------------------------------------


@dataclass
class _Doc:
    lines: list[str]
    layout: random.Random
    year: int
    department: str
    #: The content stream, for what a layout adds beyond its projects (a department's budget and tasks).
    content: random.Random

    def row(self, *cells: str) -> int:
        """Append a TAB-separated row; return its 1-based line."""
        self.lines.append("\t".join(cells))
        return len(self.lines)


_Written = tuple[ProjectTruth, tuple[float | None, ...], tuple[str | None, ...]]

#: One value as an operator, a number and a unit: "≥ 95%" -> ("≥", "95", "%").
_SPLITTABLE = re.compile(r"^(≥|≤|>=|<=|≧|≦|＞|＜|>|<|=|＝)?\s*(\d+(?:\.\d+)?)([^\d≥≤<>=＞＜≧≦\s]{0,8})$")
#: Comparator spellings of one table: the reference's, ASCII, or ≧ ≦.
_OPERATOR_STYLES = ({"≥": "≥", "≤": "≤"}, {"≥": ">=", "≤": "<="}, {"≥": "≧", "≤": "≦"})
_OLD_LEVEL1 = {"产出指标": "项目完成指标", "效益指标": "项目效益指标"}
_PEOPLE = ("李明", "陈芳", "王强", "黄丽", "周敏", "刘洋", "张伟", "何静")


def _split(value: str, style: dict[str, str]) -> tuple[str, str, str] | None:
    """``value`` as (operator, number, unit) in the table's comparator style, or ``None``."""
    match = _SPLITTABLE.match(value)
    if match is None:
        return None
    op, number, unit = match.groups()
    return style.get(op or "", op or ""), number, unit


def _indicator_rows(p: Plan) -> list[tuple[str, str, str, str, list]]:
    """(level1, level1 raw, level2, level2 raw, [name, period, annual]) of every indicator, in order."""
    return [(l1, l1r, l2, l2r, row) for l1, l1r, subs in p.groups for l2, l2r, rows in subs for row in rows]


def _budget_wan(cents: int, layout: random.Random) -> str:
    """The budget in 万元 as published: '141.6', '141.60', ' 141.60 '."""
    text = wan_text(cents)
    if layout.random() < 0.5 and (cents % 100_00 == 0):
        whole, _, frac = text.partition(".")
        text = f"{whole}.{frac:0<2}"
    return f" {text} " if layout.random() < 0.2 else text


def _budget_free_text(cents: int, layout: random.Random) -> str:
    """The budget as text: its total in 万, then the sources inside brackets (600万(其中：…400万元，…200万元))."""
    total = wan_text(cents)
    wan = layout.choice(("万", "万元"))
    if cents < 2_000_000:
        return f"{total}{wan}"
    # The first source a whole number of 万, the second the rest.
    first = max(1_000_000, cents * 2 // 3 // 1_000_000 * 1_000_000)
    labels = layout.choice((("市级财政资金", "区级配套"), ("财政拨款", "其他资金"), ("市级资金", "镇街配套")))
    o, c = layout.choice((("(", ")"), ("（", "）")))
    colon = layout.choice(("：", ":", ""))
    parts = f"{labels[0]}{wan_text(first)}万元，{labels[1]}{wan_text(cents - first)}万元"
    return f"{total}{wan}{o}其中{colon}{parts}{c}"


def _weights(n: int, layout: random.Random) -> list[int]:
    """``n`` integer weights summing to 100 (the last takes the remainder)."""
    base = [layout.choice((5, 10, 10, 15, 20)) for _ in range(n - 1)]
    while sum(base) > 90:
        base[base.index(max(base))] -= 5
    return [*base, 100 - sum(base)]


def _weight_cell(weight: int, layout: random.Random) -> str:
    r = layout.random()
    return f"{weight}分" if r < 0.15 else (f"{weight}.0" if r < 0.25 else str(weight))


def _direction(op: str) -> str:
    return "反向" if op in ("≤", "<=", "≦", "＜", "<") else "正向"


def _project_truth(
    p: Plan,
    *,
    line: int,
    heading_line: int,
    budget_raw: str,
    indicators: list[IndicatorTruth],
    year: int,
    department: str | None,
    start_end: tuple[int | None, int | None],
    goal_period: str | None,
    goal_annual: str | None,
    layout_names: tuple[str, ...],
) -> ProjectTruth:
    # Fields a layout does not hold are None: a correct parser finds nothing there.
    return ProjectTruth(
        name=p.name,
        type=None,  # type: ignore[arg-type]
        level=None,  # type: ignore[arg-type]
        department=department,  # type: ignore[arg-type]
        unit=p.unit,
        start_year=start_end[0],  # type: ignore[arg-type]
        end_year=start_end[1],  # type: ignore[arg-type]
        budget_year=year,
        budget_cents=p.budget,
        budget_raw=budget_raw.strip(),
        cost_cap_cents=p.cap,
        goal_period=goal_period,  # type: ignore[arg-type]
        goal_annual=goal_annual,  # type: ignore[arg-type]
        line=line,
        heading_line=heading_line,
        quirks=layout_names,
        indicators=tuple(indicators),
    )


def _signoff(doc: _Doc) -> None:
    layout = doc.layout
    opinion = layout.choice(("财政部门审核意见", "主管部门审核意见", "财政部门审核意见："))
    doc.row(opinion, layout.choice(("同意。", "同意", "同意申报。")), "")
    person = layout.choice(_PEOPLE)
    phone = f"0769-{layout.randint(22000000, 23999999)}"
    cells = [f"填报人：{person}", f"联系电话：{phone}"]
    if layout.random() < 0.5:
        cells.append(f"填报日期：{doc.year}年{layout.randint(1, 3)}月{layout.randint(1, 28)}日")
    doc.row(*cells)


# --------------------------------------------------------------------------
# Flat: one row per indicator
# --------------------------------------------------------------------------


def _write_flat(doc: _Doc, plans: list[Plan]) -> list[_Written]:
    layout = doc.layout
    code = str(layout.randint(100001, 199999))
    name_header = layout.choice(("项目名称", "项目支出名称"))
    budget_header = layout.choice(("项目金额(万元)", "项目金额（万元）", "预算金额(万元)", "资金合计（万元）"))
    doc.row(
        "单位编码", "单位名称", name_header, budget_header, layout.choice(("年度绩效目标", "年度目标")),
        "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "指标方向",
    )  # fmt: skip
    total = sum(p.budget for p in plans)
    doc.row(code, doc.department, "", _budget_wan(total, layout), *[""] * 9)
    style = layout.choice(_OPERATOR_STYLES)
    written: list[_Written] = []
    for p in plans:
        repeat = layout.random() < 0.4  # project columns on every row, else blank under the first
        repeat_levels = layout.random() < 0.3  # 一级/二级 on every row, else merged
        budget_cell = _budget_wan(p.budget, layout)
        rows = _indicator_rows(p)
        weights = _weights(len(rows), layout)
        indicators: list[IndicatorTruth] = []
        directions: list[str | None] = []
        first_line = 0
        last_l1 = last_l2 = None
        for k, ((l1, l1r, l2, l2r, (name, _, annual)), weight) in enumerate(zip(rows, weights, strict=True)):
            project_cells = [code, p.unit, p.name, budget_cell, p.goal_annual] if k == 0 or repeat else [""] * 5
            new_l1 = l1 != last_l1
            l1_cell = l1r if repeat_levels or new_l1 else ""
            l2_cell = l2r if repeat_levels or new_l1 or l2 != last_l2 else ""
            last_l1, last_l2 = l1, l2
            parts = _split(annual, style)
            if parts is None:
                # Text values (优, 2021年6月30日前): no comparator, no unit; sometimes 定性.
                op, number, unit = ("定性" if layout.random() < 0.2 else ""), annual, ""
                value = annual
            else:
                op, number, unit = parts
                if not op and layout.random() < 0.5:
                    op = layout.choice(("＝", "="))
                value = op + number + unit
            direction = _direction(op) if parts is not None else layout.choice(("正向", "正向", "中性"))
            line = doc.row(
                *project_cells,
                l1_cell,
                l2_cell,
                name,
                op,
                number,
                unit,
                _weight_cell(weight, layout),
                direction,
            )
            first_line = first_line or line
            indicators.append(IndicatorTruth(l1, l2, name, None, value, l1r, l2r, line))
            directions.append(direction)
        written.append(
            (
                _project_truth(
                    p,
                    line=first_line,
                    heading_line=first_line,
                    budget_raw=budget_cell,
                    indicators=indicators,
                    year=doc.year,
                    department=None,
                    start_end=(None, None),
                    goal_period=None,
                    goal_annual=p.goal_annual,
                    layout_names=(("repeated_project_columns",) if repeat else ())
                    + (("repeated_levels",) if repeat_levels else ()),
                ),
                tuple(float(w) for w in weights),
                tuple(directions),
            )
        )
    _signoff(doc)
    return written


# --------------------------------------------------------------------------
# Key/value blocks shared by the other three layouts
# --------------------------------------------------------------------------


def _key(layout: random.Random, key: str) -> str:
    """A key cell with the padding some sites leave in it ('项目名称 ', ' 预算单位')."""
    r = layout.random()
    return f"{key} " if r < 0.1 else (f" {key}" if r < 0.15 else key)


def _table_heading(doc: _Doc, index: int) -> int:
    """The table name above a project (the document title names the first); its line."""
    layout = doc.layout
    if index == 0 and layout.random() < 0.5:
        return 1
    if index:
        doc.row("")
    line = doc.row(layout.choice(("项目支出绩效目标表", "项目支出绩效目标申报表", "项目绩效目标表")))
    if layout.random() < 0.5:
        doc.row(f"（{doc.year}年度）")
    return line


def _kv_block(
    doc: _Doc, p: Plan, *, unit_key: str, budget_key: str, width: int, free_text: bool = False
) -> tuple[int, str]:
    """项目名称 / 主管部门 / unit / budget rows; returns (line of 项目名称, budget cell).

    With ``free_text`` the budget is one cell of text under a key without a
    unit (600万(其中：…)), as :func:`_budget_free_text` writes it.
    """
    layout = doc.layout

    def kv(key: str, *values: str) -> int:
        cells = [_key(layout, key), *values]
        return doc.row(*cells, *[""] * (width - len(cells)))

    line = kv("项目名称", p.name)
    kv("主管部门", doc.department)
    kv(unit_key, p.unit)
    if free_text:
        budget_cell = _budget_free_text(p.budget, layout)
        kv(budget_key, budget_cell)
        return line, budget_cell
    budget_cell = _budget_wan(p.budget, layout)
    if budget_key.startswith("项目资金") and layout.random() < 0.5:
        # 项目资金 with its total and the source it comes from.
        kv(budget_key, "年度资金总额", budget_cell, "其中：财政拨款", budget_cell.strip())
    else:
        kv(budget_key, budget_cell)
    return line, budget_cell


def _period_row(doc: _Doc, p: Plan, *, width: int) -> tuple[int, int]:
    """The 实施周期 row ("2021年 | 至 | 2023年"); a recurring project gets a finite period. Returns (start, end)."""
    layout = doc.layout
    if p.end == 2099:
        start, end = doc.year, doc.year + layout.randint(1, 3)
    else:
        start, end = p.start, p.end
    cells = [f"{start}年"] if start == end else [f"{start}年", "至", f"{end}年"]
    doc.row(_key(layout, "实施周期"), *cells, *[""] * (width - 1 - len(cells)))
    return start, end


def _levels_cells(
    l1: str, l1r: str, l2: str, l2r: str, last: tuple[str | None, str | None], repeat: bool
) -> tuple[str, str]:
    """The 一级/二级 cells of a row: written when they change (a merged cell), or on every row."""
    new_l1 = l1 != last[0]
    return (l1r if repeat or new_l1 else "", l2r if repeat or new_l1 or l2 != last[1] else "")


# --------------------------------------------------------------------------
# Horizons: 长期 and 年度 halves side by side
# --------------------------------------------------------------------------


def _write_horizons(doc: _Doc, plans: list[Plan]) -> list[_Written]:
    layout = doc.layout
    tag = layout.choice(("长期", "长期", "中期"))
    bracket = layout.choice((("（", "）"), ("(", ")")))
    written: list[_Written] = []
    for index, p in enumerate(plans):
        heading = _table_heading(doc, index)
        line, budget_cell = _kv_block(
            doc,
            p,
            unit_key=layout.choice(("预算单位", "用款单位")),
            budget_key="年度预算金额(万元)",
            width=7,
        )
        start, end = _period_row(doc, p, width=7)
        doc.row("总体绩效目标", f"{tag}目标", p.goal_period, "年度目标", p.goal_annual, "", "")
        o, c = bracket
        doc.row(
            "一级指标", f"二级指标{o}{tag}{c}", f"三级指标{o}{tag}{c}", f"指标值{o}{tag}{c}",
            f"二级指标{o}年度{c}", f"三级指标{o}年度{c}", f"指标值{o}年度{c}",
        )  # fmt: skip
        indicators: list[IndicatorTruth] = []
        kinds: set[str] = set()
        last_l1: str | None = None
        last_half: list[tuple[str | None, str | None]] = [(None, None), (None, None)]
        for l1, l1r, l2, l2r, (name, period, annual) in _indicator_rows(p):
            r = layout.random()
            kind = "same" if r < 0.6 else "annual_only" if r < 0.72 else "period_only" if r < 0.84 else "renamed"
            kinds.add(kind)
            if kind == "same" and period.isdigit() and layout.random() < 0.5:
                period = str(int(period) * (end - start + 1))  # 3 per period, 1 a year
            l1_cell = l1r if l1 != last_l1 else ""
            last_l1 = l1
            annual_name = f"本年度{name}" if kind == "renamed" else name
            halves = []
            for h, (half_name, value, filled) in enumerate(
                (
                    (name, period, kind != "annual_only"),
                    (annual_name, annual, kind != "period_only"),
                )
            ):
                if not filled:
                    halves.append(("", "", ""))
                    continue
                _, l2_cell = _levels_cells(l1, l1r, l2, l2r, last_half[h], False)
                last_half[h] = (l1, l2)
                halves.append((l2_cell, half_name, value))
            row_line = doc.row(l1_cell, *halves[0], *halves[1])
            if kind == "same":
                indicators.append(IndicatorTruth(l1, l2, name, period, annual, l1r, l2r, row_line))
            if kind in ("period_only", "renamed"):
                indicators.append(IndicatorTruth(l1, l2, name, period, None, l1r, l2r, row_line))
            if kind in ("annual_only", "renamed"):
                indicators.append(IndicatorTruth(l1, l2, annual_name, None, annual, l1r, l2r, row_line))
        _signoff(doc)
        truth = _project_truth(
            p,
            line=line,
            heading_line=heading,
            budget_raw=budget_cell,
            indicators=indicators,
            year=doc.year,
            department=doc.department,
            start_end=(start, end),
            goal_period=p.goal_period,
            goal_annual=p.goal_annual,
            layout_names=tuple(k for k in ("same", "annual_only", "period_only", "renamed") if k in kinds),
        )
        written.append((truth, (None,) * len(indicators), (None,) * len(indicators)))
    return written


# --------------------------------------------------------------------------
# Lead label: 绩效指标 (or 年度绩效指标 …) in column 0 of every indicator row
# --------------------------------------------------------------------------

_LEAD_LABELS = ("年度绩效指标", "本年度 绩效指标", "绩效指标", "项目绩效指标", "年度绩效指标")


def _write_lead_label(doc: _Doc, plans: list[Plan]) -> list[_Written]:
    layout = doc.layout
    written: list[_Written] = []
    for index, p in enumerate(plans):
        heading = _table_heading(doc, index)
        label = layout.choice(_LEAD_LABELS)
        mode = layout.choice(("whole", "split", "two"))
        width = 7 if mode == "split" else 6
        line, budget_cell = _kv_block(
            doc,
            p,
            unit_key=layout.choice(("预算单位", "用款单位", "实施单位")),
            budget_key="项目资金(万元)",
            width=width,
        )
        goal_key = layout.choice(("年度绩效目标", "年度目标"))
        doc.row(_key(layout, goal_key), p.goal_annual, *[""] * (width - 2))
        if mode == "two":
            doc.row(label, "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值")
        else:
            doc.row(label, "一级指标", "二级指标", "三级指标", "指标值", *[""] * (width - 5))
        style = layout.choice(_OPERATOR_STYLES)
        repeat = layout.random() < 0.5
        last: tuple[str | None, str | None] = (None, None)
        indicators: list[IndicatorTruth] = []
        for l1, l1r, l2, l2r, (name, period, annual) in _indicator_rows(p):
            l1_cell, l2_cell = _levels_cells(l1, l1r, l2, l2r, last, repeat)
            last = (l1, l2)
            if mode == "two":
                row_line = doc.row(label, l1_cell, l2_cell, name, period, annual)
                indicators.append(IndicatorTruth(l1, l2, name, period, annual, l1r, l2r, row_line))
                continue
            parts = _split(annual, style) if mode == "split" else None
            if parts is None:
                cells, value = [annual, *[""] * (width - 5)], annual
            else:
                cells, value = list(parts), "".join(parts)
            row_line = doc.row(label, l1_cell, l2_cell, name, *cells)
            indicators.append(IndicatorTruth(l1, l2, name, None, value, l1r, l2r, row_line))
        _signoff(doc)
        truth = _project_truth(
            p,
            line=line,
            heading_line=heading,
            budget_raw=budget_cell,
            indicators=indicators,
            year=doc.year,
            department=doc.department,
            start_end=(None, None),
            goal_period=None,
            goal_annual=p.goal_annual,
            layout_names=(f"value_{mode}",) + (("repeated_levels",) if repeat else ()),
        )
        written.append((truth, (None,) * len(indicators), (None,) * len(indicators)))
    return written


# --------------------------------------------------------------------------
# Two-row header: 指标值 over 指标性质 / 指标值 / 度量单位, then 权重 and 指标方向
# --------------------------------------------------------------------------


def _write_two_row_header(doc: _Doc, plans: list[Plan]) -> list[_Written]:
    layout = doc.layout
    old_names = layout.random() < 0.4
    written: list[_Written] = []
    for index, p in enumerate(plans):
        heading = _table_heading(doc, index)
        line, budget_cell = _kv_block(
            doc,
            p,
            unit_key=layout.choice(("填报单位", "预算单位")),
            budget_key="项目资金（万元）",
            width=8,
        )
        doc.row(_key(layout, "年度绩效目标"), p.goal_annual, *[""] * 6)
        doc.row("一级指标", "二级指标", "三级指标", "指标值", "", "", "权重", "指标方向")
        doc.row("", "", "", "指标性质", "指标值", "度量单位", "", "")
        style = layout.choice(_OPERATOR_STYLES)
        rows = _indicator_rows(p)
        weights = _weights(len(rows), layout)
        last: tuple[str | None, str | None] = (None, None)
        indicators: list[IndicatorTruth] = []
        directions: list[str | None] = []
        for (l1, l1r, l2, l2r, (name, _, annual)), weight in zip(rows, weights, strict=True):
            if old_names:
                l1r = _OLD_LEVEL1.get(l1, l1r)
            l1_cell, l2_cell = _levels_cells(l1, l1r, l2, l2r, last, False)
            last = (l1, l2)
            parts = _split(annual, style)
            if parts is None:
                op, number, unit = "", annual, ""
                direction = "正向"
            else:
                op, number, unit = parts
                direction = _direction(op)
            row_line = doc.row(l1_cell, l2_cell, name, op, number, unit, _weight_cell(weight, layout), direction)
            indicators.append(IndicatorTruth(l1, l2, name, None, op + number + unit, l1r, l2r, row_line))
            directions.append(direction)
        _signoff(doc)
        truth = _project_truth(
            p,
            line=line,
            heading_line=heading,
            budget_raw=budget_cell,
            indicators=indicators,
            year=doc.year,
            department=doc.department,
            start_end=(None, None),
            goal_period=None,
            goal_annual=p.goal_annual,
            layout_names=("old_level1_names",) if old_names else (),
        )
        written.append((truth, tuple(float(w) for w in weights), tuple(directions)))
    return written


# --------------------------------------------------------------------------
# Two levels: 指标类型 / 指标名称, a description column, no 二级
# --------------------------------------------------------------------------

#: The level 2 a level 1 stands for when a table names none (DOMAIN.md taxonomy):
#: satisfaction and cost have one obvious level 2, the others none.
_DEFAULT_LEVEL2 = {"满意度指标": "服务对象满意度指标", "成本指标": "经济成本指标"}
_UNCLASSIFIED = "未分类"
_DESCRIPTIONS = {
    "产出指标": (
        "完成得满分，未完成按比例扣分",
        "反映{name}情况",
        "按完成比例得分",
        "达到目标值得满分",
    ),
    "效益指标": ("达到目标值得满分", "反映{name}情况", "根据实际效果评分"),
    "满意度指标": ("问卷调查", "通过问卷调查了解满意程度", "抽样调查满意的比例"),
    "成本指标": ("不超过目标值得满分", "反映成本控制情况", "超出目标值不得分"),
}


@dataclass
class _TwoLevelTable:
    """How one two-level table is laid out."""

    lead: str  # "" or the lead label of column 0 (绩效指标)
    type_header: str  # 指标类型, 一级指标 …
    names_level2: bool  # the type column names level 2 (数量指标) rather than level 1
    repeat: bool  # the type on every row, else merged (blank under its first row)
    old_names: bool  # pre-2021 level 1 names (项目完成指标)
    description: str  # header of the description column
    description_last: bool  # the description after the values, else right after the name
    values: tuple[str, ...]  # value headers: (指标值,) or (实施周期指标值, 年度指标值)
    weighted: bool  # a 分值 column

    @classmethod
    def draw(cls, layout: random.Random) -> _TwoLevelTable:
        type_header = layout.choice(("指标类型", "指标类型", "一级指标", "指标类别"))
        return cls(
            lead=layout.choice(("", "", "绩效指标")),
            type_header=type_header,
            # Only a column called 指标类型 (or 类别) holds level 2 names; 一级指标 holds level 1.
            names_level2=type_header != "一级指标" and layout.random() < 0.25,
            repeat=layout.random() < 0.3,
            old_names=layout.random() < 0.2,
            description=layout.choice(("指标解释", "指标说明", "评(计)分标准", "评分标准")),
            description_last=layout.random() < 0.3,
            values=layout.choice((("指标值",), ("目标值",), ("年度指标值",), ("实施周期指标值", "年度指标值"))),
            weighted=layout.random() < 0.6,
        )

    @property
    def header(self) -> list[str]:
        tail = [*self.values, *(["分值"] if self.weighted else [])]
        middle = [*tail, self.description] if self.description_last else [self.description, *tail]
        return [*([self.lead] if self.lead else []), self.type_header, "指标名称", *middle]

    @property
    def quirks(self) -> tuple[str, ...]:
        flags = (
            ("lead_label", bool(self.lead)),
            ("type_names_level2", self.names_level2),
            ("repeated_type", self.repeat),
            ("old_level1_names", self.old_names),
            ("description_last", self.description_last),
            ("two_values", len(self.values) == 2),
            ("weighted", self.weighted),
        )
        return tuple(name for name, on in flags if on)


def _write_two_level_table(
    doc: _Doc, p: Plan, table: _TwoLevelTable
) -> tuple[list[IndicatorTruth], list[float | None]]:
    """The header and rows of a two-level table; the indicators and weights they hold."""
    layout = doc.layout
    doc.row(*table.header)
    rows = _indicator_rows(p)
    weights = _weights(len(rows), layout) if table.weighted else None
    indicators: list[IndicatorTruth] = []
    last_type: str | None = None
    for k, (l1, l1r, l2, l2r, (name, period, annual)) in enumerate(rows):
        if table.old_names:
            l1r = _OLD_LEVEL1.get(l1, l1r)
        type_text = l2r if table.names_level2 else l1r
        type_cell = type_text if table.repeat or type_text != last_type else ""
        last_type = type_text
        description = layout.choice(_DESCRIPTIONS[l1]).format(name=name.removesuffix("情况"))
        if layout.random() < 0.1:
            description = ""  # a description cell left empty
        values = [period, annual] if len(table.values) == 2 else [annual]
        tail = [*values, *([_weight_cell(weights[k], layout)] if weights else [])]
        middle = [*tail, description] if table.description_last else [description, *tail]
        line = doc.row(*([""] if table.lead else []), type_cell, name, *middle)
        if table.names_level2:
            # The type names the level 2: its level 1 is its parent, written nowhere.
            truth = IndicatorTruth(l1, l2, name, None, annual, None, l2r, line)  # type: ignore[arg-type]
        else:
            # No level 2 in the table: the taxonomy's default, else 未分类, never the name's guess.
            level2 = _DEFAULT_LEVEL2.get(l1, _UNCLASSIFIED)
            truth = IndicatorTruth(l1, level2, name, None, annual, l1r, None, line)  # type: ignore[arg-type]
        if len(table.values) == 2:
            truth = truth._replace(period_value=period)
        indicators.append(truth)
    return indicators, [float(w) for w in weights] if weights else [None] * len(indicators)


def _write_two_level(doc: _Doc, plans: list[Plan]) -> list[_Written]:
    layout = doc.layout
    written: list[_Written] = []
    for index, p in enumerate(plans):
        heading = _table_heading(doc, index)
        table = _TwoLevelTable.draw(layout)
        width = len(table.header)
        free = layout.random() < 0.3
        line, budget_cell = _kv_block(
            doc,
            p,
            unit_key=layout.choice(("预算单位", "用款单位", "实施单位")),
            budget_key="项目资金"
            if free
            else layout.choice(("项目资金(万元)", "项目资金（万元）", "年度预算金额(万元)")),
            width=width,
            free_text=free,
        )
        start_end: tuple[int | None, int | None] = (None, None)
        if layout.random() < 0.5:
            start_end = _period_row(doc, p, width=width)
        doc.row(
            _key(layout, layout.choice(("年度绩效目标", "年度目标"))),
            p.goal_annual,
            *[""] * (width - 2),
        )
        indicators, weights = _write_two_level_table(doc, p, table)
        _signoff(doc)
        truth = _project_truth(
            p,
            line=line,
            heading_line=heading,
            budget_raw=budget_cell,
            indicators=indicators,
            year=doc.year,
            department=doc.department,
            start_end=start_end,
            goal_period=None,
            goal_annual=p.goal_annual,
            layout_names=table.quirks + (("budget_free_text",) if free else ()),
        )
        written.append((truth, tuple(weights), (None,) * len(indicators)))
    return written


# --------------------------------------------------------------------------
# Department-wide: 部门整体支出绩效目标表, one "project" per table
# --------------------------------------------------------------------------

#: The project type of a department-wide table.
_DEPARTMENT_TYPE = "部门整体支出"
_UNIT_SUFFIXES = ("信息中心", "服务中心", "宣传教育中心", "培训中心", "事务中心", "后勤服务中心")
_DUTY_KEYS = ("部门职责", "部门职能", "职能职责", "主要职能")
_GOAL_KEYS = ("年度总体目标", "年度总体目标", "年度绩效目标", "整体绩效目标")
_TASK_VERBS = ("统筹推进", "扎实开展", "持续做好", "全面落实")


def _hundreds_wan(hundreds: int, *, separator: bool) -> str:
    """An amount counted in hundreds of yuan, as 万元 with two decimals: 128640 -> '1,286.40'."""
    whole, frac = divmod(hundreds, 100)
    return f"{whole:,}.{frac:02d}" if separator else f"{whole}.{frac:02d}"


def _department_budget(doc: _Doc, width: int, *, unit: bool) -> tuple[int, str | None]:
    """The budget block of a department-wide table; returns (cents, raw total cell or None)."""
    layout, content = doc.layout, doc.content
    # Hundreds of yuan: basic spending (salaries, running costs) and project spending;
    # a spending unit spends about a tenth of its department.
    scale = 1 if unit else 10
    basic = content.randint(2_000, 50_000) * scale
    projects = content.randint(500, 30_000) * scale
    total = basic + projects
    separator = layout.random() < 0.7

    def amount(hundreds: int) -> str:
        cell = _hundreds_wan(hundreds, separator=separator)
        return f" {cell} " if layout.random() < 0.1 else cell

    def row(*cells: str) -> None:
        doc.row(*cells, *[""] * (width - len(cells)))

    style = layout.choice(("total", "total", "columns", "sources"))
    if style == "total":
        # A total with its 其中 rows: basic and project spending.
        key = layout.choice(("部门预算总额（万元）", "年度预算总额（万元）", "部门预算总额(万元)"))
        raw = amount(total)
        if layout.random() < 0.5:
            row(key, "", raw)  # an empty cell between key and value
        else:
            row(key, raw)
        if layout.random() < 0.8:
            row("其中：基本支出", amount(basic))
            row(layout.choice(("项目支出", "其中：项目支出")), amount(projects))
        return total * 100_00, raw.strip()
    if style == "columns":
        # Labels over a row of amounts: total, then the two sources.
        own = content.randint(1, max(1, total // 10))
        row(
            layout.choice(("年度部门整体支出预算（万元）", "年度预算资金（万元）")),
            "资金总额",
            "财政拨款",
            "其他资金",
        )
        raw = amount(total)
        row("", raw, amount(total - own), amount(own))
        return total * 100_00, raw.strip()
    # 其中 rows alone: a 小计 over its two parts, then the unit's own money.
    own = content.randint(0, max(1, total // 10))
    funds = content.randint(0, (total - own) // 5)
    subsidy = total - own
    row(layout.choice(("年度预算资金总额（万元）", "资金总额（万元）")))
    row(layout.choice(("其中：财政拨款小计", "财政拨款小计")), amount(subsidy))
    row("一般公共预算", amount(subsidy - funds))
    if funds:
        row("政府性基金", amount(funds))
    if own:
        row(layout.choice(("自有资金", "其他资金")), amount(own))
    return total * 100_00, None


def _write_department(doc: _Doc, plans: list[Plan]) -> list[_Written]:
    layout, content = doc.layout, doc.content
    data = DEPARTMENT_BY_NAME[doc.department]
    short, topics = data[1], data[3]
    extra = [f"{doc.department}{suffix}" for suffix in _UNIT_SUFFIXES]
    units = [doc.department, *[u for u in (*data[2], *extra) if u != doc.department]]
    written: list[_Written] = []
    for index, p in enumerate(plans):
        unit = units[index] if index < len(units) else f"{doc.department}直属单位（{index}）"
        if index == 0:
            # The document title names the first table ("…部门整体支出绩效目标表"),
            # or stands above its own title line.
            line = 1
            table_name = _DEPARTMENT_TYPE
            heading = 1 if doc.lines[0].endswith("表") else doc.row("部门整体支出绩效目标表")
        else:
            doc.row("")
            table_name = layout.choice(("部门（单位）整体支出", "部门整体支出"))
            suffix = layout.choice(("申报表", "表"))
            line = heading = doc.row(f"{table_name}绩效目标{suffix}")
            if layout.random() < 0.5:
                doc.row(f"（{doc.year}年度）")
        table: _TwoLevelTable | None = _TwoLevelTable.draw(layout) if layout.random() < 0.4 else None
        lead = layout.choice(("", "年度绩效指标", "绩效指标"))
        header = (
            table.header
            if table is not None
            else [*([lead] if lead else []), "一级指标", "二级指标", "三级指标", "指标值"]
        )
        width = len(header)

        def row(*cells: str, width: int = width) -> int:
            return doc.row(*cells, *[""] * (width - len(cells)))

        quirks: list[str] = []
        if index == 0:
            row(_key(layout, "部门名称"), unit)
            department = unit
        else:
            # A unit's table names the department above it, before or after the unit.
            unit_key = layout.choice(("单位名称", "部门（单位）名称", "预算单位"))
            department = doc.department
            if layout.random() < 0.5:
                row(_key(layout, "主管部门"), department)
                row(_key(layout, unit_key), unit)
            else:
                row(_key(layout, unit_key), unit)
                row(_key(layout, "主管部门"), department)
                quirks.append("department_after_unit")
        budget_cents, budget_raw = _department_budget(doc, width, unit=index > 0)
        if budget_raw is None:
            quirks.append("budget_from_sources")
        # The duties are the long view; the year's tasks and overall goal the annual one.
        goal_period: str | None = None
        if layout.random() < 0.7:
            duty_topics = content.sample(topics, 2)
            goal_period = f"负责全市{duty_topics[0]}、{duty_topics[1]}等工作的统筹规划和组织实施。"
            row(_key(layout, layout.choice(_DUTY_KEYS)), goal_period)
        tasks = content.sample(topics, content.randint(2, 3))
        verbs = [content.choice(_TASK_VERBS) for _ in tasks]
        annual: list[str] = []
        if layout.random() < 0.5:
            row(_key(layout, "年度主要任务"), "任务名称", "主要内容")
            for task, verb in zip(tasks, verbs, strict=True):
                detail = f"{verb}{task}工作。"
                row("", task, detail)
                annual.append(f"{task}：{detail}")
            quirks.append("task_table")
        else:
            for k, (task, verb) in enumerate(zip(tasks, verbs, strict=True), start=1):
                item = f"{k}. {verb}{task}工作"
                row(_key(layout, "年度主要任务") if k == 1 else "", item)
                annual.append(item)
        goal = f"围绕{tasks[0]}等重点工作，提升{short}履职效能和公共服务水平。"
        row(_key(layout, layout.choice(_GOAL_KEYS)), goal)
        annual.append(goal)
        if table is not None:
            indicators, weights = _write_two_level_table(doc, p, table)
            quirks.extend(table.quirks)
        else:
            indicators, weights = _write_department_levels(doc, p, lead)
        _signoff(doc)
        truth = ProjectTruth(
            name=table_name,
            type=_DEPARTMENT_TYPE,
            level=None,  # type: ignore[arg-type]
            department=department,
            unit=unit,
            start_year=None,  # type: ignore[arg-type]
            end_year=None,  # type: ignore[arg-type]
            budget_year=doc.year,
            budget_cents=budget_cents,
            budget_raw=budget_raw,  # type: ignore[arg-type]
            cost_cap_cents=p.cap,
            goal_period=goal_period,  # type: ignore[arg-type]
            goal_annual="\n".join(annual),
            line=line,
            heading_line=heading,
            quirks=tuple(quirks),
            indicators=tuple(indicators),
        )
        written.append((truth, tuple(weights), (None,) * len(indicators)))
    return written


def _write_department_levels(doc: _Doc, p: Plan, lead: str) -> tuple[list[IndicatorTruth], list[float | None]]:
    """A three-level indicator table (一级 / 二级 / 三级 / 指标值), its lead label merged down column 0."""
    layout = doc.layout
    doc.row(*([lead] if lead else []), "一级指标", "二级指标", "三级指标", "指标值")
    repeat = layout.random() < 0.3
    last: tuple[str | None, str | None] = (None, None)
    indicators: list[IndicatorTruth] = []
    for l1, l1r, l2, l2r, (name, _, annual) in _indicator_rows(p):
        l1_cell, l2_cell = _levels_cells(l1, l1r, l2, l2r, last, repeat)
        last = (l1, l2)
        line = doc.row(*([""] if lead else []), l1_cell, l2_cell, name, annual)
        indicators.append(IndicatorTruth(l1, l2, name, None, annual, l1r, l2r, line))
    return indicators, [None] * len(indicators)


_WRITERS = {
    "flat": _write_flat,
    "horizons": _write_horizons,
    "lead_label": _write_lead_label,
    "two_row_header": _write_two_row_header,
    "two_level": _write_two_level,
    "department": _write_department,
}
