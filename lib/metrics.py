"""Figures and small tables over the loaded frames: what the pages and charts show.

Frames go in (the schemas of :mod:`lib.schema`), small frames or a dataclass
come out; nothing here draws or formats for a widget. Money is kept in 元 for
arithmetic and shown in 万元 with two decimals and thousands separators.

Rounding rule, used everywhere money is shown: a yuan amount is first taken
to the cent, then to 0.01 万元 (100 元) rounding half up. When parts of a total
are shown together, :func:`apportion_wan` rounds them by largest remainder so
the parts shown always add up to the total shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from lib import schema
from lib.model.money import YUAN_PER_WAN, YUAN_PER_YI, shown_unit

__all__ = [
    "KeyFigures",
    "QUALITATIVE_KINDS",
    "UNNAMED_DEPARTMENT",
    "allocation_table",
    "apportion",
    "by_department",
    "department_column",
    "department_count",
    "format_money",
    "apportion_wan",
    "card_indicators",
    "cost_caps",
    "format_share",
    "format_wan",
    "is_cost_indicator",
    "key_figures",
    "percent_target_label",
    "percent_targets",
    "rank_by_budget",
    "value_kind_shares",
    "wan",
]

#: Value kinds that state a target in words rather than a number.
QUALITATIVE_KINDS: frozenset[str] = frozenset({"grade", "boolean", "deadline", "text"})

# 0.01 万元 expressed in cents: the unit every shown amount is rounded to.
_CENTS_PER_SHOWN_UNIT = YUAN_PER_WAN // 100 * 100  # 0.01 万元 = 100 元 = 10,000 分
_MISSING = "—"

# How a comparator is written in front of a percent target; "=" is implied.
_OP_PREFIX = {"≥": "≥", "≤": "≤", ">": ">", "<": "<", "=": ""}
# Order of targets with the same number on a number line: ≤x and <x lie
# below an exact x, ≥x and >x above it.
_OP_RANK = {"<": 0, "≤": 1, "=": 2, "≥": 3, ">": 4}


# ---------------------------------------------------------------- formatting


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _shown_units(yuan: float) -> int:
    """``yuan`` as a whole number of 0.01 万元, rounded half up (away from zero)."""
    # Budgets are written to the cent; going through integer cents keeps the
    # half-up rule exact instead of at the mercy of binary floats (10,050 元
    # is 1.005 万元, stored as 1.00499999..., and must show as 1.01).
    cents = round(yuan * 100)
    units, rest = divmod(abs(cents), _CENTS_PER_SHOWN_UNIT)
    units += rest * 2 >= _CENTS_PER_SHOWN_UNIT
    return units if cents >= 0 else -units


def wan(yuan: float | None) -> float | None:
    """An amount in 元 converted to 万元, unrounded; ``None`` (or NaN) stays ``None``.

    Examples
    --------
    >>> wan(1_976_800)
    197.68
    """
    if _is_missing(yuan):
        return None
    return yuan / YUAN_PER_WAN


def format_wan(yuan: float | None) -> str:
    """An amount in 元 shown in 万元: two decimals, thousands separators, "—" if missing.

    Examples
    --------
    >>> format_wan(10_882_500), format_wan(None)
    ('1,088.25', '—')
    """
    if _is_missing(yuan):
        return _MISSING
    return f"{_shown_units(yuan) / 100:,.2f}"


def format_share(x: float | None) -> str:
    """A share between 0 and 1 shown as a percentage with two decimals, "—" if missing.

    Examples
    --------
    >>> format_share(1_976_800 / 10_882_500)
    '18.16%'
    """
    if _is_missing(x):
        return _MISSING
    return f"{x:.2%}"


def format_money(yuan: float | None, unit: str | None = None) -> str:
    """An amount in 元 as a number in ``unit`` ("万元" or "亿元"; default :func:`lib.model.money.shown_unit`).

    Two decimals, thousands separators, half up from the cent as
    :func:`format_wan`; the unit itself is the caller's to write (a label
    or a column header names it).

    Examples
    --------
    >>> format_money(10_882_500), format_money(8_329_068_300), format_money(8_329_068_300, "万元")
    ('1,088.25', '83.29', '832,906.83')
    """
    if _is_missing(yuan):
        return _MISSING
    if (unit or shown_unit(yuan)) == "万元":
        return format_wan(yuan)
    cents = round(yuan * 100)
    per_shown = YUAN_PER_YI  # 0.01 亿元 in cents
    units, rest = divmod(abs(cents), per_shown)
    units += rest * 2 >= per_shown
    return f"{(units if cents >= 0 else -units) / 100:,.2f}"


def apportion_wan(yuan: Sequence[float | None]) -> list[float | None]:
    """Parts of a total in 万元, rounded to 0.01 so that they add up to the rounded total.

    Each part is rounded down, then the hundredths still missing from the
    total (rounded half up, as :func:`format_wan` does) go to the parts with
    the largest remainders, earlier parts first on ties. A part is therefore
    never more than 0.01 away from its own rounding. Missing parts stay
    ``None`` and count as 0.

    Examples
    --------
    >>> apportion_wan([3_333.33, 3_333.33, 3_333.34, None])
    [0.33, 0.33, 0.34, None]
    """
    return apportion(yuan, "万元")


def apportion(yuan: Sequence[float | None], unit: str) -> list[float | None]:
    """:func:`apportion_wan` in ``unit`` ("万元" or "亿元"): parts to 0.01 of it, adding up to the rounded total.

    Examples
    --------
    >>> apportion([150_000_000, 150_000_000, 100_000_000], "亿元")
    [1.5, 1.5, 1.0]
    """
    per_shown = YUAN_PER_YI if unit == "亿元" else YUAN_PER_WAN  # 0.01 of the unit, in cents
    cents = [None if _is_missing(y) else round(y * 100) for y in yuan]
    present = [c for c in cents if c is not None]
    if not present:
        return [None] * len(cents)
    total = sum(present)
    target, rest = divmod(abs(total), per_shown)
    target += rest * 2 >= per_shown
    target = target if total >= 0 else -target
    floors = {i: c // per_shown for i, c in enumerate(cents) if c is not None}
    remainders = {i: c % per_shown for i, c in enumerate(cents) if c is not None}
    missing_units = target - sum(floors.values())
    by_remainder = sorted(remainders, key=lambda i: (-remainders[i], i))
    for i in by_remainder[:missing_units]:
        floors[i] += 1
    return [None if c is None else floors[i] / 100 for i, c in enumerate(cents)]


# ---------------------------------------------------------------- overview


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """The overview's headline numbers.

    Attributes
    ----------
    total_yuan
        Sum of the budgets in 元 (missing budgets count as 0).
    project_count, indicator_count
        Rows of the two frames.
    largest_name, largest_yuan, largest_share
        The project with the largest budget, its budget and its share of the
        total; ``None`` without projects or without a positive total.
    top5_share
        Share of the total held by the five largest budgets, ``None`` likewise.
    """

    total_yuan: float
    project_count: int
    indicator_count: int
    largest_name: str | None
    largest_yuan: float | None
    largest_share: float | None
    top5_share: float | None


def key_figures(projects: pl.DataFrame, indicators: pl.DataFrame) -> KeyFigures:
    """Headline numbers of a (filtered) set of projects and their indicators.

    Empty frames give zeros and ``None`` rather than an error, so a filter
    that matches nothing still renders.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> figures = key_figures(corpus.projects, corpus.indicators)
    >>> figures.total_yuan, figures.largest_name, format_share(figures.largest_share)
    (10882500.0, '人代会', '18.16%')
    """
    budgets = rank_by_budget(projects)
    total = float(projects["budget_yuan"].fill_nan(None).sum() or 0.0)
    largest_name = largest_yuan = largest_share = top5_share = None
    if budgets.height and budgets["budget_yuan"][0] is not None:
        largest_name = budgets["name"][0]
        largest_yuan = float(budgets["budget_yuan"][0])
        if total > 0:
            largest_share = largest_yuan / total
            top5_share = float(budgets["budget_yuan"].head(5).sum()) / total
    return KeyFigures(
        total_yuan=total,
        project_count=projects.height,
        indicator_count=indicators.height,
        largest_name=largest_name,
        largest_yuan=largest_yuan,
        largest_share=largest_share,
        top5_share=top5_share,
    )


def rank_by_budget(projects: pl.DataFrame) -> pl.DataFrame:
    """Projects sorted by budget, largest first; missing budgets (null or NaN) last as null.

    Ties keep document order, so every chart and table ranks them the same way.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> rank_by_budget(load_documents().projects)["name"][0]
    '人代会'
    """
    # NaN would sort above every number; it means "no amount", like null.
    return projects.with_columns(pl.col("budget_yuan").fill_nan(None)).sort(
        "budget_yuan", descending=True, nulls_last=True, maintain_order=True
    )


def largest_projects(
    projects: pl.DataFrame, indicators: pl.DataFrame, *, n: int = 30
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ``n`` largest projects (by budget, in document order) and their indicators.

    Charts with one row per project (timeline, heatmap, value kinds) stay
    readable, and light to send to a browser, however large the corpus is;
    the caller says on screen that only the largest are shown.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> c = load_documents()
    >>> p, i = largest_projects(c.projects, c.indicators, n=2)
    >>> p["name"].to_list(), i.height
    (['人代会', '市人大常委会法制工作委员会专项经费'], 28)
    """
    if projects.height <= n:
        return projects, indicators
    keep = rank_by_budget(projects).head(n)["project_id"]
    kept = projects.filter(pl.col("project_id").is_in(keep.implode()))
    return kept, indicators.filter(pl.col("project_id").is_in(keep.implode()))


