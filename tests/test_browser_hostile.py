"""The hostile document of test_hostile.py served by the app, every page opened in Chromium.

The server gets a library folder of its own (``BUDGET_DATA_DIR``) holding only
the hostile document, saved under a file name that is itself markup. On every
page: no dialog opens, ``window.__xss`` (set by the ``<img onerror>`` payloads
if they ever run) stays undefined, no element the document describes exists
(``img[src=x]``, ``javascript:`` links, ``onerror`` attributes, a ``<script>``
with ``alert``), and the hostile text is on screen as text. Screenshots go to
``test-artifacts/hostile_*.png``.

The ``xfail(strict=True)`` tests are bugs in views/ (see their reasons). The
legend-link test began as one too, until 7b43ee7 escaped chart text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from urllib.parse import quote

import pytest
from browser_support import REPO, artifact, streamlit_server, wait_for_app
from playwright.sync_api import Page, expect
from test_hostile import DEPARTMENT, FILE_NAME, NAMES, PHISH, PIXEL, hostile_bytes

from lib.loader import document_id

pytestmark = pytest.mark.browser

#: The caption under every chart and table names the department, markup and all.
CAPTION = f"数据来源：{DEPARTMENT} 2026"

# (url path, text that must be on screen besides the caption, whether the page draws charts)
PAGES = [
    ("", "@SUM(A1)", True),
    ("budget", "@SUM(A1)", True),
    ("indicators", "javascript:alert(1)", True),
    ("card", NAMES[0], False),
    ("review", "审核发现", True),
    ("data", "解析诊断", False),
    ("library", FILE_NAME, False),
]

# Everything the payloads could have turned into, counted in the live DOM
# (SVG links carry xlink:href, HTML links href).
_PROBE = """(host) => {
  const links = Array.from(document.querySelectorAll('a')).map(
    a => a.getAttribute('href') || a.getAttribute('xlink:href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '');
  return {
    xss: typeof window.__xss,
    imgX: document.querySelectorAll('img[src="x"]').length,
    onerror: document.querySelectorAll('[onerror]').length,
    jsLinks: links.filter(h => /^\\s*javascript:/i.test(h)),
    scripts: Array.from(document.querySelectorAll('script')).filter(s => s.textContent.includes('alert(')).length,
    phishLinks: links.filter(h => h.includes(host)),
    pixels: Array.from(document.querySelectorAll('img')).map(i => i.getAttribute('src') || '').filter(s => s.includes(host)),
  };
}"""


_CHARTS_DRAWN = """() => {
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return plots.length > 0 && plots.every(p => p.querySelector('.main-svg') && p.querySelector('.xtick, .slice, .cursor-crosshair'));
}"""


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a library folder holding only the hostile document."""
    folder = tmp_path_factory.mktemp("hostile-library")
    (folder / FILE_NAME).write_bytes(hostile_bytes())
    with ExitStack() as stack:
        env = pytest.MonkeyPatch()
        # The server process inherits the variable at start; the tests in this
        # process (AppTests read it too) get the old value back at once.
        env.setenv("BUDGET_DATA_DIR", str(folder))
        # A cache of its own: the repo's .cache/ may hold frames parsed by older code.
        env.setenv("BUDGET_CACHE_DIR", str(tmp_path_factory.mktemp("hostile-cache")))
        try:
            url = stack.enter_context(streamlit_server(REPO / "app.py"))
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(str(error), pytrace=False)
        finally:
            env.undo()
        yield url


@pytest.fixture
def dialogs(page: Page) -> list[str]:
    """Messages of every alert/confirm/prompt the page opens (each dismissed)."""
    opened: list[str] = []

    def record(dialog) -> None:  # noqa: ANN001 - playwright's Dialog
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def _open(page: Page, url: str, *, charts: bool) -> None:
    page.goto(url)
    wait_for_app(page)
    if charts:
        # Plotly draws after the script run: wait until every chart has its SVG and legend drawn.
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
        page.wait_for_function(_CHARTS_DRAWN, timeout=20_000)
    page.wait_for_timeout(1000)


def _requests_to(page: Page, host: str) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if host in request.url else None)
    return requests


@pytest.mark.parametrize(("path", "text", "charts"), PAGES, ids=[p[0] or "overview" for p in PAGES])
def test_hostile_document_runs_nothing_and_shows_its_text(
    hostile_server, page: Page, dialogs, path, text, charts
) -> None:
    _open(page, f"{hostile_server}/{path}", charts=charts)
    page.screenshot(path=artifact(f"hostile_{path or 'overview'}.png"), full_page=True)
    found = page.evaluate(_PROBE, "127.0.0.1:9")
    assert dialogs == []
    assert found["xss"] == "undefined"
    assert (found["imgX"], found["onerror"], found["scripts"]) == (0, 0, 0)
    assert found["jsLinks"] == []
    expect(page.get_by_test_id("stException")).to_have_count(0)
    if path == "library":
        # Nothing is preselected for removal; the remove form's options name the document, as text.
        page.get_by_label("选择要移除的文档").click()
        expect(page.get_by_role("option").filter(has_text=text).first).to_be_visible()
        found = page.evaluate(_PROBE, "127.0.0.1:9")
        assert (found["xss"], found["imgX"], found["onerror"], found["scripts"]) == ("undefined", 0, 0, 0)
    else:
        expect(page.get_by_text(text, exact=False).filter(visible=True).first).to_be_visible()
    if path != "library":
        expect(page.get_by_text(CAPTION).filter(visible=True).first).to_be_visible()
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_card_shows_hostile_goal_text_as_text(hostile_server, page: Page, dialogs) -> None:
    _open(page, f"{hostile_server}/card", charts=False)
    # The goal's <script>/<img> tags are stripped by the loader; what was between them is plain text.
    expect(page.get_by_text("alert(1)[点我](javascript:alert(1))目标")).to_be_visible()
    # An entity-encoded tag is decoded, then removed like any other (7bc26bf).
    expect(page.get_by_text("alert(2)年度目标")).to_be_visible()
    expect(page.get_by_role("heading", name=NAMES[0])).to_be_visible()
    page.screenshot(path=artifact("hostile_card_goals.png"))
    assert dialogs == []
    assert page.evaluate("typeof window.__xss") == "undefined"


def test_project_type_is_not_a_link_in_chart_legends(hostile_server, page: Page) -> None:
    _open(page, f"{hostile_server}/", charts=True)
    page.screenshot(path=artifact("hostile_overview_legend.png"))
    assert page.evaluate(_PROBE, "127.0.0.1:9")["phishLinks"] == []


def test_card_heading_shows_a_markdown_project_name_as_text(hostile_server, page: Page) -> None:
    requests = _requests_to(page, "127.0.0.1:9")
    project = f"{document_id(hostile_bytes())}-{NAMES.index(f'[官网]({PHISH})![像素]({PIXEL})'):03d}"
    _open(page, f"{hostile_server}/card?project={project}", charts=False)
    page.screenshot(path=artifact("hostile_card_markdown_name.png"))
    found = page.evaluate(_PROBE, "127.0.0.1:9")
    assert (found["phishLinks"], found["pixels"], requests) == ([], [], [])


def test_ignored_url_parameter_is_echoed_as_text(hostile_server, page: Page) -> None:
    # Another closed port than the document's links, which the overview's legend shows (bug above).
    requests = _requests_to(page, "127.0.0.1:7")
    payload = quote("[点我](http://127.0.0.1:7/phish)![像素](http://127.0.0.1:7/pixel.png)")
    _open(page, f"{hostile_server}/?utm={payload}", charts=True)
    page.screenshot(path=artifact("hostile_url_notice.png"))
    found = page.evaluate(_PROBE, "127.0.0.1:7")
    assert (found["phishLinks"], found["pixels"], requests) == ([], [], [])
