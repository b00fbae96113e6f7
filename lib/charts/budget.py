"""Budget charts: where the money goes, by project, by type, over the years and against cost caps.

Money is shown in 万元 with two decimals; amounts that make up a total are
rounded with :func:`lib.metrics.apportion_wan` (or summed from amounts
already rounded), so the bars, tiles and labels of a chart always add up to
the total its subtitle states. Charts with a row per project draw the
largest ones and group the rest into one "其他 N 个项目" bar or tile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

from lib import metrics
from lib.charts.style import (
    BUDGET_BAR_COLOR,
    GRID_COLOR,
    LEVEL1_COLORS,
    MUTED_COLOR,
    NEUTRAL_COLOR,
    TEXT_COLOR,
    TYPE_COLORS,
    bars_height,
    empty,
    escapes_document_text,
    layout,
    legend_key,
    money,
    paren,
    sep,
    short_departments,
    sum_wan,
    tint,
    type_name,
    type_palette,
    unique,
    wrap,
)
from lib.i18n import t
from lib.model import periods
from lib.model.money import shown_unit

__all__ = [
    "TOP_DEPARTMENTS",
    "TREEMAP_MIN_SHARE",
    "TREEMAP_PER_DEPARTMENT_TYPE",
    "TREEMAP_PER_TYPE",
    "Bar",
    "budget_by_department",
    "budget_by_project",
    "budget_by_type",
    "budget_treemap",
    "budget_vs_caps",
    "department_bars",
    "pareto",
    "period_timeline",
    "project_bars",
]


def _short_share(x: float | None) -> str:
    """A share for a point label: whole percent, but never "100%" short of 100%."""
    if x is None:
        return ""
    return f"{x:.1%}" if 0.995 <= x < 1 - 1e-9 else f"{x:.0%}"


# ---------------------------------------------------------------- budgets


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a per-project budget chart, as :func:`project_bars` ranks them."""

    label: str  # unique, wrapped: the category on the axis
    name: str  # full name for hover
    type: str
    wan: float | None  # rounded so that all bars add up to the shown total
    share: float | None
    cumulative: float | None
    color: str
    other: bool = False
    department: str | None = None
    count: int | None = None  # projects in a department's bar


def _department_line(department: str) -> str:
    """A project label's second line naming its department, muted."""
    return f'<br><span style="color:{MUTED_COLOR}">{department}</span>'


def project_bars(
    projects: pl.DataFrame,
    *,
    lang: str,
    top_n: int | None,
    palette: dict[str, str] | None = None,
    departments: bool = False,
) -> list[Bar]:
    """Projects ranked by budget; beyond ``top_n`` they become one "其他 N 个项目" bar.

    With ``departments`` each label has a second line naming the project's
    department (the projects' ``department`` column, without the place all
    share): across departments a name alone is ambiguous.
    """
    table = metrics.allocation_table(projects)
    palette = palette or type_palette(table["type"].to_list())
    top_n = None if top_n is None else max(top_n, 1)
    # Only the bars drawn get labels: wrapping 10,000 names to show 30 cost a second.
    shown = table if top_n is None or table.height <= top_n else table.head(top_n)
    labels = [wrap(label) for label in unique(shown["name"].to_list(), lang)]
    several = departments
    if several:
        short = short_departments(table["department"].to_list())
        labels = [label + _department_line(short[d]) for label, d in zip(labels, shown["department"].to_list())]
    bars = [
        Bar(
            label=label,
            name=row["name"] or "—",
            type=type_name(row["type"], lang),
            wan=row["budget_wan"],
            share=row["share"],
            cumulative=row["cumulative_share"],
            color=palette[row["type"] or ""],
            department=row["department"] if several else None,
        )
        for label, row in zip(labels, shown.iter_rows(named=True))
    ]
    rest = table.slice(shown.height)
    if rest.is_empty():
        return bars
    # Shares of the rest are summed from the unrounded shares, and the bar's
    # amount from the rounded ones, so the chart's bars still add up.
    shares = rest["share"].drop_nulls()
    other_label = t("other_projects", lang, n=rest.height)
    other = Bar(
        label=other_label,
        name=other_label,
        type="—",
        wan=sum_wan(rest["budget_wan"].to_list()),
        share=shares.sum() if shares.len() else None,
        cumulative=rest["cumulative_share"][-1],
        color=NEUTRAL_COLOR,
        other=True,
    )
    return [*bars, other]


