"""Tell a file's form by its content and read it with that form's reader.

A user saves what a finance bureau's website offers: a web page, a PDF, a
Word file, an Excel workbook (new or old) or an OpenDocument spreadsheet, or
a text export; names lie (a PDF saved as .txt, an .xls renamed .xlsx), so
the bytes decide. Forms no reader takes (a scan, an old .doc, an image, an
archive) raise :class:`~lib.ingest.grid.Unreadable` with what to do instead.
"""

from __future__ import annotations

import io
import zipfile

from lib.ingest import ole
from lib.ingest.grid import Grid, Note, Place, Unreadable, numbered
from lib.ingest.text import decode, looks_binary, split_rows

#: The suffix a library file of each form is saved with.
SUFFIXES: dict[str, str] = {
    "text": ".txt",
    "xlsx": ".xlsx",
    "xls": ".xls",
    "ods": ".ods",
    "html": ".html",
    "pdf": ".pdf",
    "docx": ".docx",
}
#: Every suffix a library file of the genre may have (a form's usual names and their variants).
DOCUMENT_SUFFIXES: frozenset[str] = frozenset(SUFFIXES.values()) | {".tsv", ".md", ".htm", ".xlsm"}
#: How each form is named to a person.
FORM_NAMES: dict[str, str] = {
    "text": "文本文档",
    "xlsx": "Excel 工作簿（.xlsx）",
    "xls": "旧版 Excel 工作簿（.xls）",
    "ods": "OpenDocument 表格（.ods）",
    "html": "网页（.html）",
    "pdf": "PDF 文件",
    "docx": "Word 文档（.docx）",
}

# Files people mistake for documents, by their first bytes, with the name a person knows them by.
_NOT_DOCUMENTS: tuple[tuple[bytes, str], ...] = (
    (b"{\\rtf", "RTF 文档（请在 Word 中另存为 .docx）"),
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"\x7fELF", "可执行程序"),
)
_IMAGE_HINT = "（表格的照片或扫描件需要先做文字识别（OCR）才能读取）"
# Other ZIP packages, by the part that names them.
_OTHER_ZIPS: tuple[tuple[str, str], ...] = (
    ("ppt/presentation.xml", "PowerPoint 演示文稿（.pptx）"),
    ("content.xml", "OpenDocument 文本（.odt）：请另存为 .docx 或 PDF"),
)


def _not_a_document(label: str) -> Unreadable:
    hint = _IMAGE_HINT if "图片" in label else ""
    return Unreadable("not_a_document", f"文件不是绩效目标文档（检测到 {label}）{hint}，未载入任何项目")


def _zip_parts(data: bytes) -> dict[str, zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise Unreadable("damaged_zip", f"文件像 Office 文档或压缩包，但已损坏（{exc}），未载入任何项目") from exc


def detect(data: bytes) -> str:
    """The form of a file's bytes, one of :data:`lib.ingest.grid.FORMS`.

    Raises :class:`~lib.ingest.grid.Unreadable` for an empty file, a form
    that holds no readable table (an old .doc or .wps, an image, an
    archive, a presentation) and binary data.

    Examples
    --------
    >>> detect("项目名称\\t示例".encode("gb18030")), detect(b"<!DOCTYPE html><html><table>")
    ('text', 'html')
    >>> detect(b"\\x89PNG\\r\\n\\x1a\\n...")
    Traceback (most recent call last):
    lib.ingest.grid.Unreadable: 文件不是绩效目标文档（检测到 PNG 图片）（表格的照片或扫描件需要先做文字识别（OCR）才能读取），未载入任何项目
    """
    from lib.ingest.html import looks_like_html

    if not data.strip():
        raise Unreadable("empty_file", "文件为空，未载入任何项目")
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_form(data)
    if data.startswith(ole.MAGIC):
        from lib.ingest.docx import OLD_WORD_MESSAGE, is_old_word
        from lib.ingest.sheets import is_xls

        if is_xls(data):
            return "xls"
        if is_old_word(data):
            raise Unreadable("old_word", OLD_WORD_MESSAGE)
        if "encryptedpackage" in ole.root_stream_names(data):
            # Office keeps a password-protected .docx or .xlsx in an OLE2 file holding one encrypted stream.
            raise Unreadable("encrypted", "文件有密码保护：请在 Word 或 Excel 中去掉密码后另存，再上传；未载入任何项目")
        raise _not_a_document("旧版 Office 文件（不是 .xls 工作簿）：请另存为 .xlsx、.docx 或 PDF")
    for magic, label in _NOT_DOCUMENTS:
        if data.startswith(magic):
            raise _not_a_document(label)
    # ISO media (HEIC photos from a phone, MP4) and RIFF (WebP, AVI, WAV) carry their tag after a length.
    if data[4:8] == b"ftyp" or (data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"AVI ", b"WAVE")):
        raise _not_a_document("图片或音视频文件")
    if looks_binary(data):
        raise Unreadable("binary_file", "文件不是文本文档（含二进制内容），未载入任何项目")
    return "html" if looks_like_html(data) else "text"