def allocation_table(projects: pl.DataFrame) -> pl.DataFrame:
    """Projects ranked by budget, with each one's share and the running share.

    Columns: ``project_id``, ``name``, ``type``, ``department`` (as the
    projects' column has it, :data:`UNNAMED_DEPARTMENT` when null),
    ``budget_wan`` (万元, rounded with :func:`apportion_wan` so the column adds
    up to the rounded total), ``share`` and ``cumulative_share`` (0..1, from
    the unrounded amounts) and ``department_share`` (of its department's budget).
    Sorted by budget descending, document order among ties. A project
    without a budget sorts last, has a null ``budget_wan`` and counts as 0 in
    the shares. Shares are null when the total is not positive.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> table = allocation_table(load_documents().projects)
    >>> table.select("name", "budget_wan").row(0)
    ('人代会', 197.68)
    """
    ranked = rank_by_budget(projects)
    total = float(ranked["budget_yuan"].sum() or 0.0)
    budget = pl.col("budget_yuan").fill_null(0.0)
    if total > 0:
        share = budget / total
        cumulative = budget.cum_sum() / total
    else:
        share = cumulative = pl.lit(None, dtype=pl.Float64)
    named = pl.col("department") if "department" in ranked.columns else pl.lit(None, dtype=pl.String)
    department = named.fill_null(UNNAMED_DEPARTMENT)
    within = pl.col("budget_yuan").fill_null(0.0) / pl.col("budget_yuan").fill_null(0.0).sum().over(department)
    return ranked.select(
        "project_id",
        "name",
        "type",
        department.alias("department"),
        pl.Series("budget_wan", apportion_wan(ranked["budget_yuan"].to_list()), dtype=pl.Float64),
        share.alias("share"),
        cumulative.alias("cumulative_share"),
        # The share of its department's budget (null when that budget is not positive).
        pl.when(pl.col("budget_yuan").fill_null(0.0).sum().over(department) > 0)
        .then(within)
        .otherwise(None)
        .alias("department_share"),
    )


