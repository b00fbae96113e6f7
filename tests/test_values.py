"""Tests for lib.values: one table per kind, then the column API and properties."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from lib import schema
from lib.values import ParsedValue, parse_value, parse_value_columns


def P(kind: str, op: str | None = None, number: float | None = None, unit: str | None = None) -> ParsedValue:
    return ParsedValue(kind, op, number, unit)


MISSING = P("missing")
TEXT = P("text")
GRADE = P("grade")
BOOLEAN = P("boolean")
DEADLINE = P("deadline")


def _cases(table: dict[str, ParsedValue]):
    return pytest.mark.parametrize(("raw", "expected"), list(table.items()), ids=list(table))


PERCENT = {
    "≥95%": P("percent", "≥", 95.0, "%"),
    "≥ 95%": P("percent", "≥", 95.0, "%"),
    "≥ 90%": P("percent", "≥", 90.0, "%"),
    "＞92%": P("percent", ">", 92.0, "%"),
    ">92%": P("percent", ">", 92.0, "%"),
    "<5%": P("percent", "<", 5.0, "%"),
    "＜5%": P("percent", "<", 5.0, "%"),
    "100%": P("percent", "=", 100.0, "%"),
    "0%": P("percent", "=", 0.0, "%"),
    "≥100%": P("percent", "≥", 100.0, "%"),
    "=100%": P("percent", "=", 100.0, "%"),
    ">=95%": P("percent", "≥", 95.0, "%"),
    "＞=95%": P("percent", "≥", 95.0, "%"),
    "＞＝９５％": P("percent", "≥", 95.0, "%"),
    "≧95%": P("percent", "≥", 95.0, "%"),
    "<=5%": P("percent", "≤", 5.0, "%"),
    "≦5%": P("percent", "≤", 5.0, "%"),
    "> = 95 %": P("percent", "≥", 95.0, "%"),
    "98.5%": P("percent", "=", 98.5, "%"),
    "95%以上": P("percent", "≥", 95.0, "%"),
    "不低于90%": P("percent", "≥", 90.0, "%"),
    "不超过5%": P("percent", "≤", 5.0, "%"),
    "5%以下": P("percent", "≤", 5.0, "%"),
    "100%完成": P("percent", "=", 100.0, "%"),
    "±3%以内": P("percent", "≤", 3.0, "±%"),
    "±3%": P("percent", "≤", 3.0, "±%"),
    "  ≥95%  ": P("percent", "≥", 95.0, "%"),
}


@_cases(PERCENT)
def test_percent_values_keep_comparator_and_number(raw, expected):
    assert parse_value(raw) == expected


AMOUNT = {
    "≤141.6万元": P("amount", "≤", 1416000.0, "元"),
    "≤ 5万元": P("amount", "≤", 50000.0, "元"),
    "≤5万元": P("amount", "≤", 50000.0, "元"),
    "≤12万元": P("amount", "≤", 120000.0, "元"),
    "≤ 197.68万元": P("amount", "≤", 1976800.0, "元"),
    "≤21.53万元": P("amount", "≤", 215300.0, "元"),
    "≤8.06万元": P("amount", "≤", 80600.0, "元"),
    "100元": P("amount", "=", 100.0, "元"),
    "1,416,000.00元": P("amount", "=", 1416000.0, "元"),
    "１，０００元": P("amount", "=", 1000.0, "元"),
    "1.2亿元": P("amount", "=", 120000000.0, "元"),
    "≤3千元": P("amount", "≤", 3000.0, "元"),
    "30万元以内": P("amount", "≤", 300000.0, "元"),
    "不超过30万元": P("amount", "≤", 300000.0, "元"),
}


@_cases(AMOUNT)
def test_amounts_are_converted_to_yuan_without_float_noise(raw, expected):
    assert parse_value(raw) == expected


RATE = {
    "1000元/人/年": P("rate", "=", 1000.0, "元/人/年"),
    "4000元/月/人": P("rate", "=", 4000.0, "元/月/人"),
    "760元/天/人": P("rate", "=", 760.0, "元/天/人"),
    "550元/天/人": P("rate", "=", 550.0, "元/天/人"),
    "500元/次/人": P("rate", "=", 500.0, "元/次/人"),
    "≤5万元/人": P("rate", "≤", 50000.0, "元/人"),
    "200元/人·月": P("rate", "=", 200.0, "元/人/月"),
    "200元／人／月": P("rate", "=", 200.0, "元/人/月"),
    "元/人·月": P("rate", None, None, "元/人/月"),
    "元/人/年": P("rate", None, None, "元/人/年"),
}


@_cases(RATE)
def test_money_per_something_is_a_rate_with_normalised_unit(raw, expected):
    assert parse_value(raw) == expected


COUNT = {
    "64": P("count", "=", 64.0, None),
    "470": P("count", "=", 470.0, None),
    "2.5": P("count", "=", 2.5, None),
    "1,000": P("count", "=", 1000.0, None),
    "１２": P("count", "=", 12.0, None),
    "1次": P("count", "=", 1.0, "次"),
    "1个": P("count", "=", 1.0, "个"),
    "≥50个": P("count", "≥", 50.0, "个"),
    "≥ 50 个": P("count", "≥", 50.0, "个"),
    "950人": P("count", "=", 950.0, "人"),
    "12期": P("count", "=", 12.0, "期"),
    "100人以上": P("count", "≥", 100.0, "人"),
    "2次/年": P("count", "=", 2.0, "次/年"),
    "1.2万人次": P("count", "=", 12000.0, "人次"),
    "3万": P("count", "=", 30000.0, None),
    "5千米": P("count", "=", 5.0, "千米"),
    "≥90分": P("count", "≥", 90.0, "分"),
}


@_cases(COUNT)
def test_numbers_with_a_unit_word_are_counts(raw, expected):
    assert parse_value(raw) == expected


DURATION = {
    "3天": P("count", "=", 3.0, "天"),
    "≤30天": P("count", "≤", 30.0, "天"),
    "30天内": P("count", "≤", 30.0, "天"),
    "1个工作日内": P("count", "≤", 1.0, "工作日"),
    "3个工作日内": P("count", "≤", 3.0, "工作日"),
    "3工作日内完成": P("count", "≤", 3.0, "工作日"),
    "3个月": P("count", "=", 3.0, "月"),
    "24小时内": P("count", "≤", 24.0, "小时"),
    "10年": P("count", "=", 10.0, "年"),
}


@_cases(DURATION)
def test_pure_durations_are_counts_with_a_time_unit(raw, expected):
    assert parse_value(raw) == expected


GRADES = [
    "优", "良", "良好", "较好", "合格", "优良", "优秀", "中",
    "差", "达标", "好", "高", "较高", "满意", "良好以上", "合格及以上",
]  # fmt: skip


@pytest.mark.parametrize("raw", GRADES)
def test_rating_words_are_grades_without_number(raw):
    assert parse_value(raw) == GRADE


@pytest.mark.parametrize("raw", ["是", "否", " 是 "])
def test_yes_no_answers_are_boolean(raw):
    assert parse_value(raw) == BOOLEAN


DEADLINES = [
    "2026年6月30日前",
    "2026年12月底前",
    "每月的工作性补贴在次月上旬前完成划拨",
    "按时",
    "按期完成",
    "2026年",
    "2026年底",
    "12月",
    "6月底",
    "6月底前",
    "15日前",
    "2026-06-30",
    "2026/6/30",
    "每季度末完成",
    "在规定时间内完成",
    "3个工作日内办结并反馈",
]


@pytest.mark.parametrize("raw", DEADLINES)
def test_calendar_points_and_time_limit_sentences_are_deadlines(raw):
    assert parse_value(raw) == DEADLINE


MISSINGS = [
    None, "", "   ", "\u3000", "XX", "xx", "ＸＸ", "**", "*", "/", "-", "—", "——", "无",
    "XX%", "≥XX%", "**个",  # a placeholder number makes the whole value a placeholder
    "是/否",  # the template's unfilled choice
]  # fmt: skip


@pytest.mark.parametrize("raw", MISSINGS, ids=repr)
def test_empty_and_placeholder_values_are_missing(raw):
    assert parse_value(raw) == MISSING


TEXTS = [
    "效果明显",
    "进一步提高",
    "有所提升",
    "显著",
    "市人大机关满意度",
    "64个镇街全覆盖",
    "1,2,3",
    "100m2",
    "±5天",
    "not a number",
    "%",
    "١٢",  # Arabic-Indic digits are not read as numbers
    "1" * 400,  # overflows a float
]


@pytest.mark.parametrize("raw", TEXTS, ids=lambda s: s[:20])
def test_unrecognised_formats_are_text(raw):
    assert parse_value(raw) == TEXT


def test_vague_timely_is_text_not_deadline():
    assert parse_value("及时") == TEXT


def test_month_number_is_a_deadline_but_months_duration_is_a_count():
    assert parse_value("12月").kind == "deadline"
    assert parse_value("12个月") == P("count", "=", 12.0, "月")


def test_year_number_is_a_deadline_but_bare_year_digits_are_a_count():
    assert parse_value("2027年").kind == "deadline"
    assert parse_value("2027") == P("count", "=", 2027.0, None)


def test_prefix_comparator_wins_over_contradicting_suffix():
    assert parse_value(">90%以下") == P("percent", ">", 90.0, "%")


# --- parse_value_columns ----------------------------------------------------


def _expected(prefix: str, rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            f"{prefix}_kind": schema.Kind,
            f"{prefix}_op": schema.Op,
            f"{prefix}_number": pl.Float64(),
            f"{prefix}_unit": pl.String(),
        },
        orient="row",
    )


def test_parse_value_columns_keeps_order_dtypes_and_nulls():
    values = pl.Series(
        "annual_value",
        ["≥95%", None, "≤141.6万元", "≥95%", "优", "", "1000元/人/年", None, "64"],
    )
    expected = _expected(
        "annual",
        [
            ("percent", "≥", 95.0, "%"),
            ("missing", None, None, None),
            ("amount", "≤", 1416000.0, "元"),
            ("percent", "≥", 95.0, "%"),
            ("grade", None, None, None),
            ("missing", None, None, None),
            ("rate", "=", 1000.0, "元/人/年"),
            ("missing", None, None, None),
            ("count", "=", 64.0, None),
        ],
    )
    assert_frame_equal(parse_value_columns(values, prefix="annual"), expected)


def test_parse_value_columns_dtypes_match_the_indicator_schema():
    out = parse_value_columns(pl.Series(["100%"]), prefix="period")
    names = ["period_kind", "period_op", "period_number", "period_unit"]
    assert out.schema == pl.Schema({name: schema.INDICATORS[name] for name in names})


def test_parse_value_columns_on_empty_series_gives_empty_typed_frame():
    out = parse_value_columns(pl.Series([], dtype=pl.String), prefix="period")
    assert_frame_equal(out, _expected("period", []))


def test_parse_value_columns_on_all_null_series():
    out = parse_value_columns(pl.Series([None, None]), prefix="period")
    assert_frame_equal(out, _expected("period", [("missing", None, None, None)] * 2))


def test_parse_value_columns_accepts_categorical_input():
    values = pl.Series(["≥95%", "是", "≥95%"], dtype=pl.Categorical)
    expected = _expected(
        "annual",
        [
            ("percent", "≥", 95.0, "%"),
            ("boolean", None, None, None),
            ("percent", "≥", 95.0, "%"),
        ],
    )
    assert_frame_equal(parse_value_columns(values, prefix="annual"), expected)


def test_parse_value_columns_rejects_non_string_series():
    with pytest.raises(TypeError, match="expected a String series"):
        parse_value_columns(pl.Series("v", [1, 2]), prefix="annual")


def test_parse_value_columns_parses_each_distinct_value_once():
    parse_value.cache_clear()
    values = pl.Series(["≥95%", "100%"] * 50_000 + [None])
    out = parse_value_columns(values, prefix="annual")
    assert out.height == 100_001
    assert parse_value.cache_info().misses == 3  # "≥95%", "100%", None
    assert out["annual_number"].sum() == 50_000 * 195.0


def test_parse_value_columns_agrees_with_parse_value_row_by_row():
    raws = PERCENT | AMOUNT | RATE | COUNT | DURATION
    values = pl.Series(list(raws) + GRADES + DEADLINES + MISSINGS + TEXTS)
    out = parse_value_columns(values, prefix="x")
    assert [ParsedValue(*row) for row in out.iter_rows()] == [parse_value(v) for v in values]


# --- properties --------------------------------------------------------------


@given(st.text())
def test_parse_value_never_raises_and_stays_in_vocabulary(text):
    parsed = parse_value(text)
    assert parsed.kind in schema.VALUE_KINDS
    assert parsed.op is None or parsed.op in schema.OPS
    assert (parsed.number is None) == (parsed.op is None)
    if parsed.kind not in schema.QUANTITATIVE_KINDS:
        assert (parsed.op, parsed.number, parsed.unit) == (None, None, None)


_FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


_WRITTEN_OPS = [
    ("≥", "≥"), (">=", "≥"), ("＞=", "≥"), ("≧", "≥"),
    ("≤", "≤"), ("<=", "≤"), ("＜", "<"), (">", ">"), ("", "="),
]  # fmt: skip
_WRITTEN_UNITS = [  # (written, kind, unit, scale to 元)
    ("%", "percent", "%", 1),
    ("万元", "amount", "元", 10_000),
    ("元/人/年", "rate", "元/人/年", 1),
    ("个", "count", "个", 1),
]


@given(
    op=st.sampled_from(_WRITTEN_OPS),
    number=st.decimals(min_value=0, max_value=10**9, places=2),
    unit=st.sampled_from(_WRITTEN_UNITS),
    space=st.sampled_from(["", " ", "\u3000"]),
    full_width=st.booleans(),
)
def test_comparator_number_unit_round_trip(op, number, unit, space, full_width):
    written, expected_op = op
    suffix, kind, expected_unit, scale = unit
    raw = f"{written}{space}{number}{suffix}"
    if full_width:
        raw = raw.translate(_FULL_WIDTH)
    expected_number = float(Decimal(number) * scale)
    assert parse_value(raw) == ParsedValue(kind, expected_op, expected_number, expected_unit)
