"""Exports for meetings: an Excel workbook, CSV and Parquet files, and charts as PNG images.

Everything returns ``bytes``, so a page hands the result to a download button
and the command line writes it to a file; nothing here touches the disk.

* :func:`workbook_bytes` — one ``.xlsx`` with a 说明 sheet (department, year,
  filters, date, totals) and one sheet per frame: Chinese headers, money as
  numbers in 万元 and 元 with two decimals, frozen header row, filters,
  column widths that fit Chinese text, ready to print.
* :func:`csv_bytes` / :func:`parquet_bytes` — one frame; CSV in UTF-8 with BOM
  so that Excel opens Chinese text correctly.
* :func:`chart_png`, :func:`chart_pngs`, :func:`charts_zip` — charts rendered
  on the server by kaleido (headless Chromium) at presentation size, with the
  caption (source and filters) inside the image.

Document text is data, never code: a cell that starts with ``=``, ``+``,
``-`` or ``@`` is written as a string in the workbook and prefixed with ``'``
in a CSV file, so a crafted project name cannot run as a formula
(CSV/formula injection).

``lang=None`` keeps the schema's column names and raw values (sheet names
too): the command line's machine-readable form, which scripts read back.
"""

from __future__ import annotations

import asyncio
import io
import math
import re
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import plotly.graph_objects as go
import polars as pl

from lib import charts
from lib.i18n import TEXT, category, t
from lib.loader import Corpus
from lib.model import severity as severity_model
from lib.model.money import wan, wan_expr

__all__ = [
    "ExportError",
    "caption",
    "chart_png",
    "chart_pngs",
    "charts_zip",
    "csv_bytes",
    "parquet_bytes",
    "safe_filename",
    "severity_label",
    "source_label",
    "text_width",
    "wrap_text",
    "workbook_bytes",
]

# Leading characters that make Excel (or LibreOffice) read a cell as a formula;
# tab and carriage return as well, per OWASP's CSV-injection advice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"
# Widest a column gets, in Excel's width units (one Latin character; a CJK
# character counts two): long goals stay readable without a screen-wide column.
_MAX_WIDTH = 50
_MIN_WIDTH = 6
# Rows looked at to size a column: enough to be representative, cheap on big corpora.
_WIDTH_SAMPLE = 500

CellKind = Literal["text", "int", "number", "money", "share"]


class ExportError(RuntimeError):
    """An export could not be produced (e.g. no browser to render charts with)."""


# ---------------------------------------------------------------- text helpers


def _char_width(char: str) -> float:
    """Width of a character in ems: CJK (and ambiguous, often drawn full-width) 1, else 0.55."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 0.55


def text_width(text: str) -> float:
    """Width of ``text`` in ems of its font size (a CJK character is 1, a Latin one about 0.55).

    Examples
    --------
    >>> text_width("人代会 2026")
    5.75
    """
    return round(sum(_char_width(c) for c in text), 6)


def wrap_text(text: str, *, width: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` ems, keeping its own line breaks.

    Breaks fall between any two characters (Chinese has no spaces to wait
    for), but never inside a run of Latin letters or digits shorter than a
    line, so "2026" or "95%" stays whole.

    Examples
    --------
    >>> wrap_text("市人大常委会办公室“数字人大”运维项目", width=10)
    ['市人大常委会办公室“', '数字人大”运维项目']
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0.0
        for token in re.findall(r"[A-Za-z0-9.,%]+|.", paragraph):
            w = text_width(token)
            if line and used + w > width + 1e-9:
                lines.append(line.rstrip())
                line, used = "", 0.0
                if token.isspace():
                    continue
            line += token
            used += w
        lines.append(line.rstrip())
    return lines


def _neutralised(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text, never evaluates.

    A lone "=" or "-" (a comparator, an empty mark) cannot be a formula and
    stays as written.
    """
    return "'" + value if len(value) > 1 and value.startswith(_FORMULA_START) else value


# ---------------------------------------------------------------- names and captions


