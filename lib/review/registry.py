"""Rules as data: each :class:`Rule` registered with the one function that checks it.

A module of :mod:`lib.review.rules` declares a rule and its check with
:func:`rule`; the check returns :func:`finding_rows`. :data:`REGISTRY` maps
each id to its rule and check, and :data:`lib.review.rules.RULES` lists the
rules in id order once every family is imported. A rule's severity is one of
:data:`SEVERITIES` and its basis usually :data:`BASIS_101` or
:data:`BASIS_PRACTICE`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from lib.model import severity as severity_model
from lib.review.preparation import ReviewFrames

#: Severities, most serious first, and their label keys: stated in lib.model.severity.
SEVERITIES: tuple[str, ...] = severity_model.SEVERITIES
Severity = pl.Enum(SEVERITIES)
SEVERITY_LABEL_KEYS: dict[str, str] = severity_model.LABEL_KEYS

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
    # The same finding in English; the evidence's English defaults to ``detail``
    # (most evidence is the document's own words).
    "message_en": pl.String(),
    "detail_en": pl.String(),
}

#: The basis of a rule resting on the guidance, and of one resting on reviewers' practice.
BASIS_101 = "财预〔2021〕101号"
BASIS_PRACTICE = "评审实践 reviewer practice"
#: The bases in English: the guidance by its number as English texts cite it.
BASIS_EN: dict[str, str] = {
    BASIS_101: "Ministry of Finance, Caiyu [2021] No. 101",
    BASIS_PRACTICE: "Reviewer practice",
    BASIS_PRACTICE + "（参照财预〔2020〕10号自评计分）": (
        "Reviewer practice (after the self-evaluation scoring of Caiyu [2020] No. 10)"
    ),
}


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
        ``评审实践 reviewer practice`` for reviewers' practice; its English
        is in :data:`BASIS_EN`.
    checks_en
        ``checks`` in English (keyword only); the documents' words it
        quotes as examples stay as written.

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
    checks_en: str = field(default="", kw_only=True)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"R\d{2,}", self.id):
            msg = f"rule id must look like R01, got {self.id!r}"
            raise ValueError(msg)
        if self.severity not in SEVERITIES:
            msg = f"{self.id}: severity must be one of {SEVERITIES}, got {self.severity!r}"
            raise ValueError(msg)


Check = Callable[[ReviewFrames], pl.DataFrame]
REGISTRY: dict[str, tuple[Rule, Check]] = {}


def rule(spec: Rule) -> Callable[[Check], Check]:
    """Register ``spec`` with the decorated check function.

    Examples
    --------
    >>> sorted(REGISTRY)[:2]
    ['R01', 'R02']
    """

    def register(check: Check) -> Check:
        if spec.id in REGISTRY:
            msg = f"rule {spec.id} registered twice"
            raise ValueError(msg)
        REGISTRY[spec.id] = (spec, check)
        return check

    return register


def finding_rows(records: list[dict]) -> pl.DataFrame:
    """Finding rows from dicts; absent keys are null, and ``detail_en`` is ``detail`` unless given.

    Every finding says what it found in both languages: a record without
    ``message_en`` is refused.

    Examples
    --------
    >>> finding_rows([{"project_id": "p", "message": "缺少", "message_en": "Missing", "detail": "甲"}])["detail_en"].item()
    '甲'
    >>> finding_rows([{"project_id": "p", "message": "缺少"}])
    Traceback (most recent call last):
    ...
    ValueError: a finding needs message_en beside its message: '缺少'
    """
    rows = []
    for record in records:
        if record.get("message") is not None and not record.get("message_en"):
            msg = f"a finding needs message_en beside its message: {record['message']!r}"
            raise ValueError(msg)
        row = {name: record.get(name) for name in _ROW_SCHEMA}
        if "detail_en" not in record:
            row["detail_en"] = row["detail"]
        rows.append(row)
    return pl.DataFrame(rows, schema=_ROW_SCHEMA)
