"""What every check reads: :class:`ReviewFrames`, the corpus with the columns rules share, made once by :func:`prepare`."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from lib import metrics
from lib.model.corpus import Corpus
from lib.model import periods
from lib.review.vocabulary import UNIT_SYNONYMS, name_parts


@dataclass(frozen=True)
class ReviewFrames:
    """What every check reads: the corpus' frames with the derived columns rules share.

    Attributes
    ----------
    projects
        ``Corpus.projects`` plus ``order`` (position in the corpus), ``years``
        (length of a finite implementation period, null for an ongoing or
        unknown one), ``ongoing`` (open-ended as :mod:`lib.model.periods` says)
        and ``one_year`` (starts and ends in the same year). NaN budgets are null.
    indicators
        ``Corpus.indicators`` plus the project's ``document_id``,
        ``project_name``, ``order``, ``budget_yuan``, period columns, and:
        ``bare_name`` (no spaces, no trailing bracket), ``name_note`` (the
        trailing bracket's text: ``人``, ``%``, ``是/否``), ``name_unit`` (a
        count unit the name declares: ``会议人数（人）`` and ``发放代表人数``
        give ``人``), ``is_cost``, the ``target_*`` value (the annual value,
        or the period value where the annual one is missing) and
        ``count_unit`` (the target's count unit, or else the name's).
    values
        One row per indicator and value column (``column`` is ``period`` or
        ``annual``) with ``raw``, ``kind``, ``op``, ``number``, ``unit``:
        rules that look at each written value read this.
    """

    projects: pl.DataFrame
    indicators: pl.DataFrame
    values: pl.DataFrame


def prepare(corpus: Corpus) -> ReviewFrames:
    """The frames every check reads, with the shared derived columns computed once.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> frames = prepare(load_documents())
    >>> frames.indicators.filter(pl.col("name") == "会议人数（人）")["name_unit"].item()
    '人'
    """
    start, end = pl.col("start_year"), pl.col("end_year")
    ongoing = periods.open_ended()
    projects = corpus.projects.with_row_index("order").with_columns(
        pl.col("budget_yuan").fill_nan(None),
        ongoing=ongoing.fill_null(False),
        one_year=(start == end).fill_null(False),
        years=pl.when(~ongoing & (end >= start)).then(end - start + 1).cast(pl.Int32),
    )
    names = corpus.indicators["name"].unique().drop_nulls().to_list()
    parts = {name: name_parts(name) for name in names}

    def lookup(i: int) -> pl.Expr:
        mapping = {name: part[i] for name, part in parts.items()}
        return pl.col("name").replace_strict(mapping, default=None, return_dtype=pl.String)

    annual = pl.col("annual_kind") != "missing"

    def target(field: str) -> pl.Expr:
        return pl.when(annual).then(pl.col(f"annual_{field}")).otherwise(pl.col(f"period_{field}"))

    value_unit = pl.col("target_unit").replace_strict(UNIT_SYNONYMS, default=pl.col("target_unit"))
    indicators = (
        corpus.indicators.join(
            projects.select(
                "project_id",
                "document_id",
                pl.col("name").alias("project_name"),
                "order",
                "budget_yuan",
                "budget_year",
                "start_year",
                "end_year",
                "years",
                "ongoing",
                "one_year",
            ),
            on="project_id",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            bare_name=lookup(0),
            name_note=lookup(1),
            name_unit=lookup(2),
            is_cost=metrics.is_cost_indicator(),
            target_kind=target("kind"),
            target_op=target("op"),
            target_number=target("number"),
            target_unit=target("unit"),
        )
        .with_columns(
            count_unit=pl.when(pl.col("target_kind") == "count").then(pl.coalesce(value_unit, pl.col("name_unit")))
        )
    )
    keep = [
        "indicator_id",
        "project_id",
        "document_id",
        "line",
        "level1",
        "level2",
        "name",
        "bare_name",
        "is_cost",
    ]
    values = pl.concat(
        [
            indicators.select(
                *keep,
                pl.lit(column).alias("column"),
                pl.col(f"{column}_value").alias("raw"),
                pl.col(f"{column}_kind").alias("kind"),
                pl.col(f"{column}_op").alias("op"),
                pl.col(f"{column}_number").alias("number"),
                pl.col(f"{column}_unit").alias("unit"),
            )
            for column in ("period", "annual")
        ]
    ).sort("indicator_id", "column", descending=[False, True])
    return ReviewFrames(projects=projects, indicators=indicators, values=values)