def department_bars(projects: pl.DataFrame, *, lang: str, top_n: int, unit: str) -> list[Bar]:
    """Departments ranked by budget as bars (amounts in ``unit``, apportioned); beyond ``top_n`` one "其他 N 个部门" bar."""
    table = metrics.by_department(projects)
    shown = table.head(top_n) if table.height > top_n + 1 else table
    rest = table.slice(shown.height)
    yuan = [*shown["budget_yuan"].to_list(), *([rest["budget_yuan"].sum()] if rest.height else [])]
    amounts = metrics.apportion(yuan, unit)
    short = short_departments(table["department"].to_list())
    labels = [wrap(name, 12) for name in unique([short[name] for name in shown["department"].to_list()], lang)]
    bars = [
        Bar(
            label=label,
            name=row["department"],
            type="—",
            wan=amount,
            share=row["share"],
            cumulative=row["cumulative_share"],
            color=BUDGET_BAR_COLOR,
            department=row["department"],
            count=row["projects"],
        )
        for label, amount, row in zip(labels, amounts, shown.iter_rows(named=True))
    ]
    if rest.height:
        other = t("other_departments", lang, n=rest.height)
        bars.append(
            Bar(
                label=other,
                name=other,
                type="—",
                wan=amounts[-1],
                share=rest["share"].sum(),
                cumulative=rest["cumulative_share"][-1],
                color=NEUTRAL_COLOR,
                other=True,
                count=int(rest["projects"].sum()),
            )
        )
    return bars


def _subtitle_total(total_wan: float, count: int, lang: str) -> str:
    """The subtitle "合计 1,088.25 万元，15 个项目": the total the chart's parts add up to (亿元 from 10,000 万元)."""
    if shown_unit(total_wan * 10_000) == "亿元":
        return t("chart_subtitle_total_yi", lang, total=metrics.format_money(total_wan * 10_000, "亿元"), count=count)
    return t("chart_subtitle_total", lang, total=f"{total_wan:,.2f}", count=count)


@escapes_document_text
def budget_by_project(
    projects: pl.DataFrame,
    *,
    lang: str = "zh",
    top_n: int = 30,
    palette: dict[str, str] | None = None,
    departments: bool = False,
) -> go.Figure:
    """Horizontal bars of each project's budget in 万元, the largest at the top.

    Bars are coloured by project type (:func:`type_palette`) and labelled
    with their amount; the hover gives the full name, type and share. With
    more than ``top_n`` projects the smaller ones become one grey
    "其他 N 个项目" bar, so the bars still add up to the total in the subtitle.
    A project without a budget keeps its bar, empty and labelled "—". With
    ``departments`` each bar's label names its department too.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = budget_by_project(load_documents().projects)
    >>> fig.data[0].y[0], fig.data[0].x[0]
    ('人代会', 197.68)
    """
    title = t("chart_budget_by_project", lang)
    if projects.is_empty():
        return empty(title, lang)
    bars = project_bars(projects, lang=lang, top_n=top_n, palette=palette, departments=departments)
    top, cut = _budget_bar_axis(bars)
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[b.label for b in bars],
            x=[b.wan for b in bars],
            text=[money(b.wan) for b in bars],
            # The cut bar's label is an annotation: outside, it would sit off the chart.
            texttemplate=["%{text}" if b is not cut else "" for b in bars],
            textposition="outside",
            cliponaxis=False,
            marker={"color": [b.color for b in bars]},
            customdata=[[b.name, b.type, metrics.format_share(b.share)] for b in bars],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                f"{t('col_type', lang)}{sep(lang)}%{{customdata[1]}}<br>"
                f"{t('col_budget_wan', lang)}{sep(lang)}%{{text}}<br>"
                f"{t('col_share', lang)}{sep(lang)}%{{customdata[2]}}<extra></extra>"
            ),
            name=t("col_budget_wan", lang),
            showlegend=False,
        )
    )
    types = {b.type: b.color for b in bars if not b.other}
    if len(types) > 1:
        legend_key(fig, dict(sorted(types.items())))
    _value_axis(fig, top, lang=lang)
    _note_cut_bar(fig, cut, lang)
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="")
    return layout(
        fig,
        title,
        subtitle=_subtitle_total(sum_wan(b.wan for b in bars), projects.height, lang),
        height=bars_height([b.label for b in bars], extra=190 if len(types) > 1 else 150),
        legend=len(types) > 1,
    )


def _budget_bar_axis(bars: Sequence[Bar]) -> tuple[float, Bar | None]:
    """The largest amount the value axis must hold, and the bar cut at the axis, if any.

    An "其他 N 个项目" bar more than twice the largest project would flatten
    every project bar to a sliver (at 10,000 projects it is 1,600 times the
    largest): the axis then holds the projects and that bar is cut at the
    axis' end; :func:`_note_cut_bar` writes its amount on it.
    """
    largest = max((b.wan or 0.0 for b in bars if not b.other), default=0.0)
    cut = next((b for b in bars if b.other and largest > 0 and (b.wan or 0.0) > 2 * largest), None)
    top = largest if cut is not None else max((b.wan or 0.0 for b in bars), default=0.0)
    return top, cut


def _note_cut_bar(fig: go.Figure, cut: Bar | None, lang: str) -> None:
    """The amount of a bar cut at the axis, written at its start (its end is off the chart)."""
    if cut is not None:
        fig.add_annotation(
            x=0,
            y=cut.label,
            xref="x",
            yref="y",
            xanchor="left",
            xshift=6,
            showarrow=False,
            text=f"<b>{t('bar_cut', lang, amount=money(cut.wan))}</b>",
            font={"size": 13, "color": TEXT_COLOR},
        )


