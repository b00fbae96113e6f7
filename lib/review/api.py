"""Applying the rules: a corpus' findings (:func:`review`), with the rules and findings as the pages show them.

:func:`review` runs every check of :data:`lib.review.rules.RULES` on one
:func:`~lib.review.preparation.prepare` of the corpus and gives each finding
its rule id, severity and ``finding_id``; :func:`rules_frame` and
:func:`findings_table` are the frames the 审核发现 and 数据 pages lay out.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from lib.i18n import t
from lib.model.corpus import Corpus
from lib.review.preparation import prepare
from lib.review.registry import REGISTRY, Severity
from lib.review.rules import RULES


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


def findings_table(
    findings: pl.DataFrame, projects: pl.DataFrame, indicators: pl.DataFrame, *, lang: str = "zh"
) -> pl.DataFrame:
    """The 审核发现 page's table: each finding with its rule's title, project and indicator, most serious first.

    A finding about the whole project has the indicator column say so in
    ``lang``; rows keep ``project_id`` and ``finding_id`` so a click can open
    the card with that finding first.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> from lib.review.registry import SEVERITIES
    >>> corpus = load_documents()
    >>> table = findings_table(review(corpus), corpus.projects, corpus.indicators)
    >>> table.columns
    ['severity', 'rule_id', 'rule_title', 'project', 'indicator', 'message', 'project_id', 'finding_id']
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
        .select("severity", "rule_id", "rule_title", "project", "indicator", "message", "project_id", "finding_id")
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
    if wanted is not None and (unknown := wanted - set(REGISTRY)):
        msg = f"unknown rule ids: {', '.join(sorted(unknown))}"
        raise ValueError(msg)
    frames = prepare(corpus)
    parts = []
    for spec in RULES:
        if wanted is not None and spec.id not in wanted:
            continue
        _, check = REGISTRY[spec.id]
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
