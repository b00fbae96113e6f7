"""A chart laid out for a presentation image by :mod:`lib.presentation`'s rules: type sizes, room, caption inside.

:func:`frame` turns a figure as the pages draw it into the figure a PNG is
rendered from: every text at least :data:`~lib.presentation.BODY_PX`, the
title at least :data:`~lib.presentation.TITLE_PX` (:func:`lib.charts.enlarged`),
row labels wrapped for the wider image, the title, subtitle and legend in a
band at the top sized for them, and the caption (source and filters) once,
at the bottom right. The figure is laid out at the image's size less
:data:`~lib.presentation.SAFE_MARGIN_PX` on every side; the renderer
(:mod:`lib.export.images`) draws it on a white image that much larger, so
nothing comes closer to the edge. :func:`room` says how much of that height
the title band, axes and caption take: what is left holds the rows
(:mod:`lib.export.parts` splits a chart whose rows need more).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import plotly.graph_objects as go

from lib import charts
from lib.export.text import text_width, wrap_text
from lib.presentation import BODY_PX, SAFE_MARGIN_PX, SLIDE_PX, TITLE_PX

__all__ = [
    "BAR_GAP",
    "INSIDE_TEXT_EM",
    "LINE_EM",
    "Room",
    "frame",
    "inner_size",
    "label_lines",
    "image_label",
    "room",
    "row_labels",
]

#: Plotly's distance between the lines of a multi-line text, in ems of its size.
LINE_EM = 1.3
#: Row labels are wrapped at this many ems on an image (the pages wrap at 14).
LABEL_EM = 24
# A title's line and the gaps of the band above the plot, in ems of their text.
_TITLE_EM = 1.3
_TITLE_PAD_PX = 12
_SUBTITLE_EM = 1.75
_LEGEND_ROW_EM = 1.6
_GAP_PX = 12
# A legend entry's symbol and the space after it, in ems of the legend's text.
_LEGEND_SYMBOL_EM = 2.5
_ROW_TYPES = ("bar", "heatmap", "scatter")
#: The gap between horizontal bars on an image, as a share of a row (Plotly's default is 0.2).
BAR_GAP = 0.1
#: A text inside a bar needs this many ems of the bar's thickness (Noto Sans CJK's line and Plotly's padding).
INSIDE_TEXT_EM = 1.75


@dataclass(frozen=True, slots=True)
class Room:
    """Pixels of a framed figure's height taken by all but its plot area."""

    top: float  # title, subtitle, legend, notes over the plot, an axis on top
    axis: float  # the x axis under the plot (ticks and title)
    caption_lines: tuple[str, ...]
    caption: float  # the caption under it
    legend_y: float  # from the top: where the legend starts

    @property
    def bottom(self) -> float:
        return self.axis + self.caption


def inner_size(width: int = SLIDE_PX[0], height: int = SLIDE_PX[1]) -> tuple[int, int]:
    """The size a figure is laid out at for a ``width × height`` image: the safe margin off every side."""
    return width - 2 * SAFE_MARGIN_PX, height - 2 * SAFE_MARGIN_PX


