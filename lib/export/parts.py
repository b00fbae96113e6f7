"""Tall charts split into parts for images: at most ROWS_PER_PART rows each, and no more than an image holds.

A chart with a row per item (bars per project, department or type, the
Pareto chart, project periods, the category heatmap, budgets against cost
caps) is cut between its rows, never shrunk: each part is the same chart
with some of the rows, the same value axis (parts compare at a glance) and
its title followed by :func:`lib.presentation.part_label` ("（1/3）"). Rows
stay in their order, amounts and labels are those of the chart, so the
parts' bars add up to the chart's total and "其他 N 个项目" stays last. A
project's cost caps stay with it on :func:`lib.charts.budget_vs_caps`.

How many rows a part holds: at most :data:`~lib.presentation.ROWS_PER_PART`,
and no more than fit the image's plot area at body size
(:mod:`lib.export.framing`), each row as tall as its label's lines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from lib.export import framing
from lib.presentation import BODY_PX, ROWS_PER_PART, SLIDE_PX, part_label, parts

__all__ = ["needed_height", "part_count", "split"]

# Per-point properties of a trace: filtered with its rows. A property that
# holds one value for the whole trace is not a list and stays as it is.
_POINT_ARRAYS = (
    ("x",),
    ("y",),
    ("z",),
    ("text",),
    ("texttemplate",),
    ("textposition",),
    ("hovertext",),
    ("hovertemplate",),
    ("customdata",),
    ("base",),
    ("width",),
    ("offset",),
    ("ids",),
    ("marker", "color"),
    ("marker", "size"),
    ("marker", "symbol"),
    ("marker", "opacity"),
    ("marker", "pattern", "shape"),
    ("marker", "line", "color"),
    ("marker", "line", "width"),
    ("textfont", "color"),
    ("textfont", "size"),
)
# Space between two rows' labels, in ems, so a two-line label reads as one.
_ROW_GAP_EM = 0.4
# A grouped bar's thickness must hold its label: bars per row times this many ems.
_GROUPED_BAR_EM = 1.4
# Builders leave this much of a row unit between one project's block of rows and the next (budget_vs_caps).
_BLOCK_GAP = 0.6


@dataclass(frozen=True, slots=True)
class _Rows:
    """A chart's rows, top to bottom: item blocks of rows, and how tall each block must be on an image."""

    numeric: bool  # rows at numbers on the y axis (tick labels name them), not categories
    keys: tuple  # the y values of the rows, top to bottom
    blocks: tuple[tuple[int, int], ...]  # (first row, end row) of each item
    heights: tuple[float, ...]  # pixels each block needs
    starts: tuple[float, ...]  # numeric rows: where each block starts on the y axis


def split(
    figure: go.Figure, *, caption: str = "", width: int = SLIDE_PX[0], height: int = SLIDE_PX[1]
) -> list[go.Figure]:
    """``figure`` as the parts a ``width × height`` image with ``caption`` shows; one copy when it fits.

    Examples
    --------
    >>> import polars as pl
    >>> from lib import charts
    >>> projects = pl.DataFrame({"project_id": [f"p{i}" for i in range(40)], "name": [f"项目{i}" for i in range(40)],
    ...                          "type": "甲", "budget_yuan": [1e4 * (40 - i) for i in range(40)]})
    >>> figures = split(charts.budget_by_project(projects))
    >>> [len(f.data[0].y) for f in figures], figures[-1].data[0].y[-1], figures[0].layout.title.text
    ([11, 10, 10], '其他 10 个项目', '各项目预算金额（万元）（1/3）')
    """
    rows = _rows(figure)
    slices = _slices(figure, rows, caption=caption, width=width, height=height) if rows else []
    if len(slices) <= 1:
        return [go.Figure(figure)]
    return [_part(figure, rows, block, index, len(slices)) for index, block in enumerate(slices)]


def part_count(figure: go.Figure, *, caption: str = "", width: int = SLIDE_PX[0], height: int = SLIDE_PX[1]) -> int:
    """How many images :func:`split` makes of ``figure``, without copying it (a page asks on every run)."""
    rows = _rows(figure)
    return max(len(_slices(figure, rows, caption=caption, width=width, height=height)), 1) if rows else 1


def needed_height(figure: go.Figure, *, caption: str = "", width: int = SLIDE_PX[0], height: int = SLIDE_PX[1]) -> int:
    """The image height that shows all of ``figure``'s rows at body size: at least ``height``."""
    rows = _rows(figure)
    if not rows:
        return height
    room = framing.room(figure, caption=caption, width=width)
    plot = sum(rows.heights)
    return max(height, math.ceil(room.top + room.bottom + plot + (height - framing.inner_size(width, height)[1])))


# ---------------------------------------------------------------- rows


