"""Upload checks: type by content, encodings, limits, and a refused file not stopping the others."""

from __future__ import annotations

import codecs
import io
import random
import zipfile

import openpyxl
import pytest

import lib.uploads
from lib.testing.forms import write_workbook
from lib.loader import load_documents
from lib.uploads import MAX_BYTES, MAX_CELLS, MAX_FILES, MAX_ROWS, UploadCheck, validate_upload, validate_uploads
from support import REFERENCE

TEXT = REFERENCE.read_text(encoding="utf-8")


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_limits_are_the_documented_ones():
    assert (MAX_BYTES, MAX_FILES, MAX_ROWS, MAX_CELLS) == (20 * 1024 * 1024, 50, 200_000, 200)


def test_utf8_text_is_accepted():
    check = validate_upload("目标.txt", TEXT.encode("utf-8"))
    assert check == UploadCheck("目标.txt", True, "text", "utf-8", "文件「目标.txt」是文本文档（UTF-8 编码）")


def test_gb18030_text_is_accepted_with_its_encoding():
    check = validate_upload("gbk.txt", TEXT.encode("gb18030"))
    assert (check.ok, check.kind, check.encoding) == (True, "text", "gb18030")
    assert check.message == "文件「gbk.txt」是文本文档（GB18030/GBK 编码）"


def test_utf8_with_bom_is_accepted():
    check = validate_upload("bom.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    assert (check.ok, check.encoding) == (True, "utf-8-sig")


def test_undecodable_text_is_accepted_with_a_warning():
    check = validate_upload("mixed.txt", "项目名称\t".encode() + b"\xff\xfe\x80" + "示例".encode())
    assert (check.ok, check.kind) == (True, "text")
    assert "无法识别的字节将替换为 �" in check.message


def test_workbook_is_accepted_whatever_its_name():
    data = write_workbook(TEXT)
    for name in ("目标.xlsx", "目标.txt", "目标"):
        check = validate_upload(name, data)
        assert check == UploadCheck(name, True, "xlsx", None, f"文件「{name}」是Excel 工作簿（.xlsx）")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (_zip({"word/document.xml": "<w:document/>"}), "docx"),
        ("<!DOCTYPE html><html><body><table><tr><td>项目名称</td></tr></table>".encode(), "html"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), "ods"),
    ],
    ids=["pdf", "docx", "html", "ods"],
)
def test_published_forms_are_accepted_by_content_whatever_their_name(data, kind):
    check = validate_upload("报告.txt", data)
    assert (check.ok, check.kind) == (True, kind)
    assert check.message.startswith("文件「报告.txt」是")


_OCR = "（表格的照片或扫描件需要先做文字识别（OCR）才能读取）"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            "不是绩效目标文档（检测到 旧版 Office 文件（不是 .xls 工作簿）：请另存为 .xlsx、.docx 或 PDF）",
        ),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), f"不是绩效目标文档（检测到 PNG 图片）{_OCR}"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", f"不是绩效目标文档（检测到 JPEG 图片）{_OCR}"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(64), f"不是绩效目标文档（检测到 图片或音视频文件）{_OCR}"),
        ("{\\rtf1\\ansi 项目名称}".encode(), "不是绩效目标文档（检测到 RTF 文档（请在 Word 中另存为 .docx））"),
        (_zip({"readme.txt": "hello"}), "不是绩效目标文档（检测到 ZIP 压缩包（请解压后上传其中的文件））"),
        (b"PK\x03\x04 truncated", "像 Office 文档或压缩包，但已损坏（File is not a zip file）"),
        (random.Random(6).randbytes(4096), "不是文本文档（含二进制内容）"),
    ],
    ids=["ole-not-xls", "png", "jpeg", "heic", "rtf", "zip", "broken-zip", "random"],
)
def test_other_files_are_refused_naming_what_they_are(data, reason):
    check = validate_upload("报告.txt", data)
    assert check == UploadCheck("报告.txt", False, None, None, f"文件「报告.txt」{reason}，未载入")


def test_oversized_file_is_refused_before_anything_is_read():
    check = validate_upload("big.txt", b"a" * 2048, max_bytes=1024)
    assert not check.ok
    assert check.message == "文件「big.txt」大小 2 KB 超过上限 1 KB，未载入"
    # Even a PDF is refused for its size first: nothing past the length is looked at.
    big = validate_upload("big.pdf", b"%PDF" + bytes(MAX_BYTES))
    assert big.message == "文件「big.pdf」大小 20.1 MB 超过上限 20 MB，未载入"


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n"])
def test_empty_file_is_refused(data):
    assert validate_upload("empty.txt", data) == UploadCheck(
        "empty.txt", False, None, None, "文件「empty.txt」是空文件，未载入"
    )


def test_text_with_too_many_rows_is_refused():
    check = validate_upload("long.txt", b"a\n" * (MAX_ROWS + 1))
    assert not check.ok
    assert check.message == f"文件「long.txt」共 {MAX_ROWS + 1:,} 行，超过上限 {MAX_ROWS:,} 行，未载入"


def test_text_with_too_many_cells_in_a_row_is_refused():
    assert validate_upload("wide.txt", ("a\t" * (MAX_CELLS - 1) + "a").encode()).ok
    check = validate_upload("wide.txt", ("a\t" * MAX_CELLS + "a").encode())
    assert check.message == f"文件「wide.txt」有一行 {MAX_CELLS + 1:,} 个单元格，超过上限 {MAX_CELLS:,} 个，未载入"


def test_workbook_with_a_million_formatted_rows_is_refused_with_a_hint():
    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    book.active["A1048576"].number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    check = validate_upload("rows.xlsx", buffer.getvalue())
    assert not check.ok
    assert check.message.startswith("工作簿「rows.xlsx」共 1,048,576 行，超过上限 200,000 行，未载入")
    assert "删除这些行" in check.message


def test_workbook_that_unpacks_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(lib.uploads, "MAX_UNPACKED_BYTES", 1000)
    check = validate_upload("bomb.xlsx", write_workbook(TEXT))
    assert not check.ok
    assert "解压后" in check.message and "超过上限" in check.message


def test_files_past_the_count_limit_are_refused_by_name():
    files = [(f"{index}.txt", TEXT.encode()) for index in range(MAX_FILES + 2)]
    checks = validate_uploads(files)
    assert [check.ok for check in checks] == [True] * MAX_FILES + [False, False]
    assert checks[-1].message == f"文件「{MAX_FILES + 1}.txt」超出单次上传上限 {MAX_FILES} 个文件，未载入"


def test_refused_files_do_not_stop_the_others_from_loading():
    files = [
        ("report.txt", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        ("目标.txt", TEXT.encode("gb18030")),
        ("empty.txt", b""),
        (
            "目标.xlsx",
            write_workbook(TEXT.replace("2026年预算金额(元)\t1,416,000.00", "2026年预算金额(元)\t1,416,001.00")),
        ),
    ]
    checks = validate_uploads(files)
    assert [check.kind for check in checks] == [None, "text", None, "xlsx"]
    corpus = load_documents([file for file, check in zip(files, checks, strict=True) if check.ok])
    assert corpus.documents["source"].to_list() == ["目标.txt", "目标.xlsx"]
    assert corpus.projects.height == 30