def _value_axis(fig: go.Figure, largest: float, *, lang: str) -> None:
    """A 万元 axis with room to the right of the ``largest`` bar for its outside label."""
    fig.update_xaxes(
        title_text=t("unit_wan", lang),
        range=[0, largest * 1.16 if largest > 0 else 1],
        tickformat=",.0f",
        separatethousands=True,
    )


#: The department chart draws at most this many departments, the largest; the rest are one bar.
TOP_DEPARTMENTS = 30


@escapes_document_text
def budget_by_department(projects: pl.DataFrame, *, lang: str = "zh", top_n: int = TOP_DEPARTMENTS) -> go.Figure:
    """Horizontal bars of the budget per department, largest first, labelled with amount and share.

    ``projects`` carry a filled ``department`` column
    (:func:`lib.metrics.department_column`). Amounts are in 亿元 when the
    largest department has 1 亿元 or more, else in 万元, apportioned so the
    bars add up to the subtitle's total; beyond ``top_n`` departments the
    smaller ones are one "其他 N 个部门" bar.

    Examples
    --------
    >>> import polars as pl
    >>> projects = pl.DataFrame({"department": ["甲局", "乙局", "甲局"], "budget_yuan": [2e8, 1.5e8, 0.5e8]})
    >>> fig = budget_by_department(projects)
    >>> list(fig.data[0].y), list(fig.data[0].x), fig.layout.title.subtitle.text
    (['甲局', '乙局'], [2.5, 1.5], '合计 4.00 亿元，2 个部门，3 个项目')
    """
    table = metrics.by_department(projects) if not projects.is_empty() else None
    largest_yuan = float(table["budget_yuan"].max() or 0.0) if table is not None else 0.0
    unit = shown_unit(largest_yuan)
    unit_label = t("unit_yi" if unit == "亿元" else "unit_wan", lang)
    title = t("chart_budget_by_department", lang, unit=unit_label)
    if table is None:
        return empty(title, lang)
    bars = department_bars(projects, lang=lang, top_n=top_n, unit=unit)
    amounts = [b.wan for b in bars]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[b.label for b in bars],
            x=amounts,
            text=[f"{money(b.wan)}{paren(metrics.format_share(b.share), lang)}" for b in bars],
            textposition="outside",
            cliponaxis=False,
            marker={"color": [b.color for b in bars]},
            customdata=[[b.name, b.count, metrics.format_share(b.share)] for b in bars],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                f"{unit_label}{sep(lang)}%{{x:,.2f}}<br>"
                f"{t('col_share', lang)}{sep(lang)}%{{customdata[2]}}<br>"
                f"{t('metric_projects', lang)}{sep(lang)}%{{customdata[1]:,}}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    top = max((a or 0.0 for a in amounts), default=0.0)
    fig.update_xaxes(
        title_text=unit_label, range=[0, top * 1.3 if top > 0 else 1], tickformat=",.0f" if unit == "万元" else ",.1f"
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="")
    total = sum(round((a or 0.0) * 100) for a in amounts) / 100
    subtitle = t(
        "chart_subtitle_departments",
        lang,
        total=f"{total:,.2f}",
        unit=unit_label,
        departments=table.height,
        count=int(table["projects"].sum()),
    )
    return layout(fig, title, subtitle=subtitle, height=bars_height([b.label for b in bars], extra=150, minimum=300))


@escapes_document_text
def budget_by_type(projects: pl.DataFrame, *, lang: str = "zh", palette: dict[str, str] | None = None) -> go.Figure:
    """Horizontal bars of the budget per 项目类型 in 万元, labelled with amount and share.

    A type's amount is the sum of its projects' rounded amounts, so it
    matches :func:`budget_by_project` and the bars add up to the subtitle's
    total. Projects without a type are grouped as "未填写类型".

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = budget_by_type(load_documents().projects)
    >>> dict(zip(fig.data[0].y, fig.data[0].x))["其他运转类（信息化运维类）"]
    65.92
    """
    title = t("chart_budget_by_type", lang)
    if projects.is_empty():
        return empty(title, lang)
    table = metrics.allocation_table(projects)
    total_yuan = float(projects["budget_yuan"].fill_nan(None).sum() or 0.0)
    palette = palette or type_palette(table["type"].to_list())
    grouped = (
        table.with_columns(pl.col("type").fill_null(""))
        .with_columns(cents=(pl.col("budget_wan") * 100).round().cast(pl.Int64))
        .group_by("type", maintain_order=True)
        .agg(pl.col("cents").sum(), pl.col("share").sum(), count=pl.len())
        .sort("cents", descending=True, maintain_order=True)
    )
    rows = grouped.to_dicts()
    labels = [wrap(type_name(row["type"], lang)) for row in rows]
    amounts = [row["cents"] / 100 for row in rows]
    shares = [row["share"] if total_yuan > 0 else None for row in rows]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=labels,
            x=amounts,
            text=[f"{a:,.2f}{paren(metrics.format_share(s), lang)}" for a, s in zip(amounts, shares)],
            # Inside a long bar, outside a short one: in a half-width column on a laptop the
            # longest bar's label would otherwise run off the plot ("993.67（91.3").
            textposition="auto",
            insidetextanchor="end",
            cliponaxis=False,
            marker={"color": [palette[row["type"]] for row in rows]},
            customdata=[[type_name(row["type"], lang), row["count"]] for row in rows],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                f"{t('col_budget_wan', lang)}{sep(lang)}%{{x:,.2f}}<br>"
                f"{t('metric_projects', lang)}{sep(lang)}%{{customdata[1]}}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    largest = max(amounts, default=0.0)
    # Room for "993.67（91.31%）" to the right of the longest bar.
    fig.update_xaxes(title_text=t("unit_wan", lang), range=[0, largest * 1.3 if largest > 0 else 1], tickformat=",.0f")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return layout(
        fig,
        title,
        subtitle=_subtitle_total(sum(row["cents"] for row in rows) / 100, projects.height, lang),
        height=bars_height(labels, extra=170, minimum=300),
    )


