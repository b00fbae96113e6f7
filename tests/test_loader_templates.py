"""Other templates of the genre (DOMAIN.md) and the encodings documents come in."""

from __future__ import annotations

import codecs

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from lib.loader import load_documents
from lib.ingest.text import decode
from support import FIXTURES, REFERENCE, unaccounted_cells

TEMPLATES = FIXTURES / "templates"


def _load(name: str):
    return load_documents([TEMPLATES / name])


def _codes(corpus) -> set[str]:
    return set(corpus.diagnostics["code"].to_list())


def test_form_a_single_value_column_budget_in_wan_and_year_line():
    corpus = _load("form_a_single_value_wan.txt")
    document = corpus.documents.row(0, named=True)
    assert (document["year"], document["department"]) == (2023, "东莞市教育局")
    projects = corpus.projects
    assert projects["name"].to_list() == ["校园安全保障经费", "教师培训经费"]
    assert projects["budget_yuan"].to_list() == [1_205_000.0, 350_000.0]
    assert projects["unit"].to_list() == ["东莞市第一中学", "东莞市教育局"]
    assert projects["budget_year"].to_list() == [2023, 2023]
    assert (projects["start_year"][0], projects["end_year"][0]) == (2023, 2025)
    assert projects["goal_annual"][0] == "保障全校师生安全，完成安防设施维护。"
    indicators = corpus.indicators
    # A single 指标值 column is the annual value; the period value is absent.
    assert indicators["period_value"].null_count() == indicators.height
    assert indicators["annual_value"].to_list()[:3] == ["≥50个", "≥ 98%", "2023年12月31日前"]
    # Variant category names map onto the canonical ones, the spelling is kept.
    expected = [
        ("产出指标", "数量指标", "预期产出指标", "数量指标(或建筑规模指标)"),
        ("产出指标", "质量指标", "预期产出指标", "质量指标"),
        ("产出指标", "时效指标", "预期产出指标", "时效指标(工期指标)"),
        ("效益指标", "社会效益指标", "效果指标", "社会效益指标"),
        ("效益指标", "可持续影响指标", "效果指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标", "满意度指标", "社会公众或服务对象满意度指标"),
        ("成本指标", "经济成本指标", "成本指标", "经济成本指标"),
    ]
    assert indicators.head(7).select("level1", "level2", "level1_raw", "level2_raw").rows() == expected
    assert "single_value_column" in _codes(corpus)
    # The second project's form has no 实施周期 and no 项目类型: said, not guessed.
    absent = corpus.diagnostics.filter(pl.col("code") == "absent_fields")["message"].to_list()
    assert any("教师培训经费" in m and "项目类型" in m and "实施周期" in m for m in absent)


def test_form_b_budget_from_sources_separate_columns_and_old_categories():
    corpus = _load("form_b_sources_columns_gb18030.txt")
    project = corpus.projects.row(0, named=True)
    # 项目资金(万元) with 财政拨款 80 and 其他资金 20 and no total: the sum, in 元.
    assert project["budget_yuan"] == 1_000_000.0
    assert project["goal_period"] == "三年内完成基层设备更新"
    assert project["goal_annual"] == "更新设备20台\n培训人员"
    assert {"budget_from_sources", "budget_source", "encoding"} <= _codes(corpus)
    rows = corpus.indicators.select(
        "level1", "level2", "level1_raw", "name", "annual_value", "annual_op", "annual_number", "weight", "direction"
    ).rows()
    assert rows == [
        ("产出指标", "数量指标", "产出指标", "购置设备数量", "≥20台", "≥", 20.0, 20.0, "正向"),
        # Pre-2021 form: cost is a level 2 under 产出指标.
        ("产出指标", "成本指标", "产出指标", "设备单价", "≤5万元", "≤", 50_000.0, 10.0, "反向"),
        ("产出指标", "时效指标", "产出指标", "采购完成时间", "2020年9月底前", None, None, 10.0, "正向"),
        ("效益指标", "社会效益指标", "效益指标", "基层诊疗能力提升", "显著", None, None, 20.0, "正向"),
        # Satisfaction filed under 效益指标 counts as 满意度指标; the raw level 1 says where it was.
        ("满意度指标", "服务对象满意度指标", "效益指标", "患者满意度", "≥90%", "≥", 90.0, 10.0, "正向"),
        ("满意度指标", "服务对象满意度指标", "满意度指标", "医务人员满意度", "≥85%", "≥", 85.0, 10.0, "正向"),
    ]
    assert "level1_mismatch" in _codes(corpus)


def test_form_c_prior_year_and_target_columns_with_pipes_and_bom():
    corpus = _load("form_c_prior_year_bom.txt")
    project = corpus.projects.row(0, named=True)
    assert (project["name"], project["level"], project["budget_yuan"]) == ("公交运营补贴", "一级项目", 5_000_000.0)
    indicators = corpus.indicators
    assert indicators["prior_value"].to_list()[:3] == ["120", "100%", "≥95%"]
    assert indicators["annual_value"].to_list()[:3] == ["125", "100%", "≥98%"]
    early = indicators.filter(pl.col("name") == "新能源车辆占比").row(0, named=True)
    assert (early["level1"], early["level2"]) == ("效益指标", "生态效益指标")


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES.glob("*.txt")))
def test_nothing_lost_on_template(name):
    data = (TEMPLATES / name).read_bytes()
    assert unaccounted_cells(decode(data).text, load_documents([TEMPLATES / name])) == []


def _reencoded(encoding: str, newline: str, bom: bytes = b"") -> bytes:
    text = REFERENCE.read_text(encoding="utf-8").replace("\n", newline)
    return bom + text.encode(encoding)


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("utf8-crlf", _reencoded("utf-8", "\r\n")),
        ("utf8-bom", _reencoded("utf-8", "\n", codecs.BOM_UTF8)),
        ("gb18030-crlf", _reencoded("gb18030", "\r\n")),
        ("gbk", _reencoded("gbk", "\n")),
    ],
)
def test_encodings_and_line_endings_give_the_same_frames(label, data):
    expected = load_documents([REFERENCE])
    corpus = load_documents([(f"{label}.txt", data)])
    for name in ("projects", "indicators"):
        drop = ["project_id", "indicator_id"] if name == "indicators" else ["project_id", "document_id"]
        assert_frame_equal(getattr(corpus, name).drop(drop), getattr(expected, name).drop(drop))


def test_full_width_spaces_no_hashes_and_extra_empty_cells():
    text = REFERENCE.read_text(encoding="utf-8")
    text = text.replace("## 项目绩效目标表", "项目绩效目标表").replace("项目名称\t", "项目名称\t\t\u3000")
    corpus = load_documents([("variant.txt", text.encode())])
    assert corpus.projects.height == 15
    assert corpus.indicators.height == 172
    assert corpus.projects["name"][0] == "市人大代表履职经费"
