"""Filters as data: what the sidebar selects, applied to a :class:`Corpus` and kept in the URL.

A :class:`Filters` value is plain, frozen data. :func:`apply_filters` turns it
into a smaller corpus, :func:`to_params` and :func:`validate` carry it to and
from the URL's query parameters, and :func:`describe` puts it in one line
under a chart. :class:`FilterOptions` lists the values that exist in a
corpus, for the widgets and for checking what a URL asks for.

Everything is a polars expression over whole columns, so the same code serves
the reference document and 100,000 projects with a million indicators.

Query parameters (repeat a key for several values)::

    ?type=其他运转类（信息化运维类）&period=new&budget_min=5&budget_max=40&q=数字
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping
from dataclasses import dataclass

import polars as pl

from lib.i18n import project_level, project_type, t
from lib.model.corpus import Corpus
from lib.model.money import wan_expr

__all__ = [
    "PARAM_KEYS",
    "PERIODS",
    "Period",
    "FilterOptions",
    "Filters",
    "apply_filters",
    "describe",
    "filter_options",
    "period_category",
    "to_params",
    "validate",
]

#: Where a project stands in its implementation period in the budget year;
#: labels are ``t("period_<value>")``.
PERIODS: tuple[str, ...] = ("ongoing", "new", "ending")
Period = pl.Enum(PERIODS)

#: Query-parameter keys, in the order :func:`to_params` writes them.
PARAM_KEYS: tuple[str, ...] = ("doc", "type", "level", "period", "budget_min", "budget_max", "q")


@dataclass(frozen=True)
class Filters:
    """The view's filters. Every field at its default means "everything".

    Within a field, values are alternatives (any of them matches); the fields
    combine with AND.

    Attributes
    ----------
    documents
        ``document_id`` values to keep.
    types, levels
        项目类型 / 项目等级 values to keep.
    periods
        Values of :data:`PERIODS` to keep (see :func:`period_category`).
    budget_wan
        Inclusive ``(low, high)`` project budget in 万元.
    keyword
        Case-insensitive substring of the project name, either goal, or the
        name of one of the project's indicators. Surrounding spaces are ignored.

    Examples
    --------
    >>> Filters().active, Filters(keyword="数字").active, Filters(keyword="  ").active
    (False, True, False)
    """

    documents: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    budget_wan: tuple[float, float] | None = None
    keyword: str = ""

    @property
    def active(self) -> bool:
        """Whether any filter narrows the corpus."""
        return bool(
            self.documents
            or self.types
            or self.levels
            or self.periods
            or self.budget_wan is not None
            or self.keyword.strip()
        )


@dataclass(frozen=True)
class FilterOptions:
    """The values a corpus holds, for the widgets and for validating URL parameters.

    Attributes
    ----------
    documents
        ``document_id`` -> label "<department> <year>" (the file name when the
        department is unknown; the file name is appended when two labels clash).
    types
        项目类型 values, largest total budget first.
    levels
        项目等级 values, sorted.
    periods
        Values of :data:`PERIODS` that occur, in that order.
    budget_wan
        Smallest and largest project budget in 万元, widened to whole cents of
        a 万元 (0.01) so both end projects are inside; ``(0.0, 0.0)`` when
        no project has a budget.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> filter_options(load_documents()).budget_wan
    (4.8, 197.68)
    """

    documents: dict[str, str]
    types: tuple[str, ...]
    levels: tuple[str, ...]
    periods: tuple[str, ...]
    budget_wan: tuple[float, float]


# ---------------------------------------------------------------- public API


def period_category(projects: pl.DataFrame) -> pl.Series:
    """Each project's place in its implementation period in the budget year.

    ``"new"`` when it starts in the budget year, ``"ending"`` when it ends
    then, ``"ongoing"`` when the budget year is strictly inside the period
    (an end year of 2099, "recurring", is therefore ongoing), null otherwise
    (missing years, or a period that does not contain the budget year).
    A one-year project (start = end = budget year) counts as new, not
    ending: a reviewer reads it as money that was not in last year's budget.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> period_category(load_documents().projects).value_counts(sort=True).rows()
    [('ongoing', 12), ('new', 3)]
    """
    return projects.select(_period_expr()).to_series()


def filter_options(corpus: Corpus) -> FilterOptions:
    """The values ``corpus`` holds, to offer in widgets and to validate a URL against.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> filter_options(load_documents()).types
    ('其他特定目标类（部门职能类）', '其他运转类（信息化运维类）', '其他事业发展性支出')
    """
    projects = corpus.projects
    types = (
        projects.filter(pl.col("type").is_not_null())
        .group_by("type")
        .agg(pl.col("budget_yuan").sum().alias("total"))
        .sort(["total", "type"], descending=[True, False])
        .get_column("type")
    )
    levels = projects.get_column("level").drop_nulls().unique().sort()
    present = set(period_category(projects).drop_nulls().cast(pl.String).unique().to_list())
    budgets = projects.get_column("budget_yuan").drop_nulls().drop_nans()
    if budgets.is_empty():
        budget_wan = (0.0, 0.0)
    else:
        # 1 yuan = 0.0001 万元: floor/ceil on hundreds of yuan, so the range is in whole 0.01 万元.
        low, high = float(budgets.min()), float(budgets.max())  # type: ignore[arg-type]
        budget_wan = (math.floor(low / 100) / 100, math.ceil(high / 100) / 100)
    return FilterOptions(
        documents=_document_labels(corpus.documents),
        types=tuple(types.to_list()),
        levels=tuple(levels.to_list()),
        periods=tuple(p for p in PERIODS if p in present),
        budget_wan=budget_wan,
    )


def superseded(documents: pl.DataFrame, projects: pl.DataFrame) -> pl.DataFrame:
    """Documents that a later version replaces: same department and year, mostly the same projects.

    The corpus lists the library's documents oldest first and this session's
    uploads last, so the last of a department and year is the current one.
    An earlier document of that department and year is a version of it when
    at least half of its project names are in a later one; documents
    with other projects (a department publishing its tables as several
    files) all count. Columns: ``document_id`` and ``source`` of the older
    document, ``department``, ``year``, and ``current`` (the source shown instead).

    Examples
    --------
    >>> docs = pl.DataFrame({"document_id": ["a", "b", "c"], "source": ["a.txt", "b.txt", "c.txt"],
    ...                      "department": ["财政局", "财政局", "财政局"], "year": [2026, 2026, 2026]})
    >>> projects = pl.DataFrame({"document_id": ["a", "a", "b", "b", "c"], "name": ["甲", "乙", "甲", "乙", "丙"]})
    >>> superseded(docs, projects).select("source", "current").rows()
    [('a.txt', 'b.txt')]
    """
    keyed = documents.with_row_index("order").filter(pl.col("department").is_not_null() & pl.col("year").is_not_null())
    crowded = keyed.filter(pl.len().over("department", "year") > 1)
    if crowded.is_empty():
        return pl.DataFrame(schema={"document_id": pl.String, "source": pl.String, "department": pl.String,
                                    "year": documents.schema["year"], "current": pl.String})  # fmt: skip
    names = dict(
        projects.filter(pl.col("document_id").is_in(crowded["document_id"].implode()))
        .group_by("document_id").agg(pl.col("name").str.replace_all(r"\s", "").unique()).iter_rows()
    )  # fmt: skip
    keyed = crowded
    rows = []
    for (department, year), group in keyed.group_by("department", "year", maintain_order=True):
        if group.height < 2:
            continue
        ordered = group.sort("order").rows(named=True)
        own = {row["document_id"]: set(names.get(row["document_id"]) or ()) for row in ordered}
        for index, older in enumerate(ordered):
            mine = own[older["document_id"]]
            # The latest later document sharing half of this one's projects replaces it.
            newer = next(
                (
                    row
                    for row in reversed(ordered[index + 1 :])
                    if mine and len(mine & own[row["document_id"]]) * 2 >= len(mine)
                ),
                None,
            )
            if newer is not None:
                rows.append({"order": older["order"], "document_id": older["document_id"], "source": older["source"],
                             "department": department, "year": year, "current": newer["source"]})  # fmt: skip
    frame = pl.DataFrame(rows, schema={"order": pl.UInt32, "document_id": pl.String, "source": pl.String,
                                       "department": pl.String, "year": documents.schema["year"], "current": pl.String})  # fmt: skip
    return frame.sort("order").drop("order")


def without_documents(corpus: Corpus, document_ids: list[str]) -> Corpus:
    """The corpus without these documents, their projects, indicators and diagnostics."""
    if not document_ids:
        return corpus
    dropped = pl.Series(document_ids, dtype=pl.String).implode()
    projects = corpus.projects.filter(~pl.col("document_id").is_in(dropped))
    return Corpus(
        corpus.documents.filter(~pl.col("document_id").is_in(dropped)),
        projects,
        corpus.indicators.filter(pl.col("project_id").is_in(projects["project_id"].implode())),
        corpus.diagnostics.filter(~pl.col("document_id").is_in(dropped) | pl.col("document_id").is_null()),
    )


def apply_filters(corpus: Corpus, filters: Filters) -> Corpus:
    """A new corpus holding only what ``filters`` selects.

    Projects are filtered first; indicators and diagnostics follow the kept
    projects. A diagnostic about a whole file (null ``project_id``) stays
    while its document is kept, and documents are filtered by
    ``filters.documents`` only, so a document whose projects are all
    filtered out still names its source. Row order is preserved.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> kept = apply_filters(load_documents(), Filters(types=("其他运转类（信息化运维类）",)))
    >>> kept.projects.height, kept.indicators.height, kept.projects["budget_yuan"].sum()
    (3, 38, 659200.0)
    """
    if not filters.active:
        return Corpus(corpus.documents, corpus.projects, corpus.indicators, corpus.diagnostics)
    in_documents = pl.lit(True)
    predicates: list[pl.Expr] = []
    if filters.documents:
        in_documents = pl.col("document_id").is_in(list(filters.documents))
        predicates.append(in_documents)
    if filters.types:
        predicates.append(pl.col("type").is_in(list(filters.types)))
    if filters.levels:
        predicates.append(pl.col("level").is_in(list(filters.levels)))
    if filters.periods:
        predicates.append(_period_expr().is_in([p for p in filters.periods if p in PERIODS]))
    if filters.budget_wan is not None:
        low, high = filters.budget_wan
        # Divide rather than multiply the bounds: 215,300 元 / 10,000 is exactly the float 21.53.
        predicates.append(wan_expr("budget_yuan").is_between(low, high, closed="both"))
    keyword = filters.keyword.strip()
    if keyword:
        predicates.append(_keyword_expr(keyword, corpus.indicators))
    projects = corpus.projects.filter(pl.all_horizontal(p.fill_null(False) for p in predicates))
    # implode(): is_in against the set of ids (polars deprecates the ambiguous Series form).
    kept = projects.get_column("project_id").implode()
    diagnostics = corpus.diagnostics.filter(
        pl.col("project_id").is_in(kept).fill_null(False)
        | (pl.col("project_id").is_null() & in_documents.fill_null(False))
    )
    return Corpus(
        documents=corpus.documents.filter(in_documents.fill_null(False)),
        projects=projects,
        indicators=corpus.indicators.filter(pl.col("project_id").is_in(kept).fill_null(False)),
        diagnostics=diagnostics,
    )


def validate(params: Mapping[str, str | list[str]], options: FilterOptions) -> tuple[Filters, list[str]]:
    """Filters from URL query parameters, and the ``"key=value"`` strings that were ignored.

    Keys are those of :data:`PARAM_KEYS`; a list value repeats a key. A value
    not in ``options`` is ignored, so is a budget that is not a finite
    number or a ``budget_min`` above ``budget_max``. A budget range is
    clipped to ``options.budget_wan`` (silently: a link made on another data
    set is still meant), and a missing end is the options' end. For ``q``,
    ``budget_min`` and ``budget_max`` the last value counts. Keys of other
    parts of the app (e.g. ``lang``) are left alone. Never raises.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> options = filter_options(load_documents())
    >>> filters, ignored = validate({"level": ["二级项目", "三级项目"], "q": "数字"}, options)
    >>> filters == Filters(levels=("二级项目",), keyword="数字"), ignored
    (True, ['level=三级项目'])
    """
    ignored: list[str] = []
    values = {key: _param_values(params, key, ignored) for key in PARAM_KEYS}

    def known(key: str, allowed: Container[str]) -> tuple[str, ...]:
        kept: list[str] = []
        for value in values[key]:
            if value not in allowed:
                ignored.append(f"{key}={value}")
            elif value not in kept:
                kept.append(value)
        return tuple(kept)

    def last(key: str) -> str | None:
        *earlier, final = values[key] or [None]
        ignored.extend(f"{key}={value}" for value in earlier)
        return final

    documents = known("doc", options.documents)
    types = known("type", options.types)
    levels = known("level", options.levels)
    periods = known("period", options.periods)
    budget_wan = _budget_range(last("budget_min"), last("budget_max"), options.budget_wan, ignored)
    keyword = (last("q") or "").strip()
    order = {key: i for i, key in enumerate(PARAM_KEYS)}
    ignored.sort(key=lambda item: order[item.split("=", 1)[0]])
    filters = Filters(documents, types, levels, periods, budget_wan, keyword)
    return filters, ignored


def to_params(filters: Filters) -> dict[str, list[str] | str]:
    """The URL query parameters of ``filters``: only what differs from the default.

    The inverse of :func:`validate`: ``validate(to_params(f), options) == (f, [])``
    for filters built from ``options``.

    Examples
    --------
    >>> to_params(Filters(types=("其他运转类（信息化运维类）",), budget_wan=(5.0, 40.5), keyword="数字"))
    {'type': ['其他运转类（信息化运维类）'], 'budget_min': '5', 'budget_max': '40.5', 'q': '数字'}
    """
    params: dict[str, list[str] | str] = {}
    for key, chosen in (
        ("doc", filters.documents),
        ("type", filters.types),
        ("level", filters.levels),
        ("period", filters.periods),
    ):
        if chosen:
            params[key] = list(chosen)
    if filters.budget_wan is not None:
        params["budget_min"] = _number(filters.budget_wan[0])
        params["budget_max"] = _number(filters.budget_wan[1])
    if filters.keyword.strip():
        params["q"] = filters.keyword
    return params


def describe(filters: Filters, options: FilterOptions, *, lang: str = "zh") -> str:
    """One line naming the active filters, for a chart caption; ``t("filter_none")`` if none.

    Document ids show as their labels; the standard types and levels are
    named in ``lang`` (:func:`lib.i18n.project_type`), others as written;
    periods use the ``period_*`` labels.

    Examples
    --------
    >>> options = FilterOptions({}, (), (), (), (0.0, 0.0))
    >>> describe(Filters(types=("其他运转类（信息化运维类）",), keyword="数字"), options)
    '项目类型：其他运转类（信息化运维类）；关键词：数字'
    >>> describe(Filters(types=("其他运转类（信息化运维类）",), levels=("二级项目",)), options, lang="en")
    'Project type: Other operating (IT operation and maintenance); Project level: Level-2 project'
    """
    join = t("describe_values_join", lang).join
    parts: list[str] = []
    if filters.documents:
        labels = [options.documents.get(doc, doc) for doc in filters.documents]
        parts.append(t("describe_document", lang, values=join(labels)))
    if filters.types:
        parts.append(t("describe_type", lang, values=join(project_type(v, lang) or v for v in filters.types)))
    if filters.levels:
        parts.append(t("describe_level", lang, values=join(project_level(v, lang) or v for v in filters.levels)))
    if filters.periods:
        labels = [t(f"period_{p}", lang) if p in PERIODS else p for p in filters.periods]
        parts.append(t("describe_period", lang, values=join(labels)))
    if filters.budget_wan is not None:
        low, high = filters.budget_wan
        parts.append(t("describe_budget", lang, low=f"{low:,.2f}", high=f"{high:,.2f}"))
    if filters.keyword.strip():
        parts.append(t("describe_keyword", lang, values=filters.keyword.strip()))
    return t("describe_join", lang).join(parts) if parts else t("filter_none", lang)


# ---------------------------------------------------------------- implementation


def _period_expr() -> pl.Expr:
    start, end, year = pl.col("start_year"), pl.col("end_year"), pl.col("budget_year")
    return (
        pl.when(start == year)
        .then(pl.lit("new"))
        .when(end == year)
        .then(pl.lit("ending"))
        .when((start < year) & (year < end))
        .then(pl.lit("ongoing"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .cast(Period)
        .alias("period")
    )


def contains_keyword(column: str | pl.Expr, keyword: str) -> pl.Expr:
    """Rows whose text contains ``keyword``, case folded: the one matching rule of every search.

    >>> pl.DataFrame({"name": ["GDP增速", "培训", None]}).select(contains_keyword("name", "gdp")).to_series().to_list()
    [True, False, False]
    """
    # Lowercase the needle with polars too, so needle and haystack fold the same way.
    needle = pl.select(pl.lit(keyword).str.to_lowercase()).item()
    # A needle without cased letters (most Chinese keywords) matches the same substrings before
    # and after lowercasing, so skip lowercasing the haystack: about twice as fast on a million
    # indicator names. U+0307 is the exception: "İ" lowercases to "i" + U+0307.
    fold = not (keyword.lower() == keyword == keyword.upper() and "\u0307" not in keyword)
    expr = pl.col(column) if isinstance(column, str) else column
    text = expr.str.to_lowercase() if fold else expr
    return text.str.contains(needle, literal=True).fill_null(False)


def search_indicators(indicators: pl.DataFrame, projects: pl.DataFrame, keyword: str) -> pl.DataFrame:
    """The indicators whose name, values or categories contain ``keyword``, or whose project's name does.

    The 指标体系 table's search: it finds rows of the indicator table, where
    the sidebar's keyword finds projects; both match as :func:`contains_keyword` does.

    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> search_indicators(corpus.indicators, corpus.projects, "满意度").height
    20
    """
    keyword = keyword.strip()
    if not keyword:
        return indicators
    text = pl.concat_str(
        [pl.col(c).cast(pl.String).fill_null("") for c in ("name", "period_value", "annual_value", "level1", "level2")],
        separator=" ",
    )
    named = projects.filter(contains_keyword("name", keyword))["project_id"].implode()
    return indicators.filter(contains_keyword(text, keyword) | pl.col("project_id").is_in(named))


def _keyword_expr(keyword: str, indicators: pl.DataFrame) -> pl.Expr:
    """Projects whose own text, or one of whose indicator names, contains ``keyword``."""

    def contains(column: str) -> pl.Expr:
        return contains_keyword(column, keyword)

    matched = indicators.filter(contains("name")).get_column("project_id").unique().implode()
    return pl.any_horizontal(
        contains("name"),
        contains("goal_period"),
        contains("goal_annual"),
        pl.col("project_id").is_in(matched),
    )


def _document_labels(documents: pl.DataFrame) -> dict[str, str]:
    year = pl.col("year").cast(pl.String)
    label = pl.when(pl.col("department").is_not_null()).then(
        pl.concat_str([pl.col("department"), year], separator=" ", ignore_nulls=True)
    )
    label = label.otherwise(pl.coalesce("source", "document_id"))
    labelled = documents.filter(pl.col("document_id").is_not_null()).select(
        "document_id",
        pl.when(label.is_duplicated() & pl.col("source").is_not_null())
        .then(pl.concat_str([label, pl.col("source")], separator=" · "))
        .otherwise(label)
        .alias("label"),
    )
    return dict(labelled.iter_rows())


def _param_values(params: Mapping[str, object], key: str, ignored: list[str]) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    items = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    values = []
    for item in items:
        if isinstance(item, str):
            values.append(item)
        else:
            ignored.append(f"{key}={item!r}")
    return values


def _budget_range(
    low_text: str | None, high_text: str | None, bounds: tuple[float, float], ignored: list[str]
) -> tuple[float, float] | None:
    low, high = _parse_number(low_text), _parse_number(high_text)
    if low_text and low is None:
        ignored.append(f"budget_min={low_text}")
    if high_text and high is None:
        ignored.append(f"budget_max={high_text}")
    if low is not None and high is not None and low > high:
        ignored.extend([f"budget_min={low_text}", f"budget_max={high_text}"])
        return None
    if low is None and high is None:
        return None
    floor, ceiling = bounds
    low = floor if low is None else min(max(low, floor), ceiling)
    high = ceiling if high is None else min(max(high, floor), ceiling)
    return (low, high)


def _parse_number(text: str | None) -> float | None:
    if not text or not text.strip():
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _number(value: float) -> str:
    """Shortest text that reads back as exactly ``value``: ``5.0`` -> ``"5"``."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text
