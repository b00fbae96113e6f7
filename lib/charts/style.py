"""The house style every chart shares: colours, fonts, layout, label helpers and text escaping.

Everything here is public so that each chart module (and :mod:`lib.compare`'s
charts, the PNGs of :mod:`lib.export.images`) draws with the same values instead of a
copy. :func:`layout` is the one layout (white background, CJK fonts, title
and subtitle top left, room for long Chinese project names); :func:`empty`
is the figure a builder returns when there is nothing to draw. The colours
below make a category look the same on every chart and slide. The style is
also registered as the Plotly template ``"budget"`` (:data:`TEMPLATE_NAME`)
for figures drawn outside :mod:`lib.charts`.

Document text (project names, goals) reaches Plotly, which reads a few HTML
tags in any text it draws; builders are wrapped in
:func:`escapes_document_text` so such text is shown as written.
"""

from __future__ import annotations

import functools
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from lib.i18n import project_type, t
from lib.model import severity as severity_model

__all__ = [
    "BUDGET_BAR_COLOR",
    "FONT_FAMILY",
    "GRID_COLOR",
    "KIND_GROUP_COLORS",
    "LEVEL1_COLORS",
    "MUTED_COLOR",
    "NEUTRAL_COLOR",
    "SEVERITY_COLORS",
    "TEMPLATE",
    "TEMPLATE_NAME",
    "TEXT_COLOR",
    "TYPE_COLORS",
    "ZERO_LINE_COLOR",
    "bars_height",
    "chart_config",
    "empty",
    "enlarged",
    "escape",
    "escape_text",
    "escapes_document_text",
    "image_filename",
    "layout",
    "legend_key",
    "money",
    "paren",
    "sep",
    "short_departments",
    "sum_wan",
    "tint",
    "type_name",
    "type_palette",
    "unique",
    "wrap",
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

#: Finding severities' colours (lib.model.severity), kept under this name for the chart modules.
SEVERITY_COLORS: dict[str, str] = severity_model.COLORS

#: Bars that are not one project or one type ("其他 N 个项目", the budget
#: next to cost caps) stay neutral so they do not claim a category's colour.
NEUTRAL_COLOR = "#BBBBBB"
BUDGET_BAR_COLOR = "#555555"
#: Titles and labels; subtitles, notes and secondary labels; grid and zero lines.
TEXT_COLOR = "#222222"
MUTED_COLOR = "#666666"
GRID_COLOR = "#E5E5E5"
ZERO_LINE_COLOR = "#CCCCCC"

# Width in CJK characters at which project names wrap onto a second line.
_WRAP = 14
_ROW_PX = 30  # height of one bar row with a one-line label
_LINE_PX = 16  # extra height per additional label line

# Units a line break may not fall inside: short quoted/bracketed parts, ASCII runs.
_WRAP_TOKEN = re.compile(
    # An opening bracket stays with the word after it: "(IT" is one token, so no line ends on "(".
    r"&[A-Za-z]+;|&#[0-9]+;|“[^”]{1,8}”|（[^）]{1,8}）|\([^)]{1,8}\)|《[^》]{1,10}》|\(?[A-Za-z0-9.%\-]+|."
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
            kwargs["palette"] = {escape(k): v for k, v in kwargs["palette"].items()}
        for key in ("left_label", "right_label"):
            if isinstance(kwargs.get(key), str):
                kwargs[key] = escape(kwargs[key])
        return builder(*args, **kwargs)

    return wrapper


def escape(text: str) -> str:
    """Document text as Plotly text: its few HTML-like tags (<a>, <b>, <br>) must stay literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
        palette[name] = base if rounds == 0 else tint(base, min(0.8, 0.35 * rounds))
    return palette


def tint(color: str, amount: float) -> str:
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


# ---------------------------------------------------------------- presentation


def enlarged(fig: go.Figure, *, body: int, title: int) -> go.Figure:
    """A copy of ``fig`` whose every text is at least ``body`` px, and its title at least ``title`` px.

    For presentation mode and projector-sized images: the layout font, tick
    labels, axis titles, the legend, the subtitle, annotations and the
    traces' own text (bar labels, treemap tiles) all grow; sizes already
    larger stay, and the figure grows taller in proportion to its body text.
    The figure passed in is not changed.

    Examples
    --------
    >>> fig = layout(go.Figure(go.Bar(x=[1], y=["甲"], text=["1"], textfont={"size": 12})), "标题", subtitle="说明")
    >>> big = enlarged(fig, body=24, title=40)
    >>> big.layout.font.size, big.layout.title.font.size, big.layout.xaxis.tickfont.size, big.data[0].textfont.size
    (24, 40, 24, 24)
    >>> fig.layout.font.size
    14
    """
    big = go.Figure(fig)
    base = fig.layout.font.size or body
    if fig.layout.height and body > base:
        # Rows and labels grow together: a bar chart's rows keep room for their larger labels,
        # and the band over the plot for the larger title, subtitle and legend.
        big.update_layout(height=round(fig.layout.height * body / base))
        if fig.layout.margin.t is not None:
            big.update_layout(margin_t=round(fig.layout.margin.t * body / base))

    def at_least(current: float | None, floor: int) -> int | float:
        return floor if current is None else max(current, floor)

    big.update_layout(
        font_size=at_least(big.layout.font.size, body),
        title_font_size=at_least(big.layout.title.font.size, title),
        title_subtitle_font_size=at_least(big.layout.title.subtitle.font.size, body),
        legend_font_size=at_least(big.layout.legend.font.size, body),
        hoverlabel_font_size=at_least(big.layout.hoverlabel.font.size, body),
    )
    big.update_xaxes(tickfont_size=body, title_font_size=body)
    big.update_yaxes(tickfont_size=body, title_font_size=body)
    for annotation in big.layout.annotations:
        annotation.font.size = at_least(annotation.font.size, body)
    for trace in big.data:
        if "textfont" in trace:
            size = trace.textfont.size
            trace.textfont.size = (
                [at_least(value, body) for value in size] if isinstance(size, (list, tuple)) else at_least(size, body)
            )
    return big


# ---------------------------------------------------------------- template

#: Name of the house style as a Plotly template: ``template="plotly_white+budget"``
#: gives a figure drawn outside this package the look of :func:`layout`.
TEMPLATE_NAME = "budget"

#: The font family, text colours, background, hover label and grid: stated
#: here once, and set by :func:`layout` on every figure of this package from
#: this template. :func:`layout` keeps ``template="plotly_white"`` and copies
#: these values onto the figure instead of naming the template, because a
#: figure carries its whole template in its JSON (every chart sent to the
#: browser would grow by it).
TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOR},
        title={"font": {"size": 20, "color": TEXT_COLOR}, "subtitle": {"font": {"size": 14, "color": MUTED_COLOR}}},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}, "align": "left"},
        xaxis={
            "automargin": True,
            "gridcolor": GRID_COLOR,
            "zerolinecolor": ZERO_LINE_COLOR,
            "title_font": {"size": 13},
        },
        yaxis={
            "automargin": True,
            "gridcolor": GRID_COLOR,
            "zerolinecolor": ZERO_LINE_COLOR,
            "title_font": {"size": 13},
        },
    )
)
pio.templates[TEMPLATE_NAME] = TEMPLATE
#: The template's layout as plain values, what :func:`layout` copies onto a figure.
_HOUSE = TEMPLATE.layout.to_plotly_json()


def layout(
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
            "font": _HOUSE["title"]["font"],
            "subtitle": {"text": subtitle or "", "font": _HOUSE["title"]["subtitle"]["font"]},
        },
        font=_HOUSE["font"],
        paper_bgcolor=_HOUSE["paper_bgcolor"],
        plot_bgcolor=_HOUSE["plot_bgcolor"],
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
        hoverlabel=_HOUSE["hoverlabel"],
    )
    # Automargin grows the left margin to the longest (wrapped) name, so no
    # label is ever cut off, however long the project names are.
    fig.update_xaxes(**_HOUSE["xaxis"])
    fig.update_yaxes(**_HOUSE["yaxis"])
    return fig


def empty(title: str, lang: str) -> go.Figure:
    """The figure every builder returns when there is nothing to draw."""
    fig = go.Figure()
    fig.add_annotation(
        text=t("no_data", lang),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 18, "color": MUTED_COLOR},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return layout(fig, title, height=320)


def bars_height(labels: Sequence[str], *, extra: int = 150, minimum: int = 360) -> int:
    """Figure height for one bar per label: each row as tall as its wrapped label."""
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return max(minimum, extra + len(labels) * (_ROW_PX + _LINE_PX * (lines - 1)))


# ---------------------------------------------------------------- labels


def _char_width(char: str) -> float:
    """Width of ``char`` in CJK characters: 1 for wide ones, a bit over half for the rest."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.55


def wrap(text: str, width: int = _WRAP) -> str:
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


def unique(names: Iterable[str | None], lang: str = "zh") -> list[str]:
    """Names made unique for a category axis: a repeat (another document's "人代会") gets "（2）", in English " (2)".

    >>> unique(["人代会", "人代会"]), unique(["人代会", "人代会"], "en")
    (['人代会', '人代会（2）'], ['人代会', '人代会 (2)'])
    """
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = name or "—"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}{paren(str(seen[name]), lang)}")
    return out


def short_departments(names: Iterable[str]) -> dict[str, str]:
    """Department names for a label, without the place they all share: 东莞市财政局 → 财政局 when all are 东莞市's.

    Examples
    --------
    >>> short_departments(["东莞市财政局", "东莞市公安局"])
    {'东莞市财政局': '财政局', '东莞市公安局': '公安局'}
    >>> short_departments(["东莞市财政局", "广东省财政厅"])["广东省财政厅"]
    '广东省财政厅'
    """
    names = list(dict.fromkeys(names))
    prefix = os.path.commonprefix(names) if len(names) > 1 else ""
    cut = max((prefix.rfind(mark) for mark in "省市区县"), default=-1) + 1
    return {name: name[cut:] or name for name in names}


def sep(lang: str) -> str:
    """Label–value separator of a hover line: full-width in Chinese text."""
    return t("label_sep", lang)


def paren(text: str, lang: str) -> str:
    """``text`` in brackets after a label: full-width in Chinese text, "（…）" or " (…)"."""
    return t("paren", lang, text=text)


def money(value: float | None) -> str:
    """An amount in 万元 as a label: two decimals, thousands separators, "—" if missing."""
    return "—" if value is None else f"{value:,.2f}"


def sum_wan(values: Iterable[float | None]) -> float:
    """Sum of amounts already rounded to 0.01 万元, exact (no float drift in the shown total)."""
    return sum(round(v * 100) for v in values if v is not None) / 100


def type_name(value: str | None, lang: str) -> str:
    """A project type as shown: the type in ``lang`` (:func:`lib.i18n.project_type`), or "未填写类型" when missing.

    >>> type_name("其他运转类（信息化运维类）", "en"), type_name(None, "zh")
    ('Other operating (IT operation and maintenance)', '未填写类型')
    """
    return (project_type(value, lang) if value else None) or t("type_unknown", lang)


def legend_key(fig: go.Figure, names_colors: dict[str, str]) -> None:
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
