"""Plotly chart builders: frames in, a new figure out, every label through :mod:`lib.i18n`.

Each builder is pure: it reads the frames of :mod:`lib.schema` (already
filtered by the page), never changes them, and returns a new
``plotly.graph_objects.Figure`` whose title says what it shows. An empty
frame gives a figure with a centred "没有数据" note instead of an error.
All figures share :func:`_layout` (white background, CJK fonts, room for long
Chinese project names) and the colours below, so a category looks the same
on every chart and slide.

Money is shown in 万元 with two decimals; amounts that make up a total are
rounded with :func:`lib.metrics.apportion_wan`, so the bars, tiles and labels
of a chart always add up to the total it states.
"""

from __future__ import annotations

import math
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
import polars as pl

from lib import metrics, schema
from lib.i18n import category, t
from lib.model import periods
from lib.model import severity as severity_model

__all__ = [
    "FONT_FAMILY",
    "KIND_GROUP_COLORS",
    "LEVEL1_COLORS",
    "TREEMAP_PER_TYPE",
    "TYPE_COLORS",
    "budget_by_project",
    "budget_by_type",
    "budget_treemap",
    "budget_vs_caps",
    "category_heatmap",
    "chart_config",
    "image_filename",
    "level_sunburst",
    "pareto",
    "percent_distribution",
    "period_timeline",
    "type_palette",
    "value_kind_chart",
]

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"

#: One colour per 一级 category, the same on every chart (Okabe-Ito, colour-blind safe).
LEVEL1_COLORS: dict[str, str] = {
    "产出指标": "#0072B2",
    "效益指标": "#009E73",
    "满意度指标": "#E69F00",
    "成本指标": "#D55E00",
    "未分类": "#999999",
}

#: Colours for project types: Okabe-Ito sky blue and reddish purple, which
#: LEVEL1_COLORS leaves free, then Tol's olive and a slate (Okabe-Ito's yellow
#: is too pale on a projector), so a type is never mistaken for a category.
TYPE_COLORS: tuple[str, ...] = ("#56B4E9", "#CC79A7", "#999933", "#44546A")

#: Quantitative / qualitative / missing annual targets (Paul Tol's colour-blind
#: safe indigo and cyan, and a grey that reads as "nothing there").
KIND_GROUP_COLORS: dict[str, str] = {
    "quantitative": "#332288",
    "qualitative": "#88CCEE",
    "missing": "#DDDDDD",
}

# Bars that are not one project or one type ("其他 N 个项目", the budget
# next to cost caps) stay neutral so they do not claim a category's colour.
_NEUTRAL = "#BBBBBB"
_BUDGET_BAR = "#555555"
_TEXT = "#222222"
_MUTED = "#666666"
_GRID = "#E5E5E5"

# Width in CJK characters at which project names wrap onto a second line.
_WRAP = 14
_ROW_PX = 30  # height of one bar row with a one-line label
_LINE_PX = 16  # extra height per additional label line

# Units a line break may not fall inside: short quoted/bracketed parts, ASCII runs.
_WRAP_TOKEN = re.compile(
    r"&[A-Za-z]+;|&#[0-9]+;|“[^”]{1,8}”|（[^）]{1,8}）|\([^)]{1,8}\)|《[^》]{1,10}》|[A-Za-z0-9.%\-]+|."
)
_WINDOWS_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


# ---------------------------------------------------------------- document text

# Plotly reads a few HTML tags in any text it draws (<a href>, <b>, <br>,
# <span style>), so a project named '<a href="...">' would become a link in
# a bar label. Every builder that draws document text escapes it on entry.


