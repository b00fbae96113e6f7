"""Two selections side by side: department against department, or one department's years.

A *selection* is a tuple of ``document_id`` values (:func:`selection`). The
functions here take a :class:`~lib.model.corpus.Corpus` and two selections and
return small frames a page shows as tables or hands to the chart builders
of :mod:`lib.charts.compare` (offered here by name too, see the end of this
module):

* :func:`compare_totals` -- budget, project and indicator counts and the
  budget per 项目类型 of both sides, with their difference;
* :func:`project_changes` -- which projects continued (and how their budget
  changed), which are new and which ended;
* :func:`target_changes` -- the annual targets of continued projects that
  were raised, lowered, changed, added or removed;
* :func:`department_ranking` -- departments (per year) by budget or, given
  review findings, by weighted findings per project.

Matching rules, decided once here:

* **Projects** match by name within the same department. Names are
  compared without whitespace and with ASCII brackets read as full-width
  ones. A leading budget year ("2026年X经费") is set aside, because it rolls
  over every year and says nothing about the project -- but only for names
  left over after exact matches, so a department with both "X经费" and
  "2025年X经费" pairs each with its own successor. Repeated names pair in
  document order.
* **Indicators** of a continued project match by (二级指标, name).
* **A target changed** when its annual value differs once whitespace and
  the document's own budget year are set aside ("2025年12月31日前" and
  "2026年12月31日前" are the same deadline, a year on). Whether it was
  raised or lowered is read from the parsed comparator and number, so it
  describes the number: a cost cap that goes from ≤28.59万元 to ≤30万元 is
  "raised" too.

Everything is whole-column polars; 10,000 projects compare in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from lib import schema
from lib.model.corpus import Corpus
from lib.model import severity as severity_model
from lib.model.money import YUAN_PER_WAN, wan_expr

# The comparison charts are in lib.charts.compare (lib.charts offers them).
__all__ = [
    "DIRECTIONS",
    "MEASURES",
    "MEASURE_LABEL_KEYS",
    "PROJECT_CHANGES",
    "SEVERITY_COLUMNS",
    "SEVERITY_WEIGHTS",
    "STATUSES",
    "TARGET_CHANGES",
    "TOTALS",
    "compare_totals",
    "department_ranking",
    "project_changes",
    "selection",
    "target_changes",
]

# ---------------------------------------------------------------- vocabulary

#: Rows of :func:`compare_totals`: totals first, then per 项目类型.
MEASURES: tuple[str, ...] = (
    "budget_yuan",
    "budget_wan",
    "projects",
    "indicators",
    "type_budget_yuan",
    "type_budget_wan",
    "type_projects",
)
Measure = pl.Enum(MEASURES)
#: i18n key of each measure's label (a type row is labelled with its type as well).
MEASURE_LABEL_KEYS: dict[str, str] = {
    "budget_yuan": "about_total_yuan",
    "budget_wan": "metric_total_budget",
    "projects": "metric_projects",
    "indicators": "metric_indicators",
    "type_budget_yuan": "col_budget_yuan",
    "type_budget_wan": "col_budget_wan",
    "type_projects": "metric_projects",
}

#: Where a project stands between the earlier and the later selection;
#: labels are ``t("compare_status_<value>")``.
STATUSES: tuple[str, ...] = ("continued", "new", "ended")
Status = pl.Enum(STATUSES)

#: How an annual target changed; labels are ``t("compare_direction_<value>")``.
DIRECTIONS: tuple[str, ...] = ("raised", "lowered", "changed", "added", "removed")
Direction = pl.Enum(DIRECTIONS)

#: Weight of a review finding by severity in :func:`department_ranking`.
SEVERITY_WEIGHTS: dict[str, int] = severity_model.WEIGHTS
#: Column of :func:`department_ranking` that counts each severity's findings.
SEVERITY_COLUMNS: dict[str, str] = {level: f"findings_{name}" for level, name in severity_model.NAMES.items()}

TOTALS: dict[str, pl.DataType] = {
    "measure": Measure,
    # Null on the total rows, and on type rows for projects without a type.
    "type": pl.String(),
    "left": pl.Float64(),
    "right": pl.Float64(),
    "difference": pl.Float64(),
    # right / left - 1 (0.1 is +10%); null when left is 0.
    "difference_ratio": pl.Float64(),
}

PROJECT_CHANGES: dict[str, pl.DataType] = {
    "status": Status,
    "department": pl.String(),
    "name": pl.String(),
    "earlier_name": pl.String(),
    "later_name": pl.String(),
    "type": pl.String(),
    "earlier_project_id": pl.String(),
    "later_project_id": pl.String(),
    "earlier_budget_yuan": pl.Float64(),
    "later_budget_yuan": pl.Float64(),
    "change_yuan": pl.Float64(),
    "change_ratio": pl.Float64(),
}

TARGET_CHANGES: dict[str, pl.DataType] = {
    "department": pl.String(),
    "project": pl.String(),
    "level1": schema.Level1,
    "level2": schema.Level2,
    "indicator": pl.String(),
    "before": pl.String(),
    "after": pl.String(),
    "direction": Direction,
    "earlier_project_id": pl.String(),
    "later_project_id": pl.String(),
    "earlier_indicator_id": pl.String(),
    "later_indicator_id": pl.String(),
}

# A leading budget year: "2026年", "2026年度", "2026 年".
_LEADING_YEAR = r"^(?:19|20)\d{2}年度?"
# Comparators that bound a target from below or from above; "=" is both.
_LOWER_BOUND = ("≥", ">", "=")
_UPPER_BOUND = ("≤", "<", "=")
# Order of equal numbers on a number line, as in lib.metrics: ≥95% > 95%.
_OP_RANK = {"<": 0, "≤": 1, "=": 2, "≥": 3, ">": 4}


# ---------------------------------------------------------------- selections


def selection(corpus: Corpus, *, department: str | None = None, year: int | None = None) -> tuple[str, ...]:
    """The ``document_id`` values of ``corpus`` for a department and/or a year, in corpus order.

    ``None`` means any; with neither, every document.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> len(selection(corpus, year=2026)), selection(corpus, year=1999)
    (1, ())
    """
    docs = corpus.documents
    if department is not None:
        docs = docs.filter(pl.col("department") == department)
    if year is not None:
        docs = docs.filter(pl.col("year") == year)
    return tuple(docs["document_id"].to_list())


def _ids(documents: Sequence[str]) -> pl.Expr:
    # Typed, so an empty selection filters to nothing instead of failing on dtype;
    # imploded, so polars reads it as one set of values rather than a column.
    return pl.lit(pl.Series(list(documents), dtype=pl.String).implode())


def _projects_of(corpus: Corpus, documents: Sequence[str]) -> pl.DataFrame:
    return corpus.projects.filter(pl.col("document_id").is_in(_ids(documents)))


# ---------------------------------------------------------------- totals


def compare_totals(corpus: Corpus, left: Sequence[str], right: Sequence[str]) -> pl.DataFrame:
    """Budget, projects, indicators and budget per 项目类型 of two selections, with differences.

    One row per measure (:data:`MEASURES`): the totals ``budget_yuan``,
    ``budget_wan`` (元 ÷ 10,000, unrounded), ``projects`` and ``indicators``,
    then per project type ``type_budget_yuan``, ``type_budget_wan`` and
    ``type_projects``. Columns are those of :data:`TOTALS`: ``left``,
    ``right``, ``difference`` (right − left) and ``difference_ratio``
    (difference ÷ left, null when left is 0). A type on one side only counts
    0 on the other. Type rows come in order of the two sides' combined
    budget, largest first. Missing budgets count as 0; an empty selection is
    all zeros.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> totals = compare_totals(corpus, selection(corpus), ())
    >>> totals.filter(pl.col("measure") == "budget_wan").select("left", "right", "difference").row(0)
    (1088.25, 0.0, -1088.25)
    """
    sides = [
        _side_totals(corpus, documents).rename({"value": name})
        for name, documents in (("left", left), ("right", right))
    ]
    joined = sides[0].join(sides[1], on=["measure", "type"], how="full", coalesce=True, nulls_equal=True)
    # Types in order of the two sides' combined budget, the same for all three type measures.
    order = (
        joined.filter(pl.col("measure") == "type_budget_yuan")
        .select("type", (pl.col("left").fill_null(0) + pl.col("right").fill_null(0)).alias("_size"))
        .sort(["_size", "type"], descending=[True, False], nulls_last=True)
        .with_row_index("_order")
        .select("type", "_order")
    )
    return (
        joined.join(order, on="type", how="left", nulls_equal=True)
        .with_columns(pl.col("left", "right").fill_null(0.0))
        .with_columns(difference=pl.col("right") - pl.col("left"))
        .with_columns(difference_ratio=pl.when(pl.col("left") != 0).then(pl.col("difference") / pl.col("left")))
        .sort(["measure", "_order"], nulls_last=True)
        .select(list(TOTALS))
        .cast(TOTALS)
    )


def _side_totals(corpus: Corpus, documents: Sequence[str]) -> pl.DataFrame:
    """Long frame (measure, type, value) of one selection."""
    projects = _projects_of(corpus, documents).with_columns(pl.col("budget_yuan").fill_nan(None))
    indicators = corpus.indicators.filter(pl.col("project_id").is_in(projects["project_id"].implode()))
    budget = float(projects["budget_yuan"].sum() or 0.0)
    totals = pl.DataFrame(
        {
            "measure": ["budget_yuan", "budget_wan", "projects", "indicators"],
            "type": [None] * 4,
            "value": [budget, budget / YUAN_PER_WAN, float(projects.height), float(indicators.height)],
        },
        schema={"measure": Measure, "type": pl.String, "value": pl.Float64},
    )
    by_type = projects.group_by("type").agg(
        pl.col("budget_yuan").sum().alias("type_budget_yuan"),
        pl.len().cast(pl.Float64).alias("type_projects"),
    )
    by_type = (
        by_type.with_columns(type_budget_wan=wan_expr("type_budget_yuan"))
        .unpivot(
            index="type",
            on=["type_budget_yuan", "type_budget_wan", "type_projects"],
            variable_name="measure",
        )
        .select(pl.col("measure").cast(Measure), "type", pl.col("value").cast(pl.Float64))
    )
    return pl.concat([totals, by_type])


# ---------------------------------------------------------------- projects


def project_changes(
    corpus: Corpus,
    earlier: Sequence[str],
    later: Sequence[str],
    *,
    by_department: bool = True,
) -> pl.DataFrame:
    """Projects of two selections paired by name: continued (with budget change), new and ended.

    Names match as the module docstring describes (whitespace and a leading
    budget year set aside, exact matches first). With ``by_department``
    (the default) a name only matches within the same department, so
    "人才引进" of two departments is never one project; pass ``False`` to
    follow projects across a renamed department.

    Columns are those of :data:`PROJECT_CHANGES`. ``name`` is the later name,
    or the earlier one for an ended project. ``change_yuan`` is later minus
    earlier budget, with an absent side counting 0 -- a new project's change
    is its budget, an ended one's minus its budget -- so the changes add up
    to the difference of the totals; it is null when a present budget is
    missing. ``change_ratio`` is ``change_yuan`` ÷ earlier budget (null for
    new projects and when the earlier budget is not positive). Rows come
    continued, new, ended; each group in document order.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> from lib.testing.synth import generate_year_pair
    >>> pair = generate_year_pair(10, seed=1)
    >>> corpus = load_documents(pair.sources())
    >>> docs = corpus.documents["document_id"]
    >>> changes = project_changes(corpus, [docs[0]], [docs[1]])
    >>> changes.group_by("status", maintain_order=True).len().rows()
    [('continued', 8), ('new', 3), ('ended', 2)]
    """
    left = _project_side(corpus, earlier)
    right = _project_side(corpus, later)
    dept = ["_department"] if by_department else []
    pairs = _pair(left, right, [[*dept, "_exact"], [*dept, "_rolled"]])
    columns = ("project_id", "name", "type", "department", "budget_yuan")
    e = left.select(pl.col("_row").alias("_l"), *[pl.col(c).alias(f"e_{c}") for c in columns])
    later = right.select(pl.col("_row").alias("_r"), *[pl.col(c).alias(f"l_{c}") for c in columns])
    continued = (
        pairs.join(e, on="_l").join(later, on="_r").with_columns(status=pl.lit("continued"), _order=pl.col("_r"))
    )
    new = later.join(pairs, on="_r", how="anti").with_columns(status=pl.lit("new"), _order=pl.col("_r"))
    ended = e.join(pairs, on="_l", how="anti").with_columns(status=pl.lit("ended"), _order=pl.col("_l"))
    rows = pl.concat([continued, new, ended], how="diagonal_relaxed")
    if rows.is_empty():
        return pl.DataFrame(schema=PROJECT_CHANGES)
    status = pl.col("status")
    e_budget, l_budget = pl.col("e_budget_yuan"), pl.col("l_budget_yuan")
    change = (
        pl.when(status == "continued")
        .then(l_budget - e_budget)
        .when(status == "new")
        .then(l_budget)
        .otherwise(-e_budget)
    )
    return (
        rows.with_columns(status.cast(Status))
        .sort("status", "_order")
        .select(
            "status",
            pl.coalesce("l_department", "e_department").alias("department"),
            pl.coalesce("l_name", "e_name").alias("name"),
            pl.col("e_name").alias("earlier_name"),
            pl.col("l_name").alias("later_name"),
            pl.coalesce("l_type", "e_type").alias("type"),
            pl.col("e_project_id").alias("earlier_project_id"),
            pl.col("l_project_id").alias("later_project_id"),
            e_budget.alias("earlier_budget_yuan"),
            l_budget.alias("later_budget_yuan"),
            change.alias("change_yuan"),
        )
        .with_columns(
            change_ratio=pl.when(pl.col("earlier_budget_yuan") > 0).then(
                pl.col("change_yuan") / pl.col("earlier_budget_yuan")
            )
        )
        .cast(PROJECT_CHANGES)
    )


def _normalised(name: pl.Expr) -> pl.Expr:
    """A name as compared: no whitespace (also full-width), full-width brackets."""
    return (
        name.fill_null("")
        .str.replace_all(r"\s+", "")
        .str.replace_all("(", "（", literal=True)
        .str.replace_all(")", "）", literal=True)
    )


def _project_side(corpus: Corpus, documents: Sequence[str]) -> pl.DataFrame:
    """One selection's projects with their match keys, numbered in document order."""
    docs = corpus.documents.select("document_id", pl.col("department").alias("_doc_department"))
    exact = _normalised(pl.col("name"))
    return (
        _projects_of(corpus, documents)
        .join(docs, on="document_id", how="left", maintain_order="left")
        .with_row_index("_row")
        .with_columns(
            # The document's department is what a selection is made by; the
            # project's 主管部门 stands in when the title named none.
            department=pl.coalesce("_doc_department", "department"),
            budget_yuan=pl.col("budget_yuan").fill_nan(None),
            _exact=exact,
            _rolled=exact.str.replace(_LEADING_YEAR, ""),
        )
        .with_columns(_department=pl.col("department").fill_null(""))
    )


