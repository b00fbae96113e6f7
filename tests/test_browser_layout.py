"""What a reader sees on a 1366×768 office laptop and a 1920×1080 screen, measured in the browser.

Key figures are whole (not cut with "…"), tables do not scroll sideways
(every column, 审核意见 included, is in view), and no two texts of a chart
overlap or run past the chart's edge (the text boxes of the chart's SVG). A 10,000-project corpus over
many departments shows departments first; its screenshots go to
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import REPO, artifact, running_streamlit, wait_for_app
from playwright.sync_api import Page, expect

from lib.testing.synth import write_corpus

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
PAGES = ["", "budget", "indicators", "card", "review"]

# Every metric value's own box and everything inside it: a value cut with an
# ellipsis is wider inside than its box.
_CUT_METRICS = """
() => [...document.querySelectorAll('[data-testid="stMetricValue"]')].flatMap(metric =>
    [metric, ...metric.querySelectorAll('*')]
        .filter(el => el.scrollWidth > el.clientWidth + 1)
        .map(() => metric.innerText))
"""
# A table whose columns do not fit scrolls sideways: its scroller is wider inside than its box.
_SIDEWAYS_TABLES = """
() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
    .filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => [el.scrollWidth, el.clientWidth])
"""
# Boxes of a chart's visible texts: titles, ticks, bar and point labels, annotations, legend.
_TEXT_BOXES = """
chart => [...chart.querySelectorAll('svg.main-svg text')]
    .filter(t => t.textContent.trim() && !t.closest('.treemaplayer') && !t.closest('.hoverlayer'))
    .map(t => { const b = t.getBoundingClientRect(); return [t.textContent.trim(), b.left, b.top, b.right, b.bottom]; })
    .filter(([, left, top, right, bottom]) => right - left > 0 && bottom - top > 0)
"""


def _overlaps(boxes: list[list]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than 2 px both ways."""
    found = []
    for i, (text_a, *a) in enumerate(boxes):
        for text_b, *b in boxes[i + 1 :]:
            width = min(a[2], b[2]) - max(a[0], b[0])
            height = min(a[3], b[3]) - max(a[1], b[1])
            if width > 2 and height > 2:
                found.append((text_a, text_b))
    return found


def _open(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page, timeout_ms=120_000, settle_ms=800)
    expect(page.get_by_test_id("stApp")).to_be_visible()


@pytest.mark.parametrize(("width", "height"), SIZES, ids=lambda v: str(v))
@pytest.mark.parametrize("path", [*PAGES, "card?lang=en", "review?lang=en"], ids=lambda p: p or "overview")
def test_key_figures_whole_tables_in_view_and_no_chart_labels_collide(
    app_server: str, page: Page, path: str, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    _open(page, f"{app_server}/{path}")
    assert page.evaluate(_CUT_METRICS) == []
    for metric in page.get_by_test_id("stMetricValue").all():
        box = metric.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, metric.inner_text()
    for grid in page.get_by_test_id("stDataFrame").all():
        box = grid.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
    assert page.evaluate(_SIDEWAYS_TABLES) == []
    charts = page.locator(".stPlotlyChart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        boxes = chart.evaluate(_TEXT_BOXES)
        assert _overlaps(boxes) == [], f"chart {index} on /{path} at {width}×{height}"
        # Every text inside the chart: a label running off the plot is cut ("993.67（91.3").
        frame = chart.bounding_box()
        assert frame is not None
        outside = [
            text
            for text, left, top, right, bottom in boxes
            if left < frame["x"] - 1 or right > frame["x"] + frame["width"] + 1
        ]
        assert outside == [], f"chart {index} on /{path} at {width}×{height}"
    page.screenshot(path=artifact(f"layout-{(path or 'overview').replace('?lang=', '-')}-{width}.png"))
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def large_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard over a 10,000-project synthetic corpus of many departments."""
    folder: Path = tmp_path_factory.mktemp("ten-thousand")
    write_corpus(folder, 10_000, seed=7)
    env = {**os.environ, "BUDGET_DATA_DIR": str(folder), "BUDGET_CACHE_DIR": str(folder / ".cache")}
    with running_streamlit(REPO / "app.py", env=env, timeout_s=120) as server:
        yield server.url


@pytest.mark.parametrize("path", ["", "budget"], ids=["overview", "budget"])
def test_ten_thousand_projects_lead_with_departments(large_server: str, page: Page, path: str) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{large_server}/{path}")
    if path == "":
        # Above the fold: which departments and year, and the number of departments.
        expect(page.get_by_text("个部门（").first).to_be_in_viewport()
        expect(page.get_by_text("部门数").first).to_be_in_viewport()
        expect(page.get_by_text("预算总额（亿元）").first).to_be_in_viewport()
        expect(page.get_by_text("各部门预算金额（亿元）").first).to_be_visible()
    else:
        expect(page.get_by_text("预算结构：部门、项目类型与项目").first).to_be_visible()
        expect(page.get_by_text("预算集中度：部门预算与累计占比").first).to_be_attached()
    page.screenshot(path=artifact(f"ten-thousand-{path or 'overview'}.png"))
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_presenting_the_card_fits_one_16_9_screen(app_server: str, page: Page) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{app_server}/card?present=1")
    expect(page.get_by_text("市人大代表履职经费").first).to_be_visible()
    grid = page.get_by_test_id("stTable").first
    table = grid.bounding_box()
    findings = page.get_by_text("审核发现（").first.bounding_box()
    assert table is not None and findings is not None
    # The indicator table whole, and the findings' heading with its first finding, on the screen.
    assert table["y"] + table["height"] <= 1080
    assert findings["y"] + findings["height"] + 60 <= 1080
    # Its text grows with the page's for the projector (the grid's canvas stays at 14 px).
    sizes = grid.evaluate("t => [...t.querySelectorAll('td')].map(c => parseFloat(getComputedStyle(c).fontSize))")
    assert sizes and min(sizes) >= 18, sizes
    page.screenshot(path=artifact("card-presenting-1920.png"))
    assert page.console_errors == []  # type: ignore[attr-defined]
