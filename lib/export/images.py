"""Charts as PNG images at presentation size, rendered on the server by kaleido (headless Chromium).

An image follows :mod:`lib.presentation` at 1920×1080: every text at least
24 px and titles 40 px, nothing within the safe margin of the edge, the
caption (source and filters) once inside the image, and a tall chart split
into parts of at most 15 rows ("（1/3）") rather than shrunk.

* :func:`presentation_parts` and :func:`presentation_figure` are the pure
  steps: a figure as the parts an image shows, and one part laid out for
  its image (:mod:`lib.export.parts`, :mod:`lib.export.framing`);
* :func:`chart_png`, :func:`chart_pngs` and :func:`charts_zip` render them
  and return ``bytes`` (nothing here touches the disk);
* :func:`figure_pngs` renders figures already laid out for their image (the
  project card, :func:`lib.charts.card_figures`), :func:`pngs_zip` puts
  several images in one zip.

Every image of the process is rendered in one browser, started on the first
request (:mod:`lib.export.browser`).
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import threading
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import plotly.graph_objects as go
from PIL import Image

from lib import charts
from lib.export import browser, framing, parts
from lib.presentation import SAFE_MARGIN_PX, SLIDE_PX

__all__ = [
    "ExportError",
    "chart_png",
    "chart_pngs",
    "charts_zip",
    "figure_pngs",
    "part_count",
    "pngs_zip",
    "presentation_figure",
    "presentation_parts",
]

_log = logging.getLogger(__name__)


class ExportError(RuntimeError):
    """An export could not be produced (e.g. no browser to render charts with)."""


def presentation_parts(
    figure: go.Figure, *, caption: str = "", width: int = SLIDE_PX[0], height: int = SLIDE_PX[1]
) -> list[go.Figure]:
    """``figure`` as the charts its images show: itself (a copy), or its parts when its rows do not fit one.

    A chart with a row per item (bars per project, the Pareto chart, periods,
    the heatmap, budgets against caps) gets at most
    :data:`~lib.presentation.ROWS_PER_PART` rows a part, fewer when its
    labels take several lines; each part keeps the chart's amounts, labels,
    order and value axis, and is titled "…（1/3）". The parts are not yet
    laid out for the image (:func:`presentation_figure` does that).

    Examples
    --------
    >>> import polars as pl
    >>> projects = pl.DataFrame({"project_id": [f"p{i}" for i in range(40)], "name": [f"项目{i}" for i in range(40)],
    ...                          "type": "甲", "budget_yuan": [1e4 * (40 - i) for i in range(40)]})
    >>> [f.layout.title.text for f in presentation_parts(charts.budget_by_project(projects))]
    ['各项目预算金额（万元）（1/3）', '各项目预算金额（万元）（2/3）', '各项目预算金额（万元）（3/3）']
    """
    return parts.split(figure, caption=caption, width=width, height=height)


def part_count(figure: go.Figure, *, caption: str = "", width: int = SLIDE_PX[0], height: int = SLIDE_PX[1]) -> int:
    """How many images :func:`presentation_parts` makes of ``figure``; cheap enough for every page run."""
    return parts.part_count(figure, caption=caption, width=width, height=height)


def presentation_figure(
    figure: go.Figure, *, caption: str, width: int = SLIDE_PX[0], height: int = SLIDE_PX[1]
) -> go.Figure:
    """A copy of ``figure`` laid out for a ``width × height`` PNG: what the renderer draws.

    See :func:`lib.export.framing.frame`: text at body and title sizes, the
    caption at the bottom right, the size of the image less the safe margin.
    """
    return framing.frame(figure, caption=caption, width=width, height=height)


def chart_png(figure: go.Figure, *, caption: str, width: int = 1920, height: int = 1080, scale: int = 1) -> bytes:
    """``figure`` as one PNG at presentation size, rendered on the server, caption inside the image.

    The image is ``width × height`` pixels (times ``scale``), 16:9 by
    default, laid out by :func:`presentation_figure`. A chart whose rows do
    not fit is drawn whole in a taller image, never shrunk; use
    :func:`chart_pngs` with ``split=True`` for its parts at the slide's
    size. ``figure`` is not changed. The first image of a process starts
    the browser (a few seconds); later ones take a fraction of a second.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> png = chart_png(charts.budget_by_type(load_documents().projects), caption="数据来源：示例")
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    (True, 1920, 1080)
    """
    return chart_pngs([figure], caption=caption, width=width, height=height, scale=scale)[0]


def chart_pngs(
    figures: Sequence[go.Figure],
    *,
    caption: str,
    width: int = 1920,
    height: int = 1080,
    scale: int = 1,
    split: bool = False,
) -> list[bytes]:
    """Several figures as PNGs, like :func:`chart_png`: one image per figure, or with ``split`` one per part.

    Without ``split`` the images pair with ``figures`` one to one (a chart too
    tall for the slide is drawn in a taller image, at body size); with it,
    every part of every figure follows its figure's earlier parts, each
    ``width × height``.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> pngs = chart_pngs([charts.budget_by_type(corpus.projects), charts.level_sunburst(corpus.indicators)], caption="")
    >>> len(pngs)
    2
    """
    framed: list[go.Figure] = []
    for figure in figures:
        if split:
            framed.extend(
                presentation_figure(part, caption=caption, width=width, height=height)
                for part in presentation_parts(figure, caption=caption, width=width, height=height)
            )
        else:
            tall = parts.needed_height(figure, caption=caption, width=width, height=height)
            framed.append(presentation_figure(figure, caption=caption, width=width, height=tall))
    return figure_pngs(framed, scale=scale)


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
    split: bool = True,
) -> bytes:
    """A zip of charts as PNGs, each named after what it shows, a tall chart as its parts.

    ``items`` pairs what a chart shows (usually its title, e.g. "预算分配")
    with the figure. Entries are named by :func:`lib.charts.image_filename`
    (department, year, what, date — Windows-safe) plus ``.png``; a chart's
    parts add "_1of3" to what it shows, and a repeated name gets "_2", "_3".
    The images are those of :func:`chart_pngs` (``split`` as there).

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> data = charts_zip([("预算分配", charts.budget_by_type(corpus.projects))], caption="", year=2026, today=date(2026, 11, 28))
    >>> zipfile.ZipFile(io.BytesIO(data)).namelist()
    ['2026_预算分配_2026-11-28.png']
    """
    today = today or date.today()
    named: list[tuple[str, bytes]] = []
    for what, figure in items:
        pngs = chart_pngs([figure], caption=caption, width=width, height=height, scale=scale, split=split)
        for index, png in enumerate(pngs):
            shown = _plain(what) + (f"_{index + 1}of{len(pngs)}" if len(pngs) > 1 else "")
            named.append((charts.image_filename(department, year, shown, today=today), png))
    return pngs_zip(named)


def pngs_zip(named: Sequence[tuple[str, bytes]]) -> bytes:
    """PNG images in one zip, each under its name plus ``.png``; a repeated name gets "_2", "_3".

    >>> zipfile.ZipFile(io.BytesIO(pngs_zip([("卡片", b""), ("卡片", b"")]))).namelist()
    ['卡片.png', '卡片_2.png']
    """
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for stem, png in named:
            name, n = f"{stem}.png", 1
            while name.lower() in used:  # Windows file names ignore case
                n += 1
                name = f"{stem}_{n}.png"
            used.add(name.lower())
            # PNG is already compressed: storing is as small and faster.
            archive.writestr(name, png)
    return buffer.getvalue()


def figure_pngs(figures: Sequence[go.Figure], *, scale: int = 1) -> list[bytes]:
    """Figures already laid out for their image as PNGs, each on white with the safe margin around it.

    A figure ``w × h`` large (its layout's size) makes an image
    ``(w + 2m) × (h + 2m)`` times ``scale``, ``m`` the safe margin: nothing
    is drawn closer to the edge. :func:`chart_pngs` lays charts out
    (:func:`presentation_figure`) and renders them here; the project card
    is laid out by its own builder.
    """
    jobs = [
        (
            figure.to_dict(),
            {"format": "png", "width": figure.layout.width, "height": figure.layout.height, "scale": scale},
        )
        for figure in figures
    ]
    return [_with_margin(png, SAFE_MARGIN_PX * scale) for png in _render(jobs)] if jobs else []


def _plain(text: str) -> str:
    """A chart title without its HTML (line breaks, bold), for a file name."""
    return re.sub(r"<[^>]+>", "", text)


def _with_margin(png: bytes, margin: int) -> bytes:
    """``png`` on a white image ``margin`` pixels larger on every side."""
    with Image.open(io.BytesIO(png)) as drawn:
        canvas = Image.new("RGB", (drawn.width + 2 * margin, drawn.height + 2 * margin), "white")
        canvas.paste(drawn.convert("RGB"), (margin, margin))
    out = io.BytesIO()
    canvas.save(out, format="PNG", compress_level=3)
    return out.getvalue()


def _render(jobs: list[tuple[dict, dict]]) -> list[bytes]:
    """PNG bytes of each job: in the process' browser, else in a session of this call's own."""
    from kaleido.errors import ChromeNotFoundError

    try:
        return browser.render(jobs)
    except ChromeNotFoundError as exc:
        msg = f"charts cannot be rendered: kaleido found no Chromium ({exc})"
        raise ExportError(msg) from exc
    except Exception as exc:  # noqa: BLE001 - any failure of the long-lived browser: render without it
        _log.warning("the kaleido browser failed (%s); rendering in a session of its own", exc)
    try:
        return _render_once(jobs)
    except ChromeNotFoundError as exc:
        msg = f"charts cannot be rendered: kaleido found no Chromium ({exc})"
        raise ExportError(msg) from exc


def _render_once(jobs: list[tuple[dict, dict]]) -> list[bytes]:
    """PNG bytes of each job from a kaleido session started for this call alone."""
    import kaleido  # imported here: starting pages need not load it

    async def run() -> list[bytes]:
        # mathjax=False: no formulas here, and no request to a CDN from the server.
        async with kaleido.Kaleido(n=1, timeout=browser.RENDER_TIMEOUT_S, mathjax=False) as session:
            return [await session.calc_fig(figure, opts=opts) for figure, opts in jobs]

    return _run_async(run)


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
