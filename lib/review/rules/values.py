"""Rules on how a target value is written: empty (R02), without a unit (R03), vague (R06), unlike its name's unit (R17).

R02 flags an empty value or a placeholder, R03 a quantity without a unit,
R06 vague words or a grade where a number belongs, R17 a value that is not
in the unit or form a bracket in the name declares.
"""

from __future__ import annotations

import re

import polars as pl

from lib.review.preparation import ReviewFrames
from lib.review.registry import BASIS_101, BASIS_PRACTICE, Rule, finding_rows, rule
from lib.review.vocabulary import (
    COLUMN_EN,
    COLUMN_ZH,
    canonical_unit,
    column_values,
    per_indicator,
    show,
    unit_en,
    values_phrase,
)


@rule(
    Rule(
        "R02",
        "中",
        "指标值为空或为占位符",
        "Empty or placeholder target value",
        "实施周期指标值和年度指标值都应填写，不得为 XX、**、/、是/否 等占位符；只填了一列的行也算。"
        "只有一列指标值的模板（整张表没有实施周期值）不检查实施周期值。",
        BASIS_101,
        checks_en="Both the period and the annual target value should be filled in, never a placeholder such as “XX”, "
        "“**”, “/” or “是/否”; a row with one of the two filled counts too. A template with one value column (no period "
        "values in the whole table) is not checked for period values.",
    )
)
def _r02_missing(frames: ReviewFrames) -> pl.DataFrame:
    # A template with one value column leaves every period value empty: that
    # is the form, not a gap, so a project's period column counts only when
    # at least one of its rows fills it.
    uses_period = frames.indicators.group_by("project_id").agg(uses_period=pl.col("period_value").is_not_null().any())
    hits = frames.values.join(uses_period, on="project_id", how="left").filter(
        (pl.col("kind") == "missing") & ((pl.col("column") == "annual") | pl.col("uses_period"))
    )
    other = frames.values.select(
        "indicator_id",
        pl.when(pl.col("column") == "annual").then(pl.lit("period")).otherwise(pl.lit("annual")).alias("column"),
        pl.col("raw").alias("other_raw"),
        pl.col("kind").alias("other_kind"),
    )
    hits = hits.join(other, on=["indicator_id", "column"], how="left")
    records = []
    for first, rows in per_indicator(hits):
        parts, parts_en = [], []
        for r in rows:
            raw = (r["raw"] or "").strip()
            parts.append(f"{COLUMN_ZH[r['column']]}{'为占位符“' + raw + '”' if raw else '为空'}")
            parts_en.append(f"the {COLUMN_EN[r['column']]} is " + (f"the placeholder “{raw}”" if raw else "empty"))
        message = f"“{first['name']}”的{'，'.join(parts)}"
        message_en = f"“{first['name']}”: {', '.join(parts_en)}"
        if len(rows) == 1 and first["other_kind"] != "missing":
            other = "period" if first["column"] == "annual" else "annual"
            message += f"（{COLUMN_ZH[other]}为 {show(first['other_raw'])}）"
            message_en += f" (the {COLUMN_EN[other]} is {show(first['other_raw'], 'en')})"
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": message,
                "message_en": message_en,
                "detail": column_values(rows),
                "detail_en": column_values(rows, "en"),
            }
        )
    return finding_rows(records)


