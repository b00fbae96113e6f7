"""What a page is drawn from (:class:`Scope`) and what it shows (:class:`Page`), with the page's JSON twin.

A page of the dashboard is a pure function of its scope: the documents
before and after filtering, the filters and the language. Each module of
:mod:`lib.pages` turns a scope (and the page's own choices, such as the
project on the card) into a :class:`Page`: its key figures already
formatted, its charts as builders, its tables as frames and its notes. The
Streamlit page in ``views/`` only lays that out, so what a page shows is
tested without Streamlit, and :func:`to_json` gives every page a JSON twin
(``python -m lib.pages PAGE --json``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from typing import Any

import plotly.graph_objects as go
import polars as pl

from lib import charts, filters, metrics
from lib.export import source_label
from lib.filters import FilterOptions, Filters
from lib.i18n import t
from lib.model.corpus import Corpus

#: Charts with one row per project show at most this many, the largest.
PER_PROJECT_ROWS = 30


@dataclass(frozen=True)
class Scope:
    """The documents a page draws from: all of them, the filtered part, the filters and the language.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> scope = Scope.of(load_documents())
    >>> scope.filtered.projects.height, scope.source
    (15, '东莞市人民代表大会常务委员会办公室 2026')
    """

    corpus: Corpus
    filtered: Corpus
    filters: Filters
    options: FilterOptions
    lang: str = "zh"

    @classmethod
    def of(cls, corpus: Corpus, filters_: Filters | None = None, *, lang: str = "zh") -> Scope:
        """The scope of ``corpus`` under ``filters_`` (none: everything)."""
        chosen = filters_ or Filters()
        return cls(corpus, filters.apply_filters(corpus, chosen), chosen, filters.filter_options(corpus), lang)

    def label(self, key: str, **values: object) -> str:
        """The label ``key`` in the scope's language."""
        return t(key, self.lang, **values)

    @property
    def source(self) -> str:
        """The source documents, for captions: department and year, or file names (as exports say it)."""
        kept = self.corpus if self.filtered.documents.is_empty() else self.filtered
        return source_label(kept, lang=self.lang)

    @property
    def caption(self) -> str:
        """The caption under every chart and table: source documents and active filters."""
        described = filters.describe(self.filters, self.options, lang=self.lang)
        return (
            f"{self.label('caption_source', source=self.source)}　·　{self.label('caption_filters', filters=described)}"
        )

    @cached_property
    def projects(self) -> pl.DataFrame:
        """The filtered projects, each with its department (:func:`lib.metrics.department_column`)."""
        shown = self.filtered
        return shown.projects.with_columns(metrics.department_column(shown.projects, shown.documents))

    @property
    def several_departments(self) -> bool:
        """Whether the filtered projects belong to more than one department: then pages lead with departments."""
        return metrics.department_count(self.projects) > 1

    @property
    def headline(self) -> str:
        """Which departments and years the page shows, for its first line.

        Examples
        --------
        >>> from lib.loader import load_documents
        >>> Scope.of(load_documents()).headline
        '东莞市人民代表大会常务委员会办公室 · 2026 年度'
        """
        by_budget = metrics.by_department(self.projects)["department"].to_list()
        join = self.label("describe_values_join").join
        if len(by_budget) == 1:
            departments = by_budget[0]
        else:
            departments = self.label("overview_departments", n=len(by_budget), names=join(by_budget[:3]))
        years = sorted(self.projects["budget_year"].drop_nulls().unique().to_list()) or sorted(
            self.filtered.documents["year"].drop_nulls().unique().to_list()
        )
        if not years:
            return departments
        shown_years = (
            f"{years[0]}–{years[-1]}"
            if len(years) > 2 and years[-1] - years[0] == len(years) - 1
            else join(map(str, years))
        )
        return self.label(
            "overview_scope", departments=departments, years=self.label("overview_years", years=shown_years)
        )

    @property
    def palette(self) -> dict[str, str]:
        """Type colours of the whole corpus, so filtering never recolours a type."""
        return charts.type_palette(self.corpus.projects["type"].to_list())

    @property
    def identity(self) -> tuple[str | None, int | None]:
        """(department, year) of the shown documents: the department only when there is one document."""
        documents = self.filtered.documents if not self.filtered.documents.is_empty() else self.corpus.documents
        department = documents["department"][0] if documents.height == 1 else None
        year = documents["year"][0] if documents.height >= 1 else None
        return department, year

    def filename(self, what: str, *, today: date | None = None) -> str:
        """A file name that says what a saved chart shows: department, year, what, date."""
        department, year = self.identity
        return charts.image_filename(department, year, what, today=today or date.today())

    def largest(self) -> tuple[pl.DataFrame, pl.DataFrame, str | None]:
        """The largest projects and their indicators for a one-row-per-project chart, and the note saying so."""
        projects, indicators = self.filtered.projects, self.filtered.indicators
        kept, kept_indicators = metrics.largest_projects(projects, indicators, n=PER_PROJECT_ROWS)
        note = (
            self.label("largest_only", n=kept.height, total=projects.height) if kept.height < projects.height else None
        )
        return kept, kept_indicators, note


@dataclass(frozen=True)
class Metric:
    """One key figure as shown: its label, its formatted value, an optional change and explanation."""

    key: str
    label: str
    value: str
    delta: str | None = None
    help: str | None = None


@dataclass(frozen=True)
class Chart:
    """A chart of the page: built only when drawn (``build()``), cached by ``key`` and ``depends``."""

    key: str
    build: Callable[[], go.Figure]
    depends: tuple = ()


@dataclass(frozen=True, eq=False)
class Page:
    """What one page shows, in its order: figures, charts, tables, notes; ``empty`` when no project is left."""

    title: str
    caption: str
    metrics: tuple[Metric, ...] = ()
    charts: dict[str, Chart] = field(default_factory=dict)
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    texts: dict[str, Any] = field(default_factory=dict)
    empty: bool = False


def empty_page(scope: Scope, title_key: str) -> Page:
    """The page when the filters leave no project: its title and the note saying so."""
    return Page(
        title=scope.label(title_key),
        caption=scope.caption,
        notes={"empty": scope.label("no_projects")},
        empty=True,
    )


def to_json(page: Page) -> dict[str, Any]:
    """The page as plain JSON values: every chart built (Plotly's JSON), every table as rows.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> from lib.pages import overview
    >>> twin = to_json(overview.page(Scope.of(load_documents())))
    >>> [(m["label"], m["value"]) for m in twin["metrics"]][:3]
    [('预算总额（万元）', '1,088.25'), ('项目数', '15'), ('绩效指标数', '172')]
    """
    return {
        "title": page.title,
        "caption": page.caption,
        "empty": page.empty,
        "metrics": [vars(metric) for metric in page.metrics],
        "charts": {key: json.loads(chart.build().to_json()) for key, chart in page.charts.items()},
        "tables": {key: json.loads(frame.write_json()) for key, frame in page.tables.items()},
        "notes": page.notes,
        "texts": json.loads(json.dumps(page.texts, ensure_ascii=False, default=str)),
    }
