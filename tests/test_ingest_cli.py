"""The command line on files no reader can use: a clear reason on standard error and exit 1, never a traceback."""

from __future__ import annotations

from lib.cli import loader_main

import subprocess
import sys

import pytest
from playwright.sync_api import Browser
from test_ingest_docx import _ole2
from test_ingest_pdf import _scan

from support import ROOT


@pytest.fixture(scope="module")
def unrelated_pdf(browser: Browser) -> bytes:
    page = browser.new_page()
    page.set_content(
        "<html><body><h1>第一章</h1><p>天下大势，分久必合，合久必分。</p><p>话说天下大势。</p></body></html>"
    )
    data = page.pdf(format="A4")
    page.close()
    return data


def _cases(unrelated_pdf: bytes) -> dict[str, tuple[bytes, str]]:
    page = "<html><head><title>通知</title></head><body><p>2026年部门预算绩效目标见附件。</p></body></html>"
    return {
        "scan.pdf": (_scan(), "PDF 没有文字层（是扫描图像），需要先做文字识别（OCR）"),
        "old.doc": (_ole2("WordDocument", "1Table"), "请在 Word 或 WPS 中另存为 .docx"),
        "notice.html": (page.encode(), "网页中没有表格"),
        "novel.pdf": (unrelated_pdf, "没有找到项目绩效目标表"),
    }


def test_each_unreadable_form_gives_its_reason_and_exit_1(tmp_path, capsys, unrelated_pdf):
    for name, (data, reason) in _cases(unrelated_pdf).items():
        path = tmp_path / name
        path.write_bytes(data)
        assert loader_main([str(path)]) == 1, name
        err = capsys.readouterr().err
        assert err.startswith(f"{name}: ") and reason in err, (name, err)


def test_the_command_line_process_never_shows_a_traceback(tmp_path, unrelated_pdf):
    paths = []
    for name, (data, _) in _cases(unrelated_pdf).items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    result = subprocess.run(
        [sys.executable, "-m", "lib.loader", *paths], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 4  # one reason per file
