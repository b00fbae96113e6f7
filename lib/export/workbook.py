"""The Excel workbook for a meeting: a 说明 sheet, then one sheet per frame, ready to print.

:func:`workbook_bytes` writes one ``.xlsx`` with a 说明 sheet (department,
year, filters, date, totals) and one sheet per frame: Chinese headers,
money as numbers in 万元 and 元 with two decimals, frozen header row,
filters, column widths that fit Chinese text. It returns ``bytes``; nothing
here touches the disk.

Document text is data, never code: a cell that starts with ``=``, ``+``,
``-`` or ``@`` is written as a string, so a crafted project name cannot run
as a formula (formula injection).

``lang=None`` keeps the schema's column names and raw values (sheet names
too): the command line's machine-readable form, which scripts read back.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import polars as pl

from lib.export.naming import FINDINGS_KEYS, RULES_KEYS, column_header, translate_values, unique_headers
from lib.export.text import char_width
from lib.i18n import t
from lib.model.corpus import Corpus
from lib.model.money import wan, wan_expr
from lib.review.api import in_language

__all__ = ["workbook_bytes"]

# Widest a column gets, in Excel's width units (one Latin character; a CJK
# character counts two): long goals stay readable without a screen-wide column.
_MAX_WIDTH = 50
_MIN_WIDTH = 6
# Rows looked at to size a column: enough to be representative, cheap on big corpora.
_WIDTH_SAMPLE = 500

CellKind = Literal["text", "int", "number", "money", "share"]


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
        # One message per finding, in the workbook's language; the schema's form keeps both.
        shown = _with_names(in_language(findings, lang) if lang else findings, corpus)
        sheets.append(
            _Sheet(_sheet_name("sheet_findings", "findings", lang), shown, _kinds(shown), headers=FINDINGS_KEYS)
        )
    if rules is not None:
        sheets.append(_Sheet(_sheet_name("sheet_rules", "rules", lang), rules, _kinds(rules), headers=RULES_KEYS))
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
    return sum(2.0 if char_width(c) == 1.0 else 1.0 for c in text)


def _write_sheet(workbook: Any, formats: dict[str, Any], sheet: _Sheet, *, lang: str | None) -> None:
    worksheet = workbook.add_worksheet(sheet.name)
    frame = translate_values(sheet.frame, lang)
    headers = unique_headers(
        [column_header(name, lang, indicators=sheet.indicators, overrides=sheet.headers) for name in frame.columns]
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
