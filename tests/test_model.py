"""The domain's facts stated once (lib/model): the same answer wherever a page, chart, deck or rule asks."""

from __future__ import annotations

import polars as pl
import pytest

from lib import review
from lib.loader import load_documents
from lib.model import money, periods
from support import REFERENCE


@pytest.mark.parametrize(
    ("start", "end", "budget_year", "open_ended"),
    [
        (2025, 2099, 2026, True),  # the genre's "no end"
        (2026, 2046, 2026, True),  # 20 years past the budget year
        (2026, 2045, 2026, False),
        (1999, 2028, 2026, True),  # a 30-year span
        (2000, 2028, 2026, False),
        (2024, 2027, 2026, False),
        (2024, None, 2026, False),  # no end written: unknown, not open
    ],
)
def test_one_rule_for_an_open_ended_period(start, end, budget_year, open_ended):
    assert periods.is_open_ended(start, end, budget_year) is open_ended
    frame = pl.DataFrame(
        {"start_year": [start], "end_year": [end], "budget_year": [budget_year]},
        schema_overrides={"end_year": pl.Int32},
    )
    assert frame.select(periods.open_ended().alias("o")).item() is open_ended


def test_review_deck_and_card_text_agree_on_a_thirty_year_project():
    text = REFERENCE.read_text(encoding="utf-8")
    first = text.index("实施周期\t起始年度")
    line_end = text.index("\n", first)
    changed = text[:first] + "实施周期\t起始年度\t1999\t到期年度\t2028" + text[line_end:]
    corpus = load_documents([("thirty.txt", changed.encode("utf-8"))])
    project = corpus.projects.row(0, named=True)
    assert (project["start_year"], project["end_year"]) == (1999, 2028)
    assert review.prepare(corpus).projects["ongoing"][0] is True
    assert periods.period_text(1999, 2028, project["budget_year"], ongoing="长期") == "1999–长期"


def test_money_scales_are_the_genres():
    assert money.UNIT_SCALES == {
        "元": 1,
        "千元": 1_000,
        "万元": 10_000,
        "百万元": 1_000_000,
        "千万元": 10_000_000,
        "亿元": 100_000_000,
    }
    assert money.wan(10_882_500.0) == 1_088.25


def test_severities_look_and_weigh_the_same_in_charts_deck_ranking_and_exports():
    from pptx.dml.color import RGBColor

    from lib import charts, compare, export
    from lib.export import deck
    from lib.model import severity

    assert charts.SEVERITY_COLORS == severity.COLORS == {"高": "#B2182B", "中": "#EF8A62", "低": "#999999"}
    assert [deck.severity_color(level) for level in severity.SEVERITIES] == [
        RGBColor.from_string("B2182B"), RGBColor.from_string("EF8A62"), RGBColor.from_string("999999")
    ]  # fmt: skip
    assert compare.SEVERITY_WEIGHTS == {"高": 3, "中": 2, "低": 1}
    assert [export.severity_label(level, lang="en") for level in severity.SEVERITIES] == ["High", "Medium", "Low"]
    assert review.SEVERITY_LABEL_KEYS is severity.LABEL_KEYS