def escape_text(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``& < >`` in its text columns as HTML entities (Plotly shows them literally).

    >>> escape_text(pl.DataFrame({"name": ["<b>x</b>"]}))["name"][0]
    '&lt;b&gt;x&lt;/b&gt;'
    """
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    # One pass, and what it writes is not scanned again: "&lt;" in the text becomes "&amp;lt;".
    return (
        frame.with_columns(pl.col(text).str.replace_many(["&", "<", ">"], ["&amp;", "&lt;", "&gt;"])) if text else frame
    )


def escapes_document_text(builder):
    """Decorator: escape every frame argument's text (and a palette's keys) before the builder sees it."""

    @functools.wraps(builder)
    def wrapper(*args, **kwargs):
        args = tuple(escape_text(a) if isinstance(a, pl.DataFrame) else a for a in args)
        kwargs = {k: escape_text(v) if isinstance(v, pl.DataFrame) else v for k, v in kwargs.items()}
        if kwargs.get("palette"):
            kwargs["palette"] = {_escape(k): v for k, v in kwargs["palette"].items()}
        for key in ("left_label", "right_label"):
            if isinstance(kwargs.get(key), str):
                kwargs[key] = _escape(kwargs[key])
        return builder(*args, **kwargs)

    return wrapper


# ---------------------------------------------------------------- colours


def type_palette(types: Iterable[str | None]) -> dict[str, str]:
    """A colour for each project type, assigned by sorted type name.

    The same set of types always gets the same colours, whatever order the
    projects come in. After the four :data:`TYPE_COLORS`, lighter tints of
    them follow, so no two types in one chart share a colour. A missing
    type is keyed by ``""``.

    Examples
    --------
    >>> type_palette(["其他运转类（信息化运维类）", "其他事业发展性支出"])
    {'其他事业发展性支出': '#56B4E9', '其他运转类（信息化运维类）': '#CC79A7'}
    """
    names = sorted({name or "" for name in types})
    palette = {}
    for i, name in enumerate(names):
        base = TYPE_COLORS[i % len(TYPE_COLORS)]
        rounds = i // len(TYPE_COLORS)
        palette[name] = base if rounds == 0 else _tint(base, min(0.8, 0.35 * rounds))
    return palette


def _tint(color: str, amount: float) -> str:
    """``color`` mixed with white: 0 keeps it, 1 is white."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#{:02X}{:02X}{:02X}".format(*mix)


# ---------------------------------------------------------------- export


def chart_config(filename: str) -> dict:
    """Plotly config for ``st.plotly_chart``: the camera button saves a 2× PNG named ``filename``.

    Examples
    --------
    >>> chart_config("预算分配")["toImageButtonOptions"]
    {'format': 'png', 'filename': '预算分配', 'scale': 2}
    """
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        # Box and lasso selection do nothing on these charts; fewer buttons, fewer puzzles.
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }


def image_filename(department: str | None, year: int | None, what: str, *, today: date) -> str:
    """A file name for a saved chart: department, year, what it shows and the date.

    Missing parts are left out. Characters Windows forbids in file names
    (``\\ / : * ? " < > |`` and control characters) are removed, whitespace
    becomes ``_`` and trailing dots are dropped, so the name works on every
    system a presenter might copy it to.

    Examples
    --------
    >>> image_filename("东莞市人民代表大会常务委员会办公室", 2026, "预算分配", today=date(2026, 11, 28))
    '东莞市人民代表大会常务委员会办公室_2026_预算分配_2026-11-28'
    """
    parts = [department, None if year is None else str(year), what, today.isoformat()]
    cleaned = []
    for part in parts:
        if not part:
            continue
        text = _WINDOWS_FORBIDDEN.sub("", unicodedata.normalize("NFC", part))
        text = re.sub(r"\s+", "_", text.strip()).strip("._")
        if text:
            cleaned.append(text)
    # The date always ends the name, so it is never a reserved device name
    # such as CON; 150 characters keep the full path under Windows' limit.
    return "_".join(cleaned)[:150].rstrip("._ ") or "chart"


# ---------------------------------------------------------------- layout


def _layout(
    fig: go.Figure,
    title: str,
    *,
    subtitle: str | None = None,
    height: int = 480,
    legend: bool = False,
) -> go.Figure:
    """The one house style, applied to a figure the builder itself just made.

    Title and subtitle sit top left; a legend, when the colours need one,
    goes in a row under them. Positions are in pixels from the top, so they
    do not drift with the figure's height.
    """
    top = (96 if subtitle else 64) + (34 if legend else 0)
    fig.update_layout(
        template="plotly_white",
        title={
            "text": title,
            # Aligned with the figure, not the plot area: the plot area starts
            # after the project names, which would push the title off-centre.
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - 12 / height,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 20, "color": _TEXT},
            "subtitle": {"text": subtitle or "", "font": {"size": 14, "color": _MUTED}},
        },
        font={"family": FONT_FAMILY, "size": 14, "color": _TEXT},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": 16, "r": 40, "t": top, "b": 40},
        showlegend=legend,
        legend={
            "orientation": "h",
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - (top - 30) / height,
            "yanchor": "top",
            "yref": "container",
            "title": {"text": ""},
            "font": {"size": 13},
        },
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}, "align": "left"},
    )
    # Automargin grows the left margin to the longest (wrapped) name, so no
    # label is ever cut off, however long the project names are.
    axes = {"automargin": True, "gridcolor": _GRID, "zerolinecolor": "#CCCCCC", "title_font": {"size": 13}}
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    return fig


