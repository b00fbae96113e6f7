"""Table families of the genre (DOMAIN.md, "More families seen in published tables"), read by their own readers."""

from __future__ import annotations

import polars as pl
import pytest

from lib.loader import load_documents
from lib.text import decode
from support import FIXTURES, unaccounted_cells

FAMILIES = FIXTURES / "families"

PROJECT_COLUMNS = ("name", "budget_yuan", "unit", "budget_year", "start_year", "end_year")
INDICATOR_COLUMNS = ("level1", "level2", "name", "period_value", "annual_value", "weight", "direction")


def _load(name: str):
    return load_documents([FAMILIES / name])


def _projects(corpus) -> list[tuple]:
    return corpus.projects.select(PROJECT_COLUMNS).rows()


def _indicators(corpus) -> list[tuple]:
    return corpus.indicators.select(INDICATOR_COLUMNS).rows()


def _diagnostics(corpus, code: str) -> list[str]:
    return corpus.diagnostics.filter(pl.col("code") == code)["message"].to_list()


def test_title_line_naming_the_table_is_the_document_title_not_a_project():
    corpus = _load("title_line_signoff_value_with_unit.txt")
    document = corpus.documents.row(0, named=True)
    assert document["title"] == "2021年东莞市城市管理和综合执法局项目支出绩效目标申报表(2021年度)"
    assert (document["year"], document["department"]) == (2021, "东莞市城市管理和综合执法局")
    assert _projects(corpus) == [
        ("市容环境整治专项经费", 2_600_000.0, "东莞市城市管理和综合执法局", 2021, 2021, 2023),
        ("城市照明设施维护经费", 850_000.0, "东莞市城市照明管理处", 2021, 2021, 2021),
    ]
    # A repeated document title followed by the table name starts one project, at the table name.
    assert corpus.projects["line"].to_list() == [1, 21]
    assert "no_name" not in corpus.diagnostics["code"].to_list()


def test_value_with_unit_column_is_read_once_and_sign_off_rows_are_never_indicators():
    corpus = _load("title_line_signoff_value_with_unit.txt")
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "整治道路长度", None, "≥ 35公里", None, None),
        ("产出指标", "数量指标", "购置环卫车辆", None, "10辆", None, None),
        ("产出指标", "质量指标", "整治验收合格率", None, "≥95%", None, None),
        ("产出指标", "时效指标", "完成时间", None, "2021年12月底前", None, None),
        ("效益指标", "社会效益指标", "市容投诉下降率", None, "≥10%", None, None),
        ("满意度指标", "服务对象满意度指标", "市民满意度", None, "≥90%", None, None),
        ("成本指标", "经济成本指标", "预算控制数", None, "≤260万元", None, None),
        ("产出指标", "数量指标", "维护路灯数量", None, "≥12000盏", None, None),
        ("产出指标", "质量指标", "亮灯率", None, "≥98%", None, None),
        ("效益指标", "社会效益指标", "夜间出行安全保障", None, "有效保障", None, None),
        ("满意度指标", "服务对象满意度指标", "市民满意度", None, "≥90%", None, None),
    ]
    signoff = corpus.diagnostics.filter(pl.col("code") == "signoff")
    assert signoff["line"].to_list() == [17, 18, 33, 34]
    assert set(signoff["severity"].to_list()) == {"info"}
    assert "填报人：李明 | 联系电话：0769-22830000 | 填报日期：2021年1月15日" in signoff["message"][1]


def test_operator_number_and_unit_under_a_two_row_header_with_pre_2021_names_and_scores():
    corpus = _load("split_operator_two_row_header.txt")
    document = corpus.documents.row(0, named=True)
    assert (document["year"], document["department"]) == (2021, "东莞市卫生健康局")
    assert _projects(corpus) == [("基层卫生人员培训", 485_000.0, "东莞市卫生健康局", 2021, None, None)]
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "培训人次", None, "≧600人次", 20.0, "正向"),
        ("产出指标", "质量指标", "培训考核合格率", None, ">=95%", 20.0, "正向"),
        ("产出指标", "时效指标", "培训完成时间", None, "<=12月", 10.0, "正向"),
        # 成本指标(0-20)分: a score annotation on the pre-2021 cost category under 产出.
        ("产出指标", "成本指标", "人均培训成本", None, "≦800元/人", 20.0, "反向"),
        ("效益指标", "社会效益指标", "基层诊疗能力", None, "=提升", 10.0, "正向"),
        ("满意度指标", "服务对象满意度指标", "参训人员满意度", None, "≥90%", 10.0, "正向"),
    ]
    parsed = corpus.indicators.select("annual_op", "annual_number", "annual_unit").rows()
    assert [parsed[0], parsed[1], parsed[3]] == [("≥", 600.0, "人次"), ("≥", 95.0, "%"), ("≤", 800.0, "元/人")]
    assert corpus.indicators["level1_raw"].to_list()[0] == "项目完成指标"