def _pair(left: pl.DataFrame, right: pl.DataFrame, passes: Iterable[Sequence[str]]) -> pl.DataFrame:
    """Pair rows of ``left`` and ``right`` (by ``_row``) on each pass's keys in turn.

    A later pass only sees the rows earlier passes left unpaired. Rows with
    the same keys pair in ``_row`` order: the first "X" with the first "X".
    Returns ``_l`` and ``_r``, the paired ``_row`` values.
    """
    pairs = pl.DataFrame(schema={"_l": pl.UInt32, "_r": pl.UInt32})
    for keys in passes:
        keys = list(keys)
        ordinal = pl.int_range(pl.len(), dtype=pl.UInt32).over(keys).alias("_n")
        rest_l = left.join(pairs.select(pl.col("_l").alias("_row")), on="_row", how="anti").sort("_row")
        rest_r = right.join(pairs.select(pl.col("_r").alias("_row")), on="_row", how="anti").sort("_row")
        found = rest_l.select(*keys, ordinal, pl.col("_row").alias("_l")).join(
            rest_r.select(*keys, ordinal, pl.col("_row").alias("_r")), on=[*keys, "_n"], how="inner"
        )
        pairs = pl.concat([pairs, found.select("_l", "_r")])
    return pairs


# ---------------------------------------------------------------- targets