def _empty(title: str, lang: str) -> go.Figure:
    """The figure every builder returns when there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(
        text=t("no_data", lang),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 18, "color": _MUTED},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=320)


def _bars_height(labels: Sequence[str], *, extra: int = 150, minimum: int = 360) -> int:
    """Figure height for one bar per label: each row as tall as its wrapped label."""
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return max(minimum, extra + len(labels) * (_ROW_PX + _LINE_PX * (lines - 1)))


# ---------------------------------------------------------------- labels


def _char_width(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.55


def _wrap(text: str, width: int = _WRAP) -> str:
    """``text`` broken with ``<br>`` into balanced lines of about ``width`` CJK characters.

    ASCII runs (years, "2.0") and short quoted or bracketed parts ("“数字人大”",
    "（信息化运维类）") are never split, so a line never ends on an opening quote.
    """
    tokens = _WRAP_TOKEN.findall(text)
    widths = [sum(_char_width(c) for c in token) for token in tokens]
    total = sum(widths)
    if total <= width:
        return text
    count = math.ceil(total / width)
    # The narrowest line width that still fits the text in `count` lines:
    # balanced lines, and no orphaned last character.
    limit = total / count
    while True:
        lines = _fill(tokens, widths, limit)
        if len(lines) <= count:
            break
        limit += 0.25
    return "<br>".join(lines)


def _fill(tokens: Sequence[str], widths: Sequence[float], limit: float) -> list[str]:
    """Greedy line filling: a new line before the token that would pass ``limit``."""
    lines, line, used = [], "", 0.0
    for token, w in zip(tokens, widths):
        if line and used + w > limit + 1e-9:
            lines.append(line.rstrip())
            line, used = "", 0.0
        if not line and token.isspace():
            continue  # a space that would start a line is where the line broke
        line += token
        used += w
    lines.append(line.rstrip())
    return lines


def _category_label(value: str, lang: str, *, width: int = 12) -> str:
    """A taxonomy name in ``lang``, broken where a reader would: "经济效益<br>指标".

    Chinese category names end in 指标; the break goes before it, or after the
    first four characters of a long head ("服务对象<br>满意度指标").
    """
    text = category(value, lang)
    if lang == "en":
        return _wrap(text, width)
    head = text.removesuffix("指标")
    if len(text) <= 5 or head == text:
        return _wrap(text, 5)
    if len(head) <= 5:
        return f"{head}<br>指标"
    return f"{head[:4]}<br>{head[4:]}指标"


def _unique(names: Iterable[str | None]) -> list[str]:
    """Names made unique for a category axis: a repeat (another document's "人代会") gets "（2）"."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = name or "—"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    return out


def _sep(lang: str) -> str:
    """Label–value separator of a hover line: full-width in Chinese text."""
    return "：" if lang == "zh" else ": "


def _paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _short_share(x: float | None) -> str:
    """A share for a point label: whole percent, but never "100%" short of 100%."""
    if x is None:
        return ""
    return f"{x:.1%}" if 0.995 <= x < 1 - 1e-9 else f"{x:.0%}"


def _sum_wan(values: Iterable[float | None]) -> float:
    """Sum of amounts already rounded to 0.01 万元, exact (no float drift in the shown total)."""
    return sum(round(v * 100) for v in values if v is not None) / 100


def _type_name(value: str | None, lang: str) -> str:
    return value if value else t("type_unknown", lang)


def _legend_key(fig: go.Figure, names_colors: dict[str, str]) -> None:
    """Legend entries that explain bar colours (the bars are one trace, coloured per bar)."""
    for name, color in names_colors.items():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=name,
                marker={"symbol": "square", "size": 13, "color": color},
                hoverinfo="skip",
                showlegend=True,
            )
        )
    # One data trace carries every bar, so clicking a key entry would hide
    # nothing; a key that looks clickable but is not would confuse.
    fig.update_layout(legend={"itemclick": False, "itemdoubleclick": False})


# ---------------------------------------------------------------- budgets


@dataclass(frozen=True, slots=True)
class _Bar:
    label: str  # unique, wrapped: the category on the axis
    name: str  # full name for hover
    type: str
    wan: float | None  # rounded so that all bars add up to the shown total
    share: float | None
    cumulative: float | None
    color: str
    other: bool = False