def _identity(corpus: Corpus) -> tuple[str | None, int | None]:
    """The corpus' department and year when all its documents share them, else None."""
    departments = corpus.documents["department"].drop_nulls().unique().to_list()
    years = corpus.documents["year"].drop_nulls().unique().to_list()
    return (
        departments[0] if len(departments) == 1 else None,
        years[0] if len(years) == 1 else None,
    )


def safe_filename(corpus: Corpus, what: str, *, suffix: str, today: date) -> str:
    """A Windows-safe download name for an export of ``corpus``: department, year, what, date, suffix.

    The department and year are named when every document shares them; the
    rest follows :func:`lib.charts.image_filename`.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> safe_filename(load_documents(), "预算绩效目标", suffix=".xlsx", today=date(2026, 11, 28))
    '东莞市人民代表大会常务委员会办公室_2026_预算绩效目标_2026-11-28.xlsx'
    """
    department, year = _identity(corpus)
    return charts.image_filename(department, year, what, today=today) + suffix


def source_label(corpus: Corpus, *, lang: str = "zh") -> str:
    """The source documents for a caption: "department year" each (file name if unknown), at most three.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> source_label(load_documents())
    '东莞市人民代表大会常务委员会办公室 2026'
    """
    names = [
        f"{row['department']} {row['year']}" if row["department"] and row["year"] else (row["source"] or "—")
        for row in corpus.documents.iter_rows(named=True)
    ]
    names = list(dict.fromkeys(names))
    text = t("describe_values_join", lang).join(names[:3])
    return text + t("source_more", lang, n=len(names)) if len(names) > 3 else text


def caption(corpus: Corpus, *, filters_text: str, lang: str = "zh") -> str:
    """The line under every exported chart: source documents and filters, as on the pages.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> caption(load_documents(), filters_text="未筛选")
    '数据来源：东莞市人民代表大会常务委员会办公室 2026　·　筛选：未筛选'
    """
    source = t("caption_source", lang, source=source_label(corpus, lang=lang))
    return f"{source}　·　{t('caption_filters', lang, filters=filters_text)}"


# ---------------------------------------------------------------- columns and headers

# Column name -> i18n key of its header, for every column an export writes.
# "name" is the project's name except in the indicators frame (see _header_key).
_HEADER_KEYS: dict[str, str] = {
    "name": "col_name",
    "project": "col_name",
    "indicator": "col_indicator",
    "budget_wan": "col_budget_wan",
    "share": "col_share",
    "cumulative_share": "col_cumulative_share",
    "source": "col_source",
    "place": "col_place",
    "line": "col_line",
    "unit": "col_unit",
    "period_unit": "col_period_unit",
    "annual_unit": "col_annual_unit",
    "indicator_count": "metric_indicators",
}


# Columns of the review engine's frames (lib.review), labelled with its own keys.
_FINDINGS_KEYS = {
    "rule_id": "review_rule",
    "message": "review_finding",
    "expected": "review_expected",
    "actual": "review_actual",
    "ratio": "review_ratio",
    "detail": "review_detail",
}
_RULES_KEYS = {"id": "review_rule", "title": "review_rule_title", "checks": "review_checks", "basis": "review_basis"}


def _header_key(column: str, *, indicators: bool, overrides: dict[str, str] | None = None) -> str | None:
    if overrides and overrides.get(column) in TEXT:
        return overrides[column]
    if column == "name" and indicators:
        return "col_indicator"
    key = _HEADER_KEYS.get(column, f"col_{column}")
    return key if key in TEXT else None


def _header(column: str, lang: str | None, *, indicators: bool = False, overrides: dict[str, str] | None = None) -> str:
    if lang is None:
        return column
    key = _header_key(column, indicators=indicators, overrides=overrides)
    return t(key, lang) if key else column


def severity_label(value: str | None, *, lang: str = "zh") -> str:
    """A severity shown in ``lang``: the loader's (error, warning, info) and the review's (高, 中, 低).

    Examples
    --------
    >>> severity_label("warning"), severity_label("高", lang="en")
    ('警告', 'High')
    """
    if value is None:
        return "—"
    key = f"severity_{value}" if f"severity_{value}" in TEXT else severity_model.LABEL_KEYS.get(value)
    return t(key, lang) if key in TEXT else value


