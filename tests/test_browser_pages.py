"""Each page in a real browser: charts drawn, key text visible, no console errors, a screenshot to look at."""

from __future__ import annotations

import re
import shutil

from urllib.parse import quote

import pytest
from lib import review
from lib.loader import load_documents
from browser_support import artifact, wait_for_app
from playwright.sync_api import Page, expect

# (url path, title, text a person must see, minimum number of Plotly charts)
PAGES = [
    ("", "总览", "1,088.25", 3),  # the default page lives at the root URL
    ("budget", "预算分配", "人代会", 3),
    ("indicators", "指标体系", "产出指标", 4),
    ("card", "项目卡片", "实施周期总目标", 0),
    ("data", "数据", "解析诊断", 0),
    ("review", "审核发现", "R09", 2),
    ("compare", "对比", "部门与部门", 0),
    ("library", "文档库", "文档库中的文档", 0),
]


def _open(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


@pytest.mark.browser
@pytest.mark.parametrize(("path", "title", "text", "charts"), PAGES, ids=[p[0] or "overview" for p in PAGES])
def test_page_renders_charts_and_text(app_server: str, page: Page, path, title, text, charts) -> None:
    _open(page, f"{app_server}/{path}")
    expect(page.get_by_role("heading", name=title).first).to_be_visible()
    # The app's own navigation, never the file names of views/.
    expect(page.get_by_test_id("stSidebarNav").get_by_text("common")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav").get_by_text("项目卡片")).to_be_visible()
    expect(page.get_by_text(text).filter(visible=True).first).to_be_visible()
    if charts:
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
        assert page.locator(".js-plotly-plot").count() >= charts
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=artifact(f"page_{path or 'overview'}.png"), full_page=True)
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_copied_url_opens_the_same_view_in_a_fresh_browser(app_server: str, page: Page, browser) -> None:
    it_type = "其他运转类（信息化运维类）"
    _open(page, f"{app_server}/?type={quote(it_type)}")
    expect(page.get_by_text("显示 3 / 15 个项目")).to_be_visible()
    copied = page.url
    assert "type=" in copied
    fresh = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
    fresh.goto(copied)
    wait_for_app(fresh)
    expect(fresh.get_by_text("显示 3 / 15 个项目")).to_be_visible()
    expect(fresh.get_by_text("65.92").first).to_be_visible()
    fresh.context.close()


@pytest.mark.browser
def test_presentation_mode_hides_the_sidebar(app_server: str, page: Page) -> None:
    _open(page, f"{app_server}/?present=1")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    expect(page.get_by_text("1,088.25").first).to_be_visible()
    page.screenshot(path=artifact("page_overview_presentation.png"), full_page=True)
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_card_fits_a_16_9_screenshot(app_server: str, page: Page) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, f"{app_server}/card")
    expect(page.get_by_text("市人大代表履职经费").first).to_be_visible()
    page.screenshot(path=artifact("card_16x9.png"))
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_selecting_a_finding_opens_its_project_card(app_server: str, page: Page) -> None:
    _open(page, f"{app_server}/review")
    expect(page.get_by_role("heading", name="审核发现").first).to_be_visible()
    page.screenshot(path=artifact("page_review.png"), full_page=True)
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    # The selection column sits at the left edge; rows are 35 px under a 35 px header: the third row.
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 2 * 35 + 17)
    page.wait_for_url("**/card**", timeout=20_000)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="项目卡片").first).to_be_visible()
    expect(page.get_by_text("审核发现（").first).to_be_visible()
    # The clicked finding is the card's first, highlighted (an alert box), with its rule's title.
    corpus = load_documents()
    clicked = review.findings_table(review.review(corpus), corpus.projects, corpus.indicators).row(2, named=True)
    alert = page.get_by_test_id("stAlert").first
    expect(alert).to_contain_text(clicked["message"][:40])
    expect(alert).to_contain_text(f"{clicked['rule_id']} {clicked['rule_title']}")
    expect(page.get_by_text(clicked["project"]).first).to_be_visible()
    page.screenshot(path=artifact("card_from_review.png"))
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_data_page_workbook_download_holds_the_totals(app_server: str, page: Page, tmp_path) -> None:
    import openpyxl

    _open(page, f"{app_server}/data")
    page.get_by_role("button", name="生成 Excel 工作簿").click()
    ready = page.get_by_role("button", name=re.compile(r"^下载 .*数据.*\.xlsx$"))
    ready.wait_for(timeout=60_000)
    with page.expect_download(timeout=60_000) as download:
        ready.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.endswith(".xlsx") and "数据" in path.name
    book = openpyxl.load_workbook(path, data_only=True)
    assert {"说明", "项目", "绩效指标", "审核发现", "审核规则"} <= set(book.sheetnames)
    sheet = book["项目"]
    header = [cell.value for cell in sheet[1]]
    column = next(i for i, h in enumerate(header) if h and "元" in h and "万元" not in h)
    total = sum(
        row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if isinstance(row[column], (int, float))
    )
    assert total == pytest.approx(10_882_500.0)
    assert page.console_errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_chart_png_download_is_presentation_sized(app_server: str, page: Page, tmp_path) -> None:
    import struct

    _open(page, app_server)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="PNG", exact=True).first.click()
    path = tmp_path / "chart.png"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1920, 1080)
    assert download.value.suggested_filename.endswith(".png") and "各项目预算金额" in download.value.suggested_filename


