"""Fuzzing the Excel reader, upload validation and the review engine with hypothesis.

``tests/test_loader_property.py`` already fuzzes the text loader; this module
covers what it does not:

- the Excel reader on random cell grids written by :func:`lib.testing.forms.write_workbook`
  (which promises to read back as the text's rows) and by openpyxl directly
  (numbers under random formats, dates, booleans, formulas, merges, hidden
  sheets), and on corrupted or truncated .xlsx bytes;
- :func:`lib.uploads.validate_upload` on random bytes, magic numbers with
  random tails and truncated workbooks;
- :func:`lib.review.review` on random and mutated documents: it never raises
  and its findings keep their schema.

CI runs ``max_examples=50`` per test. A longer hunt::

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py

Every crash found became a regression test at the bottom of this module; those
in code these tests could not change were ``xfail(strict=True)`` until fixed, and the fuzz
tests step over exactly that failure (counted as a hypothesis ``event``, see
``--hypothesis-show-statistics``) so they keep looking for others.
"""

from __future__ import annotations

import datetime as dt
import io
import os

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib import review
from lib.ingest.xlsx import display_text, read_workbook_rows
from lib.testing.forms import write_workbook
from lib.loader import load_documents
from lib.testing.synth import QUIRK_RATES, generate_document
from lib.uploads import validate_upload
from support import REFERENCE, rows_with_text

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("fuzz-ci", max_examples=50, deadline=None, suppress_health_check=_HEALTH)
settings.register_profile("long", max_examples=2_000, deadline=None, suppress_health_check=_HEALTH)
#: Not loaded globally: the other hypothesis modules keep their own settings.
FUZZ = settings.get_profile("long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "fuzz-ci")

# Text cells a performance-target workbook holds, numbers and the words that make merges.
EXCELISH = [
    "项目名称", "项目类型", "2026年预算金额(元)", "预算金额(万元)", "实施周期", "2021", "2099", "总体绩效目标",
    "实施周期总目标", "2026年度目标", "绩效指标", "一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值",
    "产出指标", "数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "效益指标", "社会效益", "满意度指标",
    "服务对象满意度", "≥95%", "≤141.6万元", "1,416,000.00", "1,000", "95%", "0.5%", "100", "0.10", "007", "-0", "-3",
    "1.0", "1e5", "=1+1", "#N/A", "TRUE", "优", "2026年12月31日前", "1000元/人/年", "", "",
]  # fmt: skip
_TEXT_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
_cell_text = st.one_of(st.sampled_from(EXCELISH), st.text(_TEXT_CHARS, max_size=10))


# ---------------------------------------------------------------- Excel: write_workbook round trip


@FUZZ
@given(st.lists(st.lists(_cell_text, max_size=7), max_size=25))
def test_write_workbook_reads_back_as_the_texts_rows(grid):
    text = "\n".join("\t".join(row) for row in grid)
    sheets = read_workbook_rows(write_workbook(text))
    assert [(row.line, row.cells) for row in sheets[0].rows] == rows_with_text(text)


@FUZZ
@given(st.lists(st.lists(_cell_text, max_size=7), max_size=25))
def test_workbook_of_a_random_grid_loads_like_its_text(grid):
    text = "\n".join("\t".join(row) for row in grid)
    as_text = load_documents([("grid.txt", text.encode("utf-8"))])
    as_book = load_documents([("grid.xlsx", write_workbook(text))])
    assert "internal_error" not in as_book.diagnostics["code"].to_list()
    if text.strip():
        # Same cells, same parse: the frames match but for the diagnostics' sheet-qualified source.
        # The workbook's records also say which sheet they are on; a text file has no parts.
        columns = [c for c in as_text.projects.columns if c not in ("document_id", "project_id", "place")]
        assert as_book.projects.select(columns).equals(as_text.projects.select(columns))
        columns = [c for c in as_text.indicators.columns if c not in ("indicator_id", "project_id", "place")]
        assert as_book.indicators.select(columns).equals(as_text.indicators.select(columns))
        for frame in (as_book.projects, as_book.indicators):
            assert set(frame["place"].to_list()) <= {"工作表「Sheet1」"}
        assert as_text.projects["place"].null_count() == as_text.projects.height


# ---------------------------------------------------------------- Excel: workbooks written by openpyxl

_FORMATS = [
    "General", "0", "0.00", "#,##0", "#,##0.00", "0%", "0.0%", '0.00"万元"', '#,##0.00"元"', "@", "yyyy-mm-dd",
    'yyyy"年"m"月"d"日"', "m/d/yy h:mm", "h:mm:ss", "0.00E+00", '#,##0.00;[Red]-#,##0.00', '0;-0;"-"',
    "[$¥-804]#,##0.00", '_-* #,##0.00_-;-* #,##0.00_-;_-* "-"??_-;_-@_-', "0.000000", "#,##0,", "0.0,,",
]  # fmt: skip
_format = st.one_of(st.sampled_from(_FORMATS), st.text(alphabet='0#?.,%"\\[]$-;_*@ymdhsEe+元万 ', max_size=12))
_value = st.one_of(
    st.none(),
    _cell_text,
    st.integers(-(10**9), 10**12),
    st.floats(-1e9, 1e9, allow_nan=False),
    st.floats(),  # nan, inf and the extremes, now and then
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.times(),
    st.sampled_from(["=SUM(A1:A3)", "=1/0", '=HYPERLINK("http://x","y")']),
)


@st.composite
def openpyxl_workbooks(draw) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for index in range(draw(st.integers(1, 3))):
        sheet = workbook.create_sheet(title=f"表{index}")
        if index and draw(st.booleans()):
            sheet.sheet_state = draw(st.sampled_from(["hidden", "veryHidden"]))
        rows, cols = draw(st.integers(0, 15)), draw(st.integers(1, 7))
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                value = draw(_value)
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c)
                cell.value = value
                if draw(st.booleans()):
                    cell.number_format = draw(_format)
        for _ in range(draw(st.integers(0, 3)) if rows else 0):
            top, left = draw(st.integers(1, rows)), draw(st.integers(1, cols))
            bottom, right = draw(st.integers(top, rows)), draw(st.integers(left, cols))
            if (bottom, right) != (top, left) and not any(
                not (bottom < m.min_row or top > m.max_row or right < m.min_col or left > m.max_col)
                for m in sheet.merged_cells.ranges
            ):
                sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        if draw(st.booleans()):
            # A stray styled cell far away: the reader must not fill the rectangle up to it.
            sheet.cell(row=draw(st.integers(1, 1_000_000)), column=draw(st.integers(1, 16_000))).number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore:Cell .* is marked as a date:UserWarning")