def _translate_values(frame: pl.DataFrame, lang: str | None) -> pl.DataFrame:
    """Category-like values in ``lang``: value kinds ("percent" -> 百分比), diagnostic severities.

    Enums become strings either way, so the frame writes the same in every format.
    """
    enums = [name for name, dtype in frame.schema.items() if isinstance(dtype, (pl.Enum, pl.Categorical))]
    frame = frame.with_columns(pl.col(enums).cast(pl.String))
    if lang is None:
        return frame
    exprs = []
    for name in frame.columns:
        if name.endswith("_kind") or name in ("level1", "level2"):
            label = lambda v: category(v, lang)  # noqa: E731
        elif name == "severity":
            label = lambda v: severity_label(v, lang=lang)  # noqa: E731
        else:
            continue
        # A few distinct values, many rows: translate each value once.
        values = frame[name].drop_nulls().unique().to_list()
        exprs.append(pl.col(name).replace({v: label(v) for v in values}))
    return frame.with_columns(exprs) if exprs else frame


# ---------------------------------------------------------------- CSV and Parquet


def csv_bytes(frame: pl.DataFrame, *, lang: str | None = "zh") -> bytes:
    """``frame`` as CSV for Excel: UTF-8 with BOM, headers in ``lang``, formula-safe text.

    Headers and category values (value kinds, severities) are translated with
    :mod:`lib.i18n`; ``lang=None`` keeps the schema's column names and raw
    values. A text cell starting with ``= + - @`` (or tab, CR) gets a leading
    ``'`` so that a spreadsheet shows it instead of evaluating it.

    Examples
    --------
    >>> data = csv_bytes(pl.DataFrame({"name": ["=1+1"], "budget_yuan": [5.0]}))
    >>> data.decode("utf-8-sig").splitlines()
    ['项目名称,预算（元）', "'=1+1,5.0"]
    """
    indicators = "indicator_id" in frame.columns
    shown = _translate_values(frame, lang)
    text_columns = [name for name, dtype in shown.schema.items() if dtype == pl.String]
    risky = pl.col(text_columns).str.contains(_FORMULA_PATTERN) & (pl.col(text_columns).str.len_chars() > 1)
    shown = shown.with_columns(
        pl.when(risky).then(pl.lit("'") + pl.col(text_columns)).otherwise(pl.col(text_columns)).name.keep()
    )
    headers = _unique_headers([_header(name, lang, indicators=indicators) for name in shown.columns])
    shown = shown.rename(dict(zip(shown.columns, headers)))
    # Nested values (lists, structs) have no CSV form; their text does.
    nested = [name for name, dtype in shown.schema.items() if dtype.is_nested()]
    if nested:
        shown = shown.with_columns(
            pl.Series(
                name, [None if v is None else _neutralised(str(v)) for v in shown[name].to_list()], dtype=pl.String
            )
            for name in nested
        )
    return b"\xef\xbb\xbf" + shown.write_csv().encode("utf-8")


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    """``frame`` as Parquet, dtypes (enums included) as they are.

    Examples
    --------
    >>> pl.read_parquet(io.BytesIO(parquet_bytes(pl.DataFrame({"a": [1]})))).item()
    1
    """
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def _unique_headers(headers: list[str]) -> list[str]:
    """Headers made unique ("说明", "说明（2）"): two columns may translate to one label."""
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header}（{seen[header]}）")
    return out


# ---------------------------------------------------------------- workbook


@dataclass(frozen=True, slots=True)
class _Sheet:
    """One worksheet: its name, the frame to write and how to write each column."""

    name: str
    frame: pl.DataFrame
    kinds: dict[str, CellKind]
    indicators: bool = False
    headers: dict[str, str] | None = None  # column -> i18n key, where the generic label is wrong


