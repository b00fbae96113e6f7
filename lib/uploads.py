"""Checks on uploaded files before they are parsed: size, type by content, encoding, extent.

An upload page takes whatever a person drops on it: PDFs renamed .txt, Word
files, photos of a table, a 2 GB log. Each file gets an :class:`UploadCheck`
with a message in Chinese that names the file; a rejected file is left out
and the others still load. The type comes from the bytes (magic numbers, the
parts of a ZIP package), never from the name, because names lie.

The limits are constants so that a page can state them next to the upload
widget.
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from lib.ingest.xlsx import workbook_extent
from lib.ingest.forms import FORM_NAMES, detect
from lib.ingest.grid import Unreadable
from lib.ingest.text import decode

#: Largest file accepted, in bytes (an upload widget's limit is separate).
MAX_BYTES = 20 * 1024 * 1024
#: Most files accepted in one upload; the files after these are refused by name.
MAX_FILES = 50
#: Most rows in one document (text lines, or Excel rows summed over sheets).
MAX_ROWS = 200_000
#: Most cells in one row.
MAX_CELLS = 200
#: Most bytes a workbook may unpack to: a small .xlsx can hold a ZIP bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

#: A form of :data:`lib.ingest.grid.FORMS`.
Kind = Literal["text", "xlsx", "xls", "ods", "html", "pdf", "docx"]


@dataclass(frozen=True, slots=True)
class UploadCheck:
    """The verdict on one uploaded file.

    ``kind`` and ``encoding`` are set when the file is accepted (``encoding``
    for text only); ``message`` names the file and says, in Chinese, what was
    found or why the file is refused.
    """

    name: str
    ok: bool
    kind: Kind | None
    encoding: str | None
    message: str


def validate_upload(name: str, data: bytes, *, max_bytes: int = MAX_BYTES) -> UploadCheck:
    """Whether one uploaded file can be parsed, and as what.

    Refuses, with a message naming the file: an empty file, a file over
    ``max_bytes``, any form :func:`lib.ingest.forms.detect` refuses (a scan
    or photo, an old .doc, an archive, other binary), a package that unpacks
    past :data:`MAX_UNPACKED_BYTES`, and text or workbooks over
    :data:`MAX_ROWS` rows or :data:`MAX_CELLS` cells in a row. Accepts text
    in any encoding :func:`lib.ingest.text.decode` reads (saying which), web pages,
    PDFs, Word files and workbooks (.xlsx, .xls, .ods).

    Examples
    --------
    >>> validate_upload("x.png", b"\\x89PNG\\r\\n\\x1a\\n...").message
    '文件「x.png」不是绩效目标文档（检测到 PNG 图片）（表格的照片或扫描件需要先做文字识别（OCR）才能读取），未载入'
    >>> check = validate_upload("a.txt", "项目名称\\t示例".encode("gb18030"))
    >>> check.ok, check.kind, check.encoding
    (True, 'text', 'gb18030')
    >>> validate_upload("a.pdf", b"%PDF-1.7 ...").kind
    'pdf'
    """
    size = len(data)
    if size > max_bytes:
        return _refuse(name, f"文件「{name}」大小 {_megabytes(size)} 超过上限 {_megabytes(max_bytes)}，未载入")
    if not data.strip():
        return _refuse(name, f"文件「{name}」是空文件，未载入")
    try:
        form = detect(data)
    except Unreadable as exc:
        # The reader's reason names no file and ends "未载入任何项目": an upload names its file.
        reason = exc.message.removeprefix("文件").removesuffix("，未载入任何项目").removesuffix("；未载入任何项目")
        return _refuse(name, f"文件「{name}」{reason}，未载入")
    if form == "text":
        return _check_text(name, data)
    if form in ("xlsx", "docx", "ods"):
        refused = _check_package(name, data, form=form)
        if refused is not None:
            return refused
    return UploadCheck(name, True, form, None, f"文件「{name}」是{FORM_NAMES[form]}")


def validate_uploads(files: Iterable[tuple[str, bytes]], *, max_files: int = MAX_FILES) -> list[UploadCheck]:
    """:func:`validate_upload` for each ``(name, bytes)``; files past ``max_files`` are refused.

    Examples
    --------
    >>> checks = validate_uploads([("a.txt", b"x"), ("b.txt", b"y")], max_files=1)
    >>> [check.ok for check in checks], checks[1].message
    ([True, False], '文件「b.txt」超出单次上传上限 1 个文件，未载入')
    """
    checks = []
    for index, (name, data) in enumerate(files):
        if index >= max_files:
            checks.append(_refuse(name, f"文件「{name}」超出单次上传上限 {max_files} 个文件，未载入"))
        else:
            checks.append(validate_upload(name, data))
    return checks


def _check_package(name: str, data: bytes, *, form: str) -> UploadCheck | None:
    """The refusal of a ZIP package too large unpacked or (a workbook) too many rows or columns; None when fine."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        return _refuse(
            name, f"文件「{name}」解压后有 {_megabytes(unpacked)}，超过上限 {_megabytes(MAX_UNPACKED_BYTES)}，未载入"
        )
    if form != "xlsx":
        return None
    try:
        rows, columns = workbook_extent(data)
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError) as exc:
        return _refuse(name, f"工作簿「{name}」已损坏，无法读取（{exc}），未载入")
    if rows > MAX_ROWS:
        return _refuse(
            name,
            f"工作簿「{name}」共 {rows:,} 行，超过上限 {MAX_ROWS:,} 行，未载入"
            "（如果多出的是带格式的空行，删除这些行后另存即可）",
        )
    if columns > MAX_CELLS:
        return _refuse(
            name,
            f"工作簿「{name}」有 {columns:,} 列，超过每行 {MAX_CELLS:,} 个单元格的上限，未载入"
            "（如果多出的是带格式的空列，删除这些列后另存即可）",
        )
    return None


def _check_text(name: str, data: bytes) -> UploadCheck:
    decoded = decode(data)
    lines = decoded.text.splitlines()
    if len(lines) > MAX_ROWS:
        return _refuse(name, f"文件「{name}」共 {len(lines):,} 行，超过上限 {MAX_ROWS:,} 行，未载入")
    # TAB-separated cells, or Markdown "| a | b |": count whichever the line uses.
    widest = max((max(line.count("\t"), line.count("|") - 1) + 1 for line in lines), default=0)
    if widest > MAX_CELLS:
        return _refuse(name, f"文件「{name}」有一行 {widest:,} 个单元格，超过上限 {MAX_CELLS:,} 个，未载入")
    if decoded.lossy:
        message = f"文件「{name}」是文本文档，但既不是 UTF-8 也不是 GB18030 编码：无法识别的字节将替换为 �"
    else:
        message = f"文件「{name}」是文本文档（{_ENCODING_NAMES.get(decoded.encoding, decoded.encoding)} 编码）"
    return UploadCheck(name, True, "text", decoded.encoding, message)


_ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GB18030/GBK", "utf-16": "UTF-16"}


def _refuse(name: str, message: str) -> UploadCheck:
    return UploadCheck(name, False, None, None, message)


def _megabytes(size: int) -> str:
    # Rounded up: a file one byte over a 20 MB limit reads "20.1 MB", never "20 MB".
    if size < 1024 * 1024:
        return f"{math.ceil(size / 1024 * 10) / 10:g} KB"
    return f"{math.ceil(size / 1024 / 1024 * 10) / 10:g} MB"