def target_changes(
    corpus: Corpus,
    earlier: Sequence[str],
    later: Sequence[str],
    *,
    by_department: bool = True,
) -> pl.DataFrame:
    """Annual targets of continued projects that changed, were added or were removed.

    Projects pair as in :func:`project_changes`; their indicators pair by
    (二级指标, name), whitespace aside, repeats in line order. A paired
    indicator is listed when its annual value changed (module docstring:
    whitespace and the budget year set aside, and "1" and "1次" are the same
    count). ``direction`` is ``raised`` or ``lowered`` when both values are
    numbers of the same kind and unit whose comparators bound the same way
    (≥, > and = from below; ≤, < and = from above), compared by number and
    then by comparator (≥95% → >95% is raised); otherwise ``changed``. An
    indicator of only the later or only the earlier project is ``added`` or
    ``removed``. Columns are those of :data:`TARGET_CHANGES`; ``project`` is
    the later name. Rows follow the later document's projects, then the
    official 一级/二级 order.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> from lib.testing.synth import generate_year_pair
    >>> corpus = load_documents(generate_year_pair(10, seed=1).sources())
    >>> docs = corpus.documents["document_id"]
    >>> changes = target_changes(corpus, [docs[0]], [docs[1]])
    >>> changes.filter(pl.col("level1") == "满意度指标").select("before", "after", "direction").row(0)
    ('≥90%', '≥95%', 'raised')
    """
    projects = project_changes(corpus, earlier, later, by_department=by_department)
    pairs = (
        projects.filter(pl.col("status") == "continued")
        .with_row_index("_pair")
        .select(
            "_pair",
            "department",
            pl.col("name").alias("project"),
            "earlier_project_id",
            "later_project_id",
        )
    )
    left = _indicator_side(corpus, pairs, "earlier_project_id")
    right = _indicator_side(corpus, pairs, "later_project_id")
    matched = _pair(left, right, [["_pair", "_level2", "_name"]])
    values = (
        "indicator_id",
        "level1",
        "level2",
        "name",
        "line",
        "annual_value",
        "annual_kind",
        "annual_op",
        "annual_number",
        "annual_unit",
        "_text",
    )
    e = left.select("_pair", pl.col("_row").alias("_l"), *[pl.col(c).alias(f"e_{c}") for c in values])
    later = right.select("_pair", pl.col("_row").alias("_r"), *[pl.col(c).alias(f"l_{c}") for c in values])
    both = matched.join(e, on="_l").join(later.drop("_pair"), on="_r")
    changed = both.filter(~_same_target()).with_columns(direction=_direction())
    added = later.join(matched, on="_r", how="anti").with_columns(direction=pl.lit("added"))
    removed = e.join(matched, on="_l", how="anti").with_columns(direction=pl.lit("removed"))
    rows = pl.concat([changed, added, removed], how="diagonal_relaxed")
    if rows.is_empty():
        return pl.DataFrame(schema=TARGET_CHANGES)
    return (
        rows.join(pairs, on="_pair", how="left")
        .with_columns(
            level1=pl.coalesce("l_level1", "e_level1"),
            level2=pl.coalesce("l_level2", "e_level2"),
            _line=pl.coalesce("l_line", "e_line"),
        )
        .sort("_pair", "level1", "level2", "_line", nulls_last=True)
        .select(
            "department",
            "project",
            "level1",
            "level2",
            pl.coalesce("l_name", "e_name").alias("indicator"),
            pl.col("e_annual_value").alias("before"),
            pl.col("l_annual_value").alias("after"),
            pl.col("direction").cast(Direction),
            "earlier_project_id",
            "later_project_id",
            pl.col("e_indicator_id").alias("earlier_indicator_id"),
            pl.col("l_indicator_id").alias("later_indicator_id"),
        )
        .cast(TARGET_CHANGES)
    )


