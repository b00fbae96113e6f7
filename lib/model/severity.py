"""The review's severities (高, 中, 低): their order, weight, label and colour, for every page, chart, deck and export.

高 the targets cannot be right as written, 中 a reviewer sends them back for
a fix, 低 worth a question. Colours run red to grey (ColorBrewer RdGy ends,
colour-blind safe), apart from the 一级 colours so a severity never reads as
a category; the deck uses the same ones. (The loader's own severities,
error / warning / info, are :data:`lib.schema.SEVERITIES`.)

>>> [WEIGHTS[s] for s in SEVERITIES], LABEL_KEYS["中"], COLORS["高"]
([3, 2, 1], 'review_severity_medium', '#B2182B')
"""

from __future__ import annotations

#: Most serious first.
SEVERITIES: tuple[str, ...] = ("高", "中", "低")
#: How much a finding counts when projects or departments are ranked by their findings.
WEIGHTS: dict[str, int] = {"高": 3, "中": 2, "低": 1}
#: i18n keys (:mod:`lib.i18n`) of the labels.
LABEL_KEYS: dict[str, str] = {"高": "review_severity_high", "中": "review_severity_medium", "低": "review_severity_low"}
#: The English word of each, for column names and i18n keys.
NAMES: dict[str, str] = {"高": "high", "中": "medium", "低": "low"}
#: Colours as hex, for Plotly and the deck alike.
COLORS: dict[str, str] = {"高": "#B2182B", "中": "#EF8A62", "低": "#999999"}