def workbook_bytes(
    corpus: Corpus,
    *,
    findings: pl.DataFrame | None = None,
    rules: pl.DataFrame | None = None,
    filters_text: str | None = None,
    lang: str | None = "zh",
    today: date | None = None,
) -> bytes:
    """An Excel workbook of ``corpus`` for a meeting: a 说明 sheet, then one sheet per frame.

    Sheets: 说明 (department, year, ``filters_text``, date, counts and total
    budget in 元 and 万元), 项目, 绩效指标, 审核发现 and 审核规则 (when
    ``findings`` / ``rules`` are given), 解析诊断 and 文档. Headers come from
    :mod:`lib.i18n`; money is stored as numbers — 万元 (元 ÷ 10,000, unrounded,
    so sums stay exact) and 元 — shown with thousands separators and two
    decimals; shares as percentages. The header row is frozen and filterable,
    columns are sized for Chinese text, and each sheet prints landscape, one
    page wide, header repeated. Text is always written as text: a project
    named ``=1+1`` stays a string, never a formula.

    ``corpus`` is what to export (already filtered by the caller);
    ``filters_text`` describes the filters (:func:`lib.filters.describe`),
    "未筛选" by default. ``lang=None`` writes the schema's column names and
    English sheet names (the command line's form).

    Examples
    --------
    >>> import openpyxl
    >>> from lib.loader import load_documents
    >>> data = workbook_bytes(load_documents(), today=date(2026, 11, 28))
    >>> openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    ['说明', '项目', '绩效指标', '解析诊断', '文档']
    """
    import xlsxwriter  # imported here: only this export needs it

    today = today or date.today()
    sheets = _data_sheets(corpus, findings=findings, rules=rules, lang=lang)
    buffer = io.BytesIO()
    # Belt and braces: every cell is written with an explicit type below, and
    # these options keep even a stray worksheet.write() from making formulas.
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        formats = _formats(workbook)
        _write_about(workbook, formats, corpus, sheets, filters_text=filters_text, lang=lang, today=today)
        for sheet in sheets:
            _write_sheet(workbook, formats, sheet, lang=lang)
    return buffer.getvalue()


def _sheet_name(key: str, raw: str, lang: str | None) -> str:
    # Excel caps sheet names at 31 characters.
    return (t(key, lang) if lang else raw)[:31]


def _data_sheets(
    corpus: Corpus, *, findings: pl.DataFrame | None, rules: pl.DataFrame | None, lang: str | None
) -> list[_Sheet]:
    documents = corpus.documents.select("document_id", "source")
    project_names = corpus.projects.select("project_id", pl.col("name").alias("project"))
    total = float(corpus.projects["budget_yuan"].fill_nan(None).sum() or 0.0)
    counts = corpus.indicators.group_by("project_id").agg(indicator_count=pl.len())
    budget = pl.col("budget_yuan").fill_nan(None)

    projects = (
        corpus.projects.join(documents, on="document_id", how="left", maintain_order="left")
        .join(counts, on="project_id", how="left", maintain_order="left")
        .select(
            "name",
            "type",
            "level",
            "department",
            "unit",
            "start_year",
            "end_year",
            "budget_year",
            wan_expr(budget).alias("budget_wan"),
            budget.alias("budget_yuan"),
            (budget / total if total > 0 else pl.lit(None, pl.Float64)).alias("share"),
            pl.col("indicator_count").fill_null(0),
            "goal_period",
            "goal_annual",
            "budget_raw",
            "source",
            "place",
            "line",
            "project_id",
            "document_id",
        )
    )
    indicators = (
        corpus.indicators.join(project_names, on="project_id", how="left", maintain_order="left")
        .join(corpus.projects.select("project_id", "document_id"), on="project_id", how="left", maintain_order="left")
        .join(documents, on="document_id", how="left", maintain_order="left")
        .select(
            "project",
            "level1",
            "level2",
            "name",
            "period_value",
            "annual_value",
            "period_kind",
            "period_op",
            "period_number",
            "period_unit",
            "annual_kind",
            "annual_op",
            "annual_number",
            "annual_unit",
            "prior_value",
            "weight",
            "direction",
            "level1_raw",
            "level2_raw",
            "source",
            "place",
            "line",
            "indicator_id",
            "project_id",
        )
    )
    diagnostics = corpus.diagnostics.join(project_names, on="project_id", how="left", maintain_order="left").select(
        "source", "line", "severity", "code", "message", "project", "project_id", "document_id"
    )
    sheets = [
        _Sheet(_sheet_name("data_projects", "projects", lang), projects, _kinds(projects)),
        _Sheet(_sheet_name("data_indicators", "indicators", lang), indicators, _kinds(indicators), indicators=True),
    ]
    if findings is not None:
        shown = _with_names(findings, corpus)
        sheets.append(
            _Sheet(_sheet_name("sheet_findings", "findings", lang), shown, _kinds(shown), headers=_FINDINGS_KEYS)
        )
    if rules is not None:
        sheets.append(_Sheet(_sheet_name("sheet_rules", "rules", lang), rules, _kinds(rules), headers=_RULES_KEYS))
    sheets.append(_Sheet(_sheet_name("data_diagnostics", "diagnostics", lang), diagnostics, _kinds(diagnostics)))
    sheets.append(_Sheet(_sheet_name("data_documents", "documents", lang), corpus.documents, _kinds(corpus.documents)))
    return sheets