def _indicator_side(corpus: Corpus, pairs: pl.DataFrame, id_column: str) -> pl.DataFrame:
    """Indicators of one side's continued projects, keyed for pairing, numbered in corpus order."""
    owners = pairs.select("_pair", pl.col(id_column).alias("project_id"))
    years = corpus.projects.select("project_id", pl.col("budget_year").alias("_year"))
    side = (
        corpus.indicators.join(owners, on="project_id", how="inner", maintain_order="left")
        .join(years, on="project_id", how="left", maintain_order="left")
        .with_row_index("_row")
    )
    return side.with_columns(
        _level2=pl.col("level2").cast(pl.String).fill_null(""),
        _name=_normalised(pl.col("name")),
        _text=_without_year(_normalised(pl.col("annual_value")), side["_year"].unique().drop_nulls().to_list()),
    )


def _without_year(text: pl.Expr, years: Sequence[int]) -> pl.Expr:
    """``text`` with its row's budget year as "{年}": a deadline rolled over a year is unchanged."""
    # polars cannot replace a per-row pattern; a selection holds a handful of
    # years, so one literal replacement per year, picked per row, stays vectorised.
    out = text
    for year in years:
        out = (
            pl.when(pl.col("_year") == year).then(text.str.replace_all(str(year), "{年}", literal=True)).otherwise(out)
        )
    return out


