"""Rules on what a target asks for: over 100% (R04), the wrong way (R05), no time (R07), unusual satisfaction (R10).

R04 flags a ratio above 100% or at ≥100%, R05 a comparator pointing the
wrong way, R07 a timeliness target that is not a deadline, a period or an
on-time rate, R10 a satisfaction target outside 85%–95%.
"""

from __future__ import annotations

import polars as pl

from lib.review.preparation import ReviewFrames
from lib.review.registry import BASIS_101, BASIS_PRACTICE, Rule, finding_rows, rule
from lib.review.vocabulary import TIME_UNITS, column_values, per_indicator, show, values_phrase

# Rates that may exceed 100%: growth and comparisons with last year.
_GROWTH_WORDS = r"增长|增幅|增加|提高|提升|同比|环比|比上年|较上年|倍"


@rule(
    Rule(
        "R04",
        "中",
        "百分比目标超过或等于 100% 上限",
        "Percentage target above or at 100% with ≥",
        "完成率、满意度等比率不可能超过 100%：目标高于 100% 或写作“>100%”为高（增长、提高类比率除外）；"
        "“≥100%”不可能被超过，实际就是 100%，为低。",
        BASIS_PRACTICE,
        checks_en="A ratio such as a completion rate or satisfaction cannot exceed 100%: a target above 100% or "
        "written “>100%” is high (growth and increase rates aside); “≥100%” cannot be exceeded, so it is in fact "
        "100%: low.",
    )
)
def _r04_percent_sanity(frames: ReviewFrames) -> pl.DataFrame:
    v = frames.values.filter((pl.col("kind") == "percent") & (pl.col("unit") == "%"))
    growth = pl.col("name").str.contains(_GROWTH_WORDS)
    above = ((pl.col("number") > 100) | ((pl.col("op") == ">") & (pl.col("number") >= 100))) & ~growth
    at = (pl.col("op") == "≥") & (pl.col("number") == 100) & ~growth
    hits = v.filter(above | at).with_columns(above=above)
    records = []
    for first, rows in per_indicator(hits):
        high = any(r["above"] for r in rows)
        why = (
            "比率不可能超过 100%，这一目标无法实现"
            if high
            else "比率不可能超过 100%，“≥100%”实际就是 100%，应写作 100% 或按实际设定"
        )
        why_en = (
            "a ratio cannot exceed 100%, so this target cannot be met"
            if high
            else "a ratio cannot exceed 100%, so “≥100%” is in fact 100%: write 100% or set a target that can be met"
        )
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": f"“{first['name']}”的{values_phrase(rows)}：{why}",
                "message_en": f"“{first['name']}”: {values_phrase(rows, 'en')}: {why_en}",
                "expected": 100.0,
                "actual": max(r["number"] for r in rows),
                "ratio": max(r["number"] for r in rows) / 100,
                "detail": column_values(rows),
                "detail_en": column_values(rows, "en"),
                "severity": "高" if high else "低",
            }
        )
    return finding_rows(records)


# Things that should go down: errors, complaints, accidents, overruns. A name
# that handles them (投诉处理率, 故障修复率) is a rate that should go up.
_NEGATIVE_WORDS = (
    r"差错|错误|出错|投诉|事故|故障|失误|违规|违纪|违法|超支|偏差|误差|返工|逾期|延误|"
    r"不合格|发生率|漏洞|缺陷|失败|死亡|发病|闲置|空置|流失|损失|隐患"
)
_HANDLING_WORDS = r"处理|办结|解决|整改|处置|响应|回复|查处|结案|化解|排除|修复|消除|防控|处理率|覆盖|反馈"


