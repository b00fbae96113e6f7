"""The presentation rules every screen, chart image, card and slide follows: sizes, margins, fonts, rows per part.

Presenters put our charts and cards on a projector and leaders read them from
the back of the room, so the rules are stated for a 16:9 slide shown at
1920×1080 and hold wherever a figure is shown large: the PNG exports, the
card, the PowerPoint deck and presentation mode on screen. A 16:9 slide is
13.333 in wide; at 1920 px that is 144 px per inch, 2 px per point, so

* body text (tick labels, table cells, bar labels, notes) is at least
  :data:`BODY_PX` = 24 px, 12 pt on the slide;
* titles are at least :data:`TITLE_PX` = 40 px, 20 pt;
* nothing is drawn within :data:`SAFE_MARGIN_PX` of the edge;
* a chart with a row per item shows at most :data:`ROWS_PER_PART` rows:
  a taller one is split into parts labelled "1/2", "2/2" (:func:`parts`)
  instead of being shrunk until its text is unreadable;
* no empty band across more than :data:`MAX_EMPTY_BAND` of an image.

Slides name an East Asian font that Windows and WPS Office have
(:data:`SLIDE_FONT`, 微软雅黑), with :data:`SLIDE_FONT_FALLBACK` for the
Latin script.

>>> px_to_pt(BODY_PX), px_to_pt(TITLE_PX)
(12.0, 20.0)
>>> [(part.start, part.stop) for part in parts(32)]
[(0, 11), (11, 22), (22, 32)]
>>> part_label(0, 3)
'1/3'
"""

from __future__ import annotations

#: The size every rule is stated for: a 16:9 slide or a full-HD projector.
SLIDE_PX = (1920, 1080)
#: A 16:9 slide's width in inches (PowerPoint's default widescreen size).
SLIDE_WIDTH_IN = 13.333
#: Smallest body text at 1920×1080: tick labels, table cells, bar labels, captions (12 pt on a slide).
BODY_PX = 24
#: Smallest title text at 1920×1080 (20 pt on a slide).
TITLE_PX = 40
#: Nothing is drawn closer than this to an image's or a slide's edge (2.5% of the width).
SAFE_MARGIN_PX = 48
#: A chart with a row per item shows at most this many rows; more are split into parts.
ROWS_PER_PART = 15
#: No empty band (top to bottom or side to side) may take more than this share of an image.
MAX_EMPTY_BAND = 0.15
#: The East Asian font slides name: Windows has it, and WPS Office substitutes it by name.
SLIDE_FONT = "微软雅黑"
#: The Latin font slides name beside it, present on every office PC.
SLIDE_FONT_FALLBACK = "Arial"


def px_to_pt(px: float, *, width_px: int = SLIDE_PX[0]) -> float:
    """Pixels of an image ``width_px`` wide as points on a 16:9 slide it fills."""
    return round(px * SLIDE_WIDTH_IN * 72 / width_px, 2)


def pt_to_px(pt: float, *, width_px: int = SLIDE_PX[0]) -> float:
    """Points on a 16:9 slide as pixels of an image ``width_px`` wide that fills it.

    >>> pt_to_px(12)
    24.0
    """
    return round(pt * width_px / (SLIDE_WIDTH_IN * 72), 2)


def parts(rows: int, *, per_part: int = ROWS_PER_PART) -> list[slice]:
    """The rows of a chart split into as few parts as hold ``per_part`` rows each, as even as possible.

    Earlier parts take the extra row, so "1/3" is never shorter than "3/3";
    no rows give no parts, and up to ``per_part`` rows one part.

    >>> [(p.start, p.stop) for p in parts(15)], [(p.start, p.stop) for p in parts(16)]
    ([(0, 15)], [(0, 8), (8, 16)])
    >>> parts(0)
    []
    """
    if rows <= 0:
        return []
    count = -(-rows // per_part)
    size, extra = divmod(rows, count)
    bounds, start = [], 0
    for index in range(count):
        stop = start + size + (1 if index < extra else 0)
        bounds.append(slice(start, stop))
        start = stop
    return bounds


def part_label(index: int, count: int) -> str:
    """The label of part ``index`` (from 0) of ``count``: "1/2"; empty when there is one part."""
    return f"{index + 1}/{count}" if count > 1 else ""
