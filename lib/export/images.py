"""Charts as PNG images at presentation size, rendered on the server by kaleido (headless Chromium).

:func:`chart_png`, :func:`chart_pngs` and :func:`charts_zip` lay a chart out
at presentation size with the caption (source and filters) inside the image
and return ``bytes``; nothing here touches the disk.
"""

from __future__ import annotations

import asyncio
import io
import re
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go

from lib import charts
from lib.export.text import wrap_text

__all__ = ["ExportError", "chart_png", "chart_pngs", "charts_zip"]


class ExportError(RuntimeError):
    """An export could not be produced (e.g. no browser to render charts with)."""


# Layout zooms tried for a presentation PNG, largest first: the chart is laid
# out at (width, height) / zoom and drawn zoom times larger, so its text is
# as big as the chart's natural height allows without crowding its rows.
# Each candidate must divide the pixel size exactly (1920 × 1080: 1280 × 720 ...).
_ZOOMS = (1.5, 1.25, 1.2, 1.0, 0.8, 0.75, 0.6, 0.5)
_CAPTION_FONT = 13
_CAPTION_COLOR = "#666666"
# Room under the plot for the x axis' tick labels and title: the caption goes
# below it. Automargin only ever grows a margin, so a generous one is kept.
_AXIS_ROOM = 70
_CAPTION_PAD = 10
# A bar chart's rows may be squeezed this much below their natural height.
_SQUEEZE = 0.9
_RENDER_TIMEOUT_S = 90


@dataclass(frozen=True, slots=True)
class _RenderSpec:
    figure: dict
    width: float
    height: float
    scale: float


def chart_png(figure: go.Figure, *, caption: str, width: int = 1920, height: int = 1080, scale: int = 1) -> bytes:
    """``figure`` as a PNG at presentation size, rendered on the server, caption inside the image.

    The image is ``width × height`` pixels (times ``scale``), 16:9 by default.
    The chart keeps its own title at the top; ``caption`` (source and
    filters, see :func:`lib.export.naming.caption`) is drawn at the bottom
    right, wrapped to fit. Text is as large as the chart's natural height allows: a short
    chart is laid out at 1280 × 720 and drawn 1.5× larger, a tall one
    (many bars) at a larger layout size. Fonts are Noto Sans CJK SC, so
    Chinese renders on any server with the font installed. ``figure`` is
    not changed. Rendering takes about a second (kaleido starts Chromium);
    use :func:`chart_pngs` for several charts at once.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> png = chart_png(charts.budget_by_type(load_documents().projects), caption="数据来源：示例")
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", int.from_bytes(png[16:20], "big")
    (True, 1920)
    """
    return chart_pngs([figure], caption=caption, width=width, height=height, scale=scale)[0]


def chart_pngs(
    figures: Sequence[go.Figure], *, caption: str, width: int = 1920, height: int = 1080, scale: int = 1
) -> list[bytes]:
    """Several figures as PNGs, like :func:`chart_png`, with one browser for all of them.

    Starting the headless browser is most of the cost of a PNG, so a page's
    zip or a slide deck renders through one call.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> pngs = chart_pngs([charts.budget_by_type(corpus.projects), charts.level_sunburst(corpus.indicators)], caption="")
    >>> len(pngs)
    2
    """
    specs = [_presentation_spec(figure, caption=caption, width=width, height=height, scale=scale) for figure in figures]
    return _render(specs) if specs else []


def charts_zip(
    items: Sequence[tuple[str, go.Figure]],
    *,
    caption: str,
    department: str | None = None,
    year: int | None = None,
    today: date | None = None,
    width: int = 1920,
    height: int = 1080,
    scale: int = 1,
) -> bytes:
    """A zip of a page's charts as PNGs, each named after what it shows.

    ``items`` pairs what a chart shows (usually its title, e.g. "预算分配")
    with the figure. Entries are named by :func:`lib.charts.image_filename`
    (department, year, what, date — Windows-safe) plus ``.png``; a repeated
    name gets "_2", "_3". The images are those of :func:`chart_pngs`.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> data = charts_zip([("预算分配", charts.budget_by_type(corpus.projects))], caption="", year=2026, today=date(2026, 11, 28))
    >>> zipfile.ZipFile(io.BytesIO(data)).namelist()
    ['2026_预算分配_2026-11-28.png']
    """
    today = today or date.today()
    pngs = chart_pngs([figure for _, figure in items], caption=caption, width=width, height=height, scale=scale)
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for (what, _), png in zip(items, pngs):
            stem = charts.image_filename(department, year, _plain(what), today=today)
            name, n = f"{stem}.png", 1
            while name.lower() in used:  # Windows file names ignore case
                n += 1
                name = f"{stem}_{n}.png"
            used.add(name.lower())
            # PNG is already compressed: storing is as small and faster.
            archive.writestr(name, png)
    return buffer.getvalue()


