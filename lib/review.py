"""Review rules a budget reviewer applies to performance targets, and the findings they raise.

Rules are data: each is a :class:`Rule` (id, severity, titles, what it
checks, its basis) registered together with the one function that checks it::

    @rule(Rule("R99", "低", "标题", "Title", "检查内容", "评审实践 reviewer practice"))
    def _r99(frames: ReviewFrames) -> pl.DataFrame:
        return _rows([...])

Adding a rule is one such entry and its function; :data:`RULES`,
:func:`review`, :func:`rules_frame` and the command line pick it up.

A check receives :class:`ReviewFrames` -- the corpus' projects and indicators
with the columns every rule needs computed once (the target value, the unit a
name declares, the implementation period in years) -- and returns finding
rows: ``project_id``, ``indicator_id`` (null for a project-level finding),
``message`` and the evidence columns. :func:`review` adds the rule id, the
severity and a stable ``finding_id``.

Thresholds were tuned by reading every finding on the reference document
(``data/000_*.txt``): no rule fires on every project, because a rule that
flags everything tells a reviewer nothing.

Command line::

    python -m lib.review [PATH ...] --json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from lib import metrics
from lib.i18n import t
from lib.cli import cli_arguments, cli_load
from lib.loader import Corpus
from lib.model import periods
from lib.model import severity as severity_model
from lib.model.money import UNIT_SCALES

__all__ = [
    "FINDINGS",
    "RULES",
    "RULES_SCHEMA",
    "SEVERITIES",
    "SEVERITY_LABEL_KEYS",
    "ReviewFrames",
    "Rule",
    "main",
    "prepare",
    "review",
    "rule",
    "rules_frame",
]

#: Severities, most serious first, and their label keys: stated in lib.model.severity.
SEVERITIES: tuple[str, ...] = severity_model.SEVERITIES
Severity = pl.Enum(SEVERITIES)
SEVERITY_LABEL_KEYS: dict[str, str] = severity_model.LABEL_KEYS

#: The findings frame returned by :func:`review`.
FINDINGS: dict[str, pl.DataType] = {
    "finding_id": pl.String(),
    "rule_id": pl.String(),
    "severity": Severity,
    "project_id": pl.String(),
    # Null for a finding about the whole project.
    "indicator_id": pl.String(),
    "message": pl.String(),
    # Evidence: the value the rule expected (a budget, an indicator value),
    # the value found, actual / expected, and what was combined or compared.
    "expected": pl.Float64(),
    "actual": pl.Float64(),
    "ratio": pl.Float64(),
    "detail": pl.String(),
}

#: The rules frame returned by :func:`rules_frame`.
RULES_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "severity": Severity,
    "title": pl.String(),
    "checks": pl.String(),
    "basis": pl.String(),
}

# What a check returns; ``severity`` overrides the rule's for one finding and
# ``key`` tells apart two findings of one rule on the same indicator or project.
_ROW_SCHEMA: dict[str, pl.DataType] = {
    "project_id": pl.String(),
    "indicator_id": pl.String(),
    "message": pl.String(),
    "expected": pl.Float64(),
    "actual": pl.Float64(),
    "ratio": pl.Float64(),
    "detail": pl.String(),
    "severity": pl.String(),
    "key": pl.String(),
}

_BASIS_101 = "财预〔2021〕101号"
_BASIS_PRACTICE = "评审实践 reviewer practice"


# ---------------------------------------------------------------- rules as data


@dataclass(frozen=True, slots=True)
class Rule:
    """One review rule: what it checks and why, without the code that checks it.

    Attributes
    ----------
    id
        ``"R01"`` ...; part of every finding id, so never reused.
    severity
        高, 中 or 低: the severity of the rule's findings. A check may lower
        or raise it for one finding; ``checks`` then says when.
    title_zh, title_en
        Short title in Chinese and English.
    checks
        What the rule checks, in Chinese, with its thresholds.
    basis
        The guidance it rests on (``财预〔2021〕101号``) or
        ``评审实践 reviewer practice`` for reviewers' practice.

    Examples
    --------
    >>> Rule("R99", "低", "示例", "Example", "检查示例", "评审实践 reviewer practice").severity
    '低'
    """

    id: str
    severity: str
    title_zh: str
    title_en: str
    checks: str
    basis: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"R\d{2,}", self.id):
            msg = f"rule id must look like R01, got {self.id!r}"
            raise ValueError(msg)
        if self.severity not in SEVERITIES:
            msg = f"{self.id}: severity must be one of {SEVERITIES}, got {self.severity!r}"
            raise ValueError(msg)


@dataclass(frozen=True)
class ReviewFrames:
    """What every check reads: the corpus' frames with the derived columns rules share.

    Attributes
    ----------
    projects
        ``Corpus.projects`` plus ``order`` (position in the corpus), ``years``
        (length of a finite implementation period, null for an ongoing or
        unknown one), ``ongoing`` (open-ended as :mod:`lib.model.periods` says)
        and ``one_year`` (starts and ends in the same year). NaN budgets are null.
    indicators
        ``Corpus.indicators`` plus the project's ``document_id``,
        ``project_name``, ``order``, ``budget_yuan``, period columns, and:
        ``bare_name`` (no spaces, no trailing bracket), ``name_note`` (the
        trailing bracket's text: ``人``, ``%``, ``是/否``), ``name_unit`` (a
        count unit the name declares: ``会议人数（人）`` and ``发放代表人数``
        give ``人``), ``is_cost``, the ``target_*`` value (the annual value,
        or the period value where the annual one is missing) and
        ``count_unit`` (the target's count unit, or else the name's).
    values
        One row per indicator and value column (``column`` is ``period`` or
        ``annual``) with ``raw``, ``kind``, ``op``, ``number``, ``unit``:
        rules that look at each written value read this.
    """

    projects: pl.DataFrame
    indicators: pl.DataFrame
    values: pl.DataFrame


Check = Callable[[ReviewFrames], pl.DataFrame]
_REGISTRY: dict[str, tuple[Rule, Check]] = {}


def rule(spec: Rule) -> Callable[[Check], Check]:
    """Register ``spec`` with the decorated check function.

    Examples
    --------
    >>> sorted(_REGISTRY)[:2]
    ['R01', 'R02']
    """

    def register(check: Check) -> Check:
        if spec.id in _REGISTRY:
            msg = f"rule {spec.id} registered twice"
            raise ValueError(msg)
        _REGISTRY[spec.id] = (spec, check)
        return check

    return register


def _rows(records: list[dict]) -> pl.DataFrame:
    """Finding rows from dicts; absent keys are null."""
    return pl.DataFrame(
        [{name: record.get(name) for name in _ROW_SCHEMA} for record in records],
        schema=_ROW_SCHEMA,
    )


# ---------------------------------------------------------------- shared vocabulary

# Budgets and caps are written to the cent (≤36.33万元 is exactly 363,300 元),
# so half a yuan only absorbs float noise.
_YUAN_TOLERANCE = 0.5
# Goal text rounds freely (项目总预算为46.001万元 for a ≤46万元 cap): amounts
# within 0.5% (and 100 元) of each other are the same amount.
_GOAL_TOLERANCE = 0.005

_COLUMN_ZH = {"period": "实施周期值", "annual": "年度值"}
_GOAL_ZH = {"goal_period": "实施周期总目标", "goal_annual": "年度目标"}

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
_UNIT_SYNONYMS = {"位": "人", "名": "人", "日": "天", "个月": "月", "人数": "人"}
_TIME_UNITS = frozenset({"天", "日", "工作日", "小时", "分钟", "月", "周", "星期", "季度", "年"})
_TRAILING_NOTE = re.compile(r"[（(]([^（）()]{1,8})[)）]$")
_PUNCTUATION = re.compile(r"[\s\u3000，,。.、；;：:！!？?“”\"'‘’《》<>〈〉（）()\[\]【】{}·•…—\-_/|]+")


def _unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    return _UNIT_SYNONYMS.get(unit, unit)


def _name_parts(name: str) -> tuple[str, str | None, str | None]:
    """(bare name, trailing note, declared count unit) of an indicator name."""
    compact = re.sub(r"\s+", "", name)
    match = _TRAILING_NOTE.search(compact)
    note = match.group(1) if match else None
    bare = compact[: match.start()] if match else compact
    unit = None
    if note is not None:
        word = note[:-1] if len(note) > 1 and note.endswith("数") else note
        if word in _NOTE_UNITS:
            unit = _unit(word)
    if unit is None:
        for suffix, suffix_unit in _NAME_SUFFIX_UNITS.items():
            if bare.endswith(suffix):
                unit = suffix_unit
                break
    return bare, note, unit


def _show(raw: str | None) -> str:
    """A value as written, without the spaces some documents put after ≤."""
    return "（空）" if raw is None else re.sub(r"\s+", "", raw) or "（空）"


def _wan(yuan: float | None) -> str:
    return metrics.format_wan(yuan)


def _period(row: dict) -> str:
    start, end = row.get("start_year"), row.get("end_year")
    if start is None or end is None:
        return "实施周期未知"
    return f"{start}–{end}"


# ---------------------------------------------------------------- preparation


def prepare(corpus: Corpus) -> ReviewFrames:
    """The frames every check reads, with the shared derived columns computed once.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> frames = prepare(load_documents())
    >>> frames.indicators.filter(pl.col("name") == "会议人数（人）")["name_unit"].item()
    '人'
    """
    start, end = pl.col("start_year"), pl.col("end_year")
    ongoing = periods.open_ended()
    projects = corpus.projects.with_row_index("order").with_columns(
        pl.col("budget_yuan").fill_nan(None),
        ongoing=ongoing.fill_null(False),
        one_year=(start == end).fill_null(False),
        years=pl.when(~ongoing & (end >= start)).then(end - start + 1).cast(pl.Int32),
    )
    names = corpus.indicators["name"].unique().drop_nulls().to_list()
    parts = {name: _name_parts(name) for name in names}

    def lookup(i: int) -> pl.Expr:
        mapping = {name: part[i] for name, part in parts.items()}
        return pl.col("name").replace_strict(mapping, default=None, return_dtype=pl.String)

    annual = pl.col("annual_kind") != "missing"

    def target(field: str) -> pl.Expr:
        return pl.when(annual).then(pl.col(f"annual_{field}")).otherwise(pl.col(f"period_{field}"))

    value_unit = pl.col("target_unit").replace_strict(_UNIT_SYNONYMS, default=pl.col("target_unit"))
    indicators = (
        corpus.indicators.join(
            projects.select(
                "project_id",
                "document_id",
                pl.col("name").alias("project_name"),
                "order",
                "budget_yuan",
                "budget_year",
                "start_year",
                "end_year",
                "years",
                "ongoing",
                "one_year",
            ),
            on="project_id",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            bare_name=lookup(0),
            name_note=lookup(1),
            name_unit=lookup(2),
            is_cost=metrics.is_cost_indicator(),
            target_kind=target("kind"),
            target_op=target("op"),
            target_number=target("number"),
            target_unit=target("unit"),
        )
        .with_columns(
            count_unit=pl.when(pl.col("target_kind") == "count").then(pl.coalesce(value_unit, pl.col("name_unit")))
        )
    )
    keep = [
        "indicator_id",
        "project_id",
        "document_id",
        "line",
        "level1",
        "level2",
        "name",
        "bare_name",
        "is_cost",
    ]
    values = pl.concat(
        [
            indicators.select(
                *keep,
                pl.lit(column).alias("column"),
                pl.col(f"{column}_value").alias("raw"),
                pl.col(f"{column}_kind").alias("kind"),
                pl.col(f"{column}_op").alias("op"),
                pl.col(f"{column}_number").alias("number"),
                pl.col(f"{column}_unit").alias("unit"),
            )
            for column in ("period", "annual")
        ]
    ).sort("indicator_id", "column", descending=[False, True])
    return ReviewFrames(projects=projects, indicators=indicators, values=values)


def _per_indicator(hits: pl.DataFrame) -> list[tuple[dict, list[dict]]]:
    """Value-level hits grouped by indicator, in document order: (first row, all rows)."""
    groups: dict[str, list[dict]] = {}
    for row in hits.sort("indicator_id", "column", descending=[False, True]).iter_rows(named=True):
        groups.setdefault(row["indicator_id"], []).append(row)
    return [(rows[0], rows) for rows in groups.values()]


def _values_phrase(rows: list[dict]) -> str:
    """``实施周期值和年度值均为 ≥100%`` or ``年度值为 ≥100%``: which columns say what."""
    shown = {_show(r["raw"]) for r in rows}
    if len(rows) == 2 and len(shown) == 1:
        return f"实施周期值和年度值均为 {shown.pop()}"
    return "、".join(f"{_COLUMN_ZH[r['column']]}为 {_show(r['raw'])}" for r in rows)


# ---------------------------------------------------------------- R01-R13: DOMAIN.md

_SATISFACTION_WORDS = r"满意度|满意率|满意程度"


@rule(
    Rule(
        "R01",
        "高",
        "指标类别不全",
        "Missing indicator categories",
        "每个项目应设产出、效益、满意度指标（缺一为高）；2021 年起还应设成本指标（缺少为中）。"
        "产出指标下缺少数量、质量或时效指标为低。满意度指标误归效益指标时仍算已设，由 R12 提示。",
        _BASIS_101,
    )
)
def _r01_categories(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators
    present = ind.group_by("project_id").agg(
        output=(pl.col("level1") == "产出指标").any(),
        outcome=(pl.col("level1") == "效益指标").any(),
        satisfaction=((pl.col("level1") == "满意度指标") | pl.col("name").str.contains(_SATISFACTION_WORDS)).any(),
        cost=pl.col("is_cost").any(),
        quantity=(pl.col("level2") == "数量指标").any(),
        quality=(pl.col("level2") == "质量指标").any(),
        timeliness=(pl.col("level2") == "时效指标").any(),
    )
    projects = frames.projects.join(present, on="project_id", how="left", maintain_order="left")
    records = []
    for p in projects.iter_rows(named=True):
        # Before 2021 the template had no 成本指标 of its own (财预〔2021〕101号 added it).
        cost_required = p["budget_year"] is None or p["budget_year"] >= 2021
        wanted = [("产出指标", "output"), ("效益指标", "outcome"), ("满意度指标", "satisfaction")]
        if cost_required:
            wanted.append(("成本指标", "cost"))
        missing = [label for label, col in wanted if not p[col]]
        if p["output"] is None:
            records.append({"project_id": p["project_id"], "message": "项目没有任何绩效指标"})
            continue
        if missing:
            had = [label for label, col in wanted if p[col]]
            records.append(
                {
                    "project_id": p["project_id"],
                    "message": f"缺少一级指标：{'、'.join(missing)}" + (f"（已设：{'、'.join(had)}）" if had else ""),
                    "severity": "中" if missing == ["成本指标"] else "高",
                    "detail": "、".join(missing),
                    "key": "level1",
                }
            )
        if p["output"]:
            missing2 = [
                label
                for label, col in (
                    ("数量指标", "quantity"),
                    ("质量指标", "quality"),
                    ("时效指标", "timeliness"),
                )
                if not p[col]
            ]
            if missing2:
                records.append(
                    {
                        "project_id": p["project_id"],
                        "message": f"产出指标下缺少{'、'.join(missing2)}",
                        "severity": "低",
                        "detail": "、".join(missing2),
                        "key": "level2",
                    }
                )
    return _rows(records)


@rule(
    Rule(
        "R02",
        "中",
        "指标值为空或为占位符",
        "Empty or placeholder target value",
        "实施周期指标值和年度指标值都应填写，不得为 XX、**、/、是/否 等占位符；只填了一列的行也算。"
        "只有一列指标值的模板（整张表没有实施周期值）不检查实施周期值。",
        _BASIS_101,
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
    for first, rows in _per_indicator(hits):
        parts = []
        for r in rows:
            raw = (r["raw"] or "").strip()
            parts.append(f"{_COLUMN_ZH[r['column']]}{'为占位符“' + raw + '”' if raw else '为空'}")
        message = f"“{first['name']}”的{'，'.join(parts)}"
        if len(rows) == 1 and first["other_kind"] != "missing":
            message += (
                f"（{_COLUMN_ZH['period' if first['column'] == 'annual' else 'annual']}为 {_show(first['other_raw'])}）"
            )
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": message,
                "detail": "；".join(f"{_COLUMN_ZH[r['column']]}：{_show(r['raw'])}" for r in rows),
            }
        )
    return _rows(records)


@rule(
    Rule(
        "R03",
        "低",
        "数量指标缺少计量单位",
        "Quantity target without a unit",
        "数量指标的值应是带单位的数字。名称已注明单位或所计对象的裸数字可以（会议人数（人）、发放代表人数、补贴线路数）；"
        "其他裸数字为低（建设项目数量 1：个、项还是套？）；不是数字（优、良好、文字）为中。",
        _BASIS_101,
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
            "message": f"数量指标“{r['name']}”的值 {_show(r['annual_value'] or r['period_value'])} 没有计量单位，"
            "名称中也未注明（个、项、套、次？）",
            "actual": r["target_number"],
            "detail": _show(r["annual_value"] or r["period_value"]),
        }
        for r in bare.iter_rows(named=True)
    ]
    records += [
        {
            "project_id": r["project_id"],
            "indicator_id": r["indicator_id"],
            "message": f"数量指标“{r['name']}”的值“{_show(r['annual_value'] or r['period_value'])}”不是数量，"
            "数量指标应是可计数的数字和单位",
            "detail": _show(r["annual_value"] or r["period_value"]),
            "severity": "中",
        }
        for r in wordy.iter_rows(named=True)
    ]
    return _rows(records)


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
        _BASIS_PRACTICE,
    )
)
def _r04_percent_sanity(frames: ReviewFrames) -> pl.DataFrame:
    v = frames.values.filter((pl.col("kind") == "percent") & (pl.col("unit") == "%"))
    growth = pl.col("name").str.contains(_GROWTH_WORDS)
    above = ((pl.col("number") > 100) | ((pl.col("op") == ">") & (pl.col("number") >= 100))) & ~growth
    at = (pl.col("op") == "≥") & (pl.col("number") == 100)
    hits = v.filter(above | at).with_columns(above=above)
    records = []
    for first, rows in _per_indicator(hits):
        high = any(r["above"] for r in rows)
        why = (
            "比率不可能超过 100%，这一目标无法实现"
            if high
            else "比率不可能超过 100%，“≥100%”实际就是 100%，应写作 100% 或按实际设定"
        )
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": f"“{first['name']}”的{_values_phrase(rows)}：{why}",
                "expected": 100.0,
                "actual": max(r["number"] for r in rows),
                "ratio": max(r["number"] for r in rows) / 100,
                "detail": "；".join(f"{_COLUMN_ZH[r['column']]}：{_show(r['raw'])}" for r in rows),
                "severity": "高" if high else "低",
            }
        )
    return _rows(records)


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
        _BASIS_PRACTICE + "（参照财预〔2020〕10号自评计分）",
    )
)
def _r05_direction(frames: ReviewFrames) -> pl.DataFrame:
    v = frames.values.filter(pl.col("kind").is_in(["percent", "amount", "count"]) & pl.col("number").is_not_null())
    negative = pl.col("name").str.contains(_NEGATIVE_WORDS) & ~pl.col("name").str.contains(_HANDLING_WORDS)
    duration = (
        (pl.col("level2") == "时效指标") & (pl.col("kind") == "count") & pl.col("unit").is_in(sorted(_TIME_UNITS))
    )
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
    for first, rows in _per_indicator(hits):
        kind = first["problem"]
        if kind == "down":
            what = (
                "成本金额"
                if first["kind"] == "amount" and first["is_cost"]
                else ("时限天数" if first["level2"] == "时效指标" else "差错、投诉、事故类指标")
            )
            why, severity = f"{what}越低越好，应写作 ≤", "中"
        elif kind == "up":
            count = first["kind"] == "count"
            why = "数量目标应写作 ≥（至少完成多少）" if count else "完成率、满意度等越高越好，应写作 ≥"
            severity = "低" if count else "中"
        elif kind == "no_op_up":
            why, severity = f"没有比较符，应写作 ≥{first['number']:g}%", "低"
        else:
            why, severity = f"没有比较符，应写作 ≤{first['number']:g}%", "低"
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": f"“{first['name']}”的{_values_phrase(rows)}：{why}",
                "actual": first["number"],
                "detail": "；".join(f"{_COLUMN_ZH[r['column']]}：{_show(r['raw'])}" for r in rows),
                "severity": severity,
            }
        )
    return _rows(records)


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
        _BASIS_101,
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
    for first, rows in _per_indicator(hits):
        words: list[str] = []
        for r in rows:
            found = _VAGUE.findall(r["raw"]) if r["kind"] == "text" else [_show(r["raw"])]
            words += [w for w in found if w not in words]
        if first["measurable"]:
            unit = "百分比" if first["rate"] else "数字（金额、数量或时间）"
            why = f"“{first['name']}”可以量化，宜用{unit}表示"
        else:
            why = "含糊的表述无法在年底核验是否达成"
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": f"“{first['name']}”的{_values_phrase(rows)}，含糊词：{'、'.join(words)}；{why}",
                "detail": "、".join(words),
                "severity": "中" if first["rate"] else "低",
            }
        )
    return _rows(records)


_TIME_NAME = r"及时|按时|按期|准时|如期|时效|进度|期限|时限|时间|周期|工期|响应|时长|天内|日内|当年|当月"


@rule(
    Rule(
        "R07",
        "中",
        "时效指标不是时限、期限或及时率",
        "Timeliness target is not a deadline, period or on-time rate",
        "时效指标应是完成时限（2026年6月30日前）、期限（≤30天）或名称含及时、按期、进度等的比率。"
        "其他比率（培训任务完成率）为低，等级或文字为中。",
        _BASIS_101,
    )
)
def _r07_timeliness(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators.filter(pl.col("level2") == "时效指标")
    kind = pl.col("target_kind")
    ok = (
        (kind == "deadline")
        | ((kind == "count") & pl.col("target_unit").is_in(sorted(_TIME_UNITS)))
        | (kind.is_in(["percent", "boolean"]) & pl.col("name").str.contains(_TIME_NAME))
        | (kind == "missing")  # R02's finding, not this rule's
    )
    records = []
    for r in ind.filter(~ok).iter_rows(named=True):
        value = _show(r["annual_value"] or r["period_value"])
        if r["target_kind"] == "percent":
            why = "是完成率而不是时效：宜改为按期完成率、完成时限或期限，或移到质量、数量指标"
            severity = "低"
        else:
            why = "不是时限、期限或及时率，无法按时间核验"
            severity = "中"
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": f"时效指标“{r['name']}”的值为 {value}：{why}",
                "detail": value,
                "severity": severity,
            }
        )
    return _rows(records)


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
        _BASIS_101,
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
        names = "、".join(dict.fromkeys(x["indicator"] for x in rows))
        b, year = r["budget_yuan"], r["budget_year"] or "本"
        ratio = cap / b
        annual_raw = _show(r["annual_value"])
        if issue_kind == "annual_above":
            message = (
                f"成本指标“{names}”年度值 {_show(r['raw'])}（{_wan(cap)} 万元）高于项目预算 "
                f"{_wan(b)} 万元，为预算的 {ratio:.2f} 倍"
            )
            severity, key = "高", "annual"
        elif issue_kind == "total_below":
            message = (
                f"“{names}”年度值 {_show(r['raw'])} 低于项目预算 {_wan(b)} 万元，相差 {_wan(b - cap)} 万元："
                "预算控制数通常等于预算金额，差额的用途未在目标中体现"
            )
            severity, key = "低", "annual"
        elif issue_kind == "period_one_year":
            message = (
                f"单年度项目（{_period(r)}）的实施周期就是预算年度，但“{names}”实施周期值 {_show(r['raw'])}"
                f"（{_wan(cap)} 万元）高于项目预算 {_wan(b)} 万元（{ratio:.2f} 倍）"
            )
            severity, key = "高", "period"
        elif issue_kind == "period_ongoing":
            message = (
                f"“{names}”实施周期值 {_show(r['raw'])}（{_wan(cap)} 万元）高于 {year} 年预算 {_wan(b)} 万元"
                f"（{ratio:.2f} 倍），年度值为 {annual_raw}。项目为长期项目（{_period(r)}），没有确定的周期总额，"
                "实施周期值按年度口径填写，不能用“预算 × 年数”解释；周期值高于批复预算，像是未按批复数更新的申报数"
            )
            severity, key = "中", "period"
        else:
            bound = b * r["years"]
            message = (
                f"“{names}”实施周期值 {_show(r['raw'])}（{_wan(cap)} 万元）高于 {year} 年预算 {_wan(b)} 万元 × "
                f"{r['years']} 年（{_period(r)}）= {_wan(bound)} 万元：即使每年预算都与本年相同也达不到"
            )
            severity, key, ratio = "中", "period", cap / bound
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": message,
                "expected": b if issue_kind != "period_multi" else b * r["years"],
                "actual": cap,
                "ratio": ratio,
                "detail": names,
                "severity": severity,
                "key": key,
            }
        )
    return _rows(records)


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


@rule(
    Rule(
        "R09",
        "高",
        "单价 × 数量超过预算",
        "Unit cost × quantity exceeds the budget",
        "把成本指标中的单价标准（元/人/年、元/天/人、元/月/人、元/次/人）与本项目单位相同的数量指标相乘"
        "（人、人次、天、月、次；单位取自指标值或名称，如会议人数（人）、会议天数（天）），乘积高于预算为高。"
        "年度预算只算 1 年；缺少月数时按 12 个月计，此时为中。缺少某一维度的数量时不判断。",
        _BASIS_PRACTICE,
    )
)
def _r09_unit_cost(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators
    rates = ind.filter((pl.col("target_kind") == "rate") & (pl.col("target_number") > 0) & (pl.col("budget_yuan") > 0))
    if rates.height == 0:
        return _rows([])
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
            year_note = "（按 1 年计）" if "年" in dims else ""
            records.append(
                {
                    "project_id": r["project_id"],
                    "indicator_id": r["indicator_id"],
                    "message": f"{r['name']} {_show(r['annual_value'] or r['period_value'])}{year_note} × {terms} = "
                    f"{_wan(product)} 万元，高于项目预算 {_wan(budget)} 万元（{product / budget:.3f} 倍）",
                    "expected": budget,
                    "actual": product,
                    "ratio": product / budget,
                    "detail": " × ".join([r["name"], *[name or "12 个月（假定）" for _, _, name in factors]]),
                    "severity": "中" if assumed else "高",
                }
            )
    return _rows(records)


@rule(
    Rule(
        "R10",
        "低",
        "满意度目标不在常见区间",
        "Satisfaction target outside the usual range",
        "满意度应是带 ≥ 的百分比，通常在 85%–95%：高于 95%（含 100%）难以实现也难以核验，低于 85% 标准过低，"
        "均为低；不是百分比（良好、文字）为中。比较符方向由 R05 检查。",
        _BASIS_PRACTICE,
    )
)
def _r10_satisfaction(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators.filter((pl.col("level1") == "满意度指标") & (pl.col("target_kind") != "missing"))
    records = []
    for r in ind.iter_rows(named=True):
        value = _show(r["annual_value"] if r["annual_kind"] != "missing" else r["period_value"])
        if r["target_kind"] != "percent" or r["target_unit"] != "%":
            records.append(
                {
                    "project_id": r["project_id"],
                    "indicator_id": r["indicator_id"],
                    "message": f"满意度“{r['name']}”为 {value}，不是百分比：满意度应由调查得出比例，如 ≥90%",
                    "detail": value,
                    "severity": "中",
                }
            )
            continue
        n = r["target_number"]
        if n > 95:
            why = f"高于常见的 85%–95%，{'100% 满意' if n >= 100 else '接近全员满意'}难以实现，也难以由抽样调查核验"
            expected = 95.0
        elif n < 85:
            why = "低于常见的 85%–95%，标准偏低"
            expected = 85.0
        else:
            continue
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": f"满意度“{r['name']}”目标为 {value}：{why}",
                "detail": value,
                "expected": expected,
                "actual": n,
                "ratio": n / expected,
            }
        )
    return _rows(records)


@rule(
    Rule(
        "R11",
        "中",
        "年度值与实施周期值矛盾",
        "Annual target contradicts the period target",
        "同一指标的年度值不应高于实施周期值（数量、金额，为高）；单年度项目（起止同年）的实施周期就是预算年度，"
        "两值应一致（为中，名称已注明单位的“1个”与“1”视为一致）；有限多年项目的实施周期成本金额照抄年度值为低"
        "（长期项目按年度口径填写，不提示）。缺失的值由 R02 提示。",
        _BASIS_101,
    )
)
def _r11_annual_vs_period(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators.filter((pl.col("annual_kind") != "missing") & (pl.col("period_kind") != "missing"))
    unit_a = pl.coalesce(
        pl.col("annual_unit").replace_strict(_UNIT_SYNONYMS, default=pl.col("annual_unit")),
        pl.col("name_unit"),
    )
    unit_p = pl.coalesce(
        pl.col("period_unit").replace_strict(_UNIT_SYNONYMS, default=pl.col("period_unit")),
        pl.col("name_unit"),
    )
    same_kind = (pl.col("annual_kind") == pl.col("period_kind")) & unit_a.eq_missing(unit_p)
    # Additive quantities only: a rate (≥95%) or a time limit (≤30天) is not a sum over years.
    additive = (
        same_kind
        & (
            (pl.col("annual_kind") == "amount")
            | ((pl.col("annual_kind") == "count") & ~unit_a.is_in(sorted(_TIME_UNITS)).fill_null(False))
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
        a, p = _show(r["annual_value"]), _show(r["period_value"])
        if r["above"]:
            records.append(
                {
                    "project_id": r["project_id"],
                    "indicator_id": r["indicator_id"],
                    "message": f"“{r['name']}”年度值 {a} 高于实施周期值 {p}：一年的目标不可能超过整个实施周期",
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
                    "message": f"单年度项目（{_period(r)}）的实施周期就是预算年度，但“{r['name']}”实施周期值为 {p}、"
                    f"年度值为 {a}",
                    "expected": r["period_number"],
                    "actual": r["annual_number"],
                    "detail": f"实施周期值：{p}；年度值：{a}",
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
        listed = "、".join(f"{n} {_show(v)}" for n, v in zip(r["name"], r["annual_value"], strict=True))
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": None,
                "message": f"实施周期 {_period(r)} 共 {r['years']} 年，但实施周期成本指标与 {r['budget_year']} 年度值相同"
                f"（{listed}）：实施周期值应是整个周期的金额；若全部资金都在本年度安排，宜在目标中说明",
                "actual": r["cap"],
                "detail": "、".join(r["name"]),
                "severity": "低",
                "key": "period_copied",
            }
        )
    return _rows(records)


_QUALITY_WORDS = r"合格率|验收|达标率|准确率|完好率|优良率|合格"
_TIMELY_WORDS = r"及时|按时|按期|准时|如期|时效|进度|完成时间|时限"


@rule(
    Rule(
        "R12",
        "低",
        "指标类别错配",
        "Indicator filed under the wrong category",
        "满意度指标放在效益或产出指标下为中；合格率、验收、达标率等质量指标放在效益指标下为低；"
        "及时率、按期、进度等时效指标放在质量指标下为低。",
        _BASIS_101,
    )
)
def _r12_category_mixups(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators
    name = pl.col("bare_name")
    kind = (
        pl.when(name.str.contains(_SATISFACTION_WORDS) & pl.col("level1").is_in(["效益指标", "产出指标"]))
        .then(pl.lit("satisfaction"))
        .when(name.str.contains(_QUALITY_WORDS) & (pl.col("level1") == "效益指标"))
        .then(pl.lit("quality"))
        .when(name.str.contains(_TIMELY_WORDS) & (pl.col("level2") == "质量指标"))
        .then(pl.lit("timely"))
    )
    hits = ind.with_columns(mixup=kind).filter(pl.col("mixup").is_not_null())
    what = {
        "satisfaction": ("满意度指标", "中"),
        "quality": ("产出指标下的质量指标", "低"),
        "timely": ("时效指标", "低"),
    }
    records = []
    for r in hits.iter_rows(named=True):
        belongs, severity = what[r["mixup"]]
        filed = r["level2_raw"] or r["level2"] or r["level1"]
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": f"“{r['name']}”（{_show(r['annual_value'] or r['period_value'])}）放在{r['level1']}/{filed}下，"
                f"按内容应属{belongs}",
                "detail": f"{r['level1']}/{filed}",
                "severity": severity,
            }
        )
    return _rows(records)


# A name ending in a measure is a metric (预算控制数, 满意度) that many
# projects legitimately share; a slogan (助力推动建设高品质现代化都市) is not.
_METRIC_NAME = r"(率|度|数|量|额|费|标准|投资|时间|时效|时限|期限|性|比例|占比|次|情况)$"
_BOILERPLATE_PROJECTS = 3


@rule(
    Rule(
        "R13",
        "低",
        "指标套话在多个项目中重复",
        "Boilerplate indicator reused across projects",
        f"同一文档中，同一条非计量的指标表述（如“助力推动建设高品质现代化都市”）出现在 {_BOILERPLATE_PROJECTS} 个及以上项目中，"
        "说明指标没有针对项目内容，列出这些项目。预算控制数、某某满意度等计量指标名称的共用不算。",
        _BASIS_101,
    )
)
def _r13_boilerplate(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators.with_columns(text=pl.col("bare_name").str.replace_all(_PUNCTUATION.pattern, "")).filter(
        (pl.col("text").str.len_chars() >= 6) & ~pl.col("text").str.contains(_METRIC_NAME)
    )
    shared = (
        ind.group_by("document_id", "text")
        .agg(
            projects=pl.col("project_id").unique(maintain_order=True),
            names=pl.col("project_name").unique(maintain_order=True),
        )
        .filter(pl.col("projects").list.len() >= _BOILERPLATE_PROJECTS)
    )
    hits = ind.join(shared, on=["document_id", "text"], how="inner").sort("order", "line")
    records = []
    seen: set[tuple[str, str]] = set()
    for r in hits.iter_rows(named=True):
        if (r["project_id"], r["text"]) in seen:
            continue
        seen.add((r["project_id"], r["text"]))
        n = len(r["projects"])
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": f"“{r['name']}”（{r['level2_raw'] or r['level2']}）在本文档 {n} 个项目中重复使用："
                f"{'、'.join(r['names'])}；套话不能说明本项目的具体效益",
                "actual": float(n),
                "detail": "、".join(r["names"]),
            }
        )
    return _rows(records)


# ---------------------------------------------------------------- R14-R17: further reviewer practice


@rule(
    Rule(
        "R14",
        "中",
        "项目内指标重复或近似重复",
        "Duplicate or near-duplicate indicators in a project",
        "同一项目中两个指标去掉标点和括号注释后字相同、只是顺序不同（“工作效率提高”与“提高工作效率”），"
        "或完全相同，属重复设置，同一目标被计两次。名称至少 4 个字。",
        _BASIS_PRACTICE,
    )
)
def _r14_near_duplicates(frames: ReviewFrames) -> pl.DataFrame:
    ind = frames.indicators.with_columns(text=pl.col("bare_name").str.replace_all(_PUNCTUATION.pattern, "")).filter(
        pl.col("text").str.len_chars() >= 4
    )
    # Sorted characters: the same words in another order give the same key.
    ind = ind.with_columns(key=pl.col("text").str.split("").list.sort().list.join(""))
    dup = (
        ind.sort("line")
        .group_by("project_id", "key", maintain_order=True)
        .agg(
            pl.col("indicator_id"),
            pl.col("name"),
            pl.col("text"),
            pl.col("level2_raw"),
            pl.col("level2").cast(pl.String),
            pl.col("annual_value"),
            pl.col("period_value"),
        )
        .filter(pl.col("indicator_id").list.len() >= 2)
    )
    records = []
    for g in dup.iter_rows(named=True):
        first = g["name"][0]
        for i in range(1, len(g["indicator_id"])):
            same = g["text"][i] == g["text"][0]
            how = f"与同一项目的“{first}”名称相同" if same else f"与同一项目的“{first}”字相同、顺序不同"
            a = _show(g["annual_value"][0] or g["period_value"][0])
            b = _show(g["annual_value"][i] or g["period_value"][i])
            why = f"目标都是 {a}，同一目标设了两次" if a == b else f"目标却不同（{a} / {b}），看不出各自衡量什么"
            records.append(
                {
                    "project_id": g["project_id"],
                    "indicator_id": g["indicator_id"][i],
                    "message": f"“{g['name'][i]}”{how}（{g['level2_raw'][i] or g['level2'][i]}）：{why}",
                    "detail": f"{first}、{g['name'][i]}",
                }
            )
    return _rows(records)


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
            unit = "元" if money else _unit(unit)
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
        _BASIS_PRACTICE,
    )
)
def _r15_goal_numbers(frames: ReviewFrames) -> pl.DataFrame:
    goals = _project_goal_numbers(frames)
    if not goals:
        return _rows([])
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
                near_caps = [
                    f"“{c['indicator']}”实施周期值 {_wan(c['period_cap_yuan'])} 万元"
                    for c in caps_by_project[project_id]
                    if c["period_cap_yuan"]
                    and abs(c["period_cap_yuan"] - g.number) <= max(100.0, g.number * _GOAL_TOLERANCE)
                ]
                gap = g.number - budget
                message = (
                    f"{_GOAL_ZH[g.field]}写“{g.snippet}”，而 {p['budget_year'] or '本'} 年预算金额为 {_wan(budget)} 万元："
                    f"{'多' if gap > 0 else '少'} {_wan(abs(gap))} 万元（{g.number / budget:.2f} 倍）"
                )
                if near_caps:
                    message += f"；与{near_caps[0]}一致，目标文本像是按申报数写的，未随批复预算更新"
                records.append(
                    {
                        "project_id": project_id,
                        "message": message,
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
                    "message": f"{_GOAL_ZH[g.field]}写“{g.snippet}”，而指标“{c['name']}”的"
                    f"{_COLUMN_ZH[column]}为 {v:g}{c['count_unit']}：口径不一致，请说明",
                    "expected": v,
                    "actual": g.number,
                    "ratio": g.number / v if v else None,
                    "detail": g.snippet,
                    "severity": "低",
                    "key": f"count:{g.number:g}",
                }
            )
    return _rows(records)


@rule(
    Rule(
        "R16",
        "低",
        "目标中的数量没有对应指标",
        "Quantities in the goal without an indicator",
        "目标文本写明的产出数量（“访前咨询≥180次”“对新一届代表440人进行轮训”）在本项目中找不到"
        "单位相同的数量指标（也没有数值相同、未注明单位或用词相关的数量指标），说明指标没有细化目标。每个项目一条，列出这些数量。",
        _BASIS_PRACTICE,
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
            records.append(
                {
                    "project_id": project_id,
                    "message": f"目标中写明的数量没有对应的数量指标：{listed}。"
                    f"数量指标应细化目标中的产出（本项目没有以{'、'.join(dict.fromkeys(u for _, u in missing))}计的数量指标）",
                    "actual": float(len(missing)),
                    "detail": "、".join(f"{n:g}{u}" for n, u in missing),
                }
            )
    return _rows(records)


_NOTE_FORMATS: dict[str, tuple[str, frozenset[str]]] = {
    "%": ("百分比", frozenset({"percent"})),
    "％": ("百分比", frozenset({"percent"})),
    "是/否": ("是或否", frozenset({"boolean"})),
    "是或否": ("是或否", frozenset({"boolean"})),
    "万元": ("金额", frozenset({"amount", "rate"})),
    "元": ("金额", frozenset({"amount", "rate"})),
}


@rule(
    Rule(
        "R17",
        "低",
        "名称注明的单位与指标值不符",
        "Value does not match the unit the name declares",
        "名称括号中注明的单位或形式应与指标值一致：（%）应为百分比，（是/否）应为是或否（而不是 100%、良好），"
        "（万元）应为金额，（人）（次）（个）等应为该单位的数字。",
        _BASIS_PRACTICE,
    )
)
def _r17_name_declared_unit(frames: ReviewFrames) -> pl.DataFrame:
    notes = frames.indicators.filter(pl.col("name_note").is_not_null()).select("indicator_id", "name_note", "name_unit")
    v = frames.values.join(notes, on="indicator_id", how="inner").filter(pl.col("kind") != "missing")
    records_rows = []
    for r in v.iter_rows(named=True):
        note = r["name_note"]
        if note in _NOTE_FORMATS:
            wanted, kinds = _NOTE_FORMATS[note]
            if r["kind"] in kinds:
                continue
        elif r["name_unit"] is not None:
            wanted = f"以“{r['name_unit']}”计的数字"
            if r["kind"] == "count" and (r["unit"] is None or _unit(r["unit"]) == r["name_unit"]):
                continue
        else:
            continue
        records_rows.append({**r, "wanted": wanted})
    if not records_rows:
        return _rows([])
    hits = pl.DataFrame(records_rows, infer_schema_length=None)
    records = []
    for first, rows in _per_indicator(hits):
        records.append(
            {
                "project_id": first["project_id"],
                "indicator_id": first["indicator_id"],
                "message": f"“{first['name']}”名称注明（{first['name_note']}），应填{first['wanted']}，"
                f"但{_values_phrase(rows)}",
                "detail": "；".join(f"{_COLUMN_ZH[r['column']]}：{_show(r['raw'])}" for r in rows),
            }
        )
    return _rows(records)


# ---------------------------------------------------------------- public API

#: Every rule, in id order.
RULES: tuple[Rule, ...] = tuple(spec for spec, _ in sorted(_REGISTRY.values(), key=lambda x: x[0].id))


def findings_table(
    findings: pl.DataFrame, projects: pl.DataFrame, indicators: pl.DataFrame, *, lang: str = "zh"
) -> pl.DataFrame:
    """The 审核发现 page's table: each finding with its rule's title, project and indicator, most serious first.

    A finding about the whole project has the indicator column say so in
    ``lang``; rows keep ``project_id`` so a click can open the card.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> table = findings_table(review(corpus), corpus.projects, corpus.indicators)
    >>> table.columns
    ['severity', 'rule_id', 'rule_title', 'project', 'indicator', 'message', 'project_id']
    >>> table["severity"].to_list() == sorted(table["severity"].to_list(), key=SEVERITIES.index)
    True
    """
    rules = rules_frame(lang)
    titles = dict(zip(rules["id"].to_list(), rules["title"].to_list()))
    return (
        findings.join(projects.select("project_id", pl.col("name").alias("project")), on="project_id", how="left")
        .join(indicators.select("indicator_id", pl.col("name").alias("indicator")), on="indicator_id", how="left")
        .sort("severity", "rule_id", maintain_order=True)
        .with_columns(
            pl.col("severity").cast(pl.String),
            pl.col("rule_id").replace_strict(titles, default="").alias("rule_title"),
            pl.col("indicator").fill_null(t("review_whole_project", lang)),
        )
        .select("severity", "rule_id", "rule_title", "project", "indicator", "message", "project_id")
    )


def rules_frame(lang: str = "zh") -> pl.DataFrame:
    """The rules as a frame: ``id``, ``severity``, ``title`` (in ``lang``), ``checks``, ``basis``.

    ``checks`` is Chinese in both languages (it quotes the documents' words);
    ``severity`` keeps the values 高/中/低 so it joins with :func:`review`'s
    findings, and pages label it with :data:`SEVERITY_LABEL_KEYS`.

    Examples
    --------
    >>> rules_frame("en").filter(pl.col("id") == "R09")["title"].item()
    'Unit cost × quantity exceeds the budget'
    """
    return pl.DataFrame(
        [
            {
                "id": r.id,
                "severity": r.severity,
                "title": r.title_en if lang == "en" else r.title_zh,
                "checks": r.checks,
                "basis": r.basis,
            }
            for r in RULES
        ],
        schema=RULES_SCHEMA,
    )


def review(corpus: Corpus, *, rules: Iterable[str] | None = None) -> pl.DataFrame:
    """Apply the review rules to a corpus; one row per finding, in the schema :data:`FINDINGS`.

    Parameters
    ----------
    corpus
        Loaded documents (:func:`lib.loader.load_documents`).
    rules
        Ids of the rules to apply (default: all of :data:`RULES`).

    Returns
    -------
    pl.DataFrame
        Findings in document order: by project, project-level findings
        first, then by indicator line and rule id. ``finding_id`` is
        ``<rule>:<indicator or project id>[:<key>]`` and stays the same as
        long as the document does.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> findings = review(load_documents())
    >>> findings.filter(pl.col("rule_id") == "R09")["message"].item()
    '费用标准 760元/天/人 × 950 人（会议人数（人）） × 3 天（会议天数（天）） = 216.60 万元，高于项目预算 197.68 万元（1.096 倍）'
    """
    wanted = set(rules) if rules is not None else None
    if wanted is not None and (unknown := wanted - set(_REGISTRY)):
        msg = f"unknown rule ids: {', '.join(sorted(unknown))}"
        raise ValueError(msg)
    frames = prepare(corpus)
    parts = []
    for spec in RULES:
        if wanted is not None and spec.id not in wanted:
            continue
        _, check = _REGISTRY[spec.id]
        rows = check(frames)
        if rows.height:
            parts.append(rows.with_columns(rule_id=pl.lit(spec.id), default=pl.lit(spec.severity)))
    if not parts:
        return pl.DataFrame(schema=FINDINGS)
    subject = pl.coalesce("indicator_id", "project_id")
    findings = (
        pl.concat(parts)
        .with_columns(
            severity=pl.coalesce("severity", "default").cast(Severity),
            finding_id=pl.concat_str(
                [pl.col("rule_id"), pl.lit(":"), subject, pl.lit(":") + pl.col("key")],
                ignore_nulls=True,
            ),
        )
        .join(frames.projects.select("project_id", "order"), on="project_id", how="left")
        .join(frames.indicators.select("indicator_id", "line"), on="indicator_id", how="left")
        .sort("order", "line", "rule_id", "finding_id", nulls_last=False)
    )
    return findings.select(list(FINDINGS)).cast(FINDINGS)


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: 0 when something loaded, 1 when nothing did, 2 for bad arguments.

    Examples
    --------
    >>> main(["--rules", "R09"])  # doctest: +ELLIPSIS
    高 R09 ...
    0
    """
    parser = argparse.ArgumentParser(prog="python -m lib.review", description="按审核规则检查部门预算绩效目标")
    parser.add_argument("paths", nargs="*", type=Path, help="documents to review (default: every document in data/)")
    parser.add_argument("--json", action="store_true", help='print {"findings": [...], "rules": [...]} as JSON')
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the rule titles")
    parser.add_argument("--rules", help="comma-separated rule ids to apply (default: all)")
    args = cli_arguments(parser, argv)
    if isinstance(args, int):
        return args
    selected = [r.strip() for r in args.rules.split(",")] if args.rules else None
    if selected is not None and (unknown := set(selected) - {r.id for r in RULES}):
        print(f"error: unknown rule ids: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    corpus = cli_load(args.paths)
    if corpus is None:
        return 2
    findings = review(corpus, rules=selected)
    if args.json:
        payload = {"findings": findings.to_dicts(), "rules": rules_frame(args.lang).to_dicts()}
        json.dump(payload, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        names = dict(corpus.projects.select("project_id", "name").iter_rows())
        for f in findings.iter_rows(named=True):
            print(f"{f['severity']} {f['rule_id']} {names.get(f['project_id'], f['project_id'])}：{f['message']}")
        print(f"{findings.height} findings, {corpus.projects.height} projects")
    return 0 if corpus.projects.height else 1


if __name__ == "__main__":
    sys.exit(main())