def _project_bars(
    projects: pl.DataFrame, *, lang: str, top_n: int | None, palette: dict[str, str] | None = None
) -> list[_Bar]:
    """Projects ranked by budget; beyond ``top_n`` they become one "其他 N 个项目" bar."""
    table = metrics.allocation_table(projects)
    palette = palette or type_palette(table["type"].to_list())
    top_n = None if top_n is None else max(top_n, 1)
    # Only the bars drawn get labels: wrapping 10,000 names to show 30 cost a second.
    shown = table if top_n is None or table.height <= top_n else table.head(top_n)
    labels = [_wrap(label) for label in _unique(shown["name"].to_list())]
    bars = [
        _Bar(
            label=label,
            name=row["name"] or "—",
            type=_type_name(row["type"], lang),
            wan=row["budget_wan"],
            share=row["share"],
            cumulative=row["cumulative_share"],
            color=palette[row["type"] or ""],
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
    other = _Bar(
        label=other_label,
        name=other_label,
        type="—",
        wan=_sum_wan(rest["budget_wan"].to_list()),
        share=shares.sum() if shares.len() else None,
        cumulative=rest["cumulative_share"][-1],
        color=_NEUTRAL,
        other=True,
    )
    return [*bars, other]


def _subtitle_total(total_wan: float, count: int, lang: str) -> str:
    """The subtitle "合计 1,088.25 万元，15 个项目": the total the chart's parts add up to."""
    return t("chart_subtitle_total", lang, total=f"{total_wan:,.2f}", count=count)


@escapes_document_text
def budget_by_project(
    projects: pl.DataFrame, *, lang: str = "zh", top_n: int = 30, palette: dict[str, str] | None = None
) -> go.Figure:
    """Horizontal bars of each project's budget in 万元, the largest at the top.

    Bars are coloured by project type (:func:`type_palette`) and labelled
    with their amount; the hover gives the full name, type and share. With
    more than ``top_n`` projects the smaller ones become one grey
    "其他 N 个项目" bar, so the bars still add up to the total in the subtitle.
    A project without a budget keeps its bar, empty and labelled "—".

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = budget_by_project(load_documents().projects)
    >>> fig.data[0].y[0], fig.data[0].x[0]
    ('人代会', 197.68)
    """
    title = t("chart_budget_by_project", lang)
    if projects.is_empty():
        return _empty(title, lang)
    bars = _project_bars(projects, lang=lang, top_n=top_n, palette=palette)
    top, cut = _budget_bar_axis(bars)
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[b.label for b in bars],
            x=[b.wan for b in bars],
            text=[_money(b.wan) for b in bars],
            # The cut bar's label is an annotation: outside, it would sit off the chart.
            texttemplate=["%{text}" if b is not cut else "" for b in bars],
            textposition="outside",
            cliponaxis=False,
            marker={"color": [b.color for b in bars]},
            customdata=[[b.name, b.type, metrics.format_share(b.share)] for b in bars],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                f"{t('col_type', lang)}{_sep(lang)}%{{customdata[1]}}<br>"
                f"{t('col_budget_wan', lang)}{_sep(lang)}%{{text}}<br>"
                f"{t('col_share', lang)}{_sep(lang)}%{{customdata[2]}}<extra></extra>"
            ),
            name=t("col_budget_wan", lang),
            showlegend=False,
        )
    )
    types = {b.type: b.color for b in bars if not b.other}
    if len(types) > 1:
        _legend_key(fig, dict(sorted(types.items())))
    _value_axis(fig, top, lang=lang)
    _note_cut_bar(fig, cut, lang)
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="")
    return _layout(
        fig,
        title,
        subtitle=_subtitle_total(_sum_wan(b.wan for b in bars), projects.height, lang),
        height=_bars_height([b.label for b in bars], extra=190 if len(types) > 1 else 150),
        legend=len(types) > 1,
    )


def _budget_bar_axis(bars: Sequence[_Bar]) -> tuple[float, _Bar | None]:
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


def _note_cut_bar(fig: go.Figure, cut: _Bar | None, lang: str) -> None:
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
            text=f"<b>{t('bar_cut', lang, amount=_money(cut.wan))}</b>",
            font={"size": 13, "color": _TEXT},
        )


