"""Rules on amounts against the budget: cost caps (R08), unit cost × quantity (R09)."""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from lib import metrics
from lib.review.preparation import ReviewFrames
from lib.review.registry import BASIS_101, BASIS_PRACTICE, Rule, finding_rows, rule
from lib.review.vocabulary import listing, period_text, show, wan, yuan

# Budgets and caps are written to the cent (≤36.33万元 is exactly 363,300 元),
# so half a yuan only absorbs float noise.
_YUAN_TOLERANCE = 0.5
# Cost caps naming the whole project's money rather than one part of it.
_TOTAL_CAP_NAME = r"控制数|总投资|总预算|总成本|项目成本|预算金额|项目资金|资金总额|总额"


@rule(
    Rule(
        "R08",
        "高",
        "成本指标金额与预算不符",
        "Cost cap does not match the budget",
        "成本指标金额（预算控制数及其他成本金额）不应超过项目预算：年度值高于预算为高；"
        "预算控制数低于预算为低（差额未被目标覆盖）。实施周期值：单年度项目同年度值；"
        "有限多年项目不超过“预算 × 年数”即可（只能按每年预算相同估计，超出为中）；"
        "长期项目（到期 2099）没有周期总额，实施周期值与年度值同口径，高于预算为中。",
        BASIS_101,
        checks_en="Cost amounts (the budget control figure and other cost amounts) should not exceed the project's "
        "budget: an annual value above the budget is high; a budget control figure below the budget is low (the "
        "difference is not covered by the targets). Period values: a one-year project as its annual value; a "
        "finite multi-year project within “budget × years” (which assumes every year's budget is this year's; "
        "above is medium); an ongoing project (ending 2099) has no total for the period, so its period value is "
        "per year, and above the budget is medium.",
    )
)
def _r08_cost_caps(frames: ReviewFrames) -> pl.DataFrame:
    caps = (
        metrics.cost_caps(frames.projects, frames.indicators)
        .join(
            frames.projects.select(
                "project_id",
                "start_year",
                "end_year",
                "budget_year",
                "years",
                "ongoing",
                "one_year",
            ),
            on="project_id",
            how="left",
            maintain_order="left",
        )
        .join(
            frames.indicators.select("indicator_id", "annual_value", "period_value"),
            on="indicator_id",
            how="left",
            maintain_order="left",
        )
        .filter(pl.col("budget_yuan") > 0)
    )
    budget = pl.col("budget_yuan")
    annual, period = pl.col("annual_cap_yuan"), pl.col("period_cap_yuan")
    issue = (
        pl.when(annual > budget + _YUAN_TOLERANCE)
        .then(pl.lit("annual_above"))
        .when(pl.col("indicator").str.contains(_TOTAL_CAP_NAME) & (annual < budget - _YUAN_TOLERANCE))
        .then(pl.lit("total_below"))
    )
    period_issue = (
        # A period cap equal to the annual one adds nothing to the annual finding.
        pl.when(
            period.is_null()
            | (period <= budget + _YUAN_TOLERANCE)
            | ((period - annual).abs() <= _YUAN_TOLERANCE).fill_null(False)
        )
        .then(None)
        # Without an end year nothing says how many years the period value covers.
        .when(pl.col("end_year").is_null() | pl.col("start_year").is_null())
        .then(None)
        .when(pl.col("one_year"))
        .then(pl.lit("period_one_year"))
        .when(pl.col("ongoing"))
        .then(pl.lit("period_ongoing"))
        .when(period > budget * pl.col("years") + _YUAN_TOLERANCE)
        .then(pl.lit("period_multi"))
    )
    long = pl.concat(
        [
            caps.with_columns(issue=issue, cap=annual, raw=pl.col("annual_value")),
            caps.with_columns(issue=period_issue, cap=period, raw=pl.col("period_value")),
        ]
    ).filter(pl.col("issue").is_not_null())
    # Two caps of one project with the same value (预算控制数 and 维修维护费
    # ≤46万元) are one finding: the reviewer asks one question.
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for r in long.iter_rows(named=True):
        grouped[(r["project_id"], r["issue"], r["cap"])].append(r)
    records = []
    for (_, issue_kind, cap), rows in grouped.items():
        r = rows[0]
        listed = list(dict.fromkeys(x["indicator"] for x in rows))
        names, names_en = "、".join(listed), listing(listed, "en", quote=True)
        b, year = r["budget_yuan"], r["budget_year"] or "本"
        which = f"the {r['budget_year']} budget" if r["budget_year"] else "this year's budget"
        ratio = cap / b
        annual_raw = show(r["annual_value"])
        raw_en = show(r["raw"], "en")
        if issue_kind == "annual_above":
            message = (
                f"成本指标“{names}”年度值 {show(r['raw'])}（{wan(cap)} 万元）高于项目预算 "
                f"{wan(b)} 万元，为预算的 {ratio:.2f} 倍"
            )
            message_en = (
                f"The annual value {raw_en} ({yuan(cap)}) of the cost indicator {names_en} is above the project "
                f"budget of {yuan(b)}: {ratio:.2f} times the budget"
            )
            severity, key = "高", "annual"
        elif issue_kind == "total_below":
            message = (
                f"“{names}”年度值 {show(r['raw'])} 低于项目预算 {wan(b)} 万元，相差 {wan(b - cap)} 万元："
                "预算控制数通常等于预算金额，差额的用途未在目标中体现"
            )
            message_en = (
                f"The annual value {raw_en} of {names_en} is below the project budget of {yuan(b)} by "
                f"{yuan(b - cap)}: a budget control figure usually equals the budget, and the targets do not say "
                "what the difference is for"
            )
            severity, key = "低", "annual"
        elif issue_kind == "period_one_year":
            message = (
                f"单年度项目（{period_text(r)}）的实施周期就是预算年度，但“{names}”实施周期值 {show(r['raw'])}"
                f"（{wan(cap)} 万元）高于项目预算 {wan(b)} 万元（{ratio:.2f} 倍）"
            )
            message_en = (
                f"A one-year project ({period_text(r, 'en')}) has the budget year as its whole period, but the "
                f"period value {raw_en} ({yuan(cap)}) of {names_en} is above the project budget of {yuan(b)} "
                f"({ratio:.2f} times)"
            )
            severity, key = "高", "period"
        elif issue_kind == "period_ongoing":
            message = (
                f"“{names}”实施周期值 {show(r['raw'])}（{wan(cap)} 万元）高于 {year} 年预算 {wan(b)} 万元"
                f"（{ratio:.2f} 倍），年度值为 {annual_raw}。项目为长期项目（{period_text(r)}），没有确定的周期总额，"
                "实施周期值按年度口径填写，不能用“预算 × 年数”解释；周期值高于批复预算，像是未按批复数更新的申报数"
            )
            message_en = (
                f"The period value {raw_en} ({yuan(cap)}) of {names_en} is above {which} of {yuan(b)} "
                f"({ratio:.2f} times); the annual value is {show(r['annual_value'], 'en')}. The project is ongoing "
                f"({period_text(r, 'en')}) with no total for the period, so its period value is written per year "
                "and cannot be explained as “budget × years”; a period value above the approved budget looks like "
                "the amount requested, not updated to the approved one"
            )
            severity, key = "中", "period"
        else:
            bound = b * r["years"]
            message = (
                f"“{names}”实施周期值 {show(r['raw'])}（{wan(cap)} 万元）高于 {year} 年预算 {wan(b)} 万元 × "
                f"{r['years']} 年（{period_text(r)}）= {wan(bound)} 万元：即使每年预算都与本年相同也达不到"
            )
            message_en = (
                f"The period value {raw_en} ({yuan(cap)}) of {names_en} is above {which} of {yuan(b)} × "
                f"{r['years']} years ({period_text(r, 'en')}) = {yuan(bound)}: even the same budget every year "
                "would not reach it"
            )
            severity, key, ratio = "中", "period", cap / bound
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": message,
                "message_en": message_en,
                "expected": b if issue_kind != "period_multi" else b * r["years"],
                "actual": cap,
                "ratio": ratio,
                "detail": names,
                "detail_en": listing(listed, "en"),
                "severity": severity,
                "key": key,
            }
        )
    return finding_rows(records)