def _with_names(findings: pl.DataFrame, corpus: Corpus) -> pl.DataFrame:
    """Findings with the project's and indicator's names next to their ids, for a human reader."""
    out = findings
    if "project_id" in out.columns and "project" not in out.columns:
        names = corpus.projects.select("project_id", pl.col("name").alias("project"))
        out = out.join(names, on="project_id", how="left", maintain_order="left")
        order = [c for c in findings.columns if c != "project_id"]
        at = findings.columns.index("project_id")
        out = out.select(*order[:at], "project", *order[at:], "project_id")
    if "indicator_id" in out.columns and "indicator" not in out.columns:
        names = corpus.indicators.select("indicator_id", pl.col("name").alias("indicator"))
        out = out.join(names, on="indicator_id", how="left", maintain_order="left")
        columns = [c for c in out.columns if c not in ("indicator", "indicator_id")]
        at = columns.index("project") + 1 if "project" in columns else len(columns)
        out = out.select(*columns[:at], "indicator", *columns[at:], "indicator_id")
    return out


def _kinds(frame: pl.DataFrame) -> dict[str, CellKind]:
    """How each column is written: money and shares get number formats, the rest by dtype."""
    kinds: dict[str, CellKind] = {}
    for name, dtype in frame.schema.items():
        if name in ("budget_wan", "budget_yuan") or name.endswith("_yuan"):
            kinds[name] = "money"
        elif name in ("share", "cumulative_share"):
            kinds[name] = "share"
        elif dtype.is_integer():
            kinds[name] = "int"
        elif dtype.is_numeric():
            kinds[name] = "number"
        else:
            kinds[name] = "text"
    return kinds