#: The treemap draws at most this many projects of each type, the largest;
#: the rest of a type is one tile "其他 N 个项目". At 10,000 projects a tile
#: each took the browser seconds to draw, and none of them could be read.
TREEMAP_PER_TYPE = 15
#: ... and only projects of at least this share of the total: a smaller tile
#: is a sliver no label fits in (at 10,000 projects every project is under
#: 0.1%), so such projects join the grouped tile too.
TREEMAP_MIN_SHARE = 0.005
#: With departments, at most this many projects of each department's type are drawn.
TREEMAP_PER_DEPARTMENT_TYPE = 3


@escapes_document_text
def budget_treemap(
    projects: pl.DataFrame,
    *,
    lang: str = "zh",
    palette: dict[str, str] | None = None,
    per_type: int = TREEMAP_PER_TYPE,
    min_share: float = TREEMAP_MIN_SHARE,
    departments: bool = False,
) -> go.Figure:
    """Treemap of the budget: total → project type → project, sized in 万元.

    With ``departments`` the tree is total → department → type → project
    (the projects' ``department`` column): the :data:`TOP_DEPARTMENTS`
    largest departments each with their types, the rest one tile "其他 N 个部门",
    and at most :data:`TREEMAP_PER_DEPARTMENT_TYPE` projects of a department's type.

    Each tile shows its amount and its share of the total; a type's tile is
    the sum of its projects' rounded amounts, the root the sum of the types.
    Beyond the ``per_type`` largest projects of a type, and below
    ``min_share`` of the total, the others become one tile "其他 N 个项目"
    (or "N 个项目（每个不足总预算的 0.5%）" when none is drawn on its own)
    with their summed amount, so every type and the total still add up to
    the frame's budgets. A single project is never grouped. Projects without
    a budget have no area and are left out.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = budget_treemap(load_documents().projects)
    >>> fig.data[0].values[0]
    1088.25
    >>> fig = budget_treemap(load_documents().projects, per_type=3)
    >>> [label for label in fig.data[0].labels if label.startswith("其他 ")]
    ['其他 7 个项目']
    """
    several = departments
    title = t("chart_budget_treemap_departments" if several else "chart_budget_treemap", lang)
    table = metrics.allocation_table(projects).filter(pl.col("budget_wan") > 0) if not projects.is_empty() else None
    if table is None or table.is_empty():
        return empty(title, lang)
    palette = palette or type_palette(projects["type"].to_list())
    total = sum_wan(table["budget_wan"].to_list())
    positive_total = float(projects["budget_yuan"].fill_nan(None).sum() or 0.0) > 0
    unit = t("unit_wan", lang)
    per_type = max(per_type, 1)

    def shown(value: float) -> str:
        """An amount in 万元 as text, in 亿元 from 10,000 万元 up."""
        if value >= 10_000:
            return f"{metrics.format_money(value * 10_000, '亿元')} {t('unit_yi', lang)}"
        return f"{money(value)} {unit}"

    def amount(value: float, share: float | None) -> str:
        return f"{shown(value)} · {metrics.format_share(share)}"

    def tile_text(heading: str, value: float, share: float | None) -> str:
        # Below 1.2% a tile is too small for legible text; the hover still has it.
        if share is not None and share < 0.012:
            return ""
        return f"<b>{heading}</b><br>{shown(value)}<br>{metrics.format_share(share)}"

    # Plotly writes only the label in a parent's header strip, so a parent's
    # label carries its amount; names for the hover are in `names`.
    ids, labels, names, parents, values, texts, hovers, colors = (
        ["root"],
        [f"{t('total', lang)}  {shown(total)}"],
        [t("total", lang)],
        [""],
        [total],
        [""],
        [amount(total, 1.0 if positive_total else None)],
        ["#F2F2F2"],
    )

    def add_types(part: pl.DataFrame, parent: str, prefix: str, narrow_at: float) -> None:
        """The types of ``part`` (a department's projects, or all) under ``parent``, their projects under them."""
        groups = sorted(
            part.with_columns(pl.col("type").fill_null("")).group_by("type", maintain_order=True),
            key=lambda pair: -sum_wan(pair[1]["budget_wan"].to_list()),
        )
        for (type_key,), group in groups:
            type_id = f"{prefix}type:{type_key}"
            type_wan = sum_wan(group["budget_wan"].to_list())
            type_share = group["share"].sum() if positive_total else None
            ids.append(type_id)
            # A minor type's column is narrow: its header wraps onto short lines,
            # shorter the smaller the type, so its text need not shrink to fit.
            narrow = type_share is not None and type_share < narrow_at
            labels.append(
                f"{wrap(type_name(type_key, lang), 7 if type_share < narrow_at / 2 else 14)}<br>{shown(type_wan)}"
                if narrow
                else f"{type_name(type_key, lang)}  {amount(type_wan, type_share)}"
            )
            names.append(type_name(type_key, lang))
            parents.append(parent)
            values.append(type_wan)
            # With departments a type is a leaf until its department is clicked: its text is on the tile.
            texts.append(tile_text(wrap(type_name(type_key, lang), 8), type_wan, type_share) if several else "")
            hovers.append(amount(type_wan, type_share))
            colors.append(palette[type_key])
            # Largest first: the projects drawn are a prefix. One project is never
            # grouped alone as "其他 1 个项目".
            large = group.height if not positive_total else int((group["share"] >= min_share).sum())
            drawn = min(per_type, large)
            kept = group if group.height <= drawn + 1 else group.head(drawn)
            for row in kept.iter_rows(named=True):
                ids.append(f"project:{row['project_id']}")
                labels.append(row["name"] or "—")
                names.append(row["name"] or "—")
                parents.append(type_id)
                values.append(row["budget_wan"])
                hovers.append(amount(row["budget_wan"], row["share"]))
                texts.append(tile_text(wrap(row["name"] or "—", 8), row["budget_wan"], row["share"]))
                colors.append(tint(palette[type_key], 0.3))
            rest = group.slice(kept.height)
            if not rest.is_empty():
                # Summed from the rounded amounts, so the type's tiles add up to its own.
                rest_wan = sum_wan(rest["budget_wan"].to_list())
                rest_share = rest["share"].sum() if positive_total else None
                other = (
                    t("other_projects", lang, n=rest.height)
                    if not kept.is_empty()
                    else t("small_projects", lang, n=rest.height, share=metrics.format_share(min_share))
                )
                ids.append(f"{prefix}other:{type_key}")
                labels.append(other)
                names.append(f"{other}{paren(type_name(type_key, lang), lang)}")
                parents.append(type_id)
                values.append(rest_wan)
                hovers.append(amount(rest_wan, rest_share))
                texts.append(tile_text(other, rest_wan, rest_share))
                colors.append(tint(palette[type_key], 0.65))

    if several:
        # Departments first: a province or a city reads its budget by department, then by type.
        short = short_departments(table["department"].to_list())
        per_type = min(per_type, TREEMAP_PER_DEPARTMENT_TYPE)
        ranked = sorted(
            table.group_by("department", maintain_order=True),
            key=lambda pair: -sum_wan(pair[1]["budget_wan"].to_list()),
        )
        drawn_departments = ranked if len(ranked) <= TOP_DEPARTMENTS + 1 else ranked[:TOP_DEPARTMENTS]
        for index, ((department,), part) in enumerate(drawn_departments):
            department_wan = sum_wan(part["budget_wan"].to_list())
            department_share = part["share"].sum() if positive_total else None
            department_id = f"department:{index}"
            ids.append(department_id)
            small = department_share is not None and department_share < 0.04
            labels.append(
                f"{wrap(short[department], 6)}<br>{shown(department_wan)}"
                if small
                else f"{short[department]}  {amount(department_wan, department_share)}"
            )
            names.append(department)
            parents.append("root")
            values.append(department_wan)
            texts.append("")
            hovers.append(amount(department_wan, department_share))
            colors.append("#E4E4E4")
            add_types(part, department_id, f"{department_id}/", narrow_at=0.05)
        if len(drawn_departments) < len(ranked):
            rest = pl.concat([part for _, part in ranked[len(drawn_departments) :]])
            rest_wan = sum_wan(rest["budget_wan"].to_list())
            rest_share = rest["share"].sum() if positive_total else None
            other = t("other_departments", lang, n=len(ranked) - len(drawn_departments))
            ids.append("department:other")
            labels.append(f"{other}<br>{shown(rest_wan)}")
            names.append(other)
            parents.append("root")
            values.append(rest_wan)
            texts.append(tile_text(other, rest_wan, rest_share))
            hovers.append(amount(rest_wan, rest_share))
            colors.append(tint(NEUTRAL_COLOR, 0.5))
    else:
        add_types(table, "root", "", narrow_at=0.3)
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            sort=False,
            text=texts,
            texttemplate="%{text}",
            customdata=list(zip(names, hovers)),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            marker={
                "colors": colors,
                "line": {"color": "white", "width": 2},
                # Room in each parent's header strip for its name and amount.
                "pad": {"t": 48, "l": 4, "r": 4, "b": 4},
            },
            pathbar={"visible": several},
            # With departments: departments and their types first, a click drills into one.
            maxdepth=3 if several else None,
            textfont={"size": 14},
            textposition="top left",
        )
    )
    fig = layout(fig, title, subtitle=_subtitle_total(total, projects.height, lang), height=600)
    fig.update_layout(margin={"l": 8, "r": 8, "b": 8})
    return fig


