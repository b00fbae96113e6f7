"""Review charts: the findings of :mod:`lib.review`, counted per rule and per project.

Bars are stacked by severity in :data:`lib.charts.style.SEVERITY_COLORS`,
高 first, so the most serious findings read first on every chart.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from lib.charts.style import SEVERITY_COLORS, bars_height, empty, escapes_document_text, layout, unique, wrap
from lib.i18n import t
from lib.model import severity as severity_model

__all__ = ["findings_by_rule", "projects_by_findings"]


@escapes_document_text
def findings_by_rule(findings: pl.DataFrame, rules: pl.DataFrame, *, lang: str = "zh") -> go.Figure:
    """How many findings each review rule raised, stacked by severity, largest first.

    ``rules`` has ``rule_id`` and ``title`` (as :func:`lib.review.rules_frame`
    gives them in ``lang``); bars are labelled "R09 单价 × 数量超过预算".

    Examples
    --------
    >>> import polars as pl
    >>> f = pl.DataFrame({"rule_id": ["R01", "R01", "R02"], "severity": ["高", "低", "中"]})
    >>> r = pl.DataFrame({"rule_id": ["R01", "R02"], "title": ["甲", "乙"]})
    >>> [trace.name for trace in findings_by_rule(f, r).data]
    ['高', '中', '低']
    """
    title = t("chart_findings_by_rule", lang)
    if findings.is_empty():
        return empty(title, lang)
    counts = findings.group_by("rule_id", pl.col("severity").cast(pl.String)).len()
    totals = (
        counts.group_by("rule_id")
        .agg(pl.sum("len").alias("total"))
        .sort(["total", "rule_id"], descending=[True, False])
    )
    titles = dict(zip(rules["rule_id"].to_list(), rules["title"].to_list()))
    order = totals["rule_id"].to_list()
    labels = [wrap(f"{rule_id} {titles.get(rule_id, '')}".strip(), 18) for rule_id in order]
    fig = _severity_stack(counts, key="rule_id", order=order, labels=labels, lang=lang)
    fig.update_xaxes(title_text=t("col_count", lang), dtick=1 if totals["total"].max() <= 10 else None)
    subtitle = t("chart_subtitle_findings", lang, count=findings.height)
    return layout(fig, title, subtitle=subtitle, height=bars_height(labels, extra=190), legend=True)


def _severity_stack(counts: pl.DataFrame, *, key: str, order: list, labels: list[str], lang: str) -> go.Figure:
    """Horizontal bars of finding counts per ``key`` (in ``order``), one stacked trace per severity."""
    fig = go.Figure()
    for severity, colour in SEVERITY_COLORS.items():
        group = dict(counts.filter(pl.col("severity") == severity).select(key, "len").iter_rows())
        if not group:
            continue
        fig.add_trace(
            go.Bar(
                y=labels,
                x=[group.get(item, 0) for item in order],
                orientation="h",
                name=t(severity_model.LABEL_KEYS[severity], lang),
                marker={"color": colour},
                text=[f"{group[item]:,}" if item in group else "" for item in order],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate="%{y}<br>%{x}<extra>" + t(severity_model.LABEL_KEYS[severity], lang) + "</extra>",
            )
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"}, uniformtext={"minsize": 11, "mode": "hide"})
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return fig


@escapes_document_text
def projects_by_findings(
    findings: pl.DataFrame, projects: pl.DataFrame, *, lang: str = "zh", top_n: int = 20
) -> go.Figure:
    """Projects ranked by the weight of their findings (高 3, 中 2, 低 1), stacked by severity.

    Examples
    --------
    >>> import polars as pl
    >>> f = pl.DataFrame({"project_id": ["a", "a", "b"], "severity": ["高", "低", "中"]})
    >>> p = pl.DataFrame({"project_id": ["a", "b"], "name": ["甲", "乙"]})
    >>> list(projects_by_findings(f, p).data[0].y)
    ['甲', '乙']
    """
    title = t("chart_projects_by_findings", lang)
    if findings.is_empty() or projects.is_empty():
        return empty(title, lang)
    scored = (
        findings.filter(pl.col("project_id").is_not_null())
        .with_columns(pl.col("severity").cast(pl.String))
        .with_columns(pl.col("severity").replace_strict(severity_model.WEIGHTS, return_dtype=pl.Int64).alias("weight"))
    )
    ranking = (
        scored.group_by("project_id")
        .agg(pl.sum("weight"), pl.len().alias("count"))
        .join(projects.select("project_id", "name"), on="project_id")
        .sort(["weight", "count", "name"], descending=[True, True, False])
        .head(top_n)
    )
    if ranking.is_empty():
        return empty(title, lang)
    order = ranking["project_id"].to_list()
    labels = [wrap(name) for name in unique(ranking["name"].to_list(), lang)]
    counts = scored.group_by("project_id", "severity").len()
    fig = _severity_stack(counts, key="project_id", order=order, labels=labels, lang=lang)
    fig.update_xaxes(title_text=t("col_count", lang))
    subtitle = t("chart_subtitle_weight", lang)
    return layout(fig, title, subtitle=subtitle, height=bars_height(labels, extra=190), legend=True)
