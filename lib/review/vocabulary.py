"""The words review rules share: count units, what an indicator's name declares, how a finding shows a value.

Count units have synonyms (20位专家 and 20名专家 are 20 人,
:func:`canonical_unit`) and a name may declare one (:func:`name_parts`).

A finding quotes a value as written (:func:`show`), an amount in 万元
(:func:`wan`, or in 元 for English: :func:`yuan`) and a period as its years
(:func:`period_text`); a rule that reads each written value groups its hits
by indicator (:func:`per_indicator`) and says which columns hold what
(:func:`values_phrase`, :func:`column_values`).

Every finding is written twice, in Chinese (``message``) and English
(``message_en``): the helpers here take ``lang``, and the document's own
words (names, values, goal text) stay as written in both, quoted “…” where
they are names or phrases, so only the rule's words are translated.
"""

from __future__ import annotations

import re

import polars as pl

from lib import metrics

#: The two value columns as findings name them.
COLUMN_ZH = {"period": "实施周期值", "annual": "年度值"}
COLUMN_EN = {"period": "period value", "annual": "annual value"}
#: The two goal texts as findings name them.
GOAL_ZH = {"goal_period": "实施周期总目标", "goal_annual": "年度目标"}
GOAL_EN = {"goal_period": "goal for the whole period", "goal_annual": "goal for the budget year"}
# Count units in English, for findings that name a unit the review worked out
# (a canonical unit: 位 and 名 are 人); a unit not listed is quoted as written.
_UNITS_EN: dict[str, str] = {
    "人": "people", "人次": "person-times", "次": "times", "个": "items", "天": "days", "日": "days",
    "工作日": "working days", "月": "months", "个月": "months", "年": "years", "周": "weeks", "小时": "hours",
    "份": "copies", "期": "sessions", "场": "events", "场次": "events", "项": "items", "家": "organisations",
    "篇": "articles", "套": "sets", "台": "machines", "户": "households", "件": "pieces", "批": "batches",
    "座": "buildings", "条": "items", "所": "institutions", "处": "sites", "辆": "vehicles", "册": "volumes",
    "本": "copies", "部": "units", "间": "rooms", "张": "sheets", "课时": "class hours", "学时": "class hours",
    "户次": "household visits", "批次": "batches", "台次": "machine runs", "架次": "sorties",
}  # fmt: skip

# Count units a name declares as its last word (发放代表人数, 邀请专家人次).
_NAME_SUFFIX_UNITS: dict[str, str] = {
    "人次": "人次", "人数": "人", "天数": "天", "次数": "次", "频次": "次",
    "个数": "个", "份数": "份", "期数": "期", "月数": "月", "场次": "场",
    "户数": "户", "件数": "件", "篇数": "篇", "台数": "台", "套数": "套",
    "家数": "家", "项数": "项", "批次": "批", "人员数": "人",
}  # fmt: skip
# Units a trailing bracket may declare (会议人数（人）, 开展课题研究（次数）); other
# notes such as （第一期） or （万元） are not count units.
_NOTE_UNITS = frozenset(
    {"人", "次", "个", "天", "日", "人次", "份", "期", "场", "项", "家", "篇", "套", "台",
     "户", "件", "批", "月", "名", "位", "座", "条", "所", "处", "辆", "册", "本", "部",
     "间", "张", "场次", "课时", "学时", "户次", "批次", "台次", "架次"}
)  # fmt: skip
# The same count written with different words: 20位专家 and 20名专家 are 20 人.
UNIT_SYNONYMS = {"位": "人", "名": "人", "日": "天", "个月": "月", "人数": "人"}
# Units of a duration: a time limit (≤30天) is not a quantity that adds up.
TIME_UNITS = frozenset({"天", "日", "工作日", "小时", "分钟", "月", "周", "星期", "季度", "年"})
_TRAILING_NOTE = re.compile(r"[（(]([^（）()]{1,8})[)）]$")


def canonical_unit(unit: str | None) -> str | None:
    """The unit a count is compared in: 位 and 名 are 人, 日 is 天.

    Examples
    --------
    >>> canonical_unit("名"), canonical_unit("个"), canonical_unit(None)
    ('人', '个', None)
    """
    if unit is None:
        return None
    return UNIT_SYNONYMS.get(unit, unit)


def name_parts(name: str) -> tuple[str, str | None, str | None]:
    """(bare name, trailing note, declared count unit) of an indicator name.

    Examples
    --------
    >>> name_parts("会议人数（人）"), name_parts("发放代表人数"), name_parts("完成率（%）")
    (('会议人数', '人', '人'), ('发放代表人数', None, '人'), ('完成率', '%', None))
    """
    compact = re.sub(r"\s+", "", name)
    match = _TRAILING_NOTE.search(compact)
    note = match.group(1) if match else None
    bare = compact[: match.start()] if match else compact
    unit = None
    if note is not None:
        word = note[:-1] if len(note) > 1 and note.endswith("数") else note
        if word in _NOTE_UNITS:
            unit = canonical_unit(word)
    if unit is None:
        for suffix, suffix_unit in _NAME_SUFFIX_UNITS.items():
            if bare.endswith(suffix):
                unit = suffix_unit
                break
    return bare, note, unit