def _rows(figure: go.Figure, *, body: int = BODY_PX) -> _Rows | None:
    """The rows of a chart with a row per item, None for any other chart."""
    traces = [t for t in figure.data if (t.type == "bar" and t.orientation == "h") or t.type == "heatmap"]
    traces = [t for t in traces if t.y is not None and any(v is not None for v in t.y)]
    if not traces:
        return None
    line = body * framing.LINE_EM
    gap = body * _ROW_GAP_EM
    axis = figure.layout.yaxis
    first = [v for v in traces[0].y if v is not None]
    if all(isinstance(v, str) for v in first):
        keys = list(dict.fromkeys(v for t in traces for v in t.y if isinstance(v, str)))
        lines = max(framing.label_lines(framing.image_label(k)) for k in keys)
        bars = _grouped_bars(figure)
        row = max(lines * line + gap, bars * body * _GROUPED_BAR_EM + gap)
        if _inside_text(figure):
            row = max(row, body * framing.INSIDE_TEXT_EM / (1 - (figure.layout.bargap or framing.BAR_GAP)))
        return _Rows(False, tuple(keys), tuple((i, i + 1) for i in range(len(keys))), (row,) * len(keys), ())
    if axis.tickmode == "array" and axis.tickvals and axis.ticktext:
        # Rows at numbers (budget_vs_caps): the first trace's points start the blocks, its ticks name the rows.
        ticks = sorted(zip(axis.tickvals, axis.ticktext))
        keys = tuple(value for value, _ in ticks)
        starts = sorted(float(v) for v in first)
        blocks, heights = [], []
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else math.inf
            members = [i for i, key in enumerate(keys) if start <= key < end]
            if not members:
                continue
            span = (end if end != math.inf else keys[members[-1]] + 1 + _BLOCK_GAP) - start
            # A row unit holds a one-line label; the builder gives longer labels more units.
            blocks.append((members[0], members[-1] + 1))
            heights.append(span * (line + gap))
        return _Rows(True, keys, tuple(blocks), tuple(heights), tuple(starts))
    return None


def _inside_text(figure: go.Figure) -> bool:
    """Whether a chart writes numbers inside its bars (a stacked bar's segments)."""
    return any(
        t.type == "bar" and t.text is not None and t.textposition in ("inside", "auto", None) and t.base is None
        for t in figure.data
        if t.type == "bar" and t.orientation == "h"
    )


def _grouped_bars(figure: go.Figure) -> int:
    """How many bars a row has side by side: the bar traces in ``barmode="group"``, else one."""
    if figure.layout.barmode != "group":
        return 1
    return max(sum(1 for t in figure.data if t.type == "bar" and any(v is not None for v in (t.y or ()))), 1)