def frame(
    figure: go.Figure,
    *,
    caption: str,
    width: int = SLIDE_PX[0],
    height: int = SLIDE_PX[1],
    body: int = BODY_PX,
    title: int = TITLE_PX,
) -> go.Figure:
    """A copy of ``figure`` laid out for a ``width × height`` image, ``caption`` at its bottom right.

    The copy is :func:`inner_size` large (the renderer adds the safe margin).
    Every text is at least ``body`` px and the title ``title`` px; text
    inside bars, sectors and tiles that would have to shrink below ``body``
    to fit is left out (``uniformtext``), and labels beside bars are never
    shrunk. ``figure`` is not changed.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> fig = frame(charts.budget_by_type(load_documents().projects), caption="数据来源：示例")
    >>> fig.layout.width, fig.layout.height, fig.layout.title.font.size, fig.layout.xaxis.tickfont.size
    (1824, 984, 40, 24)
    >>> fig.layout.annotations[-1].text, fig.layout.annotations[-1].font.size
    ('数据来源：示例', 24)
    """
    inner_w, inner_h = inner_size(width, height)
    fig = charts.enlarged(figure, body=body, title=title)
    _relabel(fig, body=body)
    for trace in fig.data:
        if trace.type in ("bar", "histogram", "funnel"):
            # Labels outside a bar keep their size; labels inside shrink to fit and uniformtext hides the small ones.
            trace.constraintext = "inside"
            if trace.orientation == "h":
                trace.textangle = 0  # a count turned on its side is hard to read from the back of the room
        if trace.type == "treemap":
            trace.pathbar.textfont.size = max(trace.pathbar.textfont.size or 0, body)
            _treemap_headers(trace, body=body)
        if trace.type in ("treemap", "sunburst", "icicle", "pie"):
            trace.insidetextfont.size = max(trace.insidetextfont.size or 0, body)
    taken = room(fig, caption=caption, width=width, body=body, title=title)
    right = body
    fig.update_layout(
        width=inner_w,
        height=inner_h,
        autosize=False,
        margin={"l": 0, "r": right, "t": taken.top, "b": taken.bottom, "pad": 0, "autoexpand": True},
        title={
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            # Plotly's box for a title is a little lower than its tallest strokes ("门"): they would be clipped.
            "pad": {"t": _TITLE_PAD_PX, "l": 0, "r": 0, "b": 0},
        },
        legend={
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "y": 1 - taken.legend_y / inner_h,
            "yref": "container",
            "yanchor": "top",
        },
        uniformtext={"minsize": body, "mode": "hide"},
    )
    if fig.layout.bargap is None and any(_is_row_chart_trace(trace) for trace in fig.data):
        # Bars thick enough for a label inside at body size: rows are no taller than the image needs.
        fig.update_layout(bargap=BAR_GAP)
    if taken.caption_lines:
        fig.add_annotation(
            # The caption names documents (department, file name): text, never markup.
            text="<br>".join(charts.escape(line) for line in taken.caption_lines),
            xref="paper",
            yref="paper",
            # Right-aligned: the plot's right edge is a known margin from the
            # image's; its left edge moves with the longest label.
            x=1,
            xanchor="right",
            xshift=right,
            y=0,
            yanchor="top",
            yshift=-taken.axis,
            align="left",
            showarrow=False,
            font={"family": charts.FONT_FAMILY, "size": body, "color": charts.MUTED_COLOR},
        )
    return fig


def room(
    figure: go.Figure,
    *,
    caption: str,
    width: int = SLIDE_PX[0],
    body: int = BODY_PX,
    title: int = TITLE_PX,
) -> Room:
    """The height a framed ``figure`` gives its title band, its x axis and ``caption`` on a ``width``-pixel image.

    Sizes are those of the framed figure (``body`` and ``title``), whatever
    ``figure`` has now, so a page's figure can be measured before it is framed.
    """
    inner_w, _ = inner_size(width, 0)
    layout = figure.layout
    top = title * _TITLE_EM + _TITLE_PAD_PX
    if layout.title.subtitle.text:
        top += body * _SUBTITLE_EM
    top += _GAP_PX
    legend_y = top
    top += _legend_rows(figure, width=inner_w, body=body) * body * _LEGEND_ROW_EM
    if any(a.yref == "paper" and (a.y or 0) >= 1 and a.yanchor == "bottom" for a in layout.annotations):
        top += body * LINE_EM + 4  # a note over the plot (the budget year, the 80% line)
    axis = 0.0
    if _cartesian(figure):
        x_axis = layout.xaxis
        ticks = max((label_lines(str(v)) for v in _x_labels(figure)), default=1)
        size = ticks * body * LINE_EM + 10 + (body * LINE_EM + 10 if x_axis.title.text else 0)
        if x_axis.side == "top":
            top += size
        else:
            axis = size
    lines = tuple(wrap_text(caption, width=0.95 * inner_w / body)) if caption else ()
    caption_px = (len(lines) * body * LINE_EM + _GAP_PX) if lines else 0.0
    return Room(top=math.ceil(top), axis=math.ceil(axis), caption_lines=lines, caption=caption_px, legend_y=legend_y)


def row_labels(figure: go.Figure) -> list[str]:
    """The labels of a chart's rows as an image shows them: wrapped at :data:`LABEL_EM` ems."""
    axis = figure.layout.yaxis
    if axis.tickmode == "array" and axis.ticktext:
        return [image_label(str(text)) for text in axis.ticktext]
    seen: dict[str, None] = {}
    for trace in figure.data:
        if trace.type in _ROW_TYPES and trace.y is not None:
            for value in trace.y:
                if isinstance(value, str):
                    seen.setdefault(value)
    return [image_label(value) for value in seen]