@FUZZ
@given(openpyxl_workbooks())
def test_reader_reads_every_workbook_openpyxl_reads(data):
    openpyxl.load_workbook(io.BytesIO(data), data_only=True)  # the premise: openpyxl itself can read it
    sheets = read_workbook_rows(data)
    for sheet in sheets:
        lines = [row.line for row in sheet.rows]
        assert lines == sorted(set(lines))
        for row in sheet.rows:
            assert row.cells and row.cells[-1], "no empty rows, no trailing empty cells"
            assert all(cell == cell.strip(" \t\r\n\u3000\u00a0\ufeff") for cell in row.cells)
    corpus = load_documents([("random.xlsx", data)])
    codes = corpus.diagnostics["code"].to_list()
    assert "internal_error" not in codes
    assert "unreadable_workbook" not in codes


@FUZZ
@given(
    st.one_of(st.integers(), st.floats(), st.decimals(allow_nan=False, allow_infinity=False).map(float)),
    _format,
)
def test_display_text_never_raises_and_shows_a_number_as_text(value, number_format):
    assert isinstance(display_text(value, number_format), str)


# ---------------------------------------------------------------- damaged .xlsx bytes

_BASE_WORKBOOK = write_workbook(generate_document(2, seed=5, quirks=False))


@st.composite
def damaged_workbooks(draw) -> bytes:
    data = bytearray(_BASE_WORKBOOK)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "splice", "zero"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[at:]
        elif op == "splice":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            data[at : at + draw(st.integers(1, 512))] = b"\x00" * draw(st.integers(1, 512))
    return bytes(data)