def _value_axis(fig: go.Figure, largest: float, *, lang: str) -> None:
    """A 万元 axis with room to the right of the ``largest`` bar for its outside label."""
    fig.update_xaxes(
        title_text=t("unit_wan", lang),
        range=[0, largest * 1.16 if largest > 0 else 1],
        tickformat=",.0f",
        separatethousands=True,
    )


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
        return _empty(title, lang)
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
    labels = [_wrap(_type_name(row["type"], lang)) for row in rows]
    amounts = [row["cents"] / 100 for row in rows]
    shares = [row["share"] if total_yuan > 0 else None for row in rows]
    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=labels,
            x=amounts,
            text=[f"{a:,.2f}{_paren(metrics.format_share(s), lang)}" for a, s in zip(amounts, shares)],
            textposition="outside",
            cliponaxis=False,
            marker={"color": [palette[row["type"]] for row in rows]},
            customdata=[[_type_name(row["type"], lang), row["count"]] for row in rows],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                f"{t('col_budget_wan', lang)}{_sep(lang)}%{{x:,.2f}}<br>"
                f"{t('metric_projects', lang)}{_sep(lang)}%{{customdata[1]}}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    largest = max(amounts, default=0.0)
    # Room for "993.67（91.31%）" to the right of the longest bar.
    fig.update_xaxes(title_text=t("unit_wan", lang), range=[0, largest * 1.3 if largest > 0 else 1], tickformat=",.0f")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return _layout(
        fig,
        title,
        subtitle=_subtitle_total(sum(row["cents"] for row in rows) / 100, projects.height, lang),
        height=_bars_height(labels, extra=170, minimum=300),
    )


#: The treemap draws at most this many projects of each type, the largest;
#: the rest of a type is one tile "其他 N 个项目". At 10,000 projects a tile
#: each took the browser seconds to draw, and none of them could be read.
TREEMAP_PER_TYPE = 15
#: ... and only projects of at least this share of the total: a smaller tile
#: is a sliver no label fits in (at 10,000 projects every project is under
#: 0.1%), so such projects join the grouped tile too.
TREEMAP_MIN_SHARE = 0.005


