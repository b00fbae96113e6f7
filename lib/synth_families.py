"""Synthetic documents of the other template families, with the truth they encode.

:mod:`lib.synth` writes the reference (key/value) layout. The genre has other
layouts (DOMAIN.md, "More families seen in published tables"), each read by a
reader of its own; this module writes documents in four of them, with the
same projects, vocabulary and :class:`~lib.synth.Truth` types as
:mod:`lib.synth`, so a reader can be checked against what the text encodes:

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

Every document starts with a title line ("2021年东莞市教育局项目支出绩效目标申报表
(2021年度)") and ends its tables with sign-off rows (审核意见, 填报人, 联系电话),
which are never indicators. Cells are written as published: padding spaces,
full-width brackets and colons, budgets in 万元.

The content of each project is a clean :mod:`lib.synth` project (its
``_Plan``), drawn from a ``random.Random`` seeded with ``f"{seed}:{template}"``;
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
from lib.synth import _DEPARTMENT_BY_NAME, _Plan, _wan
from lib.synth import DEPARTMENTS, IndicatorTruth, ProjectTruth, Truth

__all__ = [
    "TEMPLATES",
    "FamilyTruth",
    "generate_family_document",
    "generate_family_document_with_truth",
]

#: Layouts this module writes, in a fixed order.
TEMPLATES: tuple[str, ...] = ("flat", "horizons", "lead_label", "two_row_header")


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
            pl.Series(
                "weight", [w for ws in self.weights for w in ws], dtype=schema.INDICATORS["weight"]
            ),
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
    return generate_family_document_with_truth(
        template, n_projects, seed=seed, department=department, year=year
    )[0]


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
        Projects in the document (at least 1).
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
    data = _DEPARTMENT_BY_NAME.get(department)
    if data is None:
        msg = f"unknown department {department!r}; use one of lib.synth.DEPARTMENTS"
        raise ValueError(msg)
    used: dict[str, int] = {}
    # An empty quirk set: the project as the reference would write it, without layout quirks.
    plans = [_Plan(rng, random.Random(0), set(), data, year, used) for _ in range(n_projects)]
    opening, closing = layout.choice((("(", ")"), ("（", "）")))
    title = f"{year}年{department}项目支出绩效目标申报表{opening}{year}年度{closing}"
    doc = _Doc(lines=[title], layout=layout, year=year, department=department)
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

    def row(self, *cells: str) -> int:
        """Append a TAB-separated row; return its 1-based line."""
        self.lines.append("\t".join(cells))
        return len(self.lines)


_Written = tuple[ProjectTruth, tuple[float | None, ...], tuple[str | None, ...]]

#: One value as an operator, a number and a unit: "≥ 95%" -> ("≥", "95", "%").
_SPLITTABLE = re.compile(
    r"^(≥|≤|>=|<=|≧|≦|＞|＜|>|<|=|＝)?\s*(\d+(?:\.\d+)?)([^\d≥≤<>=＞＜≧≦\s]{0,8})$"
)
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


def _indicator_rows(p: _Plan) -> list[tuple[str, str, str, str, list]]:
    """(level1, level1 raw, level2, level2 raw, [name, period, annual]) of every indicator, in order."""
    return [
        (l1, l1r, l2, l2r, row)
        for l1, l1r, subs in p.groups
        for l2, l2r, rows in subs
        for row in rows
    ]


def _budget_wan(cents: int, layout: random.Random) -> str:
    """The budget in 万元 as published: '141.6', '141.60', ' 141.60 '."""
    text = _wan(cents)
    if layout.random() < 0.5 and (cents % 100_00 == 0):
        whole, _, frac = text.partition(".")
        text = f"{whole}.{frac:0<2}"
    return f" {text} " if layout.random() < 0.2 else text


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
    p: _Plan,
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


def _write_flat(doc: _Doc, plans: list[_Plan]) -> list[_Written]:
    layout = doc.layout
    code = str(layout.randint(100001, 199999))
    name_header = layout.choice(("项目名称", "项目支出名称"))
    budget_header = layout.choice(
        ("项目金额(万元)", "项目金额（万元）", "预算金额(万元)", "资金合计（万元）")
    )
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
        for k, ((l1, l1r, l2, l2r, (name, _, annual)), weight) in enumerate(
            zip(rows, weights, strict=True)
        ):
            project_cells = (
                [code, p.unit, p.name, budget_cell, p.goal_annual] if k == 0 or repeat else [""] * 5
            )
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
            direction = (
                _direction(op) if parts is not None else layout.choice(("正向", "正向", "中性"))
            )
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
    line = doc.row(
        layout.choice(("项目支出绩效目标表", "项目支出绩效目标申报表", "项目绩效目标表"))
    )
    if layout.random() < 0.5:
        doc.row(f"（{doc.year}年度）")
    return line


def _kv_block(
    doc: _Doc, p: _Plan, *, unit_key: str, budget_key: str, width: int
) -> tuple[int, str]:
    """项目名称 / 主管部门 / unit / budget rows; returns (line of 项目名称, budget cell)."""
    layout = doc.layout

    def kv(key: str, *values: str) -> int:
        cells = [_key(layout, key), *values]
        return doc.row(*cells, *[""] * (width - len(cells)))

    line = kv("项目名称", p.name)
    kv("主管部门", doc.department)
    kv(unit_key, p.unit)
    budget_cell = _budget_wan(p.budget, layout)
    if budget_key.startswith("项目资金") and layout.random() < 0.5:
        # 项目资金 with its total and the source it comes from.
        kv(budget_key, "年度资金总额", budget_cell, "其中：财政拨款", budget_cell.strip())
    else:
        kv(budget_key, budget_cell)
    return line, budget_cell


def _levels_cells(
    l1: str, l1r: str, l2: str, l2r: str, last: tuple[str | None, str | None], repeat: bool
) -> tuple[str, str]:
    """The 一级/二级 cells of a row: written when they change (a merged cell), or on every row."""
    new_l1 = l1 != last[0]
    return (l1r if repeat or new_l1 else "", l2r if repeat or new_l1 or l2 != last[1] else "")


# --------------------------------------------------------------------------
# Horizons: 长期 and 年度 halves side by side
# --------------------------------------------------------------------------


def _write_horizons(doc: _Doc, plans: list[_Plan]) -> list[_Written]:
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
        if p.end == 2099:
            start, end = doc.year, doc.year + layout.randint(1, 3)
        else:
            start, end = p.start, p.end
        if start == end:
            doc.row(_key(layout, "实施周期"), f"{start}年", "", "", "", "", "")
        else:
            doc.row(_key(layout, "实施周期"), f"{start}年", "至", f"{end}年", "", "", "")
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
            kind = (
                "same"
                if r < 0.6
                else "annual_only"
                if r < 0.72
                else "period_only"
                if r < 0.84
                else "renamed"
            )
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
                indicators.append(
                    IndicatorTruth(l1, l2, annual_name, None, annual, l1r, l2r, row_line)
                )
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
            layout_names=tuple(
                k for k in ("same", "annual_only", "period_only", "renamed") if k in kinds
            ),
        )
        written.append((truth, (None,) * len(indicators), (None,) * len(indicators)))
    return written


# --------------------------------------------------------------------------
# Lead label: 绩效指标 (or 年度绩效指标 …) in column 0 of every indicator row
# --------------------------------------------------------------------------

_LEAD_LABELS = ("年度绩效指标", "本年度 绩效指标", "绩效指标", "项目绩效指标", "年度绩效指标")


def _write_lead_label(doc: _Doc, plans: list[_Plan]) -> list[_Written]:
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


def _write_two_row_header(doc: _Doc, plans: list[_Plan]) -> list[_Written]:
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
            row_line = doc.row(
                l1_cell, l2_cell, name, op, number, unit, _weight_cell(weight, layout), direction
            )
            indicators.append(
                IndicatorTruth(l1, l2, name, None, op + number + unit, l1r, l2r, row_line)
            )
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


_WRITERS = {
    "flat": _write_flat,
    "horizons": _write_horizons,
    "lead_label": _write_lead_label,
    "two_row_header": _write_two_row_header,
}