def _formats(workbook: Any) -> dict[str, Any]:
    return {
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#EDEDED", "bottom": 1, "valign": "vcenter", "text_wrap": False}
        ),
        "money": workbook.add_format({"num_format": "#,##0.00"}),
        "share": workbook.add_format({"num_format": "0.00%"}),
        "int": workbook.add_format({"num_format": "0"}),
        "number": workbook.add_format({"num_format": "General"}),
        "text": workbook.add_format({}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "label": workbook.add_format({"bold": True, "valign": "top"}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }


def _finite(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def _write_cell(worksheet: Any, row: int, col: int, value: Any, kind: CellKind, formats: dict[str, Any]) -> None:
    """One cell with an explicit type: text is always text, never a formula or a URL."""
    if kind == "text":
        if value is None:
            return
        worksheet.write_string(row, col, value if isinstance(value, str) else str(value))
    elif _finite(value):
        worksheet.write_number(row, col, float(value), formats[kind])


def _shown_text(value: Any, kind: CellKind) -> str:
    """Roughly what Excel shows in a cell, to size its column."""
    if not _finite(value):
        return ""
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "share":
        return f"{value:.2%}"
    return str(value)


def _excel_width(text: str) -> float:
    # Excel's unit is one Latin digit; a CJK character is drawn about two wide.
    return sum(2.0 if _char_width(c) == 1.0 else 1.0 for c in text)


def _write_sheet(workbook: Any, formats: dict[str, Any], sheet: _Sheet, *, lang: str | None) -> None:
    worksheet = workbook.add_worksheet(sheet.name)
    frame = _translate_values(sheet.frame, lang)
    headers = _unique_headers(
        [_header(name, lang, indicators=sheet.indicators, overrides=sheet.headers) for name in frame.columns]
    )
    kinds = [sheet.kinds[name] for name in frame.columns]
    widths = [_excel_width(header) + 3 for header in headers]  # +3: room for the filter arrow
    for col, header in enumerate(headers):
        worksheet.write_string(0, col, header, formats["header"])
    for r, row in enumerate(frame.iter_rows(), start=1):
        for col, (value, kind) in enumerate(zip(row, kinds)):
            _write_cell(worksheet, r, col, value, kind, formats)
            if r <= _WIDTH_SAMPLE:
                widths[col] = max(widths[col], _excel_width(_shown_text(value, kind)) + 1)
    for col, width in enumerate(widths):
        worksheet.set_column(col, col, min(max(width, _MIN_WIDTH), _MAX_WIDTH))
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, max(frame.height, 1), max(len(headers) - 1, 0))
    _print_setup(worksheet)


def _print_setup(worksheet: Any) -> None:
    """Printed for a meeting: A4 landscape, one page wide, header row on every page."""
    worksheet.set_paper(9)
    worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(0)


def _write_about(
    workbook: Any,
    formats: dict[str, Any],
    corpus: Corpus,
    sheets: list[_Sheet],
    *,
    filters_text: str | None,
    lang: str | None,
    today: date,
) -> None:
    """The first sheet: what this workbook holds, for whom, filtered how, and its totals."""
    label_lang = lang or "en"
    worksheet = workbook.add_worksheet(_sheet_name("sheet_about", "about", lang))
    documents = corpus.documents
    join = t("describe_values_join", label_lang).join
    departments = join(documents["department"].drop_nulls().unique(maintain_order=True).to_list()) or "—"
    years = join(str(y) for y in documents["year"].drop_nulls().unique(maintain_order=True).to_list()) or "—"
    total = float(corpus.projects["budget_yuan"].fill_nan(None).sum() or 0.0)
    rows: list[tuple[str, Any, CellKind]] = [
        (t("about_department", label_lang), departments, "text"),
        (t("about_year", label_lang), years, "text"),
        (t("about_filters", label_lang), filters_text or t("filter_none", label_lang), "text"),
        (t("about_generated", label_lang), today.isoformat(), "text"),
        (t("about_sources", label_lang), join(documents["source"].drop_nulls().to_list()) or "—", "text"),
        (t("metric_projects", label_lang), corpus.projects.height, "int"),
        (t("metric_indicators", label_lang), corpus.indicators.height, "int"),
        (t("about_total_yuan", label_lang), total, "money"),
        (t("metric_total_budget", label_lang), wan(total), "money"),
    ]
    worksheet.write_string(0, 0, t("about_title", label_lang), formats["title"])
    for r, (label, value, kind) in enumerate(rows, start=2):
        worksheet.write_string(r, 0, label, formats["label"])
        if kind == "text":
            worksheet.write_string(r, 1, value, formats["wrap"])
        else:
            _write_cell(worksheet, r, 1, value, kind, formats)
    r = len(rows) + 3
    worksheet.write_string(r, 0, t("about_sheets", label_lang), formats["label"])
    for i, sheet in enumerate(sheets):
        worksheet.write_string(r + i, 1, t("about_sheet_rows", label_lang, sheet=sheet.name, rows=sheet.frame.height))
    r += len(sheets) + 1
    worksheet.write_string(r, 0, t("about_notes", label_lang), formats["label"])
    worksheet.write_string(r, 1, t("about_money_note", label_lang), formats["wrap"])
    worksheet.set_column(0, 0, 20)
    worksheet.set_column(1, 1, 80)
    worksheet.set_paper(9)
    worksheet.fit_to_pages(1, 0)


# ---------------------------------------------------------------- charts as images

# Layout zooms tried for a presentation PNG, largest first: the chart is laid
# out at (width, height) / zoom and drawn zoom times larger, so its text is
# as big as the chart's natural height allows without crowding its rows.
# Each candidate must divide the pixel size exactly (1920 × 1080: 1280 × 720 ...).
_ZOOMS = (1.5, 1.25, 1.2, 1.0, 0.8, 0.75, 0.6, 0.5)
_CAPTION_FONT = 13
_CAPTION_COLOR = "#666666"
# Room under the plot for the x axis' tick labels and title: the caption goes
# below it. Automargin only ever grows a margin, so a generous one is kept.
_AXIS_ROOM = 70
_CAPTION_PAD = 10
# A bar chart's rows may be squeezed this much below their natural height.
_SQUEEZE = 0.9
_RENDER_TIMEOUT_S = 90


@dataclass(frozen=True, slots=True)
class _RenderSpec:
    figure: dict
    width: float
    height: float
    scale: float


def chart_png(figure: go.Figure, *, caption: str, width: int = 1920, height: int = 1080, scale: int = 1) -> bytes:
    """``figure`` as a PNG at presentation size, rendered on the server, caption inside the image.

    The image is ``width × height`` pixels (times ``scale``), 16:9 by default.
    The chart keeps its own title at the top; ``caption`` (source and
    filters, see :func:`caption`) is drawn at the bottom right, wrapped to
    fit. Text is as large as the chart's natural height allows: a short
    chart is laid out at 1280 × 720 and drawn 1.5× larger, a tall one
    (many bars) at a larger layout size. Fonts are Noto Sans CJK SC, so
    Chinese renders on any server with the font installed. ``figure`` is
    not changed. Rendering takes about a second (kaleido starts Chromium);
    use :func:`chart_pngs` for several charts at once.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> png = chart_png(charts.budget_by_type(load_documents().projects), caption="数据来源：示例")
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", int.from_bytes(png[16:20], "big")
    (True, 1920)
    """
    return chart_pngs([figure], caption=caption, width=width, height=height, scale=scale)[0]


def chart_pngs(
    figures: Sequence[go.Figure], *, caption: str, width: int = 1920, height: int = 1080, scale: int = 1
) -> list[bytes]:
    """Several figures as PNGs, like :func:`chart_png`, with one browser for all of them.

    Starting the headless browser is most of the cost of a PNG, so a page's
    zip or a slide deck renders through one call.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> pngs = chart_pngs([charts.budget_by_type(corpus.projects), charts.level_sunburst(corpus.indicators)], caption="")
    >>> len(pngs)
    2
    """
    specs = [_presentation_spec(figure, caption=caption, width=width, height=height, scale=scale) for figure in figures]
    return _render(specs) if specs else []


def charts_zip(
    items: Sequence[tuple[str, go.Figure]],
    *,
    caption: str,
    department: str | None = None,
    year: int | None = None,
    today: date | None = None,
    width: int = 1920,
    height: int = 1080,
    scale: int = 1,
) -> bytes:
    """A zip of a page's charts as PNGs, each named after what it shows.

    ``items`` pairs what a chart shows (usually its title, e.g. "预算分配")
    with the figure. Entries are named by :func:`lib.charts.image_filename`
    (department, year, what, date — Windows-safe) plus ``.png``; a repeated
    name gets "_2", "_3". The images are those of :func:`chart_pngs`.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> data = charts_zip([("预算分配", charts.budget_by_type(corpus.projects))], caption="", year=2026, today=date(2026, 11, 28))
    >>> zipfile.ZipFile(io.BytesIO(data)).namelist()
    ['2026_预算分配_2026-11-28.png']
    """
    today = today or date.today()
    pngs = chart_pngs([figure for _, figure in items], caption=caption, width=width, height=height, scale=scale)
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for (what, _), png in zip(items, pngs):
            stem = charts.image_filename(department, year, _plain(what), today=today)
            name, n = f"{stem}.png", 1
            while name.lower() in used:  # Windows file names ignore case
                n += 1
                name = f"{stem}_{n}.png"
            used.add(name.lower())
            # PNG is already compressed: storing is as small and faster.
            archive.writestr(name, png)
    return buffer.getvalue()


def _plain(text: str) -> str:
    """A chart title without its HTML (line breaks, bold), for a file name."""
    return re.sub(r"<[^>]+>", "", text)


def _presentation_spec(figure: go.Figure, *, caption: str, width: int, height: int, scale: int) -> _RenderSpec:
    """A copy of ``figure`` laid out for a ``width × height`` image with ``caption`` at the bottom."""
    fig = go.Figure(figure)  # a copy: the page's figure must not change
    layout = fig.layout
    natural = layout.height or 450
    bottom = layout.margin.b if layout.margin.b is not None else 80
    caption_block = _CAPTION_FONT * 1.4 + 2 * _CAPTION_PAD
    zoom = _zoom(natural + caption_block + _AXIS_ROOM, width=width, height=height)
    logical_w, logical_h = width / zoom, height / zoom
    right = layout.margin.r if layout.margin.r is not None else 80
    lines = wrap_text(caption, width=(logical_w - 2 * right) / _CAPTION_FONT) if caption else []
    caption_h = (_CAPTION_FONT * 1.4 * len(lines) + 2 * _CAPTION_PAD) if lines else 0
    new_bottom = max(bottom, _AXIS_ROOM) + caption_h
    fig.update_layout(
        width=logical_w,
        height=logical_h,
        margin={"b": new_bottom},
        font={"family": charts.FONT_FAMILY},
    )
    # The builders place title and legend in pixels from the top, as
    # fractions of their own height; keep those pixels at the new height.
    for part in (layout.title, layout.legend):
        if part.yref == "container" and part.y is not None:
            part.y = 1 - (1 - part.y) * natural / logical_h
    if lines:
        fig.add_annotation(
            text="<br>".join(lines),
            xref="paper",
            yref="paper",
            # Right-aligned: the plot area's right edge is a known margin from
            # the image's edge; its left edge moves with the longest label.
            x=1,
            xanchor="right",
            xshift=right - _CAPTION_PAD,
            y=0,
            yanchor="bottom",
            yshift=-new_bottom + _CAPTION_PAD,
            align="left",
            showarrow=False,
            font={"family": charts.FONT_FAMILY, "size": _CAPTION_FONT, "color": _CAPTION_COLOR},
        )
    return _RenderSpec(fig.to_dict(), logical_w, logical_h, zoom * scale)


def _zoom(needed: float, *, width: int, height: int) -> float:
    """The largest zoom whose layout height still holds ``needed`` pixels (rows squeezed at most 10%)."""
    exact = [z for z in _ZOOMS if (width / z).is_integer() and (height / z).is_integer()]
    for zoom in exact:
        if height / zoom >= _SQUEEZE * needed:
            return zoom
    return exact[-1] if exact else 1.0


def _render(specs: list[_RenderSpec]) -> list[bytes]:
    """PNG bytes of each spec, from one kaleido browser session."""
    import kaleido  # imported here: starting pages need not load it
    from kaleido.errors import ChromeNotFoundError

    async def run() -> list[bytes]:
        # mathjax=False: no formulas here, and no request to a CDN from the server.
        async with kaleido.Kaleido(n=1, timeout=_RENDER_TIMEOUT_S, mathjax=False) as session:
            return [
                await session.calc_fig(
                    spec.figure,
                    opts={"format": "png", "width": spec.width, "height": spec.height, "scale": spec.scale},
                )
                for spec in specs
            ]

    try:
        return _run_async(run)
    except ChromeNotFoundError as exc:
        msg = f"charts cannot be rendered: kaleido found no Chromium ({exc})"
        raise ExportError(msg) from exc


def _run_async(factory: Callable[[], Any]) -> Any:
    """Run a coroutine to completion on a thread of its own.

    The caller may already be inside an event loop (Jupyter, an async test)
    where ``asyncio.run`` is refused; a fresh thread has none.
    """
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(factory())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread below
            result["error"] = exc

    thread = threading.Thread(target=target, name="kaleido-render", daemon=True)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]