# ---------------------------------------------------------------- departments

#: The department of a project whose table and document both leave it unnamed.
UNNAMED_DEPARTMENT = "（未注明部门）"


def department_column(projects: pl.DataFrame, documents: pl.DataFrame) -> pl.Series:
    """Each project's department: its table's 主管部门, else its document's department, else :data:`UNNAMED_DEPARTMENT`.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> department_column(corpus.projects, corpus.documents).unique().to_list()
    ['东莞市人民代表大会常务委员会办公室']
    """
    of_document = documents.select("document_id", pl.col("department").alias("_document_department"))
    joined = projects.select("document_id", "department").join(
        of_document, on="document_id", how="left", maintain_order="left"
    )
    return joined.select(
        pl.coalesce(
            pl.col("department").str.strip_chars().replace("", None),
            pl.col("_document_department").str.strip_chars().replace("", None),
            pl.lit(UNNAMED_DEPARTMENT),
        ).alias("department")
    ).to_series()


def by_department(projects: pl.DataFrame) -> pl.DataFrame:
    """Budget per department, largest first: ``department``, ``budget_yuan``, ``projects``, ``budget_wan``, shares.

    The department is the projects' ``department`` column, as
    :func:`department_column` fills it (a null one counts as
    :data:`UNNAMED_DEPARTMENT`). ``budget_wan`` is apportioned
    (:func:`apportion_wan`) so the departments add up to the total shown;
    ``share`` and ``cumulative_share`` come from the unrounded amounts (null
    when the total is not positive).

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> projects = corpus.projects.with_columns(department_column(corpus.projects, corpus.documents))
    >>> by_department(projects).select("department", "projects", "budget_wan").row(0)
    ('东莞市人民代表大会常务委员会办公室', 15, 1088.25)
    """
    grouped = (
        projects.select(pl.col("department").fill_null(UNNAMED_DEPARTMENT), pl.col("budget_yuan").fill_nan(None))
        .group_by("department", maintain_order=True)
        .agg(pl.col("budget_yuan").sum(), projects=pl.len())
        .sort("budget_yuan", descending=True, maintain_order=True)
    )
    total = float(grouped["budget_yuan"].sum() or 0.0)
    shares = (
        [pl.col("budget_yuan") / total, pl.col("budget_yuan").cum_sum() / total]
        if total > 0
        else [pl.lit(None, dtype=pl.Float64)] * 2
    )
    return grouped.with_columns(
        pl.col("projects").cast(pl.Int64),
        pl.Series("budget_wan", apportion_wan(grouped["budget_yuan"].to_list()), dtype=pl.Float64),
        shares[0].alias("share"),
        shares[1].alias("cumulative_share"),
    )