def _slices(figure: go.Figure, rows: _Rows, *, caption: str, width: int, height: int) -> list[slice]:
    """The blocks of each part: as even as possible, each within the row limit and the plot's height."""
    room = framing.room(figure, caption=caption, width=width)
    plot = framing.inner_size(width, height)[1] - room.top - room.bottom
    sizes = [end - start for start, end in rows.blocks]
    if all(size == 1 for size in sizes) and len(set(rows.heights)) <= 1:
        fit = max(int(plot // rows.heights[0]), 1) if rows.heights else ROWS_PER_PART
        return parts(len(sizes), per_part=min(ROWS_PER_PART, fit))
    return _pack(sizes, list(rows.heights), height=plot)


def _pack(sizes: list[int], heights: list[float], *, height: float) -> list[slice]:
    """Blocks of ``sizes`` rows and ``heights`` pixels in as few parts as hold them, as even as possible.

    A block is never cut; one larger than a part is a part of its own. The
    fewest parts are those of filling each part as far as it goes; among
    partitions into that many, the one with the shortest tallest part is found
    by trying ever lower limits on a part's height.

    >>> [(p.start, p.stop) for p in _pack([3, 4, 3, 2, 2], [3.0, 4.0, 3.0, 2.0, 2.0], height=10)]
    [(0, 2), (2, 5)]
    """

    def fill(limit: float) -> list[slice]:
        bounds, start, rows, used = [], 0, 0, 0.0
        for index, (size, tall) in enumerate(zip(sizes, heights)):
            if index > start and (rows + size > ROWS_PER_PART or used + tall > limit + 1e-9):
                bounds.append(slice(start, index))
                start, rows, used = index, 0, 0.0
            rows += size
            used += tall
        bounds.append(slice(start, len(sizes)))
        return bounds

    fewest = len(fill(height))
    low = max(heights, default=0.0)
    high = max(height, low)
    for _ in range(40):  # halving the range: far below a pixel
        middle = (low + high) / 2
        if len(fill(middle)) <= fewest:
            high = middle
        else:
            low = middle
    return fill(high)


# ---------------------------------------------------------------- parts


def _part(figure: go.Figure, rows: _Rows, blocks: slice, index: int, count: int) -> go.Figure:
    """The chart with the rows of ``blocks`` only, titled as part ``index`` of ``count``."""
    first, last = rows.blocks[blocks.start][0], rows.blocks[blocks.stop - 1][1]
    if rows.numeric:
        low = rows.starts[blocks.start]
        high = rows.starts[blocks.stop] if blocks.stop < len(rows.starts) else math.inf

        def keep(value) -> bool:
            return value is not None and low <= float(value) < high
    else:
        kept = set(rows.keys[first:last])

        def keep(value) -> bool:
            return value in kept

    spec = figure.to_dict()
    whole = [dict(trace) for trace in spec["data"]]
    spec["data"] = _without_absent_keys([_trace_part(trace, keep) for trace in spec["data"]])
    layout = spec["layout"]
    _fit_value_axes(layout, whole, spec["data"])
    layout["annotations"] = [a for a in layout.get("annotations", ()) if not _on_rows(a) or keep(a.get("y"))]
    layout["shapes"] = [s for s in layout.get("shapes", ()) if not _on_rows(s) or keep(s.get("y0"))]
    axis = layout.get("yaxis", {})
    if axis.get("tickvals") is not None and axis.get("ticktext") is not None:
        pairs = [(v, text) for v, text in zip(axis["tickvals"], axis["ticktext"]) if keep(v)]
        axis["tickvals"], axis["ticktext"] = [v for v, _ in pairs], [text for _, text in pairs]
    title = layout.setdefault("title", {})
    title["text"] = _titled(title.get("text") or "", part_label(index, count))
    return go.Figure(spec)


def _without_absent_keys(traces: list[dict]) -> list[dict]:
    """The traces without the legend entries (:func:`lib.charts.legend_key`) of colours no bar of the part has."""
    colors: set[str] = set()
    for trace in traces:
        if trace.get("type") == "bar":
            color = (trace.get("marker") or {}).get("color")
            colors.update(color if isinstance(color, (list, tuple)) else [color])

    def absent(trace: dict) -> bool:
        key = trace.get("type") == "scatter" and all(v is None for v in trace.get("y") or (None,))
        return key and (trace.get("marker") or {}).get("color") not in colors

    return [trace for trace in traces if not absent(trace)]


def _fit_value_axes(layout: dict, whole: list[dict], part: list[dict]) -> None:
    """Each bar axis' range scaled to the part's longest bar, with the room the chart left beyond its longest.

    A part's bars then fill the image's width as the chart's do (the last
    part of a ranking would otherwise be slivers beside an empty plot); the
    amounts and their labels are the chart's. A bar the chart cuts at its
    axis' end (a far larger "其他 N 个项目") is still cut there.
    """
    stacked = layout.get("barmode") in ("stack", "relative")
    for name, axis in layout.items():
        if not re.fullmatch(r"xaxis\d*", name) or not axis.get("range"):
            continue
        ref = "x" + name.removeprefix("xaxis")
        bars = [
            t for t in whole if t.get("type") == "bar" and t.get("xaxis", "x") == ref and t.get("orientation") == "h"
        ]
        if not bars or any(t.get("base") is not None for t in bars):
            continue  # bars that start elsewhere than zero (years) are positions, not amounts
        low, high = axis["range"]
        kept = [t for t in part if t.get("type") == "bar" and t.get("xaxis", "x") == ref]
        chart_low, chart_high = _extent(bars, stacked, low, high)
        part_low, part_high = _extent(kept, stacked, low, high)
        if chart_high > 0 and high > 0:
            high = high * part_high / chart_high if part_high > 0 else high
        if chart_low < 0 and low < 0:
            low = low * part_low / chart_low if part_low < 0 else low
        axis["range"] = [low, high]


def _extent(traces: list[dict], stacked: bool, low: float, high: float) -> tuple[float, float]:
    """The lowest and highest bar ends of ``traces`` (stacks summed), each within the axis' ``low`` to ``high``."""
    if stacked:
        rows: dict[object, list[float]] = {}
        for trace in traces:
            for y, x in zip(trace.get("y") or (), trace.get("x") or ()):
                ends = rows.setdefault(y, [0.0, 0.0])
                if isinstance(x, (int, float)):
                    ends[0 if x < 0 else 1] += x
        ends = [end for pair in rows.values() for end in pair]
    else:
        ends = [x for trace in traces for x in (trace.get("x") or ()) if isinstance(x, (int, float))]
    clipped = [min(max(end, low), high) for end in ends] or [0.0]
    return min(min(clipped), 0.0), max(max(clipped), 0.0)


def _on_rows(item: dict) -> bool:
    """Whether an annotation or shape is placed on the rows' axis (it goes with its row)."""
    return item.get("yref", "y") == "y"


def _trace_part(trace: dict, keep: Callable[[object], bool]) -> dict:
    """A trace with only the points on kept rows; a trace on no row (a legend key) as it is."""
    ys = trace.get("y")
    if ys is None or all(v is None for v in ys):
        return trace
    mask = [keep(v) for v in ys]
    n = len(mask)
    for path in _POINT_ARRAYS:
        holder = trace
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
            if holder is None:
                break
        if not isinstance(holder, dict):
            continue
        values = holder.get(path[-1])
        if (
            isinstance(values, (list, tuple))
            and len(values) == n
            and not (path == ("x",) and trace.get("type") == "heatmap")
        ):
            holder[path[-1]] = [v for v, m in zip(values, mask) if m]
    return trace


def _titled(title: str, label: str) -> str:
    """A chart's title with its part: "（1/3）" after a Chinese title, " (1/3)" after another."""
    if not label:
        return title
    return f"{title}（{label}）" if re.search(r"[\u3400-\u9fff]", title) else f"{title} ({label})"