def label_lines(label: str) -> int:
    """How many lines a Plotly label takes."""
    return label.count("<br>") + 1


def image_label(label: str, *, width: float = LABEL_EM) -> str:
    """A row label wrapped for an image: its lines joined and broken again at ``width`` ems.

    A second line of its own markup (a project's department, muted) stays
    its own line; a label in ``<b>`` or a ``<span>`` keeps it. Labels with
    other markup are returned as they are.

    >>> image_label("市人大常委会办公室“数字<br>人大”运维项目")
    '市人大常委会办公室“数字人大”运维项目'
    >>> image_label('甲项目<br><span style="color:#666">乙局</span>')
    '甲项目<br><span style="color:#666">乙局</span>'
    """
    head, marker, tail = label.partition("<br><span")
    match = re.fullmatch(r"(<b>|<span[^>]*>)?(.*?)(</b>|</span>)?", head, flags=re.S)
    if match is None:
        return label
    opening, inner, closing = match.groups()
    if re.search(r"<(?!br>)", inner) or bool(opening) != bool(closing):
        return label
    joined = re.sub(r"(?<=[A-Za-z0-9.%\-])<br>(?=[A-Za-z0-9.%\-])", " ", inner).replace("<br>", "")
    return f"{opening or ''}{charts.wrap(joined, width)}{closing or ''}{marker}{tail}"


def _relabel(fig: go.Figure, *, body: int) -> None:
    """Row labels wrapped at :data:`LABEL_EM` ems: the image is wider than a page's column."""
    axis = fig.layout.yaxis
    if axis.tickmode == "array" and axis.ticktext:
        axis.ticktext = [image_label(str(text)) for text in axis.ticktext]
        return
    rows = [
        value
        for trace in fig.data
        if trace.type in _ROW_TYPES and trace.y is not None
        for value in trace.y
        if isinstance(value, str)
    ]
    rows = list(dict.fromkeys(rows))
    if not rows or not any(_is_row_chart_trace(trace) for trace in fig.data):
        return
    labels = [image_label(row) for row in rows]
    if labels != rows:
        fig.update_yaxes(tickmode="array", tickvals=rows, ticktext=labels)


def _treemap_headers(trace, *, body: int) -> None:
    """A parent's name over its amount in the strip above its tiles, and the strip tall enough for them.

    A header too wide for its strip is not drawn at all; on an image, where
    text is larger than on a page, "人民政府办公室  1,589.26 万元 · 46.51%" on
    one line is too wide for any but the largest department.
    """
    parents = set(trace.parents or ())
    labels = [
        str(label).replace("  ", "<br>", 1) if node in parents else label
        for node, label in zip(trace.ids or (), trace.labels or ())
    ]
    lines = max((label_lines(str(label)) for node, label in zip(trace.ids or (), labels) if node in parents), default=1)
    trace.labels = labels
    trace.marker.pad.t = max(trace.marker.pad.t or 0, math.ceil(lines * body * LINE_EM + 12))


def _is_row_chart_trace(trace) -> bool:
    return (trace.type == "bar" and trace.orientation == "h") or trace.type == "heatmap"


def _legend_rows(figure: go.Figure, *, width: float, body: int) -> int:
    """Rows of a horizontal legend at ``body`` px on ``width`` pixels: entries wrap as Plotly wraps them."""
    if not figure.layout.showlegend:
        return 0
    names = [trace.name for trace in figure.data if trace.showlegend is not False and trace.name]
    if not names:
        return 0
    rows, used = 1, 0.0
    for name in names:
        entry = (text_width(re.sub(r"<[^>]+>", "", name)) + _LEGEND_SYMBOL_EM) * body
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def _cartesian(figure: go.Figure) -> bool:
    """Whether the figure draws x and y axes (bars, lines, a heatmap), not tiles or sectors only."""
    return any(trace.type in _ROW_TYPES for trace in figure.data) and figure.layout.xaxis.visible is not False


def _x_labels(figure: go.Figure) -> list:
    axis = figure.layout.xaxis
    if axis.tickmode == "array" and axis.ticktext:
        return list(axis.ticktext)
    return [value for trace in figure.data if trace.type == "heatmap" and trace.x is not None for value in trace.x]