def show(raw: str | None, lang: str = "zh") -> str:
    """A value as written, without the spaces some documents put after ≤; an empty one says so in ``lang``.

    Examples
    --------
    >>> show("≤ 30天"), show(None), show("", "en")
    ('≤30天', '（空）', '(empty)')
    """
    empty = "(empty)" if lang == "en" else "（空）"
    return empty if raw is None else re.sub(r"\s+", "", raw) or empty


def wan(yuan: float | None) -> str:
    """An amount in 元 as findings write it in 万元 (:func:`lib.metrics.format_wan`).

    Examples
    --------
    >>> wan(1976800.0)
    '197.68'
    """
    return metrics.format_wan(yuan)


def yuan(amount: float | None) -> str:
    """An amount as English findings write it: whole 元 with separators.

    Examples
    --------
    >>> yuan(1976800.0), yuan(None)
    ('1,976,800 yuan', '— yuan')
    """
    return "— yuan" if amount is None else f"{amount:,.0f} yuan"


def unit_en(unit: str | None) -> str:
    """A count unit in English: 人 is people; a unit the review does not know is quoted as written.

    Examples
    --------
    >>> unit_en("人"), unit_en("幅")
    ('people', '“幅”')
    """
    if not unit:
        return ""
    return _UNITS_EN.get(unit) or f"“{unit}”"


def listing(items: list[str], lang: str = "zh", *, quote: bool = False) -> str:
    """Items as a finding lists them: 甲、乙 in Chinese; “甲”, “乙” in English when they are document text.

    Examples
    --------
    >>> listing(["甲", "乙"]), listing(["甲", "乙"], "en", quote=True)
    ('甲、乙', '“甲”, “乙”')
    """
    if lang != "en":
        return "、".join(items)
    return ", ".join(f"“{item}”" if quote else item for item in items)


def period_text(row: dict, lang: str = "zh") -> str:
    """A row's implementation period as its years, or 实施周期未知 without both ends.

    Examples
    --------
    >>> period_text({"start_year": 2024, "end_year": 2026}), period_text({"start_year": 2024})
    ('2024–2026', '实施周期未知')
    """
    start, end = row.get("start_year"), row.get("end_year")
    if start is None or end is None:
        return "period unknown" if lang == "en" else "实施周期未知"
    return f"{start}–{end}"


def per_indicator(hits: pl.DataFrame) -> list[tuple[dict, list[dict]]]:
    """Value-level hits grouped by indicator, in document order: (first row, all rows)."""
    groups: dict[str, list[dict]] = {}
    for row in hits.sort("indicator_id", "column", descending=[False, True]).iter_rows(named=True):
        groups.setdefault(row["indicator_id"], []).append(row)
    return [(rows[0], rows) for rows in groups.values()]


def values_phrase(rows: list[dict], lang: str = "zh") -> str:
    """``实施周期值和年度值均为 ≥100%`` or ``年度值为 ≥100%``: which columns say what.

    Examples
    --------
    >>> rows = [{"column": "period", "raw": "≥100%"}, {"column": "annual", "raw": "≥100%"}]
    >>> values_phrase(rows), values_phrase(rows[1:], "en")
    ('实施周期值和年度值均为 ≥100%', 'the annual value is ≥100%')
    """
    shown = {show(r["raw"]) for r in rows}
    if lang == "en":
        if len(rows) == 2 and len(shown) == 1:
            return f"both the period and the annual value are {show(rows[0]['raw'], lang)}"
        return ", ".join(f"the {COLUMN_EN[r['column']]} is {show(r['raw'], lang)}" for r in rows)
    if len(rows) == 2 and len(shown) == 1:
        return f"实施周期值和年度值均为 {shown.pop()}"
    return "、".join(f"{COLUMN_ZH[r['column']]}为 {show(r['raw'])}" for r in rows)


def column_values(rows: list[dict], lang: str = "zh") -> str:
    """Each value column with its value, as a finding's evidence: ``实施周期值：≥100%；年度值：≥100%``.

    Examples
    --------
    >>> column_values([{"column": "annual", "raw": None}], "en")
    'annual value: (empty)'
    """
    if lang == "en":
        return "; ".join(f"{COLUMN_EN[r['column']]}: {show(r['raw'], lang)}" for r in rows)
    return "；".join(f"{COLUMN_ZH[r['column']]}：{show(r['raw'])}" for r in rows)