def department_count(projects: pl.DataFrame) -> int:
    """How many departments the projects belong to (0 without a ``department`` column or projects)."""
    return projects["department"].fill_null(UNNAMED_DEPARTMENT).n_unique() if "department" in projects.columns else 0


# ---------------------------------------------------------------- cost caps


def is_cost_indicator() -> pl.Expr:
    """True for a cost indicator: 一级 成本指标, or 二级 成本指标 of the pre-2021 template.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> load_documents().indicators.filter(is_cost_indicator()).height
    30
    """
    # Before 2021 the cost category sat under 产出指标 as a 二级; it caps the
    # same money, so a reviewer compares it with the budget all the same.
    return (pl.col("level1") == "成本指标") | (pl.col("level2") == "成本指标")


def cost_caps(projects: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Each cost indicator stated as an amount of money, next to its project's budget.

    A cost cap is a cost indicator (:func:`is_cost_indicator`) whose annual
    or period value is an ``amount`` (``≤141.6万元``); rates such as
    ``1000元/人/年`` are not caps. One row per cap, in project then line order.
    Columns: ``project_id``, ``name`` (project), ``budget_yuan``,
    ``indicator_id``, ``indicator`` (its 三级 name), ``annual_cap_yuan``,
    ``period_cap_yuan`` (null when that value is not an amount) and ``ratio``
    = annual cap / budget (null without both). Review rule 8: a ratio above 1
    is a cap above the budget; a ratio other than 1 deserves a look.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> caps = cost_caps(corpus.projects, corpus.indicators)
    >>> caps.filter(pl.col("name") == "人代会").select("indicator", "ratio").rows()
    [('预算控制数', 1.0), ('会议费', 1.0)]
    """
    amount = pl.lit("amount")
    caps = indicators.filter(
        is_cost_indicator() & ((pl.col("annual_kind") == amount) | (pl.col("period_kind") == amount))
    ).select(
        "project_id",
        "indicator_id",
        pl.col("line").alias("_line"),
        pl.col("name").alias("indicator"),
        pl.when(pl.col("annual_kind") == amount).then(pl.col("annual_number")).alias("annual_cap_yuan"),
        pl.when(pl.col("period_kind") == amount).then(pl.col("period_number")).alias("period_cap_yuan"),
    )
    budget = pl.col("budget_yuan").fill_nan(None)
    return (
        projects.select("project_id", "name", budget.alias("budget_yuan"))
        .with_row_index("_order")
        .join(caps, on="project_id", how="inner")
        .sort("_order", "_line")
        .select(
            "project_id",
            "name",
            "budget_yuan",
            "indicator_id",
            "indicator",
            "annual_cap_yuan",
            "period_cap_yuan",
            pl.when(pl.col("budget_yuan") > 0).then(pl.col("annual_cap_yuan") / pl.col("budget_yuan")).alias("ratio"),
        )
    )


# ---------------------------------------------------------------- indicators


def card_indicators(indicators: pl.DataFrame, project_id: str) -> pl.DataFrame:
    """One project's indicators in the order of the official table, flagging changed values.

    Sorted by 一级 and 二级 in the official order (their ``pl.Enum`` order),
    then by line in the document. ``differs`` is true when the annual value
    is not the period value as written, including when only one of them is
    given (review rule 11); two missing values do not differ.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> card = card_indicators(load_documents().indicators, "9f27546f4dbff9fd-003")
    >>> card.filter("differs").select("name", "period_value", "annual_value").row(0)
    ('新闻奖开展次数', '3', '1')
    """
    return (
        indicators.filter(pl.col("project_id") == project_id)
        .sort("level1", "level2", "line", nulls_last=True)
        .with_columns(differs=pl.col("annual_value").ne_missing(pl.col("period_value")))
    )


def value_kind_shares(projects: pl.DataFrame, indicators: pl.DataFrame) -> pl.DataFrame:
    """Per project, how many annual targets are numbers, words, or missing.

    Quantitative kinds are :data:`lib.schema.QUANTITATIVE_KINDS`, qualitative
    ones :data:`QUALITATIVE_KINDS`; everything else (``missing``, or no kind
    at all) is missing. Columns: ``project_id``, ``name``, ``quantitative``,
    ``qualitative``, ``missing``, ``total`` (counts) and the three shares
    ``quantitative_share``, ``qualitative_share``, ``missing_share`` (null for
    a project without indicators). Projects keep their order.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> shares = value_kind_shares(corpus.projects, corpus.indicators)
    >>> shares.select("quantitative", "qualitative", "missing").sum().row(0)
    (149, 22, 1)
    """
    kind = pl.col("annual_kind").cast(pl.String)
    counted = indicators.group_by("project_id").agg(
        quantitative=kind.is_in(sorted(schema.QUANTITATIVE_KINDS)).sum(),
        qualitative=kind.is_in(sorted(QUALITATIVE_KINDS)).sum(),
        total=pl.len(),
    )
    groups = ("quantitative", "qualitative", "missing")
    return (
        projects.select("project_id", "name")
        .join(counted, on="project_id", how="left", maintain_order="left")
        .with_columns(pl.col("quantitative", "qualitative", "total").fill_null(0).cast(pl.UInt32))
        .with_columns(missing=pl.col("total") - pl.col("quantitative") - pl.col("qualitative"))
        .select(
            "project_id",
            "name",
            *groups,
            "total",
            *[pl.when(pl.col("total") > 0).then(pl.col(g) / pl.col("total")).alias(f"{g}_share") for g in groups],
        )
    )


def percent_target_label(op: str | None, number: float) -> str:
    """A percent target written the usual way: ``≥90%``, ``100%`` ("=" is implied).

    Examples
    --------
    >>> percent_target_label("≥", 95.0), percent_target_label("=", 100.0)
    ('≥95%', '100%')
    """
    return f"{_OP_PREFIX.get(op or '=', op or '')}{number:g}%"


def percent_targets(indicators: pl.DataFrame) -> pl.DataFrame:
    """How many annual percentage targets each 一级 category sets at each level.

    Only annual values of kind ``percent`` with a number count. The target is
    rewritten from comparator and number (``≥ 95%`` and ``≥95%`` are the same
    target). Columns: ``level1``, ``target`` (text), ``op``, ``number``,
    ``count``; ordered by number, then comparator on a number line (``100%``
    before ``≥100%``), then 一级 in the official order.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> targets = percent_targets(load_documents().indicators)
    >>> targets.group_by("target", maintain_order=True).agg(pl.sum("count")).rows()
    [('≥90%', 10), ('≥95%', 29), ('100%', 53), ('≥100%', 2)]
    """
    percent = indicators.filter((pl.col("annual_kind") == "percent") & pl.col("annual_number").is_not_null()).select(
        "level1",
        pl.col("annual_op").cast(pl.String).fill_null("=").alias("op"),
        pl.col("annual_number").alias("number"),
    )
    counted = percent.group_by("level1", "op", "number").agg(count=pl.len())
    # One label per (comparator, number) group, made in Python outside polars.
    labels = [percent_target_label(op, number) for op, number in counted.select("op", "number").iter_rows()]
    return (
        counted.with_columns(
            target=pl.Series(labels, dtype=pl.String),
            _rank=pl.col("op").replace_strict(_OP_RANK, default=len(_OP_RANK), return_dtype=pl.Int8),
        )
        .sort("number", "_rank", "level1")
        .select("level1", "target", "op", "number", pl.col("count").cast(pl.UInt32))
    )
