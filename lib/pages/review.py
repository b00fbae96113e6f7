"""The review page's content: finding counts by severity, findings by rule and by project, the findings table."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from lib import charts, review
from lib.pages.scope import Chart, Metric, Page, Scope, empty_page

TITLE = "page_review"


def page(scope: Scope, findings: pl.DataFrame, *, severities: Iterable[str] = review.SEVERITIES) -> Page:
    """What 审核发现 shows: ``findings`` (the review of the scope's corpus) kept to the filtered projects and ``severities``.

    ``tables["findings"]`` is the review table (:func:`lib.review.findings_table`),
    ``tables["rules"]`` the rules in the scope's language (severities as
    labels), ``tables["found"]`` the findings themselves (for the workbook).

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> shown = page(Scope.of(corpus), review.review(corpus))
    >>> shown.metrics[0].label, shown.metrics[0].value == f"{review.review(corpus).height:,}"
    ('审核意见', True)
    """
    if scope.filtered.projects.is_empty():
        return empty_page(scope, TITLE)
    chosen = tuple(severities)
    shown_ids = scope.filtered.projects["project_id"].implode()
    found = findings.filter(
        pl.col("project_id").is_in(shown_ids) & pl.col("severity").cast(pl.String).is_in(list(chosen))
    )
    rules = review.rules_frame(scope.lang).rename({"id": "rule_id"})
    counts = dict(found.group_by(pl.col("severity").cast(pl.String)).len().iter_rows())
    lang, projects = scope.lang, scope.filtered.projects
    return Page(
        title=scope.label(TITLE),
        caption=scope.caption,
        metrics=(
            Metric("findings", scope.label("review_finding"), f"{found.height:,}"),
            *(
                Metric(severity, scope.label(review.SEVERITY_LABEL_KEYS[severity]), f"{counts.get(severity, 0):,}")
                for severity in review.SEVERITIES
            ),
        ),
        charts={
            "review_by_rule": Chart("review_by_rule", lambda: charts.findings_by_rule(found, rules, lang=lang), chosen),
            "review_by_project": Chart(
                "review_by_project", lambda: charts.projects_by_findings(found, projects, lang=lang), chosen
            ),
        },
        tables={
            "findings": review.findings_table(found, projects, scope.filtered.indicators, lang=lang),
            "rules": rules.with_columns(
                pl.col("severity").cast(pl.String).replace_strict(review.severity_labels(lang))
            ),
            "found": found,
        },
        notes={} if found.height else {"findings": scope.label("review_none")},
    )
