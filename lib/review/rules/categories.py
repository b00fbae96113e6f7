"""Rules on indicator categories: missing categories (R01), indicators filed under the wrong one (R12)."""

from __future__ import annotations

import polars as pl

from lib.i18n import category
from lib.review.preparation import ReviewFrames
from lib.review.registry import BASIS_101, Rule, finding_rows, rule
from lib.review.vocabulary import show


def _english(labels: list[str]) -> str:
    """Category names in English, listed: 产出指标、效益指标 is "Output, Outcome"."""
    return ", ".join(category(label, "en") for label in labels)


_SATISFACTION_WORDS = r"满意度|满意率|满意程度"


@rule(
    Rule(
        "R01",
        "高",
        "指标类别不全",
        "Missing indicator categories",
        "每个项目应设产出、效益、满意度指标（缺一为高）；2021 年起还应设成本指标（缺少为中）。"
        "产出指标下缺少数量、质量或时效指标为低。满意度指标误归效益指标时仍算已设，由 R12 提示。",
        BASIS_101,
        checks_en="Every project needs output, outcome and satisfaction indicators (one missing is high); from 2021 "
        "a cost indicator too (missing is medium). No quantity, quality or timeliness indicator under output is "
        "low. Satisfaction filed under outcome counts as present; R12 points it out.",
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
            records.append(
                {
                    "project_id": p["project_id"],
                    "message": "项目没有任何绩效指标",
                    "message_en": "The project has no performance indicators",
                }
            )
            continue
        if missing:
            had = [label for label, col in wanted if p[col]]
            records.append(
                {
                    "project_id": p["project_id"],
                    "message": f"缺少一级指标：{'、'.join(missing)}" + (f"（已设：{'、'.join(had)}）" if had else ""),
                    "message_en": f"Missing level-1 indicators: {_english(missing)}"
                    + (f" (present: {_english(had)})" if had else ""),
                    "severity": "中" if missing == ["成本指标"] else "高",
                    "detail": "、".join(missing),
                    "detail_en": _english(missing),
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
                        "message_en": f"No {_english(missing2)} indicators under Output",
                        "severity": "低",
                        "detail": "、".join(missing2),
                        "detail_en": _english(missing2),
                        "key": "level2",
                    }
                )
    return finding_rows(records)


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
        BASIS_101,
        checks_en="Satisfaction filed under outcome or output is medium; quality indicators such as pass rates, "
        "acceptance or compliance rates (“合格率”, “验收”, “达标率”) filed under outcome are low; timeliness such as "
        "on-time rates, schedules or progress (“及时率”, “按期”, “进度”) filed under quality is low.",
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
        "satisfaction": ("满意度指标", "Satisfaction", "中"),
        "quality": ("产出指标下的质量指标", "Quality under Output", "低"),
        "timely": ("时效指标", "Timeliness", "低"),
    }
    records = []
    for r in hits.iter_rows(named=True):
        belongs, belongs_en, severity = what[r["mixup"]]
        filed = r["level2_raw"] or r["level2"] or r["level1"]
        # In English the category the taxonomy read from the cell; the cell as written if it read none.
        filed_en = category(r["level2"], "en") if r["level2"] else r["level2_raw"] or category(r["level1"], "en")
        value = r["annual_value"] or r["period_value"]
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": f"“{r['name']}”（{show(value)}）放在{r['level1']}/{filed}下，按内容应属{belongs}",
                "message_en": f"“{r['name']}” ({show(value, 'en')}) is filed under "
                f"{category(r['level1'], 'en')}/{filed_en}, but by its content belongs under {belongs_en}",
                "detail": f"{r['level1']}/{filed}",
                "detail_en": f"{category(r['level1'], 'en')}/{filed_en}",
                "severity": severity,
            }
        )
    return finding_rows(records)
