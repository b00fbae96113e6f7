"""lib/filters.py on the reference document: what each filter keeps, URL round trip, captions."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal, assert_series_equal

from lib import schema
from lib.filters import (
    PARAM_KEYS,
    FilterOptions,
    Filters,
    Period,
    apply_filters,
    describe,
    filter_options,
    period_category,
    to_params,
    validate,
)
from lib.loader import load_documents
from lib.model.corpus import Corpus
from support import REFERENCE

IT = "其他运转类（信息化运维类）"
FUNCTION = "其他特定目标类（部门职能类）"
DEVELOPMENT = "其他事业发展性支出"
DEPARTMENT = "东莞市人民代表大会常务委员会办公室"
IT_PROJECTS = [
    "东莞市人大常委会预算联网监督系统运营服务项目",
    "市人大常委会办公室“数字人大”运维项目",
    "市人大常委会办公室“数字人大”升级改造项目",
]
NEW_PROJECTS = [
    "2026年市镇两级人大换届选举经费",
    "市人大常委会办公室“数字人大”升级改造项目",
    "购买社工服务经费",
]
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CORPUS = load_documents([REFERENCE])
OPTIONS = filter_options(CORPUS)
DOC_ID = CORPUS.documents["document_id"].item()


def _names(corpus: Corpus) -> list[str]:
    return corpus.projects["name"].to_list()


def _expected(corpus: Corpus, names: list[str]) -> Corpus:
    """What a filter keeping exactly the projects ``names`` must return, built the obvious way."""
    projects = corpus.projects.filter(pl.col("name").is_in(names))
    ids = projects["project_id"].to_list()
    return Corpus(
        documents=corpus.documents,
        projects=projects,
        indicators=corpus.indicators.filter(pl.col("project_id").is_in(ids)),
        diagnostics=corpus.diagnostics.filter(pl.col("project_id").is_in(ids) | pl.col("project_id").is_null()),
    )


def assert_corpus_equal(left: Corpus, right: Corpus) -> None:
    for a, b in zip(left.frames().values(), right.frames().values()):
        assert_frame_equal(a, b)


# ---------------------------------------------------------------- options


def test_filter_options_of_reference():
    # Type totals: 部门职能类 9,936,700, 信息化运维类 659,200, 事业发展性 286,600 元.
    assert OPTIONS == FilterOptions(
        documents={DOC_ID: f"{DEPARTMENT} 2026"},
        types=(FUNCTION, IT, DEVELOPMENT),
        levels=("二级项目",),
        periods=("ongoing", "new"),
        budget_wan=(4.8, 197.68),
    )


def test_filter_options_of_empty_corpus():
    schemas = (schema.DOCUMENTS, schema.PROJECTS, schema.INDICATORS, schema.DIAGNOSTICS)
    empty = Corpus(*(schema.empty(s) for s in schemas))
    assert filter_options(empty) == FilterOptions({}, (), (), (), (0.0, 0.0))


def test_document_labels_fall_back_to_file_name_and_disambiguate_clashes():
    data = REFERENCE.read_bytes()
    corpus = load_documents([("a.txt", data), ("b.txt", data + b"\n"), ("empty.txt", b"")])
    ids = corpus.documents["document_id"].to_list()
    assert filter_options(corpus).documents == {
        ids[0]: f"{DEPARTMENT} 2026 · a.txt",
        ids[1]: f"{DEPARTMENT} 2026 · b.txt",
        ids[2]: "empty.txt",
    }


# ---------------------------------------------------------------- apply_filters


def test_no_filter_returns_a_new_corpus_with_the_same_frames():
    kept = apply_filters(CORPUS, Filters())
    assert kept is not CORPUS
    assert_corpus_equal(kept, CORPUS)


def test_type_filter_keeps_the_three_it_projects_and_only_their_indicators():
    kept = apply_filters(CORPUS, Filters(types=(IT,)))
    assert _names(kept) == IT_PROJECTS
    assert kept.projects["budget_yuan"].to_list() == [215_300.0, 363_300.0, 80_600.0]
    assert kept.projects["budget_yuan"].sum() == 659_200.0
    assert kept.indicators.height == 38
    assert set(kept.indicators["project_id"]) == set(kept.projects["project_id"])
    assert_corpus_equal(kept, _expected(CORPUS, IT_PROJECTS))


def test_period_categories_of_reference():
    # budget_year 2026 throughout; every start year before 2026 ends in 2099 or 2029.
    periods = dict(zip(CORPUS.projects["name"], period_category(CORPUS.projects).to_list()))
    assert sorted(name for name, p in periods.items() if p == "new") == sorted(NEW_PROJECTS)
    assert [name for name, p in periods.items() if p not in ("new", "ongoing")] == []
    assert periods["乡村振兴市直机关派出挂职工作人员工作性补贴资金"] == "ongoing"  # 2021–2029
    assert periods["人大代表联络站专项经费"] == "ongoing"  # 2025–2099, recurring
    assert periods["2026年市镇两级人大换届选举经费"] == "new"  # 2026–2026: new, not ending


def test_period_category_rules():
    rows = [
        {"project_id": "one-year", "start_year": 2026, "end_year": 2026, "budget_year": 2026},
        {"project_id": "ending", "start_year": 2024, "end_year": 2026, "budget_year": 2026},
        {"project_id": "recurring", "start_year": 2021, "end_year": 2099, "budget_year": 2026},
        {"project_id": "future", "start_year": 2027, "end_year": 2030, "budget_year": 2026},
        {"project_id": "expired", "start_year": 2020, "end_year": 2025, "budget_year": 2026},
        {"project_id": "no-years", "start_year": None, "end_year": None, "budget_year": 2026},
        {"project_id": "no-end", "start_year": 2026, "end_year": None, "budget_year": 2026},
    ]
    blank = dict.fromkeys(schema.PROJECTS)
    projects = schema.frame([{**blank, **row} for row in rows], schema.PROJECTS)
    periods = ["new", "ending", "ongoing", None, None, None, "new"]
    assert_series_equal(period_category(projects), pl.Series("period", periods, dtype=Period))
    corpus = Corpus(CORPUS.documents, projects, CORPUS.indicators.clear(), CORPUS.diagnostics.clear())
    kept = apply_filters(corpus, Filters(periods=("ending", "ongoing")))
    assert kept.projects["project_id"].to_list() == ["ending", "recurring"]


def test_period_filter_new():
    kept = apply_filters(CORPUS, Filters(periods=("new",)))
    assert_corpus_equal(kept, _expected(CORPUS, NEW_PROJECTS))


def test_keyword_in_project_names():
    kept = apply_filters(CORPUS, Filters(keyword="数字人大"))
    assert_corpus_equal(kept, _expected(CORPUS, IT_PROJECTS[1:]))


def test_keyword_matching_only_an_indicator_name_selects_its_project():
    own_text = CORPUS.projects.select(pl.concat_str("name", "goal_period", "goal_annual"))
    assert not own_text.to_series().str.contains("集思广益", literal=True).any()
    kept = apply_filters(CORPUS, Filters(keyword="集思广益"))
    assert_corpus_equal(kept, _expected(CORPUS, ["市人大代表履职经费"]))
    assert "集思广益献良策，助推社会经济高质量发展" in kept.indicators["name"].to_list()


def test_keyword_is_case_insensitive_literal_and_trimmed():
    # The only Latin text in the reference: an indicator "…守正创新 and 高质量发展".
    assert _names(apply_filters(CORPUS, Filters(keyword=" AND "))) == ["人大宣传工作专项经费"]
    assert _names(apply_filters(CORPUS, Filters(keyword="数字.大"))) == []  # literal, not a regex
    assert _names(apply_filters(CORPUS, Filters(keyword=".*"))) == []


def _slow_keyword_names(corpus: Corpus, keyword: str) -> list[str]:
    """Project names matching ``keyword``, always lowercasing both sides (no fast path)."""
    needle = pl.select(pl.lit(keyword.strip()).str.to_lowercase()).item()

    def has(column: str) -> pl.Expr:
        return pl.col(column).str.to_lowercase().str.contains(needle, literal=True).fill_null(False)

    hits = corpus.indicators.filter(has("name"))["project_id"].to_list()
    own = has("name") | has("goal_period") | has("goal_annual")
    return corpus.projects.filter(own | pl.col("project_id").is_in(hits))["name"].to_list()


TURKISH = Corpus(
    CORPUS.documents,
    CORPUS.projects.head(2).with_columns(pl.Series("name", ["İSTANBUL 大会", "istanbul 会议"])),
    CORPUS.indicators.clear(),
    CORPUS.diagnostics.clear(),
)


@SETTINGS
@given(st.text(alphabet="İIıi\u0307S大会数字人A and", min_size=1, max_size=4))
@example("\u0307")  # "İ" lowercases to "i" + U+0307: only lowercasing finds it
def test_keyword_without_cased_letters_skips_lowercasing_safely(keyword):
    for corpus in (CORPUS, TURKISH):
        assert _names(apply_filters(corpus, Filters(keyword=keyword))) == _slow_keyword_names(corpus, keyword)


def test_budget_range_is_inclusive_in_wan():
    kept = apply_filters(CORPUS, Filters(budget_wan=(21.53, 36.33)))
    budgets = sorted(kept.projects["budget_yuan"].to_list())
    assert budgets == [215_300.0, 238_600.0, 300_000.0, 355_000.0, 363_300.0]
    assert_corpus_equal(kept, _expected(CORPUS, _names(kept)))
    everything = apply_filters(CORPUS, Filters(budget_wan=OPTIONS.budget_wan))
    assert everything.projects.height == 15


def test_combined_filters_all_apply():
    assert _names(apply_filters(CORPUS, Filters(types=(IT,), periods=("new",)))) == [IT_PROJECTS[2]]
    both = Filters(types=(IT, DEVELOPMENT), levels=("二级项目",), budget_wan=(30.0, 40.0), keyword="数字人大")
    assert _names(apply_filters(CORPUS, both)) == [IT_PROJECTS[1]]
    assert _names(apply_filters(CORPUS, Filters(documents=(DOC_ID,), types=(DEVELOPMENT,)))) == [
        "乡村振兴市直机关派出挂职工作人员工作性补贴资金",
        "购买社工服务经费",
    ]


def test_empty_result_has_empty_frames_with_the_schemas():
    kept = apply_filters(CORPUS, Filters(keyword="没有这个词"))
    assert_frame_equal(kept.documents, CORPUS.documents)
    assert_frame_equal(kept.projects, schema.empty(schema.PROJECTS))
    assert_frame_equal(kept.indicators, schema.empty(schema.INDICATORS))
    assert_frame_equal(kept.diagnostics, schema.empty(schema.DIAGNOSTICS))


def test_unknown_values_select_nothing():
    assert apply_filters(CORPUS, Filters(types=("无此类型",))).projects.is_empty()
    assert apply_filters(CORPUS, Filters(documents=("0000",))).documents.is_empty()


def test_file_diagnostics_follow_their_document():
    corpus = load_documents([REFERENCE, ("empty.txt", b""), REFERENCE.parent / "missing.txt"])
    reference, empty = corpus.documents["document_id"].to_list()
    file_level = corpus.diagnostics.filter(pl.col("project_id").is_null())
    assert file_level["code"].to_list() == ["unreadable", "empty_file"]

    by_type = apply_filters(corpus, Filters(types=(IT,)))
    assert by_type.documents.height == 2
    # The unreadable file has no document; it stays while no document is chosen.
    by_type_file_level = by_type.diagnostics.filter(pl.col("project_id").is_null())
    assert by_type_file_level["code"].to_list() == ["unreadable", "empty_file"]

    only_empty = apply_filters(corpus, Filters(documents=(empty,)))
    assert only_empty.documents["source"].to_list() == ["empty.txt"]
    assert only_empty.projects.is_empty() and only_empty.indicators.is_empty()
    assert only_empty.diagnostics["code"].to_list() == ["empty_file"]

    only_reference = apply_filters(corpus, Filters(documents=(reference,)))
    assert_frame_equal(only_reference.projects, corpus.projects)
    reference_diagnostics = corpus.diagnostics.filter(pl.col("document_id") == reference)
    assert_frame_equal(only_reference.diagnostics, reference_diagnostics)


# ---------------------------------------------------------------- URL parameters


def test_validate_keeps_known_values_and_names_the_rest():
    params = {
        "doc": "nope",
        "type": [IT, "不存在类"],
        "level": "三级项目",
        "period": ["new", "ending", "new"],
        "budget_min": "abc",
        "budget_max": "40",
        "q": " 数字 ",
        "lang": "en",  # another part of the app's key: left alone
    }
    filters, ignored = validate(params, OPTIONS)
    assert filters == Filters(types=(IT,), periods=("new",), budget_wan=(4.8, 40.0), keyword="数字")
    assert ignored == ["doc=nope", "type=不存在类", "level=三级项目", "period=ending", "budget_min=abc"]


@pytest.mark.parametrize(
    ("params", "budget", "ignored"),
    [
        ({"budget_min": "-5", "budget_max": "1e9"}, (4.8, 197.68), []),  # clipped silently
        ({"budget_min": "10"}, (10.0, 197.68), []),
        ({"budget_max": "10"}, (4.8, 10.0), []),
        ({"budget_min": "50", "budget_max": "10"}, None, ["budget_min=50", "budget_max=10"]),
        ({"budget_min": "nan", "budget_max": "inf"}, None, ["budget_min=nan", "budget_max=inf"]),
        ({"budget_min": "", "budget_max": ""}, None, []),
        ({"budget_min": ["1", "20"]}, (20.0, 197.68), ["budget_min=1"]),
    ],
)
def test_validate_budget(params, budget, ignored):
    assert validate(params, OPTIONS) == (Filters(budget_wan=budget), ignored)


def test_validate_single_value_keys_take_the_last_value():
    assert validate({"q": ["旧", "新"]}, OPTIONS) == (Filters(keyword="新"), ["q=旧"])
    assert validate({}, OPTIONS) == (Filters(), [])


def test_to_params_writes_only_non_defaults():
    assert to_params(Filters()) == {}
    filters = Filters(documents=(DOC_ID,), periods=("new", "ongoing"), budget_wan=(4.8, 100.0), keyword="数字")
    assert to_params(filters) == {
        "doc": [DOC_ID],
        "period": ["new", "ongoing"],
        "budget_min": "4.8",
        "budget_max": "100",
        "q": "数字",
    }


ODD_TEXT = ["nan", "-inf", "1e400", "1_0", " 5 ", "٣", "0x10", "", IT, "new", DOC_ID]
junk = st.one_of(st.text(max_size=12), st.sampled_from(ODD_TEXT))
# Beyond the declared str | list[str]: what a careless caller might still pass.
param_values = st.one_of(
    junk,
    st.lists(junk, max_size=4),
    st.none(),
    st.integers(),
    st.lists(st.one_of(junk, st.integers()), max_size=3),
)
param_keys = st.one_of(st.sampled_from(PARAM_KEYS), st.text(max_size=5))


@SETTINGS
@given(st.dictionaries(param_keys, param_values, max_size=9))
def test_validate_never_raises_and_returns_valid_filters(params):
    filters, ignored = validate(params, OPTIONS)
    assert set(filters.documents) <= set(OPTIONS.documents)
    assert set(filters.types) <= set(OPTIONS.types)
    assert set(filters.levels) <= set(OPTIONS.levels)
    assert set(filters.periods) <= set(OPTIONS.periods)
    if filters.budget_wan is not None:
        low, high = filters.budget_wan
        assert OPTIONS.budget_wan[0] <= low <= high <= OPTIONS.budget_wan[1]
    assert filters.keyword == filters.keyword.strip()
    assert all(item.split("=", 1)[0] in PARAM_KEYS for item in ignored)
    apply_filters(CORPUS, filters)


def _subset(values: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), unique=True).map(tuple) if values else st.just(())


@st.composite
def valid_filters(draw) -> Filters:
    low, high = OPTIONS.budget_wan
    bound = st.floats(min_value=low, max_value=high, allow_nan=False)
    budget = draw(st.one_of(st.none(), st.tuples(bound, bound).map(lambda b: tuple(sorted(b)))))
    return Filters(
        documents=draw(_subset(tuple(OPTIONS.documents))),
        types=draw(_subset(OPTIONS.types)),
        levels=draw(_subset(OPTIONS.levels)),
        periods=draw(_subset(OPTIONS.periods)),
        budget_wan=budget,
        keyword=draw(st.text(max_size=10).map(str.strip)),
    )


@SETTINGS
@given(valid_filters())
def test_validate_inverts_to_params(filters):
    assert validate(to_params(filters), OPTIONS) == (filters, [])


# ---------------------------------------------------------------- describe


def test_describe_nothing_active():
    assert describe(Filters(), OPTIONS) == "未筛选"
    assert describe(Filters(keyword="  "), OPTIONS, lang="en") == "no filter"


def test_describe_type_and_keyword():
    filters = Filters(types=(IT,), keyword="数字")
    assert describe(filters, OPTIONS) == f"项目类型：{IT}；关键词：数字"
    # The standard type is named in English; the keyword is the user's own text.
    english = "Project type: Other operating (IT operation and maintenance); Keyword: 数字"
    assert describe(filters, OPTIONS, lang="en") == english
    assert describe(Filters(types=("自定类型",)), OPTIONS, lang="en") == "Project type: 自定类型"


def test_describe_every_filter():
    filters = Filters(
        documents=(DOC_ID,),
        types=(IT, DEVELOPMENT),
        levels=("二级项目",),
        periods=("new", "ongoing"),
        budget_wan=(10.0, 200.0),
        keyword="数字",
    )
    assert describe(filters, OPTIONS) == (
        f"文档：{DEPARTMENT} 2026；项目类型：{IT}、{DEVELOPMENT}；项目等级：二级项目；"
        "实施周期：本年度新增、跨年度持续项目；预算 10.00–200.00 万元；关键词：数字"
    )
    assert describe(filters, OPTIONS, lang="en") == (
        f"Document: {DEPARTMENT} 2026; Project type: Other operating (IT operation and maintenance), "
        "Other public-service development; Project level: Level-2 project; "
        "Period: New this year, Ongoing multi-year; Budget 10.00–200.00 (10k yuan); Keyword: 数字"
    )


def test_the_indicator_search_matches_as_the_sidebar_keyword_does():
    from lib.filters import contains_keyword, search_indicators

    corpus = load_documents()
    found = search_indicators(corpus.indicators, corpus.projects, " 满意度 ")
    assert found.height == 20 and set(found["level1"].cast(str)) == {"满意度指标"}
    # A project's name finds all its indicators; case never matters, on either side.
    named = search_indicators(corpus.indicators, corpus.projects, "人代会")
    assert (
        named.height
        == corpus.indicators.join(
            corpus.projects.filter(pl.col("name") == "人代会").select("project_id"), on="project_id"
        ).height
    )
    frame = pl.DataFrame({"name": ["GDP增速", "gdp", "培训"]})
    assert frame.filter(contains_keyword("name", "Gdp"))["name"].to_list() == ["GDP增速", "gdp"]