def _zip_form(data: bytes) -> str:
    from lib.ingest.xlsx import WORKBOOK_PART

    parts = _zip_parts(data)
    if WORKBOOK_PART in parts:
        return "xlsx"
    if "word/document.xml" in parts:
        return "docx"
    if "mimetype" in parts:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            mimetype = archive.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
    label = next((label for part, label in _OTHER_ZIPS if part in parts), "ZIP 压缩包（请解压后上传其中的文件）")
    raise _not_a_document(label)


def read_grid(data: bytes) -> Grid:
    """A file of any published form read into a :class:`~lib.ingest.grid.Grid`.

    The form comes from :func:`detect`; each reader raises
    :class:`~lib.ingest.grid.Unreadable` for what it cannot read (a scanned
    PDF, a damaged workbook, a page without a table), and nothing else.

    Examples
    --------
    >>> grid = read_grid("项目名称\\t示例\\n\\n预算\\t1,000.00".encode())
    >>> grid.form, [row.line for row in grid.rows], grid.place(3)
    ('text', [1, 2, 3], Place(part=None, table=None, row=3))
    """
    return read_form(data, detect(data))


def read_form(data: bytes, form: str) -> Grid:
    """:func:`read_grid` for bytes whose form :func:`detect` has already told."""
    if form == "text":
        return _read_text(data)
    if form == "html":
        from lib.ingest.html import read_html

        return read_html(data)
    if form == "pdf":
        from lib.ingest.pdf import read_pdf

        return read_pdf(data)
    if form == "docx":
        from lib.ingest.docx import read_docx

        return read_docx(data)
    if form in ("xls", "ods"):
        from lib.ingest.sheets import read_sheets

        return read_sheets(data, form=form)
    return _read_xlsx(data)


def _read_text(data: bytes) -> Grid:
    decoded = decode(data)
    notes = []
    if decoded.lossy:
        notes.append(Note("warning", "encoding", "文件既不是 UTF-8 也不是 GB18030 编码，无法识别的字节已替换为 �"))
    elif decoded.encoding not in ("utf-8", "utf-8-sig"):
        notes.append(Note("info", "encoding", f"文件编码为 {decoded.encoding}，已转换"))
    # A text line is its own place: no list of places for the most common and largest form.
    return Grid(form="text", rows=split_rows(decoded.text), places=None, notes=notes)


def _read_xlsx(data: bytes) -> Grid:
    from lib.ingest.xlsx import read_workbook_rows

    try:
        sheets = read_workbook_rows(data)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for damaged files; reported
        raise Unreadable("unreadable_workbook", f"无法读取 Excel 工作簿（{_detail(exc)}），未载入任何项目") from exc
    notes = [
        Note("info", "hidden_sheet", f"工作表「{sheet.name}」是隐藏的，未读取") for sheet in sheets if sheet.hidden
    ]
    rows, places = [], []
    for sheet in sheets:
        if sheet.hidden:
            continue
        for row in sheet.rows:
            rows.append(row)
            places.append(Place(sheet.name, None, row.line))
    return Grid(form="xlsx", rows=numbered(rows), places=places, notes=notes)


def _detail(exc: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