# Unit-cost dimensions (元/天/人) and the count units that measure them.
_RATE_DIMENSIONS = {
    "人": "人",
    "名": "人",
    "位": "人",
    "天": "天",
    "日": "天",
    "月": "月",
    "次": "次",
    "场": "次",
    "年": "年",
}
_COUNT_DIMENSIONS: dict[str, frozenset[str]] = {
    "人": frozenset({"人"}),
    "人次": frozenset({"人", "次"}),  # 60 人次 is people × times at once
    "天": frozenset({"天"}),
    "月": frozenset({"月"}),
    "次": frozenset({"次"}),
    "场": frozenset({"次"}),
}
_DIMENSION_WORD = {"人": "人", "天": "天", "月": "个月", "次": "次", "年": "年"}
_WORD_EN = {"人": "people", "人次": "person-times", "天": "days", "个月": "months", "次": "times", "年": "years"}


@rule(
    Rule(
        "R09",
        "高",
        "单价 × 数量超过预算",
        "Unit cost × quantity exceeds the budget",
        "把成本指标中的单价标准（元/人/年、元/天/人、元/月/人、元/次/人）与本项目单位相同的数量指标相乘"
        "（人、人次、天、月、次；单位取自指标值或名称，如会议人数（人）、会议天数（天）），乘积高于预算为高。"
        "年度预算只算 1 年；缺少月数时按 12 个月计，此时为中。缺少某一维度的数量时不判断。",
        BASIS_PRACTICE,
        checks_en="A unit cost among the cost indicators (“元/人/年”, “元/天/人”, “元/月/人”, “元/次/人”) times the "
        "project's quantity indicators of the same units (people, person-times, days, months, times; the unit "
        "from the value or the name, as in “会议人数（人）”, “会议天数（天）”) above the budget is high. A year's budget "
        "counts one year; without a number of months 12 are assumed, and the finding is medium. Without a "
        "quantity for every unit nothing is judged.",
    )
)
def _r09_unit_cost(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators
    rates = ind.filter((pl.col("target_kind") == "rate") & (pl.col("target_number") > 0) & (pl.col("budget_yuan") > 0))
    if rates.height == 0:
        return finding_rows([])
    counts = (
        ind.filter(
            (pl.col("target_kind") == "count")
            & (pl.col("target_number") > 0)
            & pl.col("count_unit").is_in(sorted(_COUNT_DIMENSIONS))
            & pl.col("project_id").is_in(rates["project_id"].unique().to_list())
        )
        # Quantity rows first: 会议人数 counts people before a 效益 row does.
        .sort(pl.col("level2") != "数量指标", "line")
    )
    by_project: dict[str, list[dict]] = defaultdict(list)
    for c in counts.iter_rows(named=True):
        by_project[c["project_id"]].append(c)
    records = []
    for r in rates.iter_rows(named=True):
        dims = [_RATE_DIMENSIONS.get(part) for part in r["target_unit"].split("/")[1:]]
        if not dims or None in dims or len(set(dims)) != len(dims):
            continue
        needed = set(dims)
        factors: list[tuple[float, str, str | None]] = []  # (quantity, unit word, indicator name)
        assumed = False
        if "年" in needed:
            # The budget is one year's money, so a per-year rate counts once.
            needed.discard("年")
        candidates = by_project.get(r["project_id"], [])
        joint = next((c for c in candidates if {"人", "次"} <= needed and c["count_unit"] == "人次"), None)
        if joint is not None:
            factors.append((joint["target_number"], "人次", joint["name"]))
            needed -= {"人", "次"}
        # People first, then time: 760元/天/人 × 950 人 × 3 天, as a reviewer writes it.
        for dim in sorted(needed, key="人天月次".index):
            found = next((c for c in candidates if _COUNT_DIMENSIONS[c["count_unit"]] == {dim}), None)
            if found is not None:
                factors.append((found["target_number"], _DIMENSION_WORD[dim], found["name"]))
            elif dim == "月":
                factors.append((12.0, "个月", None))
                assumed = True
            else:
                break
        else:
            product = r["target_number"]
            for quantity, _, _ in factors:
                product *= quantity
            budget = r["budget_yuan"]
            if product <= budget * (1 + 1e-9) + _YUAN_TOLERANCE:
                continue
            terms = " × ".join(
                f"{q:g} {word}" + (f"（{name}）" if name else "（按 12 个月计）") for q, word, name in factors
            )
            terms_en = " × ".join(
                f"{q:g} {_WORD_EN[word]}" + (f" (“{name}”)" if name else " (12 months assumed)")
                for q, word, name in factors
            )
            year_note = "（按 1 年计）" if "年" in dims else ""
            year_note_en = " (counted for 1 year)" if "年" in dims else ""
            value = r["annual_value"] or r["period_value"]
            records.append(
                {
                    "project_id": r["project_id"],
                    "indicator_id": r["indicator_id"],
                    "message": f"{r['name']} {show(value)}{year_note} × {terms} = "
                    f"{wan(product)} 万元，高于项目预算 {wan(budget)} 万元（{product / budget:.3f} 倍）",
                    "message_en": f"“{r['name']}” {show(value, 'en')}{year_note_en} × {terms_en} = {yuan(product)}, "
                    f"above the project budget of {yuan(budget)} ({product / budget:.3f} times)",
                    "expected": budget,
                    "actual": product,
                    "ratio": product / budget,
                    "detail": " × ".join([r["name"], *[name or "12 个月（假定）" for _, _, name in factors]]),
                    "detail_en": " × ".join([r["name"], *[name or "12 months (assumed)" for _, _, name in factors]]),
                    "severity": "中" if assumed else "高",
                }
            )
    return finding_rows(records)