@rule(
    Rule(
        "R05",
        "中",
        "比较符方向不当",
        "Comparator points the wrong way",
        "成本金额、差错率、投诉率、事故数和时效的天数应写 ≤（或 =0）；数量、完成率等比率和满意度应写 ≥。"
        "方向相反为中（数量指标写 ≤ 为低）；低于 100% 的比率没写比较符（95%）为低。"
        "满意度“100%”“=100%”不算方向错误：100% 之上没有更高的值，是否合理由 R10 判断。",
        BASIS_PRACTICE + "（参照财预〔2020〕10号自评计分）",
        checks_en="Cost amounts, error, complaint and accident rates and counts, and time limits in days should be "
        "written with ≤ (or =0); quantities, rates such as completion rates, and satisfaction with ≥. The wrong way "
        "is medium (≤ for a quantity is low); a rate below 100% without a comparator (95%) is low. Satisfaction "
        "of “100%” or “=100%” is not the wrong way (nothing is above 100%); R10 judges whether it is sensible.",
    )
)
def _r05_direction(frames: ReviewFrames) -> pl.DataFrame:
    v = frames.values.filter(pl.col("kind").is_in(["percent", "amount", "count"]) & pl.col("number").is_not_null())
    negative = pl.col("name").str.contains(_NEGATIVE_WORDS) & ~pl.col("name").str.contains(_HANDLING_WORDS)
    duration = (pl.col("level2") == "时效指标") & (pl.col("kind") == "count") & pl.col("unit").is_in(sorted(TIME_UNITS))
    cost = pl.col("is_cost") & (pl.col("kind") == "amount")
    down = cost | duration | (negative & pl.col("kind").is_in(["percent", "count"]))
    up = ~down & (
        ((pl.col("kind") == "percent") & (pl.col("unit") == "%"))
        | ((pl.col("level2") == "数量指标") & (pl.col("kind") == "count"))
    )
    op = pl.col("op").cast(pl.String)
    problem = (
        pl.when(down & op.is_in(["≥", ">"]))
        .then(pl.lit("down"))
        .when(up & op.is_in(["≤", "<"]))
        .then(pl.lit("up"))
        .when(up & (pl.col("kind") == "percent") & (op == "=") & (pl.col("number") > 0) & (pl.col("number") < 100))
        .then(pl.lit("no_op_up"))
        .when(down & (pl.col("kind") == "percent") & (op == "=") & (pl.col("number") > 0))
        .then(pl.lit("no_op_down"))
    )
    hits = v.with_columns(problem=problem).filter(pl.col("problem").is_not_null())
    records = []
    for first, rows in per_indicator(hits):
        kind = first["problem"]
        if kind == "down":
            cost, duration = first["kind"] == "amount" and first["is_cost"], first["level2"] == "时效指标"
            what = "成本金额" if cost else ("时限天数" if duration else "差错、投诉、事故类指标")
            what_en = (
                "a cost amount"
                if cost
                else ("a time limit in days" if duration else "an error, complaint or accident indicator")
            )
            why, severity = f"{what}越低越好，应写作 ≤", "中"
            why_en = f"{what_en} is better the lower, so it should be written with ≤"
        elif kind == "up":
            count = first["kind"] == "count"
            why = "数量目标应写作 ≥（至少完成多少）" if count else "完成率、满意度等越高越好，应写作 ≥"
            why_en = (
                "a quantity target should be written with ≥ (at least how many)"
                if count
                else "completion rates, satisfaction and the like are better the higher, so write ≥"
            )
            severity = "低" if count else "中"
        elif kind == "no_op_up":
            why, severity = f"没有比较符，应写作 ≥{first['number']:g}%", "低"
            why_en = f"there is no comparator: write ≥{first['number']:g}%"
        else:
            why, severity = f"没有比较符，应写作 ≤{first['number']:g}%", "低"
            why_en = f"there is no comparator: write ≤{first['number']:g}%"
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": f"“{first['name']}”的{values_phrase(rows)}：{why}",
                "message_en": f"“{first['name']}”: {values_phrase(rows, 'en')}: {why_en}",
                "actual": first["number"],
                "detail": column_values(rows),
                "detail_en": column_values(rows, "en"),
                "severity": severity,
            }
        )
    return finding_rows(records)


_TIME_NAME = r"及时|按时|按期|准时|如期|时效|进度|期限|时限|时间|周期|工期|响应|时长|天内|日内|当年|当月"


