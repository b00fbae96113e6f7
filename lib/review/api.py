"""Applying the rules: a corpus' findings (:func:`review`), with the rules and findings as the pages show them.

:func:`review` runs every check of :data:`lib.review.rules.RULES` on one
:func:`~lib.review.preparation.prepare` of the corpus and gives each finding
its rule id, severity and ``finding_id``; :func:`rules_frame` and
:func:`findings_table` are the frames the 审核发现 and 数据 pages lay out,
and :func:`in_language` the findings as a reader of either language sees
them (the card, the workbook, the deck).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from lib.i18n import t
from lib.model.corpus import Corpus
from lib.review.preparation import prepare
from lib.review.registry import BASIS_EN, REGISTRY, SEVERITY_LABEL_KEYS, Severity
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
    # ``message`` and ``detail`` in English: the rule's words translated, the
    # document's words (names, values, goal text) as written.
    "message_en": pl.String(),
    "detail_en": pl.String(),
}
# The English columns of FINDINGS and the Chinese ones they stand for.
_ENGLISH = {"message_en": "message", "detail_en": "detail"}

#: The rules frame returned by :func:`rules_frame`.
RULES_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "severity": Severity,
    "title": pl.String(),
    "checks": pl.String(),
    "basis": pl.String(),
}


def in_language(findings: pl.DataFrame, lang: str = "zh") -> pl.DataFrame:
    """Findings as a reader of ``lang`` sees them: ``message`` and ``detail`` in ``lang``, one column each.

    The English columns (``message_en``, ``detail_en``) take the places of
    ``message`` and ``detail`` in English and are dropped in Chinese, so a
    workbook or a deck shows one message per finding. Severities keep their
    values (高, 中, 低); a page labels them.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> found = in_language(review(load_documents(), rules=["R09"]), "en")
    >>> "message_en" in found.columns, found["message"].item()[:40]
    (False, '“费用标准” 760元/天/人 × 950 people (“会议人数（人）”)')
    """
    english = {column: zh for column, zh in _ENGLISH.items() if column in findings.columns}
    if lang == "en":
        findings = findings.with_columns(pl.col(column).alias(zh) for column, zh in english.items())
    return findings.drop(list(english))


def severity_labels(lang: str = "zh") -> dict[str, str]:
    """Each severity (高, 中, 低) as ``lang`` shows it.

    >>> severity_labels("en")
    {'高': 'High', '中': 'Medium', '低': 'Low'}
    """
    return {severity: t(key, lang) for severity, key in SEVERITY_LABEL_KEYS.items()}


def finding_lines(findings: pl.DataFrame, lang: str = "zh") -> list[str]:
    """Each finding as one line in ``lang``, in the frame's order: "【高】R09 title：message".

    The card and the deck write findings so, the rule's title beside its id;
    a rule id the rules do not know gets no title.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> finding_lines(review(load_documents(), rules=["R09"]), "en")[0][:52]
    '[High] R09 Unit cost × quantity exceeds the budget: '
    """
    titles = dict(rules_frame(lang).select("id", "title").iter_rows())
    severities = severity_labels(lang)
    return [
        t(
            "finding_line_titled",
            lang,
            severity=severities.get(str(row.get("severity")), row.get("severity") or "—"),
            rule=row.get("rule_id") or "",
            title=titles.get(row.get("rule_id"), ""),
            message=row.get("message") or "—",
        )
        for row in in_language(findings, lang).iter_rows(named=True)
    ]


def findings_table(
    findings: pl.DataFrame, projects: pl.DataFrame, indicators: pl.DataFrame, *, lang: str = "zh"
) -> pl.DataFrame:
    """The 审核发现 page's table: each finding with its rule's title, project and indicator, most serious first.

    The severity, the rule's title and the message are in ``lang``; a
    finding about the whole project has the indicator column say so in
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
    >>> english = findings_table(review(corpus), corpus.projects, corpus.indicators, lang="en")
    >>> english["severity"].unique(maintain_order=True).to_list()
    ['High', 'Medium', 'Low']
    """
    rules = rules_frame(lang)
    titles = dict(zip(rules["id"].to_list(), rules["title"].to_list()))
    return (
        in_language(findings, lang)
        .join(projects.select("project_id", pl.col("name").alias("project")), on="project_id", how="left")
        .join(indicators.select("indicator_id", pl.col("name").alias("indicator")), on="indicator_id", how="left")
        .sort("severity", "rule_id", maintain_order=True)
        .with_columns(
            pl.col("severity").cast(pl.String).replace_strict(severity_labels(lang)),
            pl.col("rule_id").replace_strict(titles, default="").alias("rule_title"),
            pl.col("indicator").fill_null(t("review_whole_project", lang)),
        )
        .select("severity", "rule_id", "rule_title", "project", "indicator", "message", "project_id", "finding_id")
    )


def rules_frame(lang: str = "zh") -> pl.DataFrame:
    """The rules as a frame: ``id``, ``severity``, ``title``, ``checks`` and ``basis`` (in ``lang``).

    In English, ``checks`` quotes the documents' words it gives as examples
    as written; ``severity`` keeps the values 高/中/低 so it joins with
    :func:`review`'s findings, and pages label it (:func:`severity_labels`).

    Examples
    --------
    >>> rules_frame("en").filter(pl.col("id") == "R09").select("title", "basis").row(0)
    ('Unit cost × quantity exceeds the budget', 'Reviewer practice')
    """
    english = lang == "en"
    return pl.DataFrame(
        [
            {
                "id": r.id,
                "severity": r.severity,
                "title": r.title_en if english else r.title_zh,
                "checks": (r.checks_en or r.checks) if english else r.checks,
                "basis": BASIS_EN.get(r.basis, r.basis) if english else r.basis,
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