@escapes_document_text
def budget_treemap(
    projects: pl.DataFrame,
    *,
    lang: str = "zh",
    palette: dict[str, str] | None = None,
    per_type: int = TREEMAP_PER_TYPE,
    min_share: float = TREEMAP_MIN_SHARE,
) -> go.Figure:
    """Treemap of the budget: total → project type → project, sized in 万元.

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
    title = t("chart_budget_treemap", lang)
    table = metrics.allocation_table(projects).filter(pl.col("budget_wan") > 0) if not projects.is_empty() else None
    if table is None or table.is_empty():
        return _empty(title, lang)
    palette = palette or type_palette(projects["type"].to_list())
    total = _sum_wan(table["budget_wan"].to_list())
    positive_total = float(projects["budget_yuan"].fill_nan(None).sum() or 0.0) > 0
    unit = t("unit_wan", lang)
    per_type = max(per_type, 1)

    def amount(value: float, share: float | None) -> str:
        return f"{_money(value)} {unit} · {metrics.format_share(share)}"

    def tile_text(heading: str, value: float, share: float | None) -> str:
        # Below 1.2% a tile is too small for legible text; the hover still has it.
        if share is not None and share < 0.012:
            return ""
        return f"<b>{heading}</b><br>{_money(value)} {unit}<br>{metrics.format_share(share)}"

    # Plotly writes only the label in a parent's header strip, so a parent's
    # label carries its amount; names for the hover are in `names`.
    ids, labels, names, parents, values, texts, hovers, colors = (
        ["root"],
        [f"{t('total', lang)}  {_money(total)} {unit}"],
        [t("total", lang)],
        [""],
        [total],
        [""],
        [amount(total, 1.0 if positive_total else None)],
        ["#F2F2F2"],
    )
    groups = sorted(
        table.with_columns(pl.col("type").fill_null("")).group_by("type", maintain_order=True),
        key=lambda pair: -_sum_wan(pair[1]["budget_wan"].to_list()),
    )
    for (type_key,), group in groups:
        type_id = f"type:{type_key}"
        type_wan = _sum_wan(group["budget_wan"].to_list())
        type_share = group["share"].sum() if positive_total else None
        ids.append(type_id)
        # A minor type's column is narrow: its header wraps onto short lines,
        # shorter the smaller the type, so its text need not shrink to fit.
        narrow = type_share is not None and type_share < 0.3
        labels.append(
            f"{_wrap(_type_name(type_key, lang), 7 if type_share < 0.15 else 14)}<br>{_money(type_wan)} {unit}"
            if narrow
            else f"{_type_name(type_key, lang)}  {amount(type_wan, type_share)}"
        )
        names.append(_type_name(type_key, lang))
        parents.append("root")
        values.append(type_wan)
        texts.append("")
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
            texts.append(tile_text(_wrap(row["name"] or "—", 8), row["budget_wan"], row["share"]))
            colors.append(_tint(palette[type_key], 0.3))
        rest = group.slice(kept.height)
        if not rest.is_empty():
            # Summed from the rounded amounts, so the type's tiles add up to its own.
            rest_wan = _sum_wan(rest["budget_wan"].to_list())
            rest_share = rest["share"].sum() if positive_total else None
            other = (
                t("other_projects", lang, n=rest.height)
                if not kept.is_empty()
                else t("small_projects", lang, n=rest.height, share=metrics.format_share(min_share))
            )
            ids.append(f"other:{type_key}")
            labels.append(other)
            names.append(f"{other}{_paren(_type_name(type_key, lang), lang)}")
            parents.append(type_id)
            values.append(rest_wan)
            hovers.append(amount(rest_wan, rest_share))
            texts.append(tile_text(other, rest_wan, rest_share))
            colors.append(_tint(palette[type_key], 0.65))
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
            pathbar={"visible": False},
            textfont={"size": 14},
            textposition="top left",
        )
    )
    fig = _layout(fig, title, subtitle=_subtitle_total(total, projects.height, lang), height=600)
    fig.update_layout(margin={"l": 8, "r": 8, "b": 8})
    return fig


@escapes_document_text
def pareto(
    projects: pl.DataFrame, *, lang: str = "zh", top_n: int = 30, palette: dict[str, str] | None = None
) -> go.Figure:
    """Pareto chart: budgets in 万元, largest first, beside their cumulative share with an 80% line.

    Bars run horizontally so that long Chinese project names stay readable.
    The cumulative share (0–100%) is a line on a second x axis in its own
    panel to the right, sharing the project rows, so line and bar labels
    never cross; a dotted line marks 80%. Beyond ``top_n`` the smaller
    projects become one "其他 N 个项目" bar, as in :func:`budget_by_project`.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = pareto(load_documents().projects)
    >>> round(fig.data[1].x[-1], 6)
    1.0
    """
    title = t("chart_pareto", lang)
    if projects.is_empty():
        return _empty(title, lang)
    bars = _project_bars(projects, lang=lang, top_n=top_n, palette=palette)
    labels = [b.label for b in bars]
    line_color = TYPE_COLORS[1]
    largest, cut = _budget_bar_axis(bars)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=labels,
            x=[b.wan for b in bars],
            text=[_money(b.wan) for b in bars],
            # The cut bar's label is an annotation: outside, it would sit off the chart.
            texttemplate=["%{text}" if b is not cut else "" for b in bars],
            textposition="outside",
            cliponaxis=False,
            marker={"color": [_NEUTRAL if b.other else _BUDGET_BAR for b in bars]},
            name=t("col_budget_wan", lang),
            customdata=[[b.name, metrics.format_share(b.share)] for b in bars],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>"
                f"{t('col_budget_wan', lang)}{_sep(lang)}%{{text}}<br>"
                f"{t('col_share', lang)}{_sep(lang)}%{{customdata[1]}}<extra></extra>"
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
            # Left of the point, except near the panel's left edge, where the
            # label would run into the bars' amounts.
            textposition=["middle right" if (b.cumulative or 0) < 0.15 else "middle left" for b in bars],
            textfont={"size": 12, "color": _MUTED},
            cliponaxis=False,
            name=t("col_cumulative_share", lang),
            customdata=[[b.name, share] for b, share in zip(bars, shares)],
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{t('col_cumulative_share', lang)}{_sep(lang)}%{{customdata[1]}}<extra></extra>"
            ),
            showlegend=False,
        )
    )
    _note_cut_bar(fig, cut, lang)
    fig.update_layout(
        xaxis={
            "domain": [0, 0.62],
            "title": {"text": t("col_budget_wan", lang)},
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
            "gridcolor": _GRID,
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
        font={"size": 12, "color": _TEXT},
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return _layout(
        fig,
        title,
        subtitle=_subtitle_total(_sum_wan(b.wan for b in bars), projects.height, lang),
        height=_bars_height(labels, extra=190),
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
        return _empty(title, lang)
    rows = rows.with_row_index("_order").sort("start_year", "_order")
    open_end = rows.select(pl.col("end_year").is_null() | periods.open_ended(budget_year=budget_year)).to_series()
    finite_ends = rows.filter(~open_end)["end_year"].to_list()
    open_starts = rows.filter(open_end)["start_year"].to_list()
    # Open ends all stop at one year: past the budget year, past every
    # finite end, and past the start of any open project beginning later.
    arrow_year = max([budget_year + 1, *finite_ends, *(start + 1 for start in open_starts)])
    palette = palette or type_palette(projects["type"].to_list())
    labels = [_wrap(label) for label in _unique(rows["name"].to_list())]

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
            tail_colors.append(_tint(color, 0.6))
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
        hover.append([row["name"] or "—", _type_name(row["type"], lang), period])

    hovertemplate = (
        "<b>%{customdata[0]}</b><br>"
        f"{t('col_type', lang)}{_sep(lang)}%{{customdata[1]}}<br>"
        f"{t('card_period', lang)}{_sep(lang)}%{{customdata[2]}}<extra></extra>"
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
                textfont={"size": 13, "color": _MUTED},
                hoverinfo="skip",
                showlegend=False,
                cliponaxis=False,
            )
        )
    types = {_type_name(ty, lang): palette[ty or ""] for ty in rows["type"].to_list()}
    if len(types) > 1:
        _legend_key(fig, dict(sorted(types.items())))
    first = min(rows["start_year"].min(), budget_year)
    fig.add_vline(x=budget_year, line={"color": _TEXT, "width": 1.5, "dash": "dash"})
    fig.add_annotation(
        x=budget_year,
        y=1,
        yref="paper",
        yanchor="bottom",
        text=t("budget_year_line", lang, year=budget_year),
        showarrow=False,
        font={"size": 12, "color": _TEXT},
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
    return _layout(
        fig,
        title,
        subtitle=t("chart_subtitle_ongoing", lang) if arrow_y else None,
        height=_bars_height(labels, extra=220 if len(types) > 1 else 190),
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
        return _empty(title, lang)
    ranked = metrics.rank_by_budget(projects)
    caps = metrics.cost_caps(projects, indicators)
    names = _unique(ranked["name"].to_list())
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
        ticktext.append(f"<b>{_wrap(name, 18)}</b>")
        # A wrapped name is taller than its bar: push the caps below it.
        y += 1 + 0.6 * ticktext[-1].count("<br>")
        for cap in caps.filter(pl.col("project_id") == row["project_id"]).iter_rows(named=True):
            above = cap["ratio"] is not None and cap["ratio"] > 1 + 1e-9
            cap_y.append(y)
            cap_x.append(metrics.wan(cap["annual_cap_yuan"]))
            cap_colors.append(cost if above else _tint(cost, 0.55))
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
            ticktext.append(f"<span style='color:{_MUTED}'>{_wrap(cap['indicator'] or '—', 18)}</span>")
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
            marker={"color": _BUDGET_BAR},
            width=0.8,
            name=t("card_budget", lang),
            customdata=budget_hover,
            hovertemplate=(
                f"<b>%{{customdata[0]}}</b><br>{t('card_budget', lang)}{_sep(lang)}"
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
                f"<b>%{{customdata[0]}}</b>{_paren('%{customdata[1]}', lang)}<br>"
                f"{t('cap_annual', lang)}{_sep(lang)}%{{customdata[2]}}<br>"
                f"{t('cap_period', lang)}{_sep(lang)}%{{customdata[3]}}<br>"
                f"{t('cap_ratio', lang)}{_sep(lang)}%{{customdata[4]}}<extra></extra>"
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
    return _layout(
        fig,
        title,
        subtitle=t("chart_subtitle_caps", lang),
        height=max(360, 240 + int(y * 26)),
        legend=True,
    )


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
        return _empty(title, lang)
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
        color = _tint(LEVEL1_COLORS.get(l1, LEVEL1_COLORS["未分类"]), 0.35)
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
            color = _tint(LEVEL1_COLORS.get(l1, LEVEL1_COLORS["未分类"]), 0.6)
            # 172 slivers cannot all be read; a name used more than once
            # (boilerplate, review rule 13) is the one worth labelling.
            text = f"{_wrap(name, 8)}<br>{row['count']}" if row["count"] > 1 else ""
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
                f"<b>%{{label}}</b><br>{t('metric_indicators', lang)}{_sep(lang)}%{{value}}"
                f"{_paren('%{percentRoot:.1%}', lang)}<extra></extra>"
            ),
            insidetextorientation="horizontal" if depth < 3 else "radial",
        )
    )
    fig = _layout(
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
        return _empty(title, lang)
    counts = indicators.group_by("project_id", "level2").agg(count=pl.len())
    present = [l2 for l2 in schema.LEVEL2 if l2 in set(counts["level2"].cast(pl.String).to_list())]
    lookup = {(r["project_id"], r["level2"]): r["count"] for r in counts.iter_rows(named=True)}
    labels = [_wrap(name, 16) for name in _unique(projects["name"].to_list())]
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
            hovertemplate=f"%{{y}}<br>%{{customdata}}{_sep(lang)}%{{z}}<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_xaxes(side="top", showgrid=False, tickangle=0)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig = _layout(
        fig,
        title,
        subtitle=t("chart_subtitle_indicators", lang, count=indicators.height),
        height=_bars_height(labels, extra=260),
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
        return _empty(title, lang)
    shares = metrics.value_kind_shares(projects, indicators)
    labels = [_wrap(name, 16) for name in _unique(shares["name"].to_list())]
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
                    f"%{{y}}<br>{t(f'kind_{group}', lang)}{_sep(lang)}%{{customdata[0]}}"
                    f"{_paren('%{customdata[1]}', lang)}<extra></extra>"
                ),
            )
        )
    # Stacked bars list their legend backwards by default; keep reading order.
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(range=[0, 1], tickformat=".0%", title_text=t("col_share", lang))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return _layout(fig, title, height=_bars_height(labels, extra=200), legend=True)


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
        return _empty(title, lang)
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
                hovertemplate=f"{category(l1, lang)}<br>%{{x}}{_sep(lang)}%{{y}}<extra></extra>",
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
    return _layout(
        fig,
        title,
        subtitle=t("chart_subtitle_indicators", lang, count=int(targets["count"].sum())),
        height=480,
        legend=len(fig.data) > 1,
    )


# ---------------------------------------------------------------- review

#: Finding severities' colours (lib.model.severity), kept under this name for the chart modules.
SEVERITY_COLORS: dict[str, str] = severity_model.COLORS


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
        return _empty(title, lang)
    counts = findings.group_by("rule_id", pl.col("severity").cast(pl.String)).len()
    totals = (
        counts.group_by("rule_id")
        .agg(pl.sum("len").alias("total"))
        .sort(["total", "rule_id"], descending=[True, False])
    )
    titles = dict(zip(rules["rule_id"].to_list(), rules["title"].to_list()))
    order = totals["rule_id"].to_list()
    labels = [_wrap(f"{rule_id} {titles.get(rule_id, '')}".strip(), 18) for rule_id in order]
    fig = _severity_stack(counts, key="rule_id", order=order, labels=labels, lang=lang)
    fig.update_xaxes(title_text=t("col_count", lang), dtick=1 if totals["total"].max() <= 10 else None)
    subtitle = t("chart_subtitle_findings", lang, count=findings.height)
    return _layout(fig, title, subtitle=subtitle, height=_bars_height(labels, extra=190), legend=True)


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
                hovertemplate="%{y}<br>%{x}<extra>" + severity + "</extra>",
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
        return _empty(title, lang)
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
        return _empty(title, lang)
    order = ranking["project_id"].to_list()
    labels = [_wrap(name) for name in _unique(ranking["name"].to_list())]
    counts = scored.group_by("project_id", "severity").len()
    fig = _severity_stack(counts, key="project_id", order=order, labels=labels, lang=lang)
    fig.update_xaxes(title_text=t("col_count", lang))
    subtitle = t("chart_subtitle_weight", lang)
    return _layout(fig, title, subtitle=subtitle, height=_bars_height(labels, extra=190), legend=True)


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
        f"<b>{t('card_goal_period', lang)}</b>　{_escape(cut(project.get('goal_period')))}<br>"
        f"<b>{t('card_goal_annual', lang)}</b>　{_escape(cut(project.get('goal_annual')))}",
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
        font={"size": 15, "color": _TEXT},
    )
    _layout(fig, _escape(project.get("name") or ""), subtitle=_escape(facts), height=_CARD_HEIGHT_PX)
    return fig.update_layout(margin={"l": 24, "r": 24, "t": _CARD_TOP_PX, "b": _CARD_BOTTOM_PX})


def _escape(text: str) -> str:
    """Document text as Plotly text: its few HTML-like tags (<a>, <b>, <br>) must stay literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