@rule(
    Rule(
        "R07",
        "中",
        "时效指标不是时限、期限或及时率",
        "Timeliness target is not a deadline, period or on-time rate",
        "时效指标应是完成时限（2026年6月30日前）、期限（≤30天）或名称含及时、按期、进度等的比率。"
        "其他比率（培训任务完成率）为低，等级或文字为中。",
        BASIS_101,
        checks_en="A timeliness target should be a deadline (“2026年6月30日前”), a period (“≤30天”) or a rate whose "
        "name speaks of time (“及时”, “按期”, “进度”). Other rates (“培训任务完成率”) are low, grades or words "
        "medium.",
    )
)
def _r07_timeliness(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators.filter(pl.col("level2") == "时效指标")
    kind = pl.col("target_kind")
    ok = (
        (kind == "deadline")
        | ((kind == "count") & pl.col("target_unit").is_in(sorted(TIME_UNITS)))
        | (kind.is_in(["percent", "boolean"]) & pl.col("name").str.contains(_TIME_NAME))
        | (kind == "missing")  # R02's finding, not this rule's
    )
    records = []
    for r in ind.filter(~ok).iter_rows(named=True):
        value = show(r["annual_value"] or r["period_value"])
        if r["target_kind"] == "percent":
            why = "是完成率而不是时效：宜改为按期完成率、完成时限或期限，或移到质量、数量指标"
            why_en = (
                "a completion rate, not a time: better an on-time rate, a deadline or a period, or move it to the "
                "quality or quantity indicators"
            )
            severity = "低"
        else:
            why = "不是时限、期限或及时率，无法按时间核验"
            why_en = "neither a deadline, a period nor an on-time rate, so it cannot be checked against time"
            severity = "中"
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": f"时效指标“{r['name']}”的值为 {value}：{why}",
                "message_en": f"Timeliness indicator “{r['name']}” has the value "
                f"{show(r['annual_value'] or r['period_value'], 'en')}: {why_en}",
                "detail": value,
                "severity": severity,
            }
        )
    return finding_rows(records)


@rule(
    Rule(
        "R10",
        "低",
        "满意度目标不在常见区间",
        "Satisfaction target outside the usual range",
        "满意度应是带 ≥ 的百分比，通常在 85%–95%：高于 95%（含 100%）难以实现也难以核验，低于 85% 标准过低，"
        "均为低；不是百分比（良好、文字）为中。比较符方向由 R05 检查。",
        BASIS_PRACTICE,
        checks_en="Satisfaction should be a percentage with ≥, usually 85%–95%: above 95% (100% included) is hard "
        "to reach and to verify, below 85% sets the bar low, both low; not a percentage (a grade, words) is "
        "medium. R05 checks the comparator's direction.",
    )
)
def _r10_satisfaction(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators.filter((pl.col("level1") == "满意度指标") & (pl.col("target_kind") != "missing"))
    records = []
    for r in ind.iter_rows(named=True):
        raw = r["annual_value"] if r["annual_kind"] != "missing" else r["period_value"]
        value, value_en = show(raw), show(raw, "en")
        if r["target_kind"] != "percent" or r["target_unit"] != "%":
            records.append(
                {
                    "project_id": r["project_id"],
                    "indicator_id": r["indicator_id"],
                    "message": f"满意度“{r['name']}”为 {value}，不是百分比：满意度应由调查得出比例，如 ≥90%",
                    "message_en": f"Satisfaction “{r['name']}” is {value_en}, not a percentage: satisfaction is a "
                    "share a survey finds, such as ≥90%",
                    "detail": value,
                    "severity": "中",
                }
            )
            continue
        n = r["target_number"]
        if n > 95:
            why = f"高于常见的 85%–95%，{'100% 满意' if n >= 100 else '接近全员满意'}难以实现，也难以由抽样调查核验"
            why_en = (
                f"above the usual 85%–95%: {'100% satisfaction' if n >= 100 else 'near-unanimous satisfaction'} "
                "is hard to reach and hard to verify by a sample survey"
            )
            expected = 95.0
        elif n < 85:
            why = "低于常见的 85%–95%，标准偏低"
            why_en = "below the usual 85%–95%: the bar is set low"
            expected = 85.0
        else:
            continue
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": f"满意度“{r['name']}”目标为 {value}：{why}",
                "message_en": f"Satisfaction “{r['name']}” targets {value_en}: {why_en}",
                "detail": value,
                "expected": expected,
                "actual": n,
                "ratio": n / expected,
            }
        )
    return finding_rows(records)
