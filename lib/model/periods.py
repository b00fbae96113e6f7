"""The implementation period (实施周期): when a project counts as open-ended (长期), and how a period is written.

Documents write a project without an end as ending in 2099; some write a
far year instead, or a span of decades. One rule here says "open-ended" for
the card, the charts, the deck and the review alike: the end year is 2099
or later, or at least :data:`OPEN_AFTER_YEARS` past the budget year, or the
period runs :data:`LONG_PERIOD_YEARS` years or more.

The sidebar's 跨年度持续项目 (``lib.filters.period_category``, ``ongoing`` in
URLs) is another question, asked of the budget year: is it strictly inside
the period? An open-ended project usually is; a finished one never.

>>> is_open_ended(2025, 2099, 2026), is_open_ended(2024, 2027, 2026), is_open_ended(1999, 2028, 2026)
(True, False, True)
>>> period_text(2025, 2099, 2026, ongoing="长期"), period_text(2026, 2026, 2026, ongoing="长期"), period_text(None, None, 2026, ongoing="长期")
('2025–长期', '2026–2026', '—')
"""

from __future__ import annotations

import polars as pl

#: The end year the genre writes for "no end".
OPEN_END_YEAR = 2099
#: An end this many years past the budget year is no real end either.
OPEN_AFTER_YEARS = 20
#: A period of this many years or more is standing spending, whatever its end.
LONG_PERIOD_YEARS = 30


def is_open_ended(start: int | None, end: int | None, budget_year: int | None) -> bool:
    """Whether a project's period has no real end (see the module's rule); False when the end is unknown."""
    if end is None:
        return False
    if end >= OPEN_END_YEAR:
        return True
    if budget_year is not None and end >= budget_year + OPEN_AFTER_YEARS:
        return True
    return start is not None and end - start + 1 >= LONG_PERIOD_YEARS


def open_ended(
    start: str | pl.Expr = "start_year",
    end: str | pl.Expr = "end_year",
    budget_year: str | pl.Expr | int = "budget_year",
) -> pl.Expr:
    """:func:`is_open_ended` for columns (or a budget year given as a number); False where the end is null.

    >>> frame = pl.DataFrame({"start_year": [2025, 2024, 1999, None], "end_year": [2099, 2027, 2028, None], "budget_year": 2026})
    >>> frame.select(open_ended().alias("open")).to_series().to_list()
    [True, False, True, False]
    """
    start_expr = pl.col(start) if isinstance(start, str) else start
    end_expr = pl.col(end) if isinstance(end, str) else end
    budget_expr = pl.col(budget_year) if isinstance(budget_year, str) else pl.lit(budget_year)
    return (
        (end_expr >= OPEN_END_YEAR)
        | (end_expr >= budget_expr + OPEN_AFTER_YEARS).fill_null(False)
        | (end_expr - start_expr + 1 >= LONG_PERIOD_YEARS).fill_null(False)
    ).fill_null(False)


def period_text(start: int | None, end: int | None, budget_year: int | None, *, ongoing: str) -> str:
    """A period as the card and the deck write it: ``2025–2027``, ``2025–长期`` (``ongoing``), ``2025–`` or ``—``."""
    if start is None:
        return "—"
    if is_open_ended(start, end, budget_year):
        return f"{start}–{ongoing}"
    return f"{start}–{end}" if end is not None else f"{start}–"