def test_lead_label_column_on_every_row_and_value_split_under_a_merged_header():
    corpus = _load("lead_label_merged_value.txt")
    assert _projects(corpus) == [
        ("退役军人就业创业培训", 1_200_000.0, "东莞市退役军人事务局", 2021, None, None),
        ("退役军人优待证制发", 350_000.0, "东莞市退役军人事务局", 2021, None, None),
    ]
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "培训人数", None, "≥300人", None, None),
        ("产出指标", "质量指标", "培训合格率", None, "≥95%", None, None),
        ("产出指标", "时效指标", "培训完成时限", None, "2021年11月底前", None, None),
        ("效益指标", "社会效益指标", "培训后就业率", None, "≥80%", None, None),
        ("满意度指标", "服务对象满意度指标", "学员满意度", None, "≥90%", None, None),
        ("成本指标", "经济成本指标", "人均培训费用", None, "≤4000元", None, None),
        ("产出指标", "数量指标", "制发优待证数量", None, "≥20000张", None, None),
        ("产出指标", "时效指标", "制发周期", None, "≤30天", None, None),
        ("满意度指标", "服务对象满意度指标", "申领人满意度", None, "≥90%", None, None),
    ]
    assert not {"extra_cell", "shifted_row", "unclassified"} & set(corpus.diagnostics["code"].to_list())


def test_long_term_and_annual_halves_are_one_indicator_when_named_alike_else_two():
    corpus = _load("horizons_long_term_annual.txt")
    assert _projects(corpus) == [("大气环境质量监测", 3_000_000.0, "东莞市环境监测中心站", 2021, 2021, 2023)]
    project = corpus.projects.row(0, named=True)
    assert (project["goal_period"], project["goal_annual"]) == ("建成覆盖全市的空气质量自动监测网络。", "完成监测站点建设和运维。")
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "监测站点数量", "30个", "10个", None, None),
        ("产出指标", "质量指标", "数据有效率", "≥90%", "≥90%", None, None),
        # Only the annual half is filled: an annual indicator, no period value invented.
        ("产出指标", "时效指标", "数据上报及时率", None, "100%", None, None),
        ("产出指标", "时效指标", "网络建成时间", "2023年底前", None, None, None),
        # Different names: two indicators, each with the value of its own horizon.
        ("效益指标", "生态效益指标", "空气质量优良率", "≥85%", None, None, None),
        ("效益指标", "生态效益指标", "空气质量优良天数比例", None, "≥83%", None, None),
        ("满意度指标", "服务对象满意度指标", "公众满意度", "≥85%", "≥85%", None, None),
    ]


def test_flat_table_one_row_per_indicator_with_department_subtotal_and_blank_repeats():
    corpus = _load("flat_one_row_per_indicator.txt")
    document = corpus.documents.row(0, named=True)
    assert (document["year"], document["department"]) == (2021, "东莞市文化广电旅游体育局")
    assert _projects(corpus) == [
        ("公共文化服务专项", 2_600_000.0, "东莞市文化广电旅游体育局", 2021, None, None),
        ("全民健身赛事补助", 1_250_000.0, "东莞市文化广电旅游体育局", 2021, None, None),
    ]
    assert corpus.projects["line"].to_list() == [4, 9]
    assert corpus.projects["goal_annual"].to_list() == ["开展文化惠民演出，丰富群众文化生活。", "举办全民健身赛事，提高群众参与度。"]
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "文化惠民演出场次", None, "≥120场", 20.0, "正向"),
        ("产出指标", "质量指标", "演出验收合格率", None, "＝100%", 20.0, "正向"),
        ("效益指标", "社会效益指标", "惠及群众人次", None, "≥10万人次", 30.0, "正向"),
        ("满意度指标", "服务对象满意度指标", "观众满意度", None, "≥90%", 20.0, "正向"),
        ("成本指标", "经济成本指标", "单场演出成本", None, "≤2万元", 10.0, "反向"),
        ("产出指标", "数量指标", "举办赛事数量", None, "≥15场", 40.0, "正向"),
        ("效益指标", "社会效益指标", "参赛人数", None, "≥5000人", 40.0, "正向"),
        ("满意度指标", "服务对象满意度指标", "参赛者满意度", None, "≥85%", 20.0, "正向"),
    ]
    subtotal = corpus.diagnostics.filter(pl.col("code") == "department_subtotal")
    assert subtotal.select("line", "severity").rows() == [(3, "info")]
    assert "385.00" in subtotal["message"][0]
    assert _diagnostics(corpus, "signoff")


def test_table_fitting_no_family_is_kept_in_diagnostics_naming_table_and_row():
    corpus = _load("unknown_table.txt")
    assert corpus.projects["name"].to_list() == ["河道清淤工程"]
    assert corpus.indicators.is_empty()
    header = corpus.diagnostics.filter(pl.col("code") == "unknown_table").row(0, named=True)
    assert (header["line"], header["severity"]) == (5, "warning")
    assert header["message"].startswith("unknown_table.txt:5: 第 1 个表格")
    rows = corpus.diagnostics.filter(pl.col("code") == "unknown_table_row")
    assert rows["line"].to_list() == [6, 7]
    assert rows["message"].to_list() == [
        "unknown_table.txt:6: 第 1 个表格第 6 行（未读取）：1 | 清淤河道长度 | 20公里 | 2021年10月",
        "unknown_table.txt:7: 第 1 个表格第 7 行（未读取）：2 | 清淤土方量 | 8万立方米 | 2021年12月",
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in FAMILIES.glob("*.txt")))
def test_nothing_lost_and_nothing_unclassified_on_family(name):
    corpus = _load(name)
    assert unaccounted_cells(decode((FAMILIES / name).read_bytes()).text, corpus) == []
    assert "未分类" not in corpus.indicators["level1"].cast(pl.String).to_list()
    assert "internal_error" not in corpus.diagnostics["code"].to_list()
