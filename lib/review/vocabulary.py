"""The words review rules share: count units, what an indicator's name declares, how a finding shows a value.

Count units have synonyms (20位专家 and 20名专家 are 20 人,
:func:`canonical_unit`) and a name may declare one (:func:`name_parts`).

A finding quotes a value as written (:func:`show`), an amount in 万元
(:func:`wan`) and a period as its years (:func:`period_text`); a rule that
reads each written value groups its hits by indicator
(:func:`per_indicator`) and says which columns hold what
(:func:`values_phrase`).
"""

from __future__ import annotations

import re

import polars as pl

from lib import metrics

#: The two value columns as findings name them.
COLUMN_ZH = {"period": "实施周期值", "annual": "年度值"}

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


def show(raw: str | None) -> str:
    """A value as written, without the spaces some documents put after ≤.

    Examples
    --------
    >>> show("≤ 30天"), show(None)
    ('≤30天', '（空）')
    """
    return "（空）" if raw is None else re.sub(r"\s+", "", raw) or "（空）"


def wan(yuan: float | None) -> str:
    """An amount in 元 as findings write it in 万元 (:func:`lib.metrics.format_wan`).

    Examples
    --------
    >>> wan(1976800.0)
    '197.68'
    """
    return metrics.format_wan(yuan)


def period_text(row: dict) -> str:
    """A row's implementation period as its years, or 实施周期未知 without both ends.

    Examples
    --------
    >>> period_text({"start_year": 2024, "end_year": 2026}), period_text({"start_year": 2024})
    ('2024–2026', '实施周期未知')
    """
    start, end = row.get("start_year"), row.get("end_year")
    if start is None or end is None:
        return "实施周期未知"
    return f"{start}–{end}"


def per_indicator(hits: pl.DataFrame) -> list[tuple[dict, list[dict]]]:
    """Value-level hits grouped by indicator, in document order: (first row, all rows)."""
    groups: dict[str, list[dict]] = {}
    for row in hits.sort("indicator_id", "column", descending=[False, True]).iter_rows(named=True):
        groups.setdefault(row["indicator_id"], []).append(row)
    return [(rows[0], rows) for rows in groups.values()]


def values_phrase(rows: list[dict]) -> str:
    """``实施周期值和年度值均为 ≥100%`` or ``年度值为 ≥100%``: which columns say what."""
    shown = {show(r["raw"]) for r in rows}
    if len(rows) == 2 and len(shown) == 1:
        return f"实施周期值和年度值均为 {shown.pop()}"
    return "、".join(f"{COLUMN_ZH[r['column']]}为 {show(r['raw'])}" for r in rows)