@rule(
    Rule(
        "R03",
        "低",
        "数量指标缺少计量单位",
        "Quantity target without a unit",
        "数量指标的值应是带单位的数字。名称已注明单位或所计对象的裸数字可以（会议人数（人）、发放代表人数、补贴线路数）；"
        "其他裸数字为低（建设项目数量 1：个、项还是套？）；不是数字（优、良好、文字）为中。",
        BASIS_101,
        checks_en="A quantity target should be a number with a unit. A bare number is fine when the name states the "
        "unit or what is counted (“会议人数（人）”, “发放代表人数”, “补贴线路数”); other bare numbers are low "
        "(“建设项目数量” 1: items, projects or sets?); not a number (“优”, “良好”, words) is medium.",
    )
)
def _r03_quantity_units(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators.filter(pl.col("level2") == "数量指标")
    # 补贴线路数 counts 线路 as 发放代表人数 counts 人; only …数量 leaves the unit open.
    counted = pl.col("bare_name").str.contains(r"数$") & ~pl.col("bare_name").str.contains(r"(指数|系数|分数|倍数)$")
    has_unit = (
        pl.col("period_unit").is_not_null()
        | pl.col("annual_unit").is_not_null()
        | pl.col("name_unit").is_not_null()
        | counted
    )
    bare = ind.filter((pl.col("target_kind") == "count") & ~has_unit)
    wordy = ind.filter(pl.col("target_kind").is_in(["grade", "boolean", "text", "deadline"]))
    records = [
        {
            "project_id": r["project_id"],
            "indicator_id": r["indicator_id"],
            "message": f"数量指标“{r['name']}”的值 {show(r['annual_value'] or r['period_value'])} 没有计量单位，"
            "名称中也未注明（个、项、套、次？）",
            "message_en": f"Quantity indicator “{r['name']}” has the value "
            f"{show(r['annual_value'] or r['period_value'], 'en')} without a unit, and its name states none "
            "either (items, projects, sets, times?)",
            "actual": r["target_number"],
            "detail": show(r["annual_value"] or r["period_value"]),
        }
        for r in bare.iter_rows(named=True)
    ]
    records += [
        {
            "project_id": r["project_id"],
            "indicator_id": r["indicator_id"],
            "message": f"数量指标“{r['name']}”的值“{show(r['annual_value'] or r['period_value'])}”不是数量，"
            "数量指标应是可计数的数字和单位",
            "message_en": f"Quantity indicator “{r['name']}” has the value "
            f"“{show(r['annual_value'] or r['period_value'], 'en')}”, which is not a quantity: a quantity indicator "
            "is a number that can be counted, with a unit",
            "detail": show(r["annual_value"] or r["period_value"]),
            "severity": "中",
        }
        for r in wordy.iter_rows(named=True)
    ]
    return finding_rows(records)


# Words that promise without measuring (DOMAIN rule 6).
_VAGUE_WORDS = (
    "效果明显", "明显", "显著", "进一步", "有所", "逐步", "不断", "大幅", "稳步", "及时", "有效",
    "较好", "良好", "较高", "提高", "提升", "改善", "加强", "增强", "基本", "一定", "持续", "充分",
)  # fmt: skip
_VAGUE = re.compile("|".join(sorted(_VAGUE_WORDS, key=len, reverse=True)))
# Names of things that are measured: a grade for them hides the number.
_RATE_NAME = r"(率|比例|占比|满意度|知晓度)$"
_MEASURABLE_NAME = r"(率|比例|占比|满意度|知晓度|数|数量|金额|费用|成本|时间|时长|面积|长度|人次)$"


@rule(
    Rule(
        "R06",
        "低",
        "指标值含糊",
        "Vague target value",
        "指标值写成“效果明显、显著、进一步提高、及时”等词为低，列出这些词；"
        "可量化的指标（名称以率、比例、满意度、数量、成本、时间等结尾）只写“良好、优”等等级也算，"
        "比率类为中。定性指标（如“调研工作成果 优”）按等级评价是允许的，不提示。",
        BASIS_101,
        checks_en="A target value in words such as “效果明显”, “显著”, “进一步提高”, “及时” is low, and the words are "
        "listed; "
        "an indicator that can be measured (its name ends in a rate, a share, satisfaction, a quantity, a cost or "
        "a time) given only a grade such as “良好” or “优” counts too, medium for rates. A qualitative indicator graded "
        "(“调研工作成果 优”) is allowed and not flagged.",
    )
)
def _r06_vague(frames: ReviewFrames) -> pl.DataFrame:
    v = frames.values.filter(pl.col("kind").is_in(["text", "grade"]) & pl.col("raw").is_not_null())
    measurable = pl.col("bare_name").str.contains(_MEASURABLE_NAME)
    hits = v.filter(
        ((pl.col("kind") == "text") & pl.col("raw").str.contains(_VAGUE.pattern))
        | ((pl.col("kind") == "grade") & measurable)
    ).with_columns(rate=pl.col("bare_name").str.contains(_RATE_NAME), measurable=measurable)
    records = []
    for first, rows in per_indicator(hits):
        words: list[str] = []
        for r in rows:
            found = _VAGUE.findall(r["raw"]) if r["kind"] == "text" else [show(r["raw"])]
            words += [w for w in found if w not in words]
        if first["measurable"]:
            unit = "百分比" if first["rate"] else "数字（金额、数量或时间）"
            why = f"“{first['name']}”可以量化，宜用{unit}表示"
            unit_text = "a percentage" if first["rate"] else "a number (an amount, a quantity or a time)"
            why_en = f"“{first['name']}” can be measured and is better stated as {unit_text}"
        else:
            why = "含糊的表述无法在年底核验是否达成"
            why_en = "vague wording cannot be checked at the end of the year"
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": f"“{first['name']}”的{values_phrase(rows)}，含糊词：{'、'.join(words)}；{why}",
                "message_en": f"“{first['name']}”: {values_phrase(rows, 'en')}; vague words: "
                f"{', '.join(f'“{w}”' for w in words)}; {why_en}",
                "detail": "、".join(words),
                "detail_en": ", ".join(f"“{w}”" for w in words),
                "severity": "中" if first["rate"] else "低",
            }
        )
    return finding_rows(records)