def _same_target() -> pl.Expr:
    """True when a paired indicator's annual target did not change."""
    same_text = pl.col("e__text") == pl.col("l__text")
    return same_text | (_comparable() & (_order_sign() == 0))


def _comparable() -> pl.Expr:
    """Both annual values numbers of one kind and unit, bounded the same way."""
    e_op = pl.col("e_annual_op").cast(pl.String).fill_null("=")
    l_op = pl.col("l_annual_op").cast(pl.String).fill_null("=")
    same_bound = (e_op.is_in(_LOWER_BOUND) & l_op.is_in(_LOWER_BOUND)) | (
        e_op.is_in(_UPPER_BOUND) & l_op.is_in(_UPPER_BOUND)
    )
    # "294" and "294人" are the same count: a unit left out is not a different unit.
    units = (
        pl.col("e_annual_unit").is_null()
        | pl.col("l_annual_unit").is_null()
        | (pl.col("e_annual_unit") == pl.col("l_annual_unit"))
    )
    return (
        (pl.col("e_annual_kind").cast(pl.String) == pl.col("l_annual_kind").cast(pl.String))
        & pl.col("e_annual_number").is_not_null()
        & pl.col("l_annual_number").is_not_null()
        & same_bound
        & units
    ).fill_null(False)


def _order_sign() -> pl.Expr:
    """-1, 0 or 1: where the later target lies from the earlier one on the number line."""
    number = (pl.col("l_annual_number") - pl.col("e_annual_number")).sign()
    ranks = [
        pl.col(f"{side}_annual_op")
        .cast(pl.String)
        .fill_null("=")
        .replace_strict(_OP_RANK, default=2, return_dtype=pl.Int8)
        for side in ("e", "l")
    ]
    return pl.when(number != 0).then(number).otherwise((ranks[1] - ranks[0]).sign().cast(pl.Float64))


