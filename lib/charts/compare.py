"""Comparison charts: two selections' budgets side by side, project changes and the department ranking.

The frames come from :mod:`lib.compare` (:func:`~lib.compare.compare_totals`,
:func:`~lib.compare.project_changes`, :func:`~lib.compare.department_ranking`);
:mod:`lib.compare` offers these builders under their names too. Amounts are
in 万元, rounded as every other chart rounds them.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from lib import metrics
from lib.charts.style import (
    SEVERITY_COLORS,
    bars_height,
    empty,
    escapes_document_text,
    layout,
    legend_key,
    money,
    paren,
    sep,
    sum_wan,
    type_name,
    unique,
    wrap,
)
from lib.compare import SEVERITY_COLUMNS, SEVERITY_WEIGHTS, STATUSES
from lib.i18n import t
from lib.model import severity as severity_model

__all__ = [
    "CHANGE_COLORS",
    "COMPARE_COLORS",
    "compare_budget_by_type_chart",
    "project_changes_chart",
    "ranking_chart",
]

#: Bar colours of the two sides (Paul Tol's high-contrast blue and yellow,
#: colour-blind safe and apart from the type and 一级 colours).
COMPARE_COLORS: tuple[str, str] = ("#004488", "#DDAA33")
#: Bar colours of :func:`project_changes_chart` (Tol's bright scheme).
CHANGE_COLORS: dict[str, str] = {
    "increase": "#4477AA",
    "decrease": "#EE6677",
    "new": "#228833",
    "ended": "#AAAAAA",
}


def _shown_wan(yuan: float | None) -> float | None:
    """An amount in 万元 as every chart shows it: half up at 0.01 万元, as :func:`lib.metrics.format_wan` shows it."""
    # One part apportioned is its own rounding, through integer cents.
    return None if yuan is None else metrics.apportion_wan([yuan])[0]


@escapes_document_text
def compare_budget_by_type_chart(
    totals: pl.DataFrame,
    *,
    left_label: str,
    right_label: str,
    lang: str = "zh",
) -> go.Figure:
    """Grouped horizontal bars of the budget per 项目类型 of two sides, in 万元.

    ``totals`` is :func:`lib.compare.compare_totals` output. Each side's type amounts are
    rounded with :func:`lib.metrics.apportion_wan`, so they add up to that
    side's total in the subtitle. Types come in the order of ``totals``
    (largest combined budget at the top); the hover gives the number of
    projects and the difference.

    Examples
    --------
    >>> from lib.compare import compare_totals, selection
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> totals = compare_totals(corpus, selection(corpus), ())
    >>> fig = compare_budget_by_type_chart(totals, left_label="甲", right_label="乙")
    >>> [trace.name for trace in fig.data], round(sum(fig.data[0].x), 2)
    (['甲', '乙'], 1088.25)
    """
    title = t("compare_chart_by_type", lang)
    types = totals.filter(pl.col("measure") == "type_budget_yuan")
    if types.is_empty() or not (types["left"].abs().sum() or types["right"].abs().sum()):
        return empty(title, lang)
    counts = totals.filter(pl.col("measure") == "type_projects")
    count_of = {side: dict(zip(counts["type"].to_list(), counts[side].to_list())) for side in ("left", "right")}
    names = [type_name(name, lang) for name in types["type"].to_list()]
    labels = [wrap(name) for name in unique(names, lang)]
    fig = go.Figure()
    shown_totals = {}
    for side, label, color in zip(("left", "right"), (left_label, right_label), COMPARE_COLORS):
        amounts = metrics.apportion_wan(types[side].to_list())
        shown_totals[side] = sum_wan(amounts)
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=labels,
                x=amounts,
                name=label,
                marker={"color": color},
                text=[money(a) for a in amounts],
                textposition="outside",
                cliponaxis=False,
                customdata=[
                    [name, label, int(count_of[side].get(key, 0)), money(_shown_wan(diff))]
                    for name, key, diff in zip(names, types["type"].to_list(), types["difference"].to_list())
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                    f"{t('col_budget_wan', lang)}{sep(lang)}%{{text}}<br>"
                    f"{t('metric_projects', lang)}{sep(lang)}%{{customdata[2]}}<br>"
                    f"{t('compare_difference', lang)}{sep(lang)}%{{customdata[3]}}<extra></extra>"
                ),
            )
        )
    largest = max((a or 0.0 for trace in fig.data for a in trace.x), default=0.0)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05, legend={"traceorder": "normal"})
    fig.update_xaxes(
        title_text=t("unit_wan", lang),
        range=[0, largest * 1.18 if largest > 0 else 1],
        tickformat=",.0f",
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="")
    total_rows = totals.filter(pl.col("measure") == "projects")
    subtitle = t(
        "compare_subtitle_sides",
        lang,
        left=left_label,
        right=right_label,
        left_total=money(shown_totals["left"]),
        right_total=money(shown_totals["right"]),
        left_count=int(total_rows["left"].sum()),
        right_count=int(total_rows["right"].sum()),
    )
    # Two bars per type: each row twice the height of a one-bar chart's.
    return layout(
        fig,
        title,
        subtitle=subtitle,
        height=bars_height([*labels, *labels], extra=200, minimum=340),
        legend=True,
    )


@escapes_document_text
def project_changes_chart(changes: pl.DataFrame, *, lang: str = "zh", top_n: int = 20) -> go.Figure:
    """Diverging horizontal bars of each project's budget change in 万元, largest changes first.

    ``changes`` is :func:`lib.compare.project_changes` output. Increases go right, cuts
    left; a new project (its whole budget, to the right) and an ended one
    (its whole budget, to the left) have their own colour and a hatch, and
    say so in their label. Only the ``top_n`` largest changes by size are
    drawn; the subtitle states the net change of all projects and how many
    continued, started and ended. Projects without a change (or without a
    budget) are left out of the bars.

    Examples
    --------
    >>> changes = pl.DataFrame(
    ...     {"status": ["continued", "new"], "name": ["甲", "乙"], "change_yuan": [-50_000.0, 120_000.0]}
    ... )
    >>> fig = project_changes_chart(changes)
    >>> list(fig.data[0].y), list(fig.data[0].x)
    (['乙（新增）', '甲'], [12.0, -5.0])
    """
    title = t("compare_chart_changes", lang)
    moved = changes.filter(pl.col("change_yuan").is_not_null() & (pl.col("change_yuan") != 0))
    if moved.is_empty():
        return empty(title, lang)
    shown = moved.sort(pl.col("change_yuan").abs(), descending=True, maintain_order=True).head(max(top_n, 1))
    statuses = [str(s) for s in shown["status"].to_list()]
    amounts = [_shown_wan(y) for y in shown["change_yuan"].to_list()]
    kinds = [
        status if status != "continued" else ("increase" if amount >= 0 else "decrease")
        for status, amount in zip(statuses, amounts)
    ]
    suffix = {"new": t("compare_status_new", lang), "ended": t("compare_status_ended", lang)}
    names = unique(shown["name"].to_list(), lang)
    labels = [wrap(name + paren(suffix[s], lang) if s in suffix else name) for name, s in zip(names, statuses)]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=labels,
            x=amounts,
            text=[f"{a:+,.2f}" for a in amounts],
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [CHANGE_COLORS[k] for k in kinds],
                # New and ended bars are whole budgets, not changes of one;
                # a hatch sets them apart in print too.
                "pattern": {
                    "shape": ["/" if s != "continued" else "" for s in statuses],
                    "fgcolor": "white",
                },
            },
            customdata=[[name, t(f"compare_status_{s}", lang)] for name, s in zip(names, statuses)],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                f"{t('compare_status', lang)}{sep(lang)}%{{customdata[1]}}<br>"
                f"{t('compare_change_wan', lang)}{sep(lang)}%{{text}}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    key_labels = {
        "increase": t("compare_increase", lang),
        "decrease": t("compare_decrease", lang),
        "new": t("compare_status_new", lang),
        "ended": t("compare_status_ended", lang),
    }
    present = [k for k in CHANGE_COLORS if k in kinds]
    if len(present) > 1:
        legend_key(fig, {key_labels[k]: CHANGE_COLORS[k] for k in present})
    low, high = min(0.0, *amounts), max(0.0, *amounts)
    span = (high - low) or 1.0
    # Room on both sides for the "+12.34" labels outside the bars.
    fig.update_xaxes(
        title_text=t("unit_wan", lang),
        range=[low - 0.2 * span if low < 0 else 0, high + 0.2 * span if high > 0 else 0],
        tickformat=",.0f",
        zeroline=True,
        zerolinecolor="#888888",
        zerolinewidth=1.5,
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="")
    counts = {s: int((changes["status"].cast(pl.String) == s).sum()) for s in STATUSES}
    net = _shown_wan(float(changes["change_yuan"].sum() or 0.0))
    subtitle = t("compare_subtitle_changes", lang, total=f"{net:+,.2f}", **counts)
    if moved.height > shown.height:
        subtitle += t("compare_subtitle_top", lang, n=shown.height)
    return layout(
        fig,
        title,
        subtitle=subtitle,
        height=bars_height(labels, extra=190 if len(present) > 1 else 150),
        legend=len(present) > 1,
    )


@escapes_document_text
def ranking_chart(ranking: pl.DataFrame, *, lang: str = "zh", top_n: int = 20) -> go.Figure:
    """Horizontal bars of :func:`lib.compare.department_ranking`, first-ranked at the top.

    With findings columns, the bars are the weighted score per project,
    stacked by severity (each segment is that severity's weight ÷ projects,
    so the bar ends at the score); without, the budget in 万元. Bars are
    labelled "department（year）".

    Examples
    --------
    >>> ranking = pl.DataFrame(
    ...     {"rank": [1, 2], "department": ["甲", "乙"], "year": [2026, 2026],
    ...      "budget_yuan": [300_000.0, 100_000.0], "projects": [3, 1]}
    ... )
    >>> fig = ranking_chart(ranking)
    >>> list(fig.data[0].y), list(fig.data[0].x)
    (['甲（2026）', '乙（2026）'], [30.0, 10.0])
    """
    scored = "score" in ranking.columns
    title = t("compare_chart_ranking_score" if scored else "compare_chart_ranking_budget", lang)
    if ranking.is_empty():
        return empty(title, lang)
    shown = ranking.sort("rank", maintain_order=True).head(max(top_n, 1))
    labels = [
        wrap(
            t("compare_department_year", lang, department=d or "—", year=y) if y is not None else (d or "—"),
            18,
        )
        for d, y in zip(shown["department"].to_list(), shown["year"].to_list())
    ]
    labels = unique(labels, lang)
    fig = go.Figure()
    if scored:
        projects = shown["projects"].to_list()
        for severity, column in SEVERITY_COLUMNS.items():
            counts = shown[column].to_list()
            fig.add_trace(
                go.Bar(
                    orientation="h",
                    y=labels,
                    x=[c * SEVERITY_WEIGHTS[severity] / p if p else 0.0 for c, p in zip(counts, projects)],
                    name=t(severity_model.LABEL_KEYS[severity], lang),
                    marker={"color": SEVERITY_COLORS[severity]},
                    customdata=[[c, p] for c, p in zip(counts, projects)],
                    hovertemplate=(
                        "%{y}<br>"
                        f"{t('compare_findings', lang)}{sep(lang)}%{{customdata[0]}}<br>"
                        f"{t('metric_projects', lang)}{sep(lang)}%{{customdata[1]}}<br>"
                        f"{t('compare_score', lang)}{sep(lang)}%{{x:.2f}}"
                        f"<extra>{t(severity_model.LABEL_KEYS[severity], lang)}</extra>"
                    ),
                )
            )
        scores = shown["score"].to_list()
        # The total at the end of each stack, as an invisible bar's label.
        fig.add_trace(
            go.Scatter(
                y=labels,
                x=scores,
                mode="text",
                text=[f"{s:.2f}" for s in scores],
                textposition="middle right",
                hoverinfo="skip",
                showlegend=False,
            )
        )
        largest = max(scores, default=0.0) or 1.0
        fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
        fig.update_xaxes(title_text=t("compare_score", lang), range=[0, largest * 1.18])
        subtitle = t("compare_subtitle_score", lang)
    else:
        amounts = [_shown_wan(y) for y in shown["budget_yuan"].to_list()]
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=labels,
                x=amounts,
                marker={"color": COMPARE_COLORS[0]},
                text=[money(a) for a in amounts],
                textposition="outside",
                cliponaxis=False,
                customdata=shown["projects"].to_list(),
                hovertemplate=(
                    "%{y}<br>"
                    f"{t('col_budget_wan', lang)}{sep(lang)}%{{text}}<br>"
                    f"{t('metric_projects', lang)}{sep(lang)}%{{customdata}}<extra></extra>"
                ),
                showlegend=False,
            )
        )
        largest = max((a or 0.0 for a in amounts), default=0.0) or 1.0
        fig.update_xaxes(title_text=t("unit_wan", lang), range=[0, largest * 1.18], tickformat=",.0f")
        subtitle = t(
            "chart_subtitle_total",
            lang,
            total=f"{_shown_wan(float(ranking['budget_yuan'].sum() or 0.0)):,.2f}",
            count=int(ranking["projects"].sum()),
        )
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="")
    return layout(
        fig,
        title,
        subtitle=subtitle,
        height=bars_height(labels, extra=190 if scored else 150),
        legend=scored,
    )
