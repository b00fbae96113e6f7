"""Uploading documents through the browser's file chooser."""

from __future__ import annotations

import pytest
from browser_support import artifact, wait_for_app
from playwright.sync_api import Page, expect

from lib.testing.forms import to_docx, to_html
from lib.testing.forms import write_workbook
from lib.testing.synth import generate_document


@pytest.mark.browser
def test_upload_every_form_and_a_refused_photo_and_a_damaged_pdf(app_server: str, page: Page, tmp_path) -> None:
    files = {
        "教育局.txt": generate_document(4, seed=11, department="东莞市教育局").encode(),
        "卫健局.xlsx": write_workbook(generate_document(3, seed=12, department="东莞市卫生健康局")),
        "交通局.txt": generate_document(2, seed=13, department="东莞市交通运输局").encode("gb18030"),
        "水务局.docx": to_docx(generate_document(2, seed=14, department="东莞市水务局")),
        "城管局.html": to_html(generate_document(3, seed=15, department="东莞市城市管理和综合执法局")).encode(),
        "照片.txt": b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 20,
        "扫描件.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 20,
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(str(path))
    page.goto(app_server)
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(paths)
    wait_for_app(page, settle_ms=1500)
    expect(page.get_by_text("显示 29 / 29 个项目")).to_be_visible(timeout=20_000)
    # The photo is refused at the upload; the damaged PDF is taken, and the page says why it did not load.
    expect(page.get_by_test_id("stSidebar").get_by_text("照片.txt").filter(has_text="JPEG").first).to_be_visible()
    expect(page.get_by_test_id("stAlert").filter(has_text="扫描件.pdf: ").first).to_be_visible()
    projects = page.get_by_test_id("stMetric").filter(has_text="项目数")
    expect(projects.get_by_test_id("stMetricValue")).to_have_text("29")
    page.screenshot(path=artifact("upload.png"), full_page=True)
    assert page.console_errors == []  # type: ignore[attr-defined]
