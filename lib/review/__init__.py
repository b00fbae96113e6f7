"""Review rules a budget reviewer applies to performance targets, and the findings they raise.

Rules are data: each is a :class:`Rule` (id, severity, titles, what it
checks, its basis) registered together with the one function that checks it::

    @rule(Rule("R99", "低", "标题", "Title", "检查内容", "评审实践 reviewer practice", checks_en="What it checks"))
    def _r99(frames: ReviewFrames) -> pl.DataFrame:
        return finding_rows([{"project_id": ..., "message": "……", "message_en": "..."}])

Adding a rule is one such entry and its function, in the module of its
family under :mod:`lib.review.rules`; :data:`RULES`, :func:`review`,
:func:`rules_frame` and the command line pick it up.

A check receives :class:`ReviewFrames` -- the corpus' projects and indicators
with the columns every rule needs computed once (the target value, the unit a
name declares, the implementation period in years) -- and returns finding
rows: ``project_id``, ``indicator_id`` (null for a project-level finding),
``message`` and ``message_en`` (the same finding in English: the rule's
words translated, the document's quoted as written) and the evidence
columns. :func:`review` adds the rule id, the severity and a stable
``finding_id``.

Thresholds were tuned by reading every finding on the reference document
(``data/000_*.txt``): no rule fires on every project, because a rule that
flags everything tells a reviewer nothing.

The package, one module per job, offers its public names here
(``review.review(corpus)``):

* :mod:`lib.review.registry` -- rules as data: :class:`Rule`, the
  :data:`~lib.review.registry.Check` type, the :func:`rule` decorator, the
  registry, the severities and :func:`finding_rows`, the rows a check returns;
* :mod:`lib.review.vocabulary` -- the words rules share: count units and
  their synonyms, what an indicator's name declares, how findings show
  values, 万元 and periods;
* :mod:`lib.review.preparation` -- :class:`ReviewFrames` and
  :func:`prepare`: the derived columns every check reads, computed once;
* :mod:`lib.review.rules` -- the rules, one module per family (categories,
  values, targets, money, periods, duplicates, goals), and :data:`RULES`;
* :mod:`lib.review.api` -- :func:`review` (a corpus' findings, each
  message in Chinese and English), :func:`in_language` (the findings in one
  language), :func:`rules_frame` and :func:`findings_table` (what pages show);
* :mod:`lib.review.__main__` -- the command line.

Command line::

    python -m lib.review [PATH ...] --json
"""

from __future__ import annotations

from lib.review.api import (
    FINDINGS,
    RULES_SCHEMA,
    finding_lines,
    findings_table,
    in_language,
    review,
    rules_frame,
    severity_labels,
)
from lib.review.preparation import ReviewFrames, prepare
from lib.review.registry import (
    BASIS_101,
    BASIS_PRACTICE,
    REGISTRY,
    SEVERITIES,
    SEVERITY_LABEL_KEYS,
    Check,
    Rule,
    Severity,
    finding_rows,
    rule,
)

# Importing the rules package registers every rule, each family's module in turn.
from lib.review.rules import RULES

__all__ = [
    "BASIS_101",
    "BASIS_PRACTICE",
    "FINDINGS",
    "REGISTRY",
    "RULES",
    "RULES_SCHEMA",
    "SEVERITIES",
    "SEVERITY_LABEL_KEYS",
    "Check",
    "ReviewFrames",
    "Rule",
    "Severity",
    "finding_rows",
    "finding_lines",
    "findings_table",
    "in_language",
    "prepare",
    "review",
    "rule",
    "rules_frame",
    "severity_labels",
]
