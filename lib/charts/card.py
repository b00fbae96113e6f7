"""The project card as one figure: a project's goals and indicators, sized for a slide.

Used for the card page's PNG download: the table of the project's
indicators under its name, facts line and goals, with annual values that
differ from the period value and flagged indicators highlighted.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from lib.charts.style import TEXT_COLOR, escape, escapes_document_text, layout
from lib.i18n import category, t

__all__ = ["card_figure"]


# ---------------------------------------------------------------- project card


#: The card figure's geometry in pixels: a 1080-pixel slide, the title and
#: subtitle above the plot area, goal lines of 15-pixel text.
_CARD_HEIGHT_PX, _CARD_TOP_PX, _CARD_BOTTOM_PX = 1080, 110, 24
_CARD_PLOT_PX = _CARD_HEIGHT_PX - _CARD_TOP_PX - _CARD_BOTTOM_PX
_CARD_LINE_PX, _CARD_GAP_PX = 22, 20


@escapes_document_text
def card_figure(
    project: dict,
    card: pl.DataFrame,
    *,
    facts: str,
    lang: str = "zh",
    goal_chars: int = 150,
) -> go.Figure:
    """A project's target card as one figure, for a PNG the size of a slide.

    ``project`` is one row of the projects frame (as a dict), ``card`` the
    project's indicators as :func:`lib.metrics.card_indicators` gives them
    (with ``differs``), optionally with a ``flags`` column of rule ids;
    ``facts`` is the line under the title (budget, share, period, type).
    Annual values that differ from the period value are filled orange,
    flagged indicators pink; goal texts are cut to ``goal_chars`` characters.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> from lib import metrics
    >>> c = load_documents()
    >>> p = c.projects.row(0, named=True)
    >>> fig = card_figure(p, metrics.card_indicators(c.indicators, p["project_id"]), facts="141.60 万元")
    >>> len(fig.data[0].cells.values[0])
    12
    """

    def cut(text: str | None) -> str:
        text = " ".join((text or "—").split())
        return text if len(text) <= goal_chars else text[: goal_chars - 1] + "…"

    flags = card["flags"].fill_null("").to_list() if "flags" in card.columns else [""] * card.height
    differs = card["differs"].to_list() if "differs" in card.columns else [False] * card.height
    white, orange, pink = "white", "#FFE8CC", "#FBE3E4"
    columns = [
        [category(v, lang) for v in card["level1"].cast(pl.String).to_list()],
        [category(v, lang) for v in card["level2"].cast(pl.String).to_list()],
        card["name"].fill_null("—").to_list(),
        card["period_value"].fill_null("—").to_list(),
        card["annual_value"].fill_null("—").to_list(),
        flags,
    ]
    fills = [
        [white] * card.height,
        [white] * card.height,
        [pink if flag else white for flag in flags],
        [white] * card.height,
        [orange if differ else white for differ in differs],
        [pink if flag else white for flag in flags],
    ]
    headers = [
        t(key, lang)
        for key in ("col_level1", "col_level2", "col_indicator", "col_period_value", "col_annual_value", "card_flag")
    ]
    goals = _wrap_html(
        f"<b>{t('card_goal_period', lang)}</b>　{escape(cut(project.get('goal_period')))}<br>"
        f"<b>{t('card_goal_annual', lang)}</b>　{escape(cut(project.get('goal_annual')))}",
        95,
    )
    # The goals sit under the subtitle and the table starts under them, so
    # short goals leave no empty band and long tables get the room.
    goals_height = (goals.count("<br>") + 1) * _CARD_LINE_PX + _CARD_GAP_PX
    table_top = 1 - goals_height / _CARD_PLOT_PX
    fig = go.Figure(
        go.Table(
            domain={"x": [0.0, 1.0], "y": [0.0, table_top]},
            columnwidth=[1.0, 1.5, 3.2, 1.4, 1.4, 0.9],
            header={
                "values": [f"<b>{h}</b>" for h in headers],
                "fill_color": "#EEF2F7",
                "align": "left",
                "font": {"size": 15},
                "height": 32,
            },
            cells={"values": columns, "fill_color": fills, "align": "left", "font": {"size": 14}, "height": 28},
        )
    )
    fig.add_annotation(
        text=goals,
        x=0,
        y=1,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 15, "color": TEXT_COLOR},
    )
    layout(fig, escape(project.get("name") or ""), subtitle=escape(facts), height=_CARD_HEIGHT_PX)
    return fig.update_layout(margin={"l": 24, "r": 24, "t": _CARD_TOP_PX, "b": _CARD_BOTTOM_PX})


def _wrap_html(text: str, width: int) -> str:
    """Break long lines of a ``<br>``-separated annotation every ``width`` characters."""
    lines = []
    for line in text.split("<br>"):
        while len(line) > width:
            cut = line.rfind("，", 0, width)
            cut = cut + 1 if cut > width // 2 else width
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return "<br>".join(lines)
