"""Classify indicator values (实施周期指标值 / 年度指标值): kind, comparator, number, unit.

The raw text is kept by the loader; this module only reads it. Every string
gets a classification and nothing raises: a format we do not recognise is
``text``, so a reviewer sees it instead of losing the row.

Decisions on ambiguous formats (tests are named after them):

- A pure duration is a ``count`` with a time unit, whatever its comparator:
  ``≤30天`` and ``3个工作日内`` are ``count ≤ 30 天`` / ``count ≤ 3 工作日``
  (``个`` dropped before 工作日/月/小时/季度/星期). A calendar point is a
  ``deadline``: ``2026年``, ``12月``, ``6月底``, ``15日前``, ``2026年6月30日前``,
  and sentences with a time limit (次月上旬, 按时, 规定时间内...).
- ``及时`` is vague (review rule 6), so it is ``text``; ``按时``/``按期`` are deadlines.
- ``万`` and ``亿`` before a count unit are multipliers (``1.2万人次`` is 12000 人次);
  ``千`` is not, because ``千米`` and ``千瓦时`` are units.
- A placeholder number (``XX%``, ``≥**个``) makes the whole value ``missing``,
  and so does the unfilled template choice ``是/否``.
- A trailing ``完成`` is ignored (``100%完成`` is ``percent = 100``).
- Grade words with ``以上`` (``良好以上``) are still ``grade`` without an op:
  grades are not numbers, so no comparator is recorded.
- Units longer than five characters (``64个镇街全覆盖``) mean a sentence: ``text``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import polars as pl

from lib import schema
from lib.model.money import SCALES

__all__ = ["ParsedValue", "parse_value", "parse_value_columns"]


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """One classified indicator value.

    Attributes
    ----------
    kind
        One of :data:`lib.schema.VALUE_KINDS`.
    op
        One of :data:`lib.schema.OPS`, or ``None`` when the value has no number.
    number
        The number, converted to 元 for money (万元 × 10 000, 亿元 × 10⁸).
    unit
        ``"%"``, ``"±%"``, ``"元"``, ``"元/人/年"``, a count unit such as ``"个"``,
        or ``None``.
    """

    kind: str
    op: str | None
    number: float | None
    unit: str | None


_MISSING = ParsedValue("missing", None, None, None)
_TEXT = ParsedValue("text", None, None, None)
_DEADLINE = ParsedValue("deadline", None, None, None)
_GRADE = ParsedValue("grade", None, None, None)
_BOOLEAN = ParsedValue("boolean", None, None, None)

# Targeted instead of NFKC: NFKC also turns ① into 1 and ㎡ into m2, which
# would make numbers out of list markers and change units.
_TRANSLATE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TRANSLATE.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",
        ord("≧"): "≥",
        ord("≦"): "≤",
        ord("⩾"): "≥",
        ord("⩽"): "≤",
        ord("﹪"): "%",
        ord("−"): "-",  # minus sign
        ord("﹤"): "<",
        ord("﹥"): ">",
    }
)

_WHITESPACE = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Cost rates write 元/人·月 as often as 元/人/月.
_UNIT_SEPARATOR = re.compile(r"[·・•∙]")

_PLACEHOLDER = re.compile(r"[Xx×*/\-—–_.…]+|无|暂无")
_BOOLEANS = frozenset({"是", "否"})
_GRADES = frozenset(
    {
        "优", "良", "中", "差", "好", "高",
        "优秀", "良好", "较好", "很好", "合格", "优良", "达标", "较高",
        "满意", "一般", "较差", "及格", "中等", "优等", "不合格", "不达标",
        "基本满意", "比较满意", "非常满意", "很满意", "较满意",
    }
)  # fmt: skip
_GRADE_WITH_FLOOR = re.compile(r"(?P<word>.+?)(?:及以上|以上)")

_OP_WORDS: dict[str, str] = {
    ">=": "≥", "=>": "≥", "≥": "≥",
    "大于或等于": "≥", "大于等于": "≥", "不低于": "≥",
    "不少于": "≥", "不小于": "≥", "至少": "≥",
    "<=": "≤", "=<": "≤", "≤": "≤",
    "小于或等于": "≤", "小于等于": "≤", "不高于": "≤",
    "不超过": "≤", "不多于": "≤", "不大于": "≤", "至多": "≤", "最多": "≤",
    ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    "<": "<", "小于": "<", "低于": "<", "少于": "<",
    "==": "=", "=": "=",
}  # fmt: skip
_SUFFIX_OPS: dict[str, str] = {
    "及以上": "≥", "以上": "≥",
    "及以下": "≤", "以下": "≤", "以内": "≤", "之内": "≤", "内": "≤",
}  # fmt: skip
_BEFORE = ("之前", "以前", "前")


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that ">=" is not read as ">" and a unit starting with "=".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMERIC = re.compile(
    rf"(?P<op>{_alternation(_OP_WORDS)})?"
    r"(?P<tol>±)?"
    r"(?P<num>[-+]?[0-9]+(?:\.[0-9]+)?|[Xx*]+)"
    r"(?P<unit>[^0-9<>=≥≤±]*?)"
    rf"(?P<suffix>{_alternation([*_SUFFIX_OPS, *_BEFORE])})?"
    # 100%完成 is the same target as 100%.
    r"(?:完成)?"
)

_MONEY = re.compile(r"(?P<scale>亿|千万|百万|万|千)?元(?P<per>(?:/[^/]+)*)")
_MONEY_SCALE = SCALES
_PER_PART = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,4}")
_COUNT_UNIT = re.compile(
    r"[\u4e00-\u9fffA-Za-z°℃²³㎡㎞]{1,5}"  # 个, 人次, 平方米, km
    r"(?:/[\u4e00-\u9fffA-Za-z²³㎡]{1,4})*"  # 次/年
)
_COUNT_SCALE = {"万": SCALES["万"], "亿": SCALES["亿"]}
# 3个工作日 and 3工作日 are the same duration; 1个 keeps its 个.
_DURATION_UNITS = {
    "个工作日": "工作日",
    "个月": "月",
    "个小时": "小时",
    "个季度": "季度",
    "个星期": "星期",
}

_DEADLINE_PATTERN = re.compile(
    r"\d{4}\s*年"
    r"|\d{4}[-/.]\d{1,2}"
    r"|\d{1,2}月"
    r"|\d{1,2}日"
    r"|上旬|中旬|下旬|年底|年末|年初|月底|月末|月初|季末|季度"
    r"|按时|按期|如期|准时|限期|截止"
    r"|当年|当月|次月|次年|工作日|年内|月内|周内|天内|日内|小时内"
    r"|时间内|时限内|期限内|周期内|规定时间|规定时限|规定期限"
    r"|前完成|之前|以前|前$"
)


def _normalise(text: str) -> str:
    text = text.translate(_TRANSLATE)
    text = _WHITESPACE.sub("", text)
    text = _THOUSANDS.sub("", text)
    return _UNIT_SEPARATOR.sub("/", text)


def _scaled(number: str, scale: int) -> float:
    # Decimal keeps 141.6万元 at exactly 1416000.0, where 141.6 * 10000 would not be.
    value = float(Decimal(number) * scale)
    if not math.isfinite(value):
        msg = f"number out of range: {number[:20]}..."
        raise OverflowError(msg)
    return value


def _numeric(match: re.Match[str]) -> ParsedValue | None:
    """Classify comparator + number + unit; ``None`` when the unit reads like a sentence."""
    num = match["num"]
    if not num[-1].isdigit():
        return _MISSING
    unit = match["unit"]
    suffix = match["suffix"]
    op = _OP_WORDS.get(match["op"] or "") or _SUFFIX_OPS.get(suffix or "") or "="

    if match["tol"]:
        # ±3% is a tolerance band: the deviation is at most 3%.
        return ParsedValue("percent", "≤", _scaled(num, 1), "±%") if unit == "%" else None
    if suffix in _BEFORE:
        return _DEADLINE
    if unit.startswith("年") and re.fullmatch(r"(19|20)\d\d", num):
        return _DEADLINE
    if unit.startswith("月") and num.isdigit() and 1 <= int(num) <= 12:
        return _DEADLINE
    if unit in ("%", "‰"):
        return ParsedValue("percent", op, _scaled(num, 1), unit)

    money = _MONEY.fullmatch(unit)
    if money:
        number = _scaled(num, _MONEY_SCALE[money["scale"]])
        per = money["per"]
        if not per:
            return ParsedValue("amount", op, number, "元")
        if all(_PER_PART.fullmatch(p) for p in per.split("/")[1:]):
            return ParsedValue("rate", op, number, "元" + per)
        return None

    if not unit:
        return ParsedValue("count", op, _scaled(num, 1), None)
    scale = _COUNT_SCALE.get(unit[0], 1)
    if scale != 1:
        unit = unit[1:]
    if unit and not _COUNT_UNIT.fullmatch(unit):
        return None
    unit = _DURATION_UNITS.get(unit, unit)
    return ParsedValue("count", op, _scaled(num, scale), unit or None)


def _unit_only(text: str) -> ParsedValue | None:
    money = _MONEY.fullmatch(text)
    if money is None:
        return None
    per = money["per"]
    if not per:
        return ParsedValue("amount", None, None, "元")
    if all(_PER_PART.fullmatch(p) for p in per.split("/")[1:]):
        return ParsedValue("rate", None, None, "元" + per)
    return None


@functools.lru_cache(maxsize=1 << 16)
def parse_value(text: str | None) -> ParsedValue:
    """Classify one indicator value; never raises.

    Parameters
    ----------
    text
        The raw cell text, or ``None`` for an absent cell.

    Returns
    -------
    ParsedValue
        Kind, comparator, number and unit; unknown formats are ``text``.

    Examples
    --------
    >>> parse_value("≤141.6万元")
    ParsedValue(kind='amount', op='≤', number=1416000.0, unit='元')
    """
    if text is None:
        return _MISSING
    s = _normalise(str(text))
    if not s or _PLACEHOLDER.fullmatch(s) or s == "是/否":
        return _MISSING
    if s in _BOOLEANS:
        return _BOOLEAN
    floor = _GRADE_WITH_FLOOR.fullmatch(s)
    if s in _GRADES or (floor is not None and floor["word"] in _GRADES):
        return _GRADE
    try:
        match = _NUMERIC.fullmatch(s)
        numeric = _numeric(match) if match is not None else None
        if numeric is not None:
            return numeric
    except (InvalidOperation, ValueError, OverflowError):
        # Only absurdly long digit strings get here; they are not targets.
        return _TEXT
    unit_only = _unit_only(s)
    if unit_only is not None:
        return unit_only
    if _DEADLINE_PATTERN.search(s):
        return _DEADLINE
    return _TEXT


def parse_value_columns(values: pl.Series, *, prefix: str) -> pl.DataFrame:
    """Classify a column of indicator values into four typed columns.

    Each distinct value is parsed once and joined back, so cost follows the
    number of distinct values (a few thousand), not the number of rows.

    Parameters
    ----------
    values
        String (or Categorical/Enum/Null) series of raw values; nulls are ``missing``.
    prefix
        Column prefix, e.g. ``"annual"`` gives ``annual_kind``, ``annual_op``,
        ``annual_number``, ``annual_unit`` with the dtypes of :mod:`lib.schema`.

    Returns
    -------
    pl.DataFrame
        One row per element of ``values``, in order.

    Examples
    --------
    >>> parse_value_columns(pl.Series(["≥95%", None]), prefix="annual").row(0)
    ('percent', '≥', 95.0, '%')
    """
    dtype = values.dtype
    if not (dtype == pl.String or isinstance(dtype, (pl.Null, pl.Categorical, pl.Enum))):
        msg = f"parse_value_columns: expected a String series, got {dtype} ({values.name!r})"
        raise TypeError(msg)
    key = "__value"
    columns = {
        f"{prefix}_kind": schema.Kind,
        f"{prefix}_op": schema.Op,
        f"{prefix}_number": pl.Float64(),
        f"{prefix}_unit": pl.String(),
    }
    raw = values.cast(pl.String).rename(key)
    distinct = raw.unique()
    parsed = [parse_value(v) for v in distinct.to_list()]
    lookup = pl.DataFrame(
        {
            key: distinct,
            f"{prefix}_kind": [p.kind for p in parsed],
            f"{prefix}_op": [p.op for p in parsed],
            f"{prefix}_number": [p.number for p in parsed],
            f"{prefix}_unit": [p.unit for p in parsed],
        },
        schema={key: pl.String(), **columns},
    )
    joined = raw.to_frame().join(lookup, on=key, how="left", nulls_equal=True, maintain_order="left")
    return joined.select(list(columns))
