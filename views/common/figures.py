"""Charts: drawn from a per-view figure cache, captioned, with PNG downloads and the page's zip."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from lib import charts, export
from lib.pages import Page
from lib.presentation import BODY_PX, TITLE_PX
from views.common.downloads import caption_with_download, prepared_download
from views.common.sidebar import View


# cache_resource: a figure is shared, never copied, and never changed after it
# is built (show_chart and the PNG export work on copies).
@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(key: str, made_for: tuple, _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def show_chart(view: View, page: Page, key: str) -> None:
    """Draw the page's chart ``key`` with its note, its caption and a server-rendered PNG download.

    The chart's ``build`` runs once per documents, filters, language and
    ``depends`` (the page's own widget values the chart uses), because
    building and validating a Plotly figure is most of a page's server time
    (about 75 ms of the overview's 100 at 10,000 projects).

    The camera button saves a 2x PNG named after the chart's title; the PNG
    button renders the chart at 1920×1080 with the caption inside the image,
    only when clicked; a chart with more rows than one image holds gives a
    zip of its parts ("_1of3"). The chart also joins the page's "all charts" zip.
    """
    chart = page.charts[key]
    if note := page.notes.get(key):
        st.caption(note)
    figure = _figure(key, (*view.made_for, chart.depends), chart.build)
    what = re.sub(r"<[^>]+>", "", figure.layout.title.text or key)
    st.session_state.setdefault("_page_charts", {})[key] = (what, figure)
    shown = figure
    if view.present:
        # A copy: the zip and the PNG download keep the figure at its normal size.
        shown = charts.enlarged(figure, body=BODY_PX, title=TITLE_PX)
    st.plotly_chart(shown, key=key, config=charts.chart_config(view.filename(what)))
    text = view.caption
    # A chart too tall for one slide comes as its parts ("（1/3）"), in a zip.
    count = export.part_count(figure, caption=text)
    if count > 1:
        department, year = view.identity
        label, suffix, mime = view.label("export_png_parts", count=count), "zip", "application/zip"
        data = lambda: export.charts_zip(  # noqa: E731
            [(what, figure)], caption=text, department=department, year=year, today=date.today()
        )
    else:
        label, suffix, mime = view.label("export_png"), "png", "image/png"
        data = lambda: export.chart_png(figure, caption=text)  # noqa: E731
    caption_with_download(
        text,
        label=label,
        data=data,
        file_name=f"{view.filename(what)}.{suffix}",
        mime=mime,
        key=f"{key}_png",
        icon=":material/image:",
    )


def charts_zip_button(view: View, page_key: str) -> None:
    """Offer every chart drawn on this page as PNGs in one zip."""
    items = list(st.session_state.get("_page_charts", {}).values())
    if not items:
        return
    department, year = view.identity
    prepared_download(
        view,
        key=f"zip_{page_key}",
        label=view.label("export_zip", count=len(items)),
        build=lambda: export.charts_zip(
            items, caption=view.caption, department=department, year=year, today=date.today()
        ),
        file_name=f"{view.filename(view.label(page_key))}.zip",
        mime="application/zip",
    )
