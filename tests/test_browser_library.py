"""The shared library through the browser: remove with confirmation, the trash, versions, seen by a second user.

Each test runs its own server on a library folder of its own, so nothing
touches the repository's ``data/``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from browser_support import REPO, artifact, new_page, running_streamlit, wait_for_app
from playwright.sync_api import Browser, Page, expect

from support import REFERENCE


@pytest.fixture()
def library_server(tmp_path) -> Iterator[str]:
    directory = tmp_path / "data"
    directory.mkdir()
    shutil.copy(REFERENCE, directory / REFERENCE.name)
    env = dict(os.environ, BUDGET_DATA_DIR=str(directory), BUDGET_CACHE_DIR=str(tmp_path / "cache"))
    with running_streamlit(REPO / "app.py", env=env) as server:
        yield server.url


def _overview(browser: Browser, url: str) -> Page:
    """Another user's overview, opened afresh."""
    other = new_page(browser)
    other.goto(url)
    wait_for_app(other)
    return other


def _metrics(page: Page) -> list[str]:
    return page.get_by_test_id("stMetricValue").all_inner_texts()[:2]


def _pick(page: Page, label: str, option: str) -> None:
    page.get_by_label(label).click()
    page.get_by_role("option").filter(has_text=option).first.click()
    wait_for_app(page)


@pytest.mark.browser
def test_remove_asks_first_then_every_user_sees_it_gone_until_restored(
    library_server: str, browser: Browser, page: Page
) -> None:
    page.goto(f"{library_server}/library")
    wait_for_app(page)
    remove = page.get_by_role("button", name="移到回收站")
    # Nothing is chosen yet: one press cannot remove the only document.
    expect(remove).to_be_disabled()
    _pick(page, "选择要移除的文档", REFERENCE.name)
    remove.click()
    dialog = page.get_by_role("dialog")
    expect(
        dialog.get_by_text("东莞市人民代表大会常务委员会办公室 2026年 · 15 个项目 · 预算 1,088.25 万元")
    ).to_be_visible()
    dialog.get_by_role("button", name="取消").click()
    wait_for_app(page)
    expect(page.get_by_text("回收站是空的。")).to_be_visible()

    _pick(page, "选择要移除的文档", REFERENCE.name)
    remove.click()
    page.get_by_role("dialog").get_by_role("button", name="移到回收站").click()
    wait_for_app(page, settle_ms=800)
    expect(page.get_by_text("文档库是空的。")).to_be_visible()
    page.screenshot(path=artifact("library-trash.png"), full_page=True)
    other = _overview(browser, library_server)
    assert _metrics(other) == []  # an empty dashboard for everyone

    page.get_by_role("button", name="恢复").click()
    wait_for_app(page, settle_ms=800)
    expect(page.get_by_text("已恢复")).to_be_visible()
    other.reload()
    wait_for_app(other)
    assert _metrics(other) == ["1,088.25", "15"]
    assert page.console_errors == [] and other.console_errors == []  # type: ignore[attr-defined]
    other.context.close()


@pytest.mark.browser
def test_second_version_replaces_then_the_old_one_comes_back_from_the_history(
    library_server: str, browser: Browser, page: Page, tmp_path
) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace("1,416,000.00", "1,516,000.00")
    upload = tmp_path / "人大_新版.txt"
    upload.write_text(text, encoding="utf-8")
    same = tmp_path / "again.txt"
    same.write_bytes(REFERENCE.read_bytes())
    page.goto(f"{library_server}/library")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(upload), str(same)])
    wait_for_app(page, settle_ms=1500)
    expect(page.get_by_text("无需再次保存")).to_be_visible()
    expect(page.get_by_text("延续项目 15 个，新增 0 个，不再出现 0 个")).to_be_visible()
    page.get_by_text("替换为新版本（旧版本保留在历史中）").click()
    wait_for_app(page)
    page.get_by_role("button", name="把上传的文档存入文档库").click()
    wait_for_app(page, settle_ms=1000)
    expect(page.get_by_text("已作为新版本替换")).to_be_visible()
    other = _overview(browser, library_server)
    assert _metrics(other) == ["1,098.25", "15"]

    expect(page.get_by_text("版本历史")).to_be_visible()
    page.get_by_role("button", name="恢复此版本").click()
    wait_for_app(page, settle_ms=1000)
    other.reload()
    wait_for_app(other)
    assert _metrics(other) == ["1,088.25", "15"]
    page.screenshot(path=artifact("library-history.png"), full_page=True)
    assert page.console_errors == [] and other.console_errors == []  # type: ignore[attr-defined]
    other.context.close()


@pytest.mark.browser
def test_keep_both_counts_the_latest_and_says_so(library_server: str, page: Page, tmp_path) -> None:
    upload = tmp_path / "人大_新版.txt"
    upload.write_text(REFERENCE.read_text(encoding="utf-8").replace("1,416,000.00", "1,516,000.00"), encoding="utf-8")
    page.goto(f"{library_server}/library")
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(upload)])
    wait_for_app(page, settle_ms=1500)
    page.get_by_text("两者并存（分别命名）").click()
    wait_for_app(page)
    page.get_by_role("button", name="把上传的文档存入文档库").click()
    wait_for_app(page, settle_ms=1000)
    page.goto(library_server)
    wait_for_app(page)
    expect(page.get_by_text("只计入最新的版本").first).to_be_visible()
    assert _metrics(page) == ["1,098.25", "15"]
    page.get_by_test_id("stSidebar").get_by_text("同时显示旧版本（1 个）").click()
    wait_for_app(page, settle_ms=800)
    assert _metrics(page) == ["2,186.50", "30"]
    page.screenshot(path=artifact("library-versions.png"), full_page=True)
    assert page.console_errors == []  # type: ignore[attr-defined]