def _direction() -> pl.Expr:
    sign = _order_sign()
    return (
        pl.when(_comparable() & (sign > 0))
        .then(pl.lit("raised"))
        .when(_comparable() & (sign < 0))
        .then(pl.lit("lowered"))
        .otherwise(pl.lit("changed"))
    )


# ---------------------------------------------------------------- ranking


def department_ranking(corpus: Corpus, *, findings: pl.DataFrame | None = None) -> pl.DataFrame:
    """Departments per budget year, ranked by budget, or by weighted findings per project.

    One row per (department, year) with projects. Columns: ``rank``,
    ``department``, ``year``, ``budget_yuan``, ``budget_wan`` (unrounded),
    ``projects``, ``indicators``. Given review ``findings`` (a frame with
    ``project_id`` and ``severity`` 高/中/低, as :func:`lib.review.review`
    returns), also ``findings_high``, ``findings_medium``, ``findings_low``,
    ``findings`` and ``score`` = (高 × 3 + 中 × 2 + 低 × 1) ÷ projects, and the
    ranking is by score, highest first -- the department a reviewer should
    read first. Without findings those columns are absent rather than 0,
    since no review is not a clean review. Equal values share a rank; ties
    list by budget, then department and year. Findings of projects outside
    the corpus, or without a project, are ignored.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> department_ranking(load_documents()).select("rank", "projects").row(0)
    (1, 15)
    """
    docs = corpus.documents.select("document_id", "department", "year")
    projects = corpus.projects.select("project_id", "document_id", pl.col("budget_yuan").fill_nan(None)).join(
        docs, on="document_id", how="inner"
    )
    indicator_counts = corpus.indicators.group_by("project_id").agg(pl.len().alias("_indicators"))
    keys = ["department", "year"]
    ranking = (
        projects.join(indicator_counts, on="project_id", how="left")
        .group_by(keys)
        .agg(
            pl.col("budget_yuan").sum(),
            pl.len().cast(pl.UInt32).alias("projects"),
            pl.col("_indicators").fill_null(0).sum().cast(pl.UInt32).alias("indicators"),
        )
        .with_columns(budget_wan=wan_expr("budget_yuan"))
        .select(*keys, "budget_yuan", "budget_wan", "projects", "indicators")
    )
    primary = "budget_yuan"
    if findings is not None:
        primary = "score"
        counts = (
            findings.select("project_id", pl.col("severity").cast(pl.String))
            .join(projects.select("project_id", *keys), on="project_id", how="inner")
            .group_by(keys)
            .agg(
                (pl.col("severity") == severity).sum().cast(pl.UInt32).alias(column)
                for severity, column in SEVERITY_COLUMNS.items()
            )
        )
        weighted = sum(pl.col(column) * SEVERITY_WEIGHTS[s] for s, column in SEVERITY_COLUMNS.items())
        ranking = (
            ranking.join(counts, on=keys, how="left", nulls_equal=True)
            .with_columns(pl.col(list(SEVERITY_COLUMNS.values())).fill_null(0))
            .with_columns(findings=pl.sum_horizontal(list(SEVERITY_COLUMNS.values())).cast(pl.UInt32))
            .with_columns(score=weighted.cast(pl.Float64) / pl.col("projects"))
        )
    return (
        ranking.with_columns(rank=pl.col(primary).fill_null(0).rank("min", descending=True).cast(pl.UInt32))
        .sort(
            ["rank", "budget_yuan", "department", "year"],
            descending=[False, True, False, False],
            nulls_last=True,
        )
        .select("rank", pl.exclude("rank"))
    )