@escapes_document_text
def pareto(
    projects: pl.DataFrame,
    *,
    lang: str = "zh",
    top_n: int = 30,
    palette: dict[str, str] | None = None,
    departments: bool = False,
) -> go.Figure:
    """Pareto chart: budgets in 万元, largest first, beside their cumulative share with an 80% line.

    Bars run horizontally so that long Chinese project names stay readable.
    The cumulative share (0–100%) is a line on a second x axis in its own
    panel to the right, sharing the project rows, so line and bar labels
    never cross; a dotted line marks 80%. Beyond ``top_n`` the smaller
    projects become one "其他 N 个项目" bar, as in :func:`budget_by_project`.
    With ``departments`` the bars are departments (:func:`department_bars`),
    in 亿元 when the largest has 1 亿元 or more: across departments the
    concentration that matters is theirs.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = pareto(load_documents().projects)
    >>> round(fig.data[1].x[-1], 6)
    1.0
    """
    several = departments
    title = t("chart_pareto_departments" if several else "chart_pareto", lang)
    if projects.is_empty():
        return empty(title, lang)
    unit = "万元"
    if several:
        # Across departments the concentration that matters is the departments'.
        unit = shown_unit(float(metrics.by_department(projects)["budget_yuan"].max() or 0.0))
        bars = department_bars(projects, lang=lang, top_n=top_n, unit=unit)
    else:
        bars = project_bars(projects, lang=lang, top_n=top_n, palette=palette)
    budget_label = t("col_budget_yi" if unit == "亿元" else "col_budget_wan", lang)
    labels = [b.label for b in bars]
    line_color = TYPE_COLORS[1]
    largest, cut = _budget_bar_axis(bars)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=labels,
            x=[b.wan for b in bars],
            text=[money(b.wan) for b in bars],
            # The cut bar's label is an annotation: outside, it would sit off the chart.
            texttemplate=["%{text}" if b is not cut else "" for b in bars],
            textposition="outside",
            cliponaxis=False,
            marker={"color": [NEUTRAL_COLOR if b.other else BUDGET_BAR_COLOR for b in bars]},
            name=budget_label,
            customdata=[[b.name, metrics.format_share(b.share)] for b in bars],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                f"{budget_label}{sep(lang)}%{{text}}<br>"
                f"{t('col_share', lang)}{sep(lang)}%{{customdata[1]}}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    shares = [metrics.format_share(b.cumulative) for b in bars]
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=[b.cumulative for b in bars],
            xaxis="x2",
            mode="lines+markers+text",
            line={"color": line_color, "width": 2.5},
            marker={"size": 7},
            text=[_short_share(b.cumulative) for b in bars],
            # Right of the point, away from the bars' amounts to the left of the panel; near
            # the panel's right edge, left of it.
            textposition=["middle left" if (b.cumulative or 0) > 0.85 else "middle right" for b in bars],
            textfont={"size": 12, "color": MUTED_COLOR},
            cliponaxis=False,
            name=t("col_cumulative_share", lang),
            customdata=[[b.name, share] for b, share in zip(bars, shares)],
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{t('col_cumulative_share', lang)}{sep(lang)}%{{customdata[1]}}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    _note_cut_bar(fig, cut, lang)
    fig.update_layout(
        xaxis={
            "domain": [0, 0.62],
            "title": {"text": budget_label},
            "range": [0, largest * 1.18 if largest > 0 else 1],
            "tickformat": ",.0f",
        },
        xaxis2={
            "domain": [0.68, 1],
            "anchor": "y",
            "range": [0, 1.04],
            "tickformat": ".0%",
            # Few ticks, upright: the panel is narrow in a half-width column,
            # and the 80% line carries its own label.
            "tickvals": [0, 0.5, 1.0],
            "tickangle": 0,
            "title": {"text": t("col_cumulative_share", lang), "font": {"size": 13}},
            "automargin": True,
            "gridcolor": GRID_COLOR,
        },
    )
    fig.add_shape(
        type="line",
        xref="x2",
        yref="paper",
        x0=0.8,
        x1=0.8,
        y0=0,
        y1=1,
        line={"color": line_color, "width": 1.5, "dash": "dot"},
    )
    fig.add_annotation(
        xref="x2",
        yref="paper",
        x=0.8,
        y=1,
        yanchor="bottom",
        text=t("pareto_reference", lang),
        showarrow=False,
        font={"size": 12, "color": TEXT_COLOR},
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return layout(
        fig,
        title,
        subtitle=_subtitle_total(
            sum_wan(b.wan for b in bars) * (10_000 if unit == "亿元" else 1), projects.height, lang
        ),
        height=bars_height(labels, extra=190),
    )


# ---------------------------------------------------------------- periods


@escapes_document_text
def period_timeline(
    projects: pl.DataFrame, *, lang: str = "zh", budget_year: int, palette: dict[str, str] | None = None
) -> go.Figure:
    """One row per project from its start year to its end year, with the budget year marked.

    A year is a cell: a project from 2026 to 2027 covers both. An end year
    of 2099 (open-ended as :mod:`lib.model.periods` says) is the genre's
    "recurring, no end": the bar runs solid to the budget year, continues in
    a lighter shade to an arrow and is labelled "长期" — never drawn to 2099.
    The arrow reaches at least ``budget_year`` + 1, and as far as the latest
    finite end, so an open end never looks shorter than a closed one. A
    missing end year counts as open; projects without a start year are left
    out. Rows go by start year, then document order. Bars are coloured by
    project type.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = period_timeline(load_documents().projects, budget_year=2026)
    >>> ends = [b + x for bar in fig.data if bar.type == "bar" for b, x in zip(bar.base, bar.x) if b is not None]
    >>> max(ends)
    2029.5
    """
    title = t("chart_period_timeline", lang)
    rows = projects.filter(pl.col("start_year").is_not_null())
    if rows.is_empty():
        return empty(title, lang)
    rows = rows.with_row_index("_order").sort("start_year", "_order")
    open_end = rows.select(pl.col("end_year").is_null() | periods.open_ended(budget_year=budget_year)).to_series()
    finite_ends = rows.filter(~open_end)["end_year"].to_list()
    open_starts = rows.filter(open_end)["start_year"].to_list()
    # Open ends all stop at one year: past the budget year, past every
    # finite end, and past the start of any open project beginning later.
    arrow_year = max([budget_year + 1, *finite_ends, *(start + 1 for start in open_starts)])
    palette = palette or type_palette(projects["type"].to_list())
    labels = [wrap(label) for label in unique(rows["name"].to_list(), lang)]

    solid_base, solid_len, tail_base, tail_len, colors, tail_colors, hover = [], [], [], [], [], [], []
    arrow_y, arrow_x, arrow_colors = [], [], []
    ongoing = t("ongoing", lang)
    for label, row, is_open in zip(labels, rows.iter_rows(named=True), open_end.to_list()):
        start = row["start_year"]
        color = palette[row["type"] or ""]
        colors.append(color)
        if is_open:
            # Solid up to the end of the budget year (or the start, if later).
            solid_end = max(start, budget_year)
            tail_base.append(solid_end + 0.5)
            tail_len.append(arrow_year - solid_end)
            tail_colors.append(tint(color, 0.6))
            arrow_y.append(label)
            arrow_x.append(arrow_year + 0.5)
            arrow_colors.append(color)
            period = f"{start}–{ongoing}"
        else:
            solid_end = max(row["end_year"], start)  # an end before the start draws one year
            tail_base.append(None)
            tail_len.append(None)
            tail_colors.append(color)
            period = f"{start}–{solid_end}"
        solid_base.append(start - 0.5)
        solid_len.append(solid_end - start + 1)
        hover.append([row["name"] or "—", type_name(row["type"], lang), period])

    hovertemplate = (
        "<b>%{customdata[0]}</b><br>"
        f"{t('col_type', lang)}{sep(lang)}%{{customdata[1]}}<br>"
        f"{t('card_period', lang)}{sep(lang)}%{{customdata[2]}}<extra></extra>"
    )
    fig = go.Figure()
    # Solid bars, then the pale tails of projects without a fixed end.
    for base, length, bar_colors in ((solid_base, solid_len, colors), (tail_base, tail_len, tail_colors)):
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=labels,
                base=base,
                x=length,
                marker={"color": bar_colors},
                customdata=hover,
                hovertemplate=hovertemplate,
                showlegend=False,
                width=0.6,
            )
        )
    if arrow_y:
        fig.add_trace(
            go.Scatter(
                y=arrow_y,
                x=arrow_x,
                mode="markers+text",
                marker={"symbol": "triangle-right", "size": 14, "color": arrow_colors},
                text=[ongoing] * len(arrow_y),
                textposition="middle right",
                textfont={"size": 13, "color": MUTED_COLOR},
                hoverinfo="skip",
                showlegend=False,
                cliponaxis=False,
            )
        )
    types = {type_name(ty, lang): palette[ty or ""] for ty in rows["type"].to_list()}
    if len(types) > 1:
        legend_key(fig, dict(sorted(types.items())))
    first = min(rows["start_year"].min(), budget_year)
    fig.add_vline(x=budget_year, line={"color": TEXT_COLOR, "width": 1.5, "dash": "dash"})
    fig.add_annotation(
        x=budget_year,
        y=1,
        yref="paper",
        yanchor="bottom",
        text=t("budget_year_line", lang, year=budget_year),
        showarrow=False,
        font={"size": 12, "color": TEXT_COLOR},
    )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(
        title_text=t("axis_year", lang),
        range=[first - 0.6, arrow_year + 1.6],
        tickmode="array",
        tickvals=list(range(first, arrow_year + 1)),
        tickformat="d",
        showgrid=True,
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return layout(
        fig,
        title,
        subtitle=t("chart_subtitle_ongoing", lang) if arrow_y else None,
        height=bars_height(labels, extra=220 if len(types) > 1 else 190),
        legend=len(types) > 1,
    )


# ---------------------------------------------------------------- cost caps


@escapes_document_text
def budget_vs_caps(projects: pl.DataFrame, indicators: pl.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Each project's budget with its annual cost caps right under it, in 万元.

    For every project (largest budget first) a dark bar shows the budget and
    one bar per cost cap of :func:`lib.metrics.cost_caps` follows, named after
    the indicator (预算控制数, 会议费 ...), on the same scale. Caps are in the
    成本指标 colour, light when within the budget and full with a "高于预算金额"
    note when above it (review rule 8), so an overshoot stands out. The
    hover adds the period cap. Projects without caps show their budget alone.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> fig = budget_vs_caps(corpus.projects, corpus.indicators)
    >>> [len(trace.x) for trace in fig.data[:2]]
    [15, 24]
    """
    title = t("chart_budget_vs_caps", lang)
    if projects.is_empty():
        return empty(title, lang)
    ranked = metrics.rank_by_budget(projects)
    caps = metrics.cost_caps(projects, indicators)
    names = unique(ranked["name"].to_list(), lang)
    cost = LEVEL1_COLORS["成本指标"]

    # Rows on a numeric axis: a project's budget row, then its caps, then a
    # gap. Category labels could not repeat "预算控制数" for every project.
    y, ticktext = 0.0, []
    tickvals: list[float] = []
    budget_y, budget_x, budget_hover = [], [], []
    cap_y, cap_x, cap_colors, cap_text, cap_hover = [], [], [], [], []
    for name, row in zip(names, ranked.iter_rows(named=True)):
        budget_wan = metrics.wan(row["budget_yuan"])
        budget_y.append(y)
        budget_x.append(budget_wan)
        budget_hover.append([row["name"] or "—", metrics.format_wan(row["budget_yuan"])])
        tickvals.append(y)
        ticktext.append(f"<b>{wrap(name, 18)}</b>")
        # A wrapped name is taller than its bar: push the caps below it.
        y += 1 + 0.6 * ticktext[-1].count("<br>")
        for cap in caps.filter(pl.col("project_id") == row["project_id"]).iter_rows(named=True):
            above = cap["ratio"] is not None and cap["ratio"] > 1 + 1e-9
            cap_y.append(y)
            cap_x.append(metrics.wan(cap["annual_cap_yuan"]))
            cap_colors.append(cost if above else tint(cost, 0.55))
            shown = metrics.format_wan(cap["annual_cap_yuan"])
            cap_text.append(f"<b>{shown}  ▲ {t('cap_above_budget', lang)}</b>" if above else shown)
            cap_hover.append(
                [
                    cap["indicator"] or "—",
                    row["name"] or "—",
                    metrics.format_wan(cap["annual_cap_yuan"]),
                    metrics.format_wan(cap["period_cap_yuan"]),
                    metrics.format_share(cap["ratio"]),
                ]
            )
            tickvals.append(y)
            ticktext.append(f"<span style='color:{MUTED_COLOR}'>{wrap(cap['indicator'] or '—', 18)}</span>")
            y += 1
        y += 0.6
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=budget_y,
            x=budget_x,
            text=[hover[1] for hover in budget_hover],
            textposition="outside",
            cliponaxis=False,
            marker={"color": BUDGET_BAR_COLOR},
            width=0.8,
            name=t("card_budget", lang),
            customdata=budget_hover,
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{t('card_budget', lang)}{sep(lang)}"
                f"%{{customdata[1]}} {t('unit_wan', lang)}<extra></extra>"
            ),
        )
    )
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=cap_y,
            x=cap_x,
            text=cap_text,
            textposition="outside",
            cliponaxis=False,
            marker={"color": cap_colors},
            width=0.8,
            name=t("cap_annual", lang),
            customdata=cap_hover,
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b>{paren('%{customdata[1]}', lang)}<br>"
                f"{t('cap_annual', lang)}{sep(lang)}%{{customdata[2]}}<br>"
                f"{t('cap_period', lang)}{sep(lang)}%{{customdata[3]}}<br>"
                f"{t('cap_ratio', lang)}{sep(lang)}%{{customdata[4]}}<extra></extra>"
            ),
        )
    )
    largest = max([v for v in budget_x + cap_x if v is not None], default=0.0)
    fig.update_xaxes(
        title_text=t("unit_wan", lang),
        range=[0, largest * 1.3 if largest > 0 else 1],
        tickformat=",.0f",
        side="top",
    )
    fig.update_yaxes(
        tickmode="array",
        tickvals=tickvals,
        ticktext=ticktext,
        autorange="reversed",
        showgrid=False,
        zeroline=False,
    )
    fig.update_layout(barmode="overlay", bargap=0)
    return layout(
        fig,
        title,
        subtitle=t("chart_subtitle_caps", lang),
        height=max(360, 240 + int(y * 26)),
        legend=True,
    )
