"""Fixtures for the browser tests; the helpers are in browser_support.py.

A browser test takes ``app_server`` (base URL of ``streamlit run app.py``) and
``page`` (Chromium, 1600x900, with ``page.console_errors``), is marked
``@pytest.mark.browser``, and calls ``wait_for_app(page)`` after every
navigation or interaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from browser_support import (
    CHROMIUM,
    REPO,
    artifact,
    in_ci,
    launch_chromium,
    new_page,
    screenshot_name,
    streamlit_server,
)
from playwright.sync_api import Browser, Page, sync_playwright

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    # Remember each phase's report so `page` can screenshot a failed test.
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Base URL of ``streamlit run app.py``, started once from the repo root."""
    app = REPO / "app.py"
    if not app.is_file():
        pytest.fail(f"{app} is missing: browser tests run the dashboard from it", pytrace=False)
    with ExitStack() as stack:
        try:
            url = stack.enter_context(streamlit_server(app, cwd=REPO))
        except (RuntimeError, TimeoutError) as error:  # carries the server's output
            pytest.fail(str(error), pytrace=False)
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium; skipped locally if missing, an error in CI."""
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} is missing: `bash scripts/test.sh` installs Debian's chromium"
        if in_ci():
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright.chromium)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page; on failure its screenshot goes to test-artifacts/."""
    page = new_page(browser)
    try:
        yield page
        call = request.node.stash.get(_REPORTS, {}).get("call")
        if call is not None and call.failed:
            page.screenshot(path=artifact("failed-" + screenshot_name(request.node.nodeid)))
    finally:
        page.context.close()
