"""Indicator charts: how the performance indicators are spread over categories, projects and targets.

Categories keep the official order of :mod:`lib.schema` and their 一级's
colour from :data:`lib.charts.style.LEVEL1_COLORS`; category names translate
with ``lang``, indicator names are document text and stay as written.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from lib import metrics, schema
from lib.charts.style import (
    KIND_GROUP_COLORS,
    LEVEL1_COLORS,
    bars_height,
    empty,
    escapes_document_text,
    layout,
    paren,
    sep,
    tint,
    unique,
    wrap,
)
from lib.i18n import category, t

__all__ = ["category_heatmap", "level_sunburst", "percent_distribution", "value_kind_chart"]


def _category_label(value: str, lang: str, *, width: int = 12) -> str:
    """A taxonomy name in ``lang``, broken where a reader would: "经济效益<br>指标".

    Chinese category names end in 指标; the break goes before it, or after the
    first four characters of a long head ("服务对象<br>满意度指标").
    """
    text = category(value, lang)
    if lang == "en":
        return wrap(text, width)
    head = text.removesuffix("指标")
    if len(text) <= 5 or head == text:
        return wrap(text, 5)
    if len(head) <= 5:
        return f"{head}<br>指标"
    return f"{head[:4]}<br>{head[4:]}指标"


# ---------------------------------------------------------------- indicators


@escapes_document_text
def level_sunburst(indicators: pl.DataFrame, *, lang: str = "zh", depth: int = 2) -> go.Figure:
    """Sunburst of indicator counts: 一级 → 二级 (→ 三级 names with ``depth=3``).

    Rings keep the official category order and take their 一级's colour from
    :data:`LEVEL1_COLORS` (lighter further out). Category names translate
    with ``lang``; 三级 names are document text and stay as written, the same
    name under the same 二级 counted together.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = level_sunburst(load_documents().indicators)
    >>> dict(zip(fig.data[0].ids[:4], fig.data[0].values[:4]))
    {'产出指标': 75, '效益指标': 47, '满意度指标': 20, '成本指标': 30}
    """
    title = t("chart_level_sunburst_3" if depth >= 3 else "chart_level_sunburst", lang)
    if indicators.is_empty():
        return empty(title, lang)
    level1 = indicators.group_by("level1").agg(count=pl.len()).sort("level1")
    level2 = indicators.group_by("level1", "level2").agg(count=pl.len()).sort("level1", "level2")
    ids, labels, parents, values, colors, texts = [], [], [], [], [], []

    def node(id_: str, label: str, parent: str, count: int, color: str, text: str) -> None:
        ids.append(id_)
        labels.append(label)
        parents.append(parent)
        values.append(count)
        colors.append(color)
        texts.append(text)

    for row in level1.iter_rows(named=True):
        l1 = row["level1"]
        color = LEVEL1_COLORS.get(l1, LEVEL1_COLORS["未分类"])
        node(
            l1, category(l1, lang), "", row["count"], color, f"{_category_label(l1, lang, width=8)}<br>{row['count']:,}"
        )
    for row in level2.iter_rows(named=True):
        l1, l2 = row["level1"], row["level2"]
        color = tint(LEVEL1_COLORS.get(l1, LEVEL1_COLORS["未分类"]), 0.35)
        text = f"{_category_label(l2, lang, width=10)}<br>{row['count']:,}"
        node(f"{l1}/{l2}", category(l2, lang), l1, row["count"], color, text)
    if depth >= 3:
        level3 = (
            indicators.with_columns(pl.col("name").fill_null("—"))
            .group_by("level1", "level2", "name", maintain_order=True)
            .agg(count=pl.len())
            .sort("level1", "level2", maintain_order=True)
        )
        for row in level3.iter_rows(named=True):
            l1, l2, name = row["level1"], row["level2"], row["name"]
            color = tint(LEVEL1_COLORS.get(l1, LEVEL1_COLORS["未分类"]), 0.6)
            # 172 slivers cannot all be read; a name used more than once
            # (boilerplate, review rule 13) is the one worth labelling.
            text = f"{wrap(name, 8)}<br>{row['count']}" if row["count"] > 1 else ""
            node(f"{l1}/{l2}/{name}", name, f"{l1}/{l2}", row["count"], color, text)
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            sort=False,
            marker={"colors": colors, "line": {"color": "white", "width": 1.5}},
            text=texts,
            texttemplate="%{text}",
            hovertemplate=(
                f"<b>%{{label}}</b><br>{t('metric_indicators', lang)}{sep(lang)}%{{value}}"
                f"{paren('%{percentRoot:.1%}', lang)}<extra></extra>"
            ),
            insidetextorientation="horizontal" if depth < 3 else "radial",
        )
    )
    fig = layout(
        fig,
        title,
        subtitle=t("chart_subtitle_indicators", lang, count=indicators.height),
        height=600 if depth < 3 else 760,
    )
    fig.update_layout(margin={"l": 8, "r": 8, "b": 8})
    return fig


@escapes_document_text
def category_heatmap(projects: pl.DataFrame, indicators: pl.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Indicator counts per project (rows) and 二级 category (columns), numbers in the cells.

    Columns are the 二级 categories present, in the official order, each
    marked with its 一级's colour; rows are the projects in document order.
    An empty cell is a category the project does not use (review rule 1).

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> fig = category_heatmap(corpus.projects, corpus.indicators)
    >>> len(fig.data[0].x), len(fig.data[0].y)
    (8, 15)
    """
    title = t("chart_category_heatmap", lang)
    if projects.is_empty() or indicators.is_empty():
        return empty(title, lang)
    counts = indicators.group_by("project_id", "level2").agg(count=pl.len())
    present = [l2 for l2 in schema.LEVEL2 if l2 in set(counts["level2"].cast(pl.String).to_list())]
    lookup = {(r["project_id"], r["level2"]): r["count"] for r in counts.iter_rows(named=True)}
    labels = [wrap(name, 16) for name in unique(projects["name"].to_list(), lang)]
    z = [[lookup.get((pid, l2)) for l2 in present] for pid in projects["project_id"].to_list()]
    columns = [
        f"<span style='color:{LEVEL1_COLORS[schema.LEVEL2_PARENT[l2]]}'>■</span> {_category_label(l2, lang, width=7)}"
        for l2 in present
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=labels,
            text=[["" if v is None else str(v) for v in row] for row in z],
            texttemplate="%{text}",
            textfont={"size": 13},
            colorscale=[[0, "#DEEBF7"], [1, "#08519C"]],
            showscale=False,
            xgap=2,
            ygap=2,
            customdata=[[category(l2, lang) for l2 in present] for _ in labels],
            hovertemplate=f"%{{y}}<br>%{{customdata}}{sep(lang)}%{{z}}<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_xaxes(side="top", showgrid=False, tickangle=0)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig = layout(
        fig,
        title,
        subtitle=t("chart_subtitle_indicators", lang, count=indicators.height),
        height=bars_height(labels, extra=260),
    )
    # The column names sit above the cells, below the title block; automargin
    # does not count the title, so the margin is set for both.
    fig.update_layout(margin={"t": 140})
    return fig


