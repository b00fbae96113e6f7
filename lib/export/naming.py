"""What a reader sees as names: file names, captions, source labels, column headers and translated values.

The same names serve every export (workbook, CSV, PNG, deck) and the pages'
captions, so a chart, its image and its table say the same thing.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from lib import charts
from lib.i18n import TEXT, t, value_label
from lib.model.corpus import Corpus
from lib.model import severity as severity_model

__all__ = [
    "FINDINGS_KEYS",
    "RULES_KEYS",
    "caption",
    "column_header",
    "safe_filename",
    "severity_label",
    "source_label",
    "translate_values",
    "unique_headers",
]


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
    # The documents frame's kind (targets / results / neither); col_kind is an indicator value's kind.
    "kind": "col_document_kind",
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
FINDINGS_KEYS = {
    "rule_id": "review_rule",
    "message": "review_finding",
    "expected": "review_expected",
    "actual": "review_actual",
    "ratio": "review_ratio",
    "detail": "review_detail",
}
RULES_KEYS = {"id": "review_rule", "title": "review_rule_title", "checks": "review_checks", "basis": "review_basis"}


def _header_key(column: str, *, indicators: bool, overrides: dict[str, str] | None = None) -> str | None:
    if overrides and overrides.get(column) in TEXT:
        return overrides[column]
    if column == "name" and indicators:
        return "col_indicator"
    key = _HEADER_KEYS.get(column, f"col_{column}")
    return key if key in TEXT else None


def column_header(
    column: str, lang: str | None, *, indicators: bool = False, overrides: dict[str, str] | None = None
) -> str:
    """A column's header in ``lang``; the column's own name when ``lang`` is None or no label exists.

    ``indicators`` says the frame is the indicators frame, whose "name" is the
    indicator's; ``overrides`` maps a column to the i18n key of its header
    where the generic label is wrong (the review's frames).

    Examples
    --------
    >>> column_header("budget_wan", "zh"), column_header("name", "zh", indicators=True), column_header("budget_wan", None)
    ('预算（万元）', '三级指标', 'budget_wan')
    """
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


def translate_values(frame: pl.DataFrame, lang: str | None) -> pl.DataFrame:
    """Category-like values in ``lang``: value kinds ("percent" -> 百分比), categories, project types and levels
    (:func:`lib.i18n.value_label`), the loader's and the review's severities.

    Enums become strings either way, so the frame writes the same in every format.
    """
    enums = [name for name, dtype in frame.schema.items() if isinstance(dtype, (pl.Enum, pl.Categorical))]
    frame = frame.with_columns(pl.col(enums).cast(pl.String))
    if lang is None:
        return frame
    exprs = []
    for name in frame.columns:
        if name.endswith("_kind") or name in ("level1", "level2", "type", "level"):
            label = lambda v, column=name: value_label(column, v, lang)  # noqa: E731
        elif name == "severity":
            label = lambda v: severity_label(v, lang=lang)  # noqa: E731
        else:
            continue
        # A few distinct values, many rows: translate each value once.
        values = frame[name].drop_nulls().unique().to_list()
        exprs.append(pl.col(name).replace({v: label(v) for v in values}))
    return frame.with_columns(exprs) if exprs else frame


def unique_headers(headers: list[str]) -> list[str]:
    """Headers made unique ("说明", "说明（2）"): two columns may translate to one label.

    Examples
    --------
    >>> unique_headers(["说明", "说明"])
    ['说明', '说明（2）']
    """
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header}（{seen[header]}）")
    return out
