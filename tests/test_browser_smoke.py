"""What a person sees first: the dashboard's root page loads, in Chinese, cleanly."""

from __future__ import annotations

import pytest
from browser_support import artifact, wait_for_app
from playwright.sync_api import Page, expect


@pytest.mark.browser
def test_root_page_shows_budget_text_without_console_errors(app_server: str, page: Page) -> None:
    page.goto(app_server)
    wait_for_app(page)
    page.screenshot(path=artifact("smoke.png"), full_page=True)

    expect(page.get_by_text("预算").filter(visible=True).first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert page.console_errors == []  # type: ignore[attr-defined]