@escapes_document_text
def value_kind_chart(projects: pl.DataFrame, indicators: pl.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Per project, a 100% bar split into quantitative, qualitative and missing annual targets.

    Segments are labelled with their count; the hover adds the share. Groups
    are those of :func:`lib.metrics.value_kind_shares`. Projects without
    indicators keep an empty row.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> fig = value_kind_chart(corpus.projects, corpus.indicators)
    >>> [sum(trace.customdata[i][0] for i in range(15)) for trace in fig.data]
    [149, 22, 1]
    """
    title = t("chart_value_kind", lang)
    if projects.is_empty():
        return empty(title, lang)
    shares = metrics.value_kind_shares(projects, indicators)
    labels = [wrap(name, 16) for name in unique(shares["name"].to_list(), lang)]
    fig = go.Figure()
    for group in ("quantitative", "qualitative", "missing"):
        counts = shares[group].to_list()
        fractions = shares[f"{group}_share"].to_list()
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=labels,
                x=fractions,
                name=t(f"kind_{group}", lang),
                marker={"color": KIND_GROUP_COLORS[group]},
                text=[f"{c:,}" if c else "" for c in counts],
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                customdata=[[c, metrics.format_share(f)] for c, f in zip(counts, fractions)],
                hovertemplate=(
                    f"%{{y}}<br>{t(f'kind_{group}', lang)}{sep(lang)}%{{customdata[0]}}"
                    f"{paren('%{customdata[1]}', lang)}<extra></extra>"
                ),
            )
        )
    # Stacked bars list their legend backwards by default; keep reading order.
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(range=[0, 1], tickformat=".0%", title_text=t("col_share", lang))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return layout(fig, title, height=bars_height(labels, extra=200), legend=True)


@escapes_document_text
def percent_distribution(indicators: pl.DataFrame, *, lang: str = "zh") -> go.Figure:
    """How many annual percentage targets sit at each level (≥90%, ≥95%, 100% ...), stacked by 一级.

    Levels come from :func:`lib.metrics.percent_targets`, in number order;
    colours are :data:`LEVEL1_COLORS`, as on every chart. The total of each
    column is written above it.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = percent_distribution(load_documents().indicators)
    >>> list(fig.data[0].x), list(fig.data[0].y)
    (['≥90%', '≥95%', '100%', '≥100%'], [6, 14, 17, 2])
    """
    title = t("chart_percent_distribution", lang)
    targets = metrics.percent_targets(indicators) if not indicators.is_empty() else None
    if targets is None or targets.is_empty():
        return empty(title, lang)
    order = list(dict.fromkeys(targets["target"].to_list()))
    fig = go.Figure()
    # One trace per 一级 in the official order, so the stack and the legend
    # read the same way on every chart.
    for l1 in schema.LEVEL1:
        group = targets.filter(pl.col("level1") == l1)
        if group.is_empty():
            continue
        by_target = dict(zip(group["target"].to_list(), group["count"].to_list()))
        fig.add_trace(
            go.Bar(
                x=order,
                y=[by_target.get(target, 0) for target in order],
                name=category(l1, lang),
                marker={"color": LEVEL1_COLORS[l1]},
                text=[f"{by_target[target]:,}" if target in by_target else "" for target in order],
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                hovertemplate=f"{category(l1, lang)}<br>%{{x}}{sep(lang)}%{{y}}<extra></extra>",
            )
        )
    totals = targets.group_by("target").agg(pl.sum("count"))
    total_by_target = dict(zip(totals["target"].to_list(), totals["count"].to_list()))
    for target in order:
        fig.add_annotation(
            x=target,
            y=total_by_target[target],
            text=f"<b>{total_by_target[target]:,}</b>",
            showarrow=False,
            yanchor="bottom",
            font={"size": 14},
        )
    # Legend in the official 一级 order; a segment too thin for its count
    # shows none (the hover and the column total still do).
    fig.update_layout(
        barmode="stack",
        bargap=0.35,
        legend={"traceorder": "normal"},
        uniformtext={"minsize": 12, "mode": "hide"},
    )
    fig.update_xaxes(title_text=t("col_annual_value", lang), type="category", showgrid=False)
    fig.update_yaxes(
        title_text=t("metric_indicators", lang),
        range=[0, max(total_by_target.values()) * 1.12],
    )
    return layout(
        fig,
        title,
        subtitle=t("chart_subtitle_indicators", lang, count=int(targets["count"].sum())),
        height=480,
        legend=len(fig.data) > 1,
    )
