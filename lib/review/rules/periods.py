"""Rules on the implementation period: annual values against the period's (R11)."""

from __future__ import annotations

import polars as pl

from lib.review.preparation import ReviewFrames
from lib.review.registry import BASIS_101, Rule, finding_rows, rule
from lib.review.vocabulary import TIME_UNITS, UNIT_SYNONYMS, listing, period_text, show


@rule(
    Rule(
        "R11",
        "中",
        "年度值与实施周期值矛盾",
        "Annual target contradicts the period target",
        "同一指标的年度值不应高于实施周期值（数量、金额，为高）；单年度项目（起止同年）的实施周期就是预算年度，"
        "两值应一致（为中，名称已注明单位的“1个”与“1”视为一致）；有限多年项目的实施周期成本金额照抄年度值为低"
        "（长期项目按年度口径填写，不提示）。缺失的值由 R02 提示。",
        BASIS_101,
        checks_en="An indicator's annual value should not be above its period value (quantities, amounts: high); a "
        "one-year project's period is its budget year, so the two values should agree (medium; “1个” and “1” agree "
        "when the name states the unit); a finite multi-year project whose period cost amounts copy the annual ones "
        "is low (ongoing projects write them per year and are not flagged). Missing values are R02's.",
    )
)
def _r11_annual_vs_period(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators.filter((pl.col("annual_kind") != "missing") & (pl.col("period_kind") != "missing"))
    unit_a = pl.coalesce(
        pl.col("annual_unit").replace_strict(UNIT_SYNONYMS, default=pl.col("annual_unit")),
        pl.col("name_unit"),
    )
    unit_p = pl.coalesce(
        pl.col("period_unit").replace_strict(UNIT_SYNONYMS, default=pl.col("period_unit")),
        pl.col("name_unit"),
    )
    same_kind = (pl.col("annual_kind") == pl.col("period_kind")) & unit_a.eq_missing(unit_p)
    # Additive quantities only: a rate (≥95%) or a time limit (≤30天) is not a sum over years.
    additive = (
        same_kind
        & (
            (pl.col("annual_kind") == "amount")
            | ((pl.col("annual_kind") == "count") & ~unit_a.is_in(sorted(TIME_UNITS)).fill_null(False))
        )
        & ~((pl.col("annual_kind") == "count") & pl.col("annual_op").is_in(["≤", "<"]))
    )
    above = additive & (pl.col("annual_number") > pl.col("period_number") + 1e-9)
    same_value = (
        same_kind
        & pl.col("annual_op").eq_missing(pl.col("period_op"))
        & pl.col("annual_number").eq_missing(pl.col("period_number"))
        & (
            pl.col("annual_kind").is_in(["percent", "amount", "rate", "count"])
            | (pl.col("annual_value").str.replace_all(r"\s+", "") == pl.col("period_value").str.replace_all(r"\s+", ""))
        )
    )
    differs_one_year = pl.col("one_year") & ~same_value & ~above
    records = []
    for r in ind.filter(above | differs_one_year).with_columns(above=above).iter_rows(named=True):
        a, p = show(r["annual_value"]), show(r["period_value"])
        a_en, p_en = show(r["annual_value"], "en"), show(r["period_value"], "en")
        if r["above"]:
            records.append(
                {
                    "project_id": r["project_id"],
                    "indicator_id": r["indicator_id"],
                    "message": f"“{r['name']}”年度值 {a} 高于实施周期值 {p}：一年的目标不可能超过整个实施周期",
                    "message_en": f"“{r['name']}” has the annual value {a_en}, above the period value {p_en}: one "
                    "year's target cannot exceed the whole period's",
                    "expected": r["period_number"],
                    "actual": r["annual_number"],
                    "ratio": r["annual_number"] / r["period_number"] if r["period_number"] else None,
                    "severity": "高",
                }
            )
        else:
            records.append(
                {
                    "project_id": r["project_id"],
                    "indicator_id": r["indicator_id"],
                    "message": f"单年度项目（{period_text(r)}）的实施周期就是预算年度，但“{r['name']}”实施周期值为 {p}、"
                    f"年度值为 {a}",
                    "message_en": f"A one-year project ({period_text(r, 'en')}) has the budget year as its whole "
                    f"period, but “{r['name']}” has the period value {p_en} and the annual value {a_en}",
                    "expected": r["period_number"],
                    "actual": r["annual_number"],
                    "detail": f"实施周期值：{p}；年度值：{a}",
                    "detail_en": f"period value: {p_en}; annual value: {a_en}",
                }
            )
    # A finite multi-year period copied from the year: every cost amount equal.
    caps = frames.indicators.filter(
        pl.col("is_cost")
        & (pl.col("annual_kind") == "amount")
        & (pl.col("period_kind") == "amount")
        & ~pl.col("ongoing")
        & (pl.col("years") >= 2)
    )
    copied = (
        caps.group_by("project_id", maintain_order=True)
        .agg(
            pl.col("indicator_id").first(),
            pl.col("name"),
            pl.col("annual_value"),
            pl.col("annual_number").max().alias("cap"),
            (pl.col("annual_number") == pl.col("period_number")).all().alias("all_equal"),
            pl.col("start_year").first(),
            pl.col("end_year").first(),
            pl.col("years").first(),
            pl.col("budget_year").first(),
        )
        .filter("all_equal")
    )
    for r in copied.iter_rows(named=True):
        listed = "、".join(f"{n} {show(v)}" for n, v in zip(r["name"], r["annual_value"], strict=True))
        listed_en = ", ".join(f"“{n}” {show(v, 'en')}" for n, v in zip(r["name"], r["annual_value"], strict=True))
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": None,
                "message": f"实施周期 {period_text(r)} 共 {r['years']} 年，但实施周期成本指标与 {r['budget_year']} 年度值相同"
                f"（{listed}）：实施周期值应是整个周期的金额；若全部资金都在本年度安排，宜在目标中说明",
                "message_en": f"The period {period_text(r, 'en')} runs {r['years']} years, but the period values of "
                f"the cost indicators equal the {r['budget_year']} annual values ({listed_en}): a period value is "
                "the amount for the whole period; if all the money is spent this year, the goal should say so",
                "actual": r["cap"],
                "detail": "、".join(r["name"]),
                "detail_en": listing(r["name"], "en"),
                "severity": "低",
                "key": "period_copied",
            }
        )
    return finding_rows(records)