@FUZZ
@given(damaged_workbooks())
def test_damaged_workbook_is_a_verdict_and_a_diagnostic_never_a_crash(data):
    check = validate_upload("damaged.xlsx", data)
    assert check.ok == (check.kind is not None)
    assert "damaged.xlsx" in check.message
    corpus = load_documents([("damaged.xlsx", data), ("reference.txt", REFERENCE.read_bytes())])
    assert "internal_error" not in corpus.diagnostics["code"].to_list()
    # The damaged file never takes the other one down.
    assert corpus.projects.filter(pl.col("name") == "人代会").height == 1


@FUZZ
@given(st.integers(0, len(_BASE_WORKBOOK)))
def test_truncated_workbook_is_refused_or_accepted_but_never_raises(cut):
    data = _BASE_WORKBOOK[:cut]
    check = validate_upload("cut.xlsx", data)
    if cut < len(_BASE_WORKBOOK):
        # Without its central directory at the end a ZIP cannot be opened: never a workbook.
        assert check.kind != "xlsx"
    corpus = load_documents([("cut.xlsx", data)])
    assert "internal_error" not in corpus.diagnostics["code"].to_list()


# ---------------------------------------------------------------- upload validation

_MAGIC_PREFIXES = [
    b"", b"PK\x03\x04", b"PK\x05\x06", b"%PDF-1.7", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff", b"\x1f\x8b", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"RIFF\x00\x00\x00\x00WEBP",
    b"\x00\x00\x00\x18ftypheic", "项目名称\t".encode(), "项目名称\t".encode("gb18030"),
]  # fmt: skip


@FUZZ
@given(st.sampled_from(_MAGIC_PREFIXES), st.binary(max_size=4096), st.text(_TEXT_CHARS, min_size=1, max_size=30))
def test_upload_validation_gives_a_verdict_for_any_bytes(prefix, tail, name):
    data = prefix + tail
    check = validate_upload(name, data)
    assert check.name == name
    assert name in check.message
    assert check.ok == (check.kind is not None)
    if check.kind == "text":
        assert check.encoding is not None
    if check.ok:
        # What validation accepts, the loader takes without an internal error.
        corpus = load_documents([(name, data)])
        assert "internal_error" not in corpus.diagnostics["code"].to_list()


# ---------------------------------------------------------------- the review engine

VALUE_WORDS = [
    "0", "0%", "≥0%", "≤0万元", "≤0元", "0人", "0次", "-5%", "≥200%", "≥100%", "＞100%", "1e400", "nan", "inf", "∞",
    "0元/人", "0天", "100%", "≤1,000,000,000万元", "2099年12月31日前", "2026年13月40日前", "是", "否", "优", "",
    "≤141.6万元", "760元/天/人", "950人", "3天", "1000元/人/年", "≥95%", "项目预算控制数", "会议人数（人）",
    "服务对象满意度", "成本指标", "经济成本指标", "产出指标", "数量指标", "满意度指标", "效益指标", "社会效益",
]  # fmt: skip


@st.composite
def review_documents(draw) -> list[tuple[str, bytes]]:
    documents = []
    for number in range(draw(st.integers(1, 3))):
        quirks = draw(st.one_of(st.booleans(), st.lists(st.sampled_from(sorted(QUIRK_RATES)), max_size=4)))
        lines = generate_document(draw(st.integers(1, 3)), seed=draw(st.integers(0, 10_000)), quirks=quirks).split("\n")
        for _ in range(draw(st.integers(0, 8))):
            if not lines:
                break
            at = draw(st.integers(0, len(lines) - 1))
            op = draw(st.sampled_from(["value", "value", "delete", "duplicate", "insert", "swap", "truncate"]))
            if op == "value":
                cells = lines[at].split("\t")
                cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(VALUE_WORDS))
                lines[at] = "\t".join(cells)
            elif op == "delete":
                del lines[at]
            elif op == "duplicate":
                lines.insert(at, lines[at])
            elif op == "insert":
                lines.insert(at, "\t".join(draw(st.lists(st.sampled_from(VALUE_WORDS), max_size=6))))
            elif op == "swap" and at + 1 < len(lines):
                lines[at], lines[at + 1] = lines[at + 1], lines[at]
            elif op == "truncate":
                del lines[at:]
        documents.append((f"doc{number}.txt", "\n".join(lines).encode("utf-8")))
    return documents