_NOTE_FORMATS: dict[str, tuple[str, str, frozenset[str]]] = {
    "%": ("百分比", "a percentage", frozenset({"percent"})),
    "％": ("百分比", "a percentage", frozenset({"percent"})),
    "是/否": ("是或否", "yes or no", frozenset({"boolean"})),
    "是或否": ("是或否", "yes or no", frozenset({"boolean"})),
    "万元": ("金额", "an amount", frozenset({"amount", "rate"})),
    "元": ("金额", "an amount", frozenset({"amount", "rate"})),
}


@rule(
    Rule(
        "R17",
        "低",
        "名称注明的单位与指标值不符",
        "Value does not match the unit the name declares",
        "名称括号中注明的单位或形式应与指标值一致：（%）应为百分比，（是/否）应为是或否（而不是 100%、良好），"
        "（万元）应为金额，（人）（次）（个）等应为该单位的数字。",
        BASIS_PRACTICE,
        checks_en="The unit or form a bracket in the name states should match the value: (%) a percentage, “（是/否）” "
        "yes or no (not 100% or “良好”), “（万元）” an amount, “（人）”, “（次）”, “（个）” and the like a number in "
        "that unit.",
    )
)
def _r17_name_declared_unit(frames: ReviewFrames) -> pl.DataFrame:
    notes = frames.indicators.filter(pl.col("name_note").is_not_null()).select("indicator_id", "name_note", "name_unit")
    v = frames.values.join(notes, on="indicator_id", how="inner").filter(pl.col("kind") != "missing")
    records_rows = []
    for r in v.iter_rows(named=True):
        note = r["name_note"]
        if note in _NOTE_FORMATS:
            wanted, wanted_en, kinds = _NOTE_FORMATS[note]
            if r["kind"] in kinds:
                continue
        elif r["name_unit"] is not None:
            wanted = f"以“{r['name_unit']}”计的数字"
            wanted_en = f"a number of {unit_en(r['name_unit'])}"
            if r["kind"] == "count" and (r["unit"] is None or canonical_unit(r["unit"]) == r["name_unit"]):
                continue
        else:
            continue
        records_rows.append({**r, "wanted": wanted, "wanted_en": wanted_en})
    if not records_rows:
        return finding_rows([])
    hits = pl.DataFrame(records_rows, infer_schema_length=None)
    records = []
    for first, rows in per_indicator(hits):
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": f"“{first['name']}”名称注明（{first['name_note']}），应填{first['wanted']}，"
                f"但{values_phrase(rows)}",
                "message_en": f"“{first['name']}” states “{first['name_note']}” in its name, so its value should be "
                f"{first['wanted_en']}, but {values_phrase(rows, 'en')}",
                "detail": column_values(rows),
                "detail_en": column_values(rows, "en"),
            }
        )
    return finding_rows(records)
