"""Budget cells as published: source labels, free-text amounts and totals made from 其中 rows.

A budget is written as a number under a 元 or 万元 header, as free text
(``600万(其中：市级财政资金400万元，区级配套200万元)``), or as 资金总额 with
其中 rows and no total at all. Every family reads budgets through this
module, so a free-text amount or a subtotal with its parts is read the same
way everywhere.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from lib.model.money import YUAN_PER_WAN

WAN = YUAN_PER_WAN

#: First cells of a funding-source or spending-breakdown row (其中 rows): never a total.
SOURCE_LABEL = re.compile(
    r"^(其中:?)?("
    r"(财政拨款|财政资金|一般公共预算|政府性基金|上级补助|上级资金|本级资金|其他资金|自筹资金|专项资金|单位自有资金)"
    r"|(基本支出|项目支出|自有资金|财政专户(管理)?资金|事业收入|经营收入|上年结转(资金)?|其他收入|国有资本经营预算)(\(万?元\))?$"
    r")"
)
#: A source that sums the rows under it (财政拨款小计 over 一般公共预算 and 政府性基金).
_SUBTOTAL = re.compile(r"小计|合计")

_AMOUNT = re.compile(r"(?P<number>-?\d[\d,，]*(?:\.\d+)?)\s*(?P<unit>万元|万|亿元|亿|元)?")
_BREAKDOWN = re.compile(r"[(（]\s*(?:其中\s*[:：]?)?(?P<inner>[^()（）]*)[)）]")
_LABELLED = re.compile(r"(?P<label>[^\d,，;；、:：\s(（)）]+?)\s*[:：]?\s*" + _AMOUNT.pattern)


_PERIOD_TOTAL = re.compile(r"^(中期|中长期|长期|实施周期|项目周期)")


def is_period_total(label_key: str) -> bool:
    """True for the label of the whole period's money (中期资金总额): not the year's budget.

    >>> is_period_total("中期资金总额"), is_period_total("年度资金总额")
    (True, False)
    """
    return bool(_PERIOD_TOTAL.match(label_key))


class FreeText(NamedTuple):
    """A budget written as text: the total in yuan and the parts named inside its brackets."""

    amount: float
    parts: list[tuple[str, float]]


def _yuan(number: str, unit: str | None, *, wan: bool) -> float:
    value = float(number.replace(",", "").replace("，", ""))
    if unit in ("万", "万元") or (unit is None and wan):
        value *= WAN
    elif unit in ("亿", "亿元"):
        value *= WAN * WAN
    return round(value, 2)


@functools.lru_cache(maxsize=4096)
def free_text(text: str, *, wan: bool) -> FreeText | None:
    """Read a budget written as free text; ``None`` when ``text`` holds no leading amount with a breakdown or unit.

    The leading amount is the total; a bare number takes the header's unit
    (``wan``), a number followed by 万 is in 万元 whatever the header says.

    >>> free_text("600万(其中：市级财政资金400万元，区级配套200万元)", wan=False)
    FreeText(amount=6000000.0, parts=[('市级财政资金', 4000000.0), ('区级配套', 2000000.0)])
    >>> free_text("120万元", wan=False).amount, free_text("合计", wan=False)
    (1200000.0, None)
    """
    stripped = text.strip()
    lead = _AMOUNT.match(stripped)
    if lead is None:
        return None
    rest = stripped[lead.end() :].strip()
    parts: list[tuple[str, float]] = []
    if rest:
        inner = _BREAKDOWN.fullmatch(rest)
        if inner is None:
            return None
        parts = [
            (match.group("label"), _yuan(match.group("number"), match.group("unit"), wan=wan))
            for match in _LABELLED.finditer(inner.group("inner"))
        ]
    elif lead.group("unit") is None:
        return None
    return FreeText(_yuan(lead.group("number"), lead.group("unit"), wan=wan), parts)


class SourcesTotal(NamedTuple):
    """A budget made from source rows: the total and the rows left out as parts of a subtotal."""

    total: float
    parts_of_subtotals: list[str]


def total_from_sources(sources: list[tuple[str, float]]) -> SourcesTotal:
    """The budget a table gives only as 其中 rows: their sum, each subtotal counted once.

    A 小计 row followed by rows that add up to it (财政拨款小计 = 一般公共预算 +
    政府性基金) is counted, its parts are not.

    >>> total_from_sources([("其中：财政拨款小计", 520.0), ("一般公共预算", 480.0), ("政府性基金", 40.0), ("自有资金", 30.0)])
    SourcesTotal(total=550.0, parts_of_subtotals=['一般公共预算', '政府性基金'])
    """
    total = 0.0
    parts: list[str] = []
    index = 0
    while index < len(sources):
        label, amount = sources[index]
        total += amount
        index += 1
        if not _SUBTOTAL.search(label):
            continue
        running, end = 0.0, index
        while end < len(sources) and running + sources[end][1] <= amount + 0.005:
            running += sources[end][1]
            end += 1
            if abs(running - amount) < 0.005:
                parts.extend(name for name, _ in sources[index:end])
                index = end
                break
    return SourcesTotal(round(total, 2), parts)