def _check_findings(corpus, findings: pl.DataFrame) -> None:
    assert findings.schema == pl.Schema(review.FINDINGS)
    assert findings["finding_id"].null_count() == 0
    assert findings["finding_id"].n_unique() == findings.height
    assert set(findings["rule_id"].to_list()) <= {r.id for r in review.RULES}
    assert findings["severity"].null_count() == 0
    projects = set(corpus.projects["project_id"].to_list())
    assert set(findings["project_id"].to_list()) <= projects
    owner = dict(corpus.indicators.select("indicator_id", "project_id").iter_rows())
    for finding in findings.iter_rows(named=True):
        if finding["indicator_id"] is not None:
            assert owner.get(finding["indicator_id"]) == finding["project_id"], finding
        assert finding["message"], finding


@FUZZ
@given(review_documents())
def test_review_of_random_documents_never_raises_and_keeps_its_schema(documents):
    corpus = load_documents(documents)
    _check_findings(corpus, review.review(corpus))


@FUZZ
@given(st.lists(st.lists(st.sampled_from(VALUE_WORDS + EXCELISH), max_size=7), max_size=40))
def test_review_of_random_vocabulary_rows_never_raises(rows):
    text = "\n".join("\t".join(cells) for cells in rows)
    corpus = load_documents([("words.txt", text.encode("utf-8"))])
    _check_findings(corpus, review.review(corpus))


# ---------------------------------------------------------------- regressions found by the fuzzing


@pytest.mark.parametrize(
    ("value", "number_format"), [(1e20, "0.0000000000"), (1e26, "#,##0.00"), (1.5, "0." + "0" * 30), (1e300, "0")]
)
def test_huge_number_under_a_fixed_decimal_format_shows_instead_of_raising(value, number_format):
    assert display_text(value, number_format)


def test_one_huge_number_cell_does_not_drop_the_whole_workbook():
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(REFERENCE.read_text(encoding="utf-8"))))
    sheet = book.active
    cell = sheet.cell(row=sheet.max_row + 2, column=2)
    cell.value, cell.number_format = 10**20, "#,##0.00000000"
    buffer = io.BytesIO()
    book.save(buffer)
    corpus = load_documents([("reference.xlsx", buffer.getvalue())])
    assert corpus.projects.height == 15


def _corrupt_deflate(data: bytes) -> bytes:
    """``data`` with one byte of the first worksheet's compressed stream flipped (its CRC is not reached)."""
    import struct
    import zipfile

    info = next(i for i in zipfile.ZipFile(io.BytesIO(data)).infolist() if i.filename.startswith("xl/worksheets/"))
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    damaged = bytearray(data)
    damaged[start + 5] ^= 0xFF
    return bytes(damaged)


def test_workbook_with_a_corrupt_deflate_stream_is_refused_not_raised():
    data = _corrupt_deflate(_BASE_WORKBOOK)
    check = validate_upload("damaged.xlsx", data)
    assert not check.ok and "damaged.xlsx" in check.message


def test_workbook_with_a_corrupt_deflate_stream_is_a_loader_diagnostic():
    # The loader's own path (parse_workbook) already turns the same damage into a diagnostic.
    corpus = load_documents([("damaged.xlsx", _corrupt_deflate(_BASE_WORKBOOK))])
    assert corpus.diagnostics["code"].to_list() == ["unreadable_workbook"]


def test_duplicate_indicators_without_a_written_level2_are_a_finding_not_a_crash():
    text = REFERENCE.read_text(encoding="utf-8")
    row = "\t满意度指标\t服务对象满意度\t项目实施效果满意度\t≥95%\t≥95%\n"
    assert row in text
    # The 二级 cell left empty, and the indicator written twice.
    text = text.replace(
        row, "\t满意度指标\t\t项目实施效果满意度\t≥95%\t≥95%\n\t\t\t项目实施效果满意度\t≥90%\t≥90%\n", 1
    )
    corpus = load_documents([("reference.txt", text.encode("utf-8"))])
    findings = review.review(corpus)
    _check_findings(corpus, findings)
    assert findings.filter(pl.col("rule_id") == "R14")["message"].str.contains("项目实施效果满意度").any()