@pytest.mark.browser
def test_card_png_download_is_the_first_project_card(app_server: str, page: Page, tmp_path) -> None:
    import re
    import struct
    import zipfile

    _open(page, f"{app_server}/card")
    # The first project's card does not fit one 16:9 image at body size: its images come in a zip.
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name=re.compile(r"^下载项目卡片（2 张 PNG，ZIP）")).click()
    path = tmp_path / "card.zip"
    download.value.save_as(path)
    name = download.value.suggested_filename
    assert name.startswith("东莞市人民代表大会常务委员会办公室_2026_") and name.endswith(".zip")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert [re.search(r"_(\d)of2\.png$", n).group(1) for n in names] == ["1", "2"]
        for n in names:
            data = archive.read(n)
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            assert struct.unpack(">II", data[16:24]) == (1920, 1080)
        (tmp_path / "card.png").write_bytes(archive.read(names[0]))
    shutil.copy(tmp_path / "card.png", artifact("card_download.png"))


@pytest.mark.browser
def test_camera_button_saves_a_2x_png_named_after_the_chart(app_server: str, page: Page, tmp_path) -> None:
    import struct

    _open(page, app_server)
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    with page.expect_download(timeout=60_000) as download:
        chart.get_by_role("button", name="Download plot as a png").click()
    name = download.value.suggested_filename
    assert name.startswith("东莞市人民代表大会常务委员会办公室_2026_各项目预算金额") and name.endswith(".png")
    path = tmp_path / "camera.png"
    download.value.save_as(path)
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    figure_width = chart.bounding_box()["width"]
    assert width == pytest.approx(2 * figure_width, abs=4)


@pytest.mark.browser
def test_english_type_filter_lists_english_types_and_no_select_all(app_server: str, page: Page) -> None:
    _open(page, f"{app_server}/?lang=en")
    page.locator(".st-key-f_type").get_by_role("combobox", name="Project type").click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    shown = options.all_inner_texts()
    # Types in English; Streamlit's "Select all" (English whatever the language) is switched off.
    assert "Other operating (IT operation and maintenance)" in shown, shown
    assert not any("Select all" in option for option in shown), shown
    expect(page.get_by_test_id("stFileUploader").get_by_text("Upload documents")).to_be_visible()
    page.screenshot(path=artifact("english_type_filter.png"))
    assert page.console_errors == []  # type: ignore[attr-defined]
