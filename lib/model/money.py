"""Money in the genre's units: 元, 万元 and the other scales, and the 万元 the dashboard shows.

Budgets are kept in 元 (float, rounded to the fen) in every frame; pages,
charts and exports show 万元. The factor between them, and the scale of
every prefix a document writes before 元, live here only.

>>> wan(1_416_000.0)
141.6
>>> SCALES["万"] == YUAN_PER_WAN
True
"""

from __future__ import annotations

import polars as pl

#: 元 in one 万元.
YUAN_PER_WAN = 10_000
#: 元 in one 亿元: totals of at least this much are shown in 亿元 (a reader says 83.29 亿元, not 832,906.83 万元).
YUAN_PER_YI = 100_000_000
#: The prefixes documents write before 元 (万元, 亿元 …) and the 元 each stands for; ``None`` is plain 元.
SCALES: dict[str | None, int] = {
    None: 1,
    "千": 1_000,
    "万": YUAN_PER_WAN,
    "百万": 1_000_000,
    "千万": 10_000_000,
    "亿": 100_000_000,
}
#: The same, as the unit is written after a number: 元, 万元, 亿元 ….
UNIT_SCALES: dict[str, int] = {f"{prefix or ''}元": scale for prefix, scale in SCALES.items()}


def shown_unit(yuan: float | None) -> str:
    """The unit a total is shown in: "亿元" from 1 亿元 (10,000 万元) up, else "万元".

    >>> shown_unit(10_882_500), shown_unit(8_329_068_300)
    ('万元', '亿元')
    """
    return "亿元" if yuan is not None and abs(yuan) >= YUAN_PER_YI else "万元"


def wan(yuan: float) -> float:
    """An amount in 元 as 万元."""
    return yuan / YUAN_PER_WAN


def wan_expr(column: str | pl.Expr) -> pl.Expr:
    """A column of 元 as 万元 (the alias is the caller's).

    >>> pl.DataFrame({"budget_yuan": [1_416_000.0]}).select(wan_expr("budget_yuan")).item()
    141.6
    """
    expr = pl.col(column) if isinstance(column, str) else column
    return expr / YUAN_PER_WAN