def _plain(text: str) -> str:
    """A chart title without its HTML (line breaks, bold), for a file name."""
    return re.sub(r"<[^>]+>", "", text)


def _presentation_spec(figure: go.Figure, *, caption: str, width: int, height: int, scale: int) -> _RenderSpec:
    """A copy of ``figure`` laid out for a ``width × height`` image with ``caption`` at the bottom."""
    fig = go.Figure(figure)  # a copy: the page's figure must not change
    layout = fig.layout
    natural = layout.height or 450
    bottom = layout.margin.b if layout.margin.b is not None else 80
    caption_block = _CAPTION_FONT * 1.4 + 2 * _CAPTION_PAD
    zoom = _zoom(natural + caption_block + _AXIS_ROOM, width=width, height=height)
    logical_w, logical_h = width / zoom, height / zoom
    right = layout.margin.r if layout.margin.r is not None else 80
    lines = wrap_text(caption, width=(logical_w - 2 * right) / _CAPTION_FONT) if caption else []
    caption_h = (_CAPTION_FONT * 1.4 * len(lines) + 2 * _CAPTION_PAD) if lines else 0
    new_bottom = max(bottom, _AXIS_ROOM) + caption_h
    fig.update_layout(
        width=logical_w,
        height=logical_h,
        margin={"b": new_bottom},
        font={"family": charts.FONT_FAMILY},
    )
    # The builders place title and legend in pixels from the top, as
    # fractions of their own height; keep those pixels at the new height.
    for part in (layout.title, layout.legend):
        if part.yref == "container" and part.y is not None:
            part.y = 1 - (1 - part.y) * natural / logical_h
    if lines:
        fig.add_annotation(
            text="<br>".join(lines),
            xref="paper",
            yref="paper",
            # Right-aligned: the plot area's right edge is a known margin from
            # the image's edge; its left edge moves with the longest label.
            x=1,
            xanchor="right",
            xshift=right - _CAPTION_PAD,
            y=0,
            yanchor="bottom",
            yshift=-new_bottom + _CAPTION_PAD,
            align="left",
            showarrow=False,
            font={"family": charts.FONT_FAMILY, "size": _CAPTION_FONT, "color": _CAPTION_COLOR},
        )
    return _RenderSpec(fig.to_dict(), logical_w, logical_h, zoom * scale)


def _zoom(needed: float, *, width: int, height: int) -> float:
    """The largest zoom whose layout height still holds ``needed`` pixels (rows squeezed at most 10%)."""
    exact = [z for z in _ZOOMS if (width / z).is_integer() and (height / z).is_integer()]
    for zoom in exact:
        if height / zoom >= _SQUEEZE * needed:
            return zoom
    return exact[-1] if exact else 1.0


def _render(specs: list[_RenderSpec]) -> list[bytes]:
    """PNG bytes of each spec, from one kaleido browser session."""
    import kaleido  # imported here: starting pages need not load it
    from kaleido.errors import ChromeNotFoundError

    async def run() -> list[bytes]:
        # mathjax=False: no formulas here, and no request to a CDN from the server.
        async with kaleido.Kaleido(n=1, timeout=_RENDER_TIMEOUT_S, mathjax=False) as session:
            return [
                await session.calc_fig(
                    spec.figure,
                    opts={"format": "png", "width": spec.width, "height": spec.height, "scale": spec.scale},
                )
                for spec in specs
            ]

    try:
        return _run_async(run)
    except ChromeNotFoundError as exc:
        msg = f"charts cannot be rendered: kaleido found no Chromium ({exc})"
        raise ExportError(msg) from exc


def _run_async(factory: Callable[[], Any]) -> Any:
    """Run a coroutine to completion on a thread of its own.

    The caller may already be inside an event loop (Jupyter, an async test)
    where ``asyncio.run`` is refused; a fresh thread has none.
    """
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(factory())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread below
            result["error"] = exc

    thread = threading.Thread(target=target, name="kaleido-render", daemon=True)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]
