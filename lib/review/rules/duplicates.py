"""Rules on repeated indicators: boilerplate across a document's projects (R13), near-duplicates within a project (R14)."""

from __future__ import annotations

import re

import polars as pl

from lib.review.preparation import ReviewFrames
from lib.review.registry import BASIS_101, BASIS_PRACTICE, Rule, finding_rows, rule
from lib.i18n import category
from lib.review.vocabulary import listing, show

# Spaces and punctuation, dropped before two wordings are compared.
_PUNCTUATION = re.compile(r"[\s\u3000，,。.、；;：:！!？?“”\"'‘’《》<>〈〉（）()\[\]【】{}·•…—\-_/|]+")
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
        BASIS_101,
        checks_en=f"Within one document, the same wording of an indicator that measures nothing (such as "
        f"“助力推动建设高品质现代化都市”) in {_BOILERPLATE_PROJECTS} or more projects shows the indicators were not "
        "written for the project; the projects are listed. Shared names of measures (budget control figures, "
        "satisfaction with something) do not count.",
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
        filed_en = category(r["level2"], "en") if r["level2"] else r["level2_raw"]
        records.append(
            {
                "project_id": r["project_id"],
                "indicator_id": r["indicator_id"],
                "message": f"“{r['name']}”（{r['level2_raw'] or r['level2']}）在本文档 {n} 个项目中重复使用："
                f"{'、'.join(r['names'])}；套话不能说明本项目的具体效益",
                "message_en": f"“{r['name']}” ({filed_en}) is used in {n} projects of this document: "
                f"{listing(r['names'], 'en', quote=True)}; boilerplate says nothing about this project's own benefits",
                "actual": float(n),
                "detail": "、".join(r["names"]),
                "detail_en": listing(r["names"], "en"),
            }
        )
    return finding_rows(records)


@rule(
    Rule(
        "R14",
        "中",
        "项目内指标重复或近似重复",
        "Duplicate or near-duplicate indicators in a project",
        "同一项目中两个指标去掉标点和括号注释后字相同、只是顺序不同（“工作效率提高”与“提高工作效率”），"
        "或完全相同，属重复设置，同一目标被计两次。名称至少 4 个字。",
        BASIS_PRACTICE,
        checks_en="Two indicators of one project whose names, without punctuation and bracketed notes, have the same "
        "characters in another order (“工作效率提高” and “提高工作效率”) or are the same, are set twice: one target "
        "counted twice. Names of at least 4 characters.",
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
            how_en = (
                f"has the same name as “{first}” in the same project"
                if same
                else f"has the same characters as “{first}” in the same project, in another order"
            )
            a = show(g["annual_value"][0] or g["period_value"][0])
            b = show(g["annual_value"][i] or g["period_value"][i])
            a_en = show(g["annual_value"][0] or g["period_value"][0], "en")
            b_en = show(g["annual_value"][i] or g["period_value"][i], "en")
            why = f"目标都是 {a}，同一目标设了两次" if a == b else f"目标却不同（{a} / {b}），看不出各自衡量什么"
            why_en = (
                f"both target {a_en}: one target set twice"
                if a == b
                else f"yet their targets differ ({a_en} / {b_en}): it is unclear what each measures"
            )
            filed_en = category(g["level2"][i], "en") if g["level2"][i] else g["level2_raw"][i]
            records.append(
                {
                    "project_id": g["project_id"],
                    "indicator_id": g["indicator_id"][i],
                    "message": f"“{g['name'][i]}”{how}（{g['level2_raw'][i] or g['level2'][i]}）：{why}",
                    "message_en": f"“{g['name'][i]}” {how_en} ({filed_en}): {why_en}",
                    "detail": f"{first}、{g['name'][i]}",
                    "detail_en": f"{first}, {g['name'][i]}",
                }
            )
    return finding_rows(records)
