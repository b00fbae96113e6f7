"""Rules on the goal text's numbers: against the budget and the indicators (R15), quantities without an indicator (R16)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import polars as pl

from lib import metrics
from lib.model.money import UNIT_SCALES
from lib.review.preparation import ReviewFrames
from lib.review.registry import BASIS_PRACTICE, Rule, finding_rows, rule
from lib.review.vocabulary import COLUMN_EN, COLUMN_ZH, GOAL_EN, GOAL_ZH, canonical_unit, unit_en, wan, yuan

# Goal text rounds freely (项目总预算为46.001万元 for a ≤46万元 cap): amounts
# within 0.5% (and 100 元) of each other are the same amount.
_GOAL_TOLERANCE = 0.005

# Numbers in goal text. ``(?<![\d.第〔])`` keeps out ordinals (第6次),
# document numbers (〔2017〕28号) and the digits inside a longer number.
_GOAL_NUMBER = re.compile(
    r"(?<![\d.第〔])(?P<op>[≥≤><]|不少于|不低于|不超过)?"
    r"(?P<num>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>亿元|万元|元|人次|个|人|位|名|次|期|场|份|项|家|篇|套|台|户|件|批|天)"
)
_MONEY_SCALE = {unit: UNIT_SCALES[unit] for unit in ("亿元", "万元", "元")}
_CLAUSE = re.compile(r"[^，,。；;：:！!？?\n]+")
# Words before an amount saying it is the project's whole money.
_TOTAL_WORDS = re.compile(r"预算|拨付|安排|资金|经费|投资|总额|共计|合计|总计|共|投入")
# Bigrams too common to relate a sentence to an indicator.
_STOP_BIGRAMS = frozenset(
    {"工作", "开展", "项目", "完成", "进行", "组织", "计划", "全年", "每年", "年度", "实施", "提供",
     "参与", "全市", "相关", "保障", "人大", "市人", "大常", "常委", "委会", "提高", "提升", "加强", "推进"}
)  # fmt: skip
_MEASURE_SUFFIX = re.compile(r"(次数|人数|个数|份数|期数|天数|频次|人次|数量|数)$")


@dataclass(frozen=True, slots=True)
class _GoalNumber:
    field: str
    number: float  # 元 for money
    unit: str  # 元 for money
    money: bool
    clause: str  # the clause, the number replaced by "|"
    window: str  # up to 12 characters either side of the number, within the clause
    snippet: str
    clause_sum: float  # same-unit numbers of the clause added up (32个 + 3个)
    mentions_year: bool


def _head(name: str | None) -> str | None:
    """What a count indicator counts: the last meaningful two characters of its name.

    Chinese puts the head noun last: 发放代表联络站个数 counts 联络站 (络站),
    统计数据质量核查覆盖镇街数量 counts 镇街, 会议人数（人） counts 会议 (participants).
    """
    han = re.sub(r"[^\u4e00-\u9fff]", "", _MEASURE_SUFFIX.sub("", name or ""))
    for i in range(len(han) - 2, -1, -1):
        if han[i : i + 2] not in _STOP_BIGRAMS:
            return han[i : i + 2]
    return None


def _snippet(clause: str, start: int, end: int) -> str:
    """The words around a number, within its 、-separated item, not starting inside a number."""
    item_start = clause.rfind("、", 0, start) + 1
    item_end = clause.find("、", end)
    item_end = len(clause) if item_end < 0 else item_end
    lo = max(item_start, start - 12)
    # 2026年对新一届代表440人: start after a date rather than in its middle.
    while item_start < lo < start and (clause[lo - 1].isdigit() or clause[lo] in "年月日" and clause[lo - 1].isdigit()):
        lo += 1
    hi = min(item_end, end + 12)
    return clause[lo:hi].strip() + ("…" if hi < item_end else "")


def _goal_numbers(text: str | None, *, field: str, budget_year: int | None) -> list[_GoalNumber]:
    if not text:
        return []
    found: list[_GoalNumber] = []
    for clause_match in _CLAUSE.finditer(text):
        clause = clause_match.group()
        matches = list(_GOAL_NUMBER.finditer(clause))
        per_unit: dict[str, float] = defaultdict(float)
        parsed = []
        for m in matches:
            unit = m["unit"]
            money = unit in _MONEY_SCALE
            after = clause[m.end() : m.end() + 1]
            if money and (after == "/" or "每" in clause[max(0, m.start() - 4) : m.start()]):
                continue  # a unit cost (1000元/人/年, 每人500元), not an amount
            number = float(m["num"]) * (_MONEY_SCALE[unit] if money else 1)
            unit = "元" if money else canonical_unit(unit)
            per_unit[unit] += number
            snippet = _snippet(clause, m.start(), m.end())
            parsed.append((m, number, unit, money, snippet))
        for m, number, unit, money, snippet in parsed:
            found.append(
                _GoalNumber(
                    field=field,
                    number=number,
                    unit=unit,
                    money=money,
                    clause=clause[: m.start()] + "|" + clause[m.end() :],
                    window=clause[max(0, m.start() - 12) : m.start()] + "|" + clause[m.end() : m.end() + 12],
                    snippet=snippet,
                    clause_sum=per_unit[unit],
                    mentions_year=budget_year is not None and f"{budget_year}年" in clause,
                )
            )
    return found


def _project_goal_numbers(frames: ReviewFrames) -> dict[str, list[_GoalNumber]]:
    out: dict[str, list[_GoalNumber]] = {}
    for p in frames.projects.select("project_id", "goal_period", "goal_annual", "budget_year").iter_rows(named=True):
        numbers = [
            *_goal_numbers(p["goal_period"], field="goal_period", budget_year=p["budget_year"]),
            *_goal_numbers(p["goal_annual"], field="goal_annual", budget_year=p["budget_year"]),
        ]
        if numbers:
            out[p["project_id"]] = numbers
    return out


def _goal_count_indicators(
    frames: ReviewFrames, goals: dict[str, list[_GoalNumber]], *, with_unit: bool
) -> dict[str, list[dict]]:
    """Count indicators of the projects with goal numbers, each with its head noun (:func:`_head`).

    A goal number relates to an indicator when the head noun stands next to
    it: sharing any word is not enough, because every sentence and every
    indicator of 统计数据质量核查专项经费 mention 统计数据.
    """
    selected = frames.indicators.filter((pl.col("target_kind") == "count") & pl.col("project_id").is_in(list(goals)))
    if with_unit:
        selected = selected.filter(pl.col("count_unit").is_not_null())
    out: dict[str, list[dict]] = defaultdict(list)
    for c in selected.iter_rows(named=True):
        c["head"] = _head(c["bare_name"])
        out[c["project_id"]].append(c)
    return out


@rule(
    Rule(
        "R15",
        "中",
        "目标文本中的数字与预算或指标不符",
        "Numbers in the goal text contradict the budget or the indicators",
        "目标文本中说明项目总金额的数字（“项目总预算为46.001万元”“2026年共拨付111万元”）应与预算金额一致，"
        "相差超过 0.5% 为中（年度目标、单年度项目或写明预算年度的句子才比较）；"
        "目标中的数量（“440人”“32个”）与同一项目中单位相同、所计对象紧挨该数字出现的数量指标不符为低"
        "（同一分句中同单位的数相加也算一致，如 32个 + 3个 = 35）。",
        BASIS_PRACTICE,
        checks_en="An amount the goal text gives as the project's whole money (“项目总预算为46.001万元”, "
        "“2026年共拨付111万元”) should equal the budget: more than 0.5% apart is medium (compared only in the goal "
        "for the budget year, for one-year projects, or where the sentence names the budget year); a quantity in "
        "the goal (“440人”, “32个”) that disagrees with a quantity indicator of the same project in the same unit, "
        "whose counted thing stands next to the number, is low (numbers of one unit in one clause may add up: "
        "“32个” + “3个” = 35).",
    )
)
def _r15_goal_numbers(frames: ReviewFrames) -> pl.DataFrame:
    goals = _project_goal_numbers(frames)
    if not goals:
        return finding_rows([])
    projects = {p["project_id"]: p for p in frames.projects.iter_rows(named=True) if p["project_id"] in goals}
    caps = metrics.cost_caps(frames.projects, frames.indicators)
    caps_by_project: dict[str, list[dict]] = defaultdict(list)
    for c in caps.iter_rows(named=True):
        caps_by_project[c["project_id"]].append(c)
    counts = _goal_count_indicators(frames, goals, with_unit=True)
    records = []
    for project_id, numbers in goals.items():
        p = projects[project_id]
        budget = p["budget_yuan"]
        seen: set[tuple] = set()
        for g in numbers:
            if g.money:
                compares = g.field == "goal_annual" or p["one_year"] or g.mentions_year
                before = g.clause.split("|")[0][-12:]
                if not (budget and compares and _TOTAL_WORDS.search(before)) or "其中" in before:
                    continue
                if abs(g.number - budget) <= max(100.0, budget * _GOAL_TOLERANCE) or ("money", g.number) in seen:
                    continue
                seen.add(("money", g.number))
                near = [
                    c
                    for c in caps_by_project[project_id]
                    if c["period_cap_yuan"]
                    and abs(c["period_cap_yuan"] - g.number) <= max(100.0, g.number * _GOAL_TOLERANCE)
                ]
                near_caps = [f"“{c['indicator']}”实施周期值 {wan(c['period_cap_yuan'])} 万元" for c in near]
                gap = g.number - budget
                message = (
                    f"{GOAL_ZH[g.field]}写“{g.snippet}”，而 {p['budget_year'] or '本'} 年预算金额为 {wan(budget)} 万元："
                    f"{'多' if gap > 0 else '少'} {wan(abs(gap))} 万元（{g.number / budget:.2f} 倍）"
                )
                which = f"the {p['budget_year']} budget" if p["budget_year"] else "this year's budget"
                message_en = (
                    f"The {GOAL_EN[g.field]} says “{g.snippet}”, but {which} is {yuan(budget)}: "
                    f"{yuan(abs(gap))} {'more' if gap > 0 else 'less'} ({g.number / budget:.2f} times)"
                )
                if near_caps:
                    message += f"；与{near_caps[0]}一致，目标文本像是按申报数写的，未随批复预算更新"
                    message_en += (
                        f"; it equals the period value {yuan(near[0]['period_cap_yuan'])} of “{near[0]['indicator']}”: "
                        "the goal text seems written from the amount requested and not updated to the approved budget"
                    )
                records.append(
                    {
                        "project_id": project_id,
                        "message": message,
                        "message_en": message_en,
                        "expected": budget,
                        "actual": g.number,
                        "ratio": g.number / budget,
                        "detail": g.snippet,
                        "key": f"money:{g.number:.0f}",
                    }
                )
                continue
            related = [
                c
                for c in counts.get(project_id, [])
                if c["count_unit"] == g.unit and c["head"] and c["head"] in g.window
            ]
            if not related:
                continue
            # A goal number may be annual (每年60人次) or for the period: either value agrees.
            if any(
                c[f"{col}_number"] in (g.number, g.clause_sum)
                for c in related
                for col in ("period", "annual")
                if c[f"{col}_kind"] == "count"
            ):
                continue
            c = related[0]
            if (c["indicator_id"], g.number) in seen:
                continue
            seen.add((c["indicator_id"], g.number))
            column = "period" if g.field == "goal_period" and c["period_kind"] == "count" else "annual"
            v = c[f"{column}_number"] if c[f"{column}_kind"] == "count" else c["target_number"]
            records.append(
                {
                    "project_id": project_id,
                    "indicator_id": c["indicator_id"],
                    "message": f"{GOAL_ZH[g.field]}写“{g.snippet}”，而指标“{c['name']}”的"
                    f"{COLUMN_ZH[column]}为 {v:g}{c['count_unit']}：口径不一致，请说明",
                    "message_en": f"The {GOAL_EN[g.field]} says “{g.snippet}”, but the {COLUMN_EN[column]} of "
                    f"“{c['name']}” is {v:g} {unit_en(c['count_unit'])}: the two do not agree; please explain",
                    "expected": v,
                    "actual": g.number,
                    "ratio": g.number / v if v else None,
                    "detail": g.snippet,
                    "severity": "低",
                    "key": f"count:{g.number:g}",
                }
            )
    return finding_rows(records)


@rule(
    Rule(
        "R16",
        "低",
        "目标中的数量没有对应指标",
        "Quantities in the goal without an indicator",
        "目标文本写明的产出数量（“访前咨询≥180次”“对新一届代表440人进行轮训”）在本项目中找不到"
        "单位相同的数量指标（也没有数值相同、未注明单位或用词相关的数量指标），说明指标没有细化目标。每个项目一条，列出这些数量。",
        BASIS_PRACTICE,
        checks_en="Output quantities the goal text states (“访前咨询≥180次”, “对新一届代表440人进行轮训”) without a "
        "quantity indicator of the same unit in the project (nor one with the same number, no unit or related "
        "words) show indicators that do not break the goal down. One finding per project, listing the quantities.",
    )
)
def _r16_goal_quantities_without_indicator(frames: ReviewFrames) -> pl.DataFrame:
    goals = _project_goal_numbers(frames)
    counts = _goal_count_indicators(frames, goals, with_unit=False)

    def reflected(g: _GoalNumber, c: dict) -> bool:
        if c["count_unit"] == g.unit:
            return True
        # 运维维护设施数量 2 is 每年运维系统2套; 推文频次（次）700 is 发布推文700篇.
        same_number = g.number in (c["period_number"], c["annual_number"])
        return same_number and (c["count_unit"] is None or bool(c["head"] and c["head"] in g.window))

    records = []
    for project_id, numbers in goals.items():
        missing: dict[tuple[float, str], str] = {}
        for g in numbers:
            if g.money or any(reflected(g, c) for c in counts.get(project_id, [])):
                continue
            missing.setdefault((g.number, g.unit), g.snippet)
        if missing:
            listed = "；".join(f"“{s}”" for s in missing.values())
            units = list(dict.fromkeys(u for _, u in missing))
            records.append(
                {
                    "project_id": project_id,
                    "message": f"目标中写明的数量没有对应的数量指标：{listed}。"
                    f"数量指标应细化目标中的产出（本项目没有以{'、'.join(units)}计的数量指标）",
                    "message_en": "Quantities the goal states have no quantity indicator: "
                    f"{'; '.join(f'“{s}”' for s in missing.values())}. Quantity indicators should break down the "
                    f"goal's outputs (this project has no quantity indicator counted in "
                    f"{', '.join(unit_en(u) for u in units)})",
                    "actual": float(len(missing)),
                    "detail": "、".join(f"{n:g}{u}" for n, u in missing),
                    "detail_en": ", ".join(f"{n:g} {unit_en(u)}" for n, u in missing),
                }
            )
    return finding_rows(records)
