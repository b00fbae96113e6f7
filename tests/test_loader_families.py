"""Table families of the genre (DOMAIN.md, "More families seen in published tables"), read by their own readers."""

from __future__ import annotations

import polars as pl
import pytest

from lib.loader import load_documents
from lib.ingest.text import decode
from support import FIXTURES, unaccounted_cells, shown

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
    """The diagnostics of ``code`` as one line each, place first (``file:line: message``)."""
    return shown(corpus.diagnostics.filter(pl.col("code") == code))


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
    assert (project["goal_period"], project["goal_annual"]) == (
        "建成覆盖全市的空气质量自动监测网络。",
        "完成监测站点建设和运维。",
    )
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
    assert corpus.projects["goal_annual"].to_list() == [
        "开展文化惠民演出，丰富群众文化生活。",
        "举办全民健身赛事，提高群众参与度。",
    ]
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
    assert (header["source"], header["message"][:7]) == ("unknown_table.txt", "第 1 个表格")
    rows = corpus.diagnostics.filter(pl.col("code") == "unknown_table_row")
    assert rows["line"].to_list() == [6, 7]
    assert shown(rows) == [
        "unknown_table.txt:6: 第 1 个表格第 6 行（未读取）：1 | 清淤河道长度 | 20公里 | 2021年10月",
        "unknown_table.txt:7: 第 1 个表格第 7 行（未读取）：2 | 清淤土方量 | 8万立方米 | 2021年12月",
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in FAMILIES.glob("*.txt")))
def test_nothing_lost_and_nothing_unclassified_on_family(name):
    corpus = _load(name)
    assert unaccounted_cells(decode((FAMILIES / name).read_bytes()).text, corpus) == []
    assert "未分类" not in corpus.indicators["level1"].cast(pl.String).to_list()
    assert "internal_error" not in corpus.diagnostics["code"].to_list()


def test_department_wide_table_is_one_project_typed_department_with_breakdown_tasks_and_duties():
    corpus = _load("department_whole_expenditure.txt")
    document = corpus.documents.row(0, named=True)
    assert (document["year"], document["department"]) == (2021, "东莞市档案馆")
    assert _projects(corpus) == [("部门整体支出", 12_864_000.0, "东莞市档案馆", 2021, None, None)]
    project = corpus.projects.row(0, named=True)
    assert (project["type"], project["department"], project["budget_raw"]) == (
        "部门整体支出",
        "东莞市档案馆",
        "1,286.40",
    )
    assert project["goal_period"] == "负责全市档案事业的统筹规划和组织协调，集中统一管理市直单位档案。"
    assert project["goal_annual"] == (
        "档案接收进馆：接收市直单位到期档案进馆。\n馆藏档案数字化：完成馆藏纸质档案数字化加工。\n完成档案接收和数字化任务，提升档案公共服务水平。"
    )
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "接收进馆档案数量", None, "≥3万卷", None, None),
        ("产出指标", "数量指标", "档案数字化页数", None, "≥200万页", None, None),
        ("产出指标", "质量指标", "数字化成果验收合格率", None, "≥98%", None, None),
        ("产出指标", "时效指标", "档案接收完成时间", None, "2021年12月底前", None, None),
        ("效益指标", "社会效益指标", "档案利用服务人次", None, "≥5000人次", None, None),
        ("满意度指标", "服务对象满意度指标", "档案利用者满意度", None, "≥90%", None, None),
        ("成本指标", "经济成本指标", "档案数字化单页成本", None, "≤0.6元/页", None, None),
    ]
    # 其中 rows under a total are its breakdown, kept, never added to it.
    assert _diagnostics(corpus, "budget_source") == [
        "department_whole_expenditure.txt:4: 资金来源「其中：基本支出」：946.40万元（9,464,000.00 元）",
        "department_whole_expenditure.txt:5: 资金来源「项目支出」：340.00万元（3,400,000.00 元）",
    ]
    assert "budget_from_sources" not in corpus.diagnostics["code"].to_list()
    assert not {"no_indicators", "unrecognised_row"} & set(corpus.diagnostics["code"].to_list())


def test_department_table_under_a_document_title_with_budget_labels_over_a_row_of_amounts():
    corpus = _load("department_budget_columns.txt")
    assert _projects(corpus) == [("部门整体支出", 23_500_000.0, "东莞市科学技术局", 2023, None, None)]
    # The document title and the table title above it name one table: one project, at the first.
    assert corpus.projects.select("line", "type").rows() == [(1, "部门整体支出")]
    assert corpus.projects["goal_annual"].to_list() == [
        "1. 实施重点领域研发计划\n2. 培育高新技术企业\n科技创新能力持续提升。"
    ]
    assert [message.split("：", 1)[0] for message in _diagnostics(corpus, "budget_source")] == [
        "department_budget_columns.txt:5: 资金来源「财政拨款」",
        "department_budget_columns.txt:5: 资金来源「其他资金」",
    ]
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "立项支持研发项目数", None, "≥60项", None, None),
        ("效益指标", "经济效益指标", "新增高新技术企业数", None, "≥300家", None, None),
        ("满意度指标", "服务对象满意度指标", "企业满意度", None, "≥90%", None, None),
    ]


def test_department_two_level_table_budget_summed_from_sources_counting_a_subtotal_once():
    corpus = _load("department_two_level_sources.txt")
    assert _projects(corpus) == [("部门（单位）整体支出", 5_500_000.0, "东莞图书馆", 2022, None, None)]
    assert corpus.projects.select("type", "department", "budget_raw").rows() == [("部门整体支出", "东莞图书馆", None)]
    summed = corpus.diagnostics.filter(pl.col("code") == "budget_from_sources")
    assert list(zip(summed["severity"], shown(summed))) == [
        (
            "info",
            "department_two_level_sources.txt:1: 表格没有预算总额，按资金来源合计为 5,500,000.00 元（一般公共预算、政府性基金是小计的明细，未重复计入）",
        )
    ]
    assert _indicators(corpus) == [
        ("产出指标", "未分类", "年度借阅人次", None, "≥150万人次", None, None),
        ("产出指标", "未分类", "新增馆藏图书", None, "≥5万册", None, None),
        ("效益指标", "未分类", "阅读推广活动覆盖人数", None, "≥20万人", None, None),
        ("满意度指标", "服务对象满意度指标", "读者满意度", None, "≥90%", None, None),
        ("成本指标", "经济成本指标", "图书采购单册成本", None, "≤45元/册", None, None),
    ]


def test_two_level_table_files_level_2_by_default_or_unclassified_never_guessed_from_the_name():
    corpus = _load("two_level_free_text_budget.txt")
    assert _projects(corpus) == [("农村公路养护工程", 6_000_000.0, "东莞市公路事务中心", 2022, 2022, 2024)]
    assert _indicators(corpus) == [
        ("产出指标", "未分类", "养护农村公路里程", None, "≥320公里", 20.0, None),
        ("产出指标", "未分类", "危桥改造数量", None, "4座", 15.0, None),
        ("产出指标", "未分类", "养护工程验收合格率", None, "≥95%", 15.0, None),
        ("效益指标", "未分类", "公路优良路率", None, "≥85%", 20.0, None),
        ("满意度指标", "服务对象满意度指标", "沿线群众满意度", None, "≥90%", 15.0, None),
        ("成本指标", "经济成本指标", "每公里养护成本", None, "≤1.2万元/公里", 15.0, None),
    ]
    no_level2 = corpus.diagnostics.filter(pl.col("code") == "no_level2")
    assert no_level2.select("line", "severity").rows() == [(9, "info"), (12, "info"), (13, "info"), (14, "info")]
    assert (
        shown(no_level2)[0]
        == "two_level_free_text_budget.txt:9: 表格只有指标类型一列，没有二级指标：「产出指标」下的指标二级记为「未分类」"
    )
    # The description column is kept with its indicator.
    assert (
        _diagnostics(corpus, "indicator_note")[0]
        == "two_level_free_text_budget.txt:9: 指标「养护农村公路里程」的备注：完成得满分，每少10公里扣1分"
    )
    assert not {"unclassified", "unknown_table", "extra_cell"} & set(corpus.diagnostics["code"].to_list())


def test_budget_as_free_text_is_its_leading_amount_with_the_breakdown_kept():
    corpus = _load("two_level_free_text_budget.txt")
    assert corpus.projects["budget_raw"].to_list() == ["600万(其中：市级财政资金400万元，区级配套200万元)"]
    assert _diagnostics(corpus, "budget_free_text") == [
        "two_level_free_text_budget.txt:6: 预算金额写作文字「600万(其中：市级财政资金400万元，区级配套200万元)」，读作 6,000,000.00 元；"
        "其中 市级财政资金 4,000,000.00 元；区级配套 2,000,000.00 元"
    ]
    assert "no_budget" not in corpus.diagnostics["code"].to_list()


def test_group_labels_above_two_full_blocks_tag_long_term_and_annual():
    corpus = _load("horizons_group_row_above.txt")
    assert _projects(corpus) == [("东江饮用水源保护", 4_500_000.0, "东莞市水资源保护中心", 2022, 2022, 2024)]
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "水质监测断面数量", "12个", "12个", None, None),
        ("产出指标", "质量指标", "水质监测数据有效率", "≥95%", None, None, None),
        ("产出指标", "时效指标", "水源地巡查频次", None, "每周1次", None, None),
        ("效益指标", "生态效益指标", "水源地水质达标率", "100%", "100%", None, None),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "≥90%", None, None),
    ]
    assert _diagnostics(corpus, "horizon_groups") == [
        "horizons_group_row_above.txt:8: 表头上方的分组：长期绩效指标 | 年度绩效指标"
    ]
    assert not {"horizon_by_order", "unrecognised_row"} & set(corpus.diagnostics["code"].to_list())
    assert corpus.projects["goal_period"].to_list() == ["三年内饮用水源地水质稳定达标。"]


def test_mid_term_and_annual_blocks_under_group_labels_and_mid_term_money_is_not_the_budget():
    corpus = _load("horizons_mid_term_annual.txt")
    assert _projects(corpus) == [("城乡供水一体化改造", 8_000_000.0, "东莞市供水事务中心", 2021, 2021, 2023)]
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "改造供水管网长度", "≥120公里", "≥40公里", None, None),
        ("产出指标", "质量指标", "管网漏损率", "≤10%", "≤12%", None, None),
        ("产出指标", "时效指标", "改造完成时间", "2023年底前", None, None, None),
        ("产出指标", "时效指标", "首期改造完成时间", None, "2021年12月底前", None, None),
        ("效益指标", "社会效益指标", "受益人口", "≥30万人", "≥10万人", None, None),
        ("满意度指标", "服务对象满意度指标", "用户满意度", "≥90%", "≥90%", None, None),
    ]
    assert _diagnostics(corpus, "budget_period") == [
        "horizons_mid_term_annual.txt:7: 实施周期资金「中期资金总额」：2,000（20,000,000.00 元），不是年度预算，未计入"
    ]
    assert "horizon_by_order" not in corpus.diagnostics["code"].to_list()


def test_expected_output_and_effect_blocks_are_each_their_own_annual_indicator():
    corpus = _load("horizons_output_effect_blocks.txt")
    assert _projects(corpus) == [("社区居家养老服务补贴", 3_000_000.0, "东莞市民政局", 2019, None, None)]
    assert _indicators(corpus) == [
        ("产出指标", "数量指标", "服务老人人数", None, "≥3000人", None, None),
        ("效益指标", "社会效益指标", "困难老人生活质量", None, "明显改善", None, None),
        ("产出指标", "质量指标", "服务合格率", None, "≥95%", None, None),
        ("效益指标", "可持续影响指标", "服务机制", None, "长效运行", None, None),
        ("产出指标", "时效指标", "补贴发放及时率", None, "100%", None, None),
        # Satisfaction under 效果指标 (older forms) is filed under its own level 1.
        ("满意度指标", "服务对象满意度指标", "老人满意度", None, "≥90%", None, None),
    ]
    assert corpus.indicators["level1_raw"].to_list()[:2] == ["预期产出指标", "效果指标"]
    assert "horizon_by_order" not in corpus.diagnostics["code"].to_list()


def _text(text: str):
    return load_documents([("t.txt", text.encode())])


def test_nature_cell_saying_qualitative_is_no_part_of_the_value():
    corpus = _text(
        "单位名称\t项目名称\t项目金额(万元)\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重\t指标方向\n"
        "东莞市教育局\t教师培训经费\t10\t产出指标\t质量指标\t培训质量\t定性\t优\t\t50\t正向\n"
    )
    assert _indicators(corpus) == [("产出指标", "质量指标", "培训质量", None, "优", 50.0, "正向")]


@pytest.mark.parametrize("trailing", ["", "\t\t"], ids=["as-web-pages-and-workbooks-write-it", "with-empty-cells"])
def test_merged_value_header_that_ends_the_header_row_still_joins_operator_number_and_unit(trailing):
    corpus = _text(
        "项目名称\t教师培训经费\n项目资金(万元)\t10\n"
        f"年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值{trailing}\n"
        "年度绩效指标\t产出指标\t数量指标\t培训人数\t≥\t300\t人\n"
    )
    assert _indicators(corpus) == [("产出指标", "数量指标", "培训人数", None, "≥300人", None, None)]
    assert "extra_cell" not in corpus.diagnostics["code"].to_list()


def test_horizon_half_empty_on_the_row_of_a_shared_level1_keeps_that_level1_for_its_next_rows():
    corpus = _text(
        "项目名称\t教师培训经费\n年度预算金额(万元)\t10\n"
        "一级指标\t二级指标(长期)\t三级指标(长期)\t指标值(长期)\t二级指标(年度)\t三级指标(年度)\t指标值(年度)\n"
        "产出指标\t数量指标\t培训人次\t300\t数量指标\t培训人次\t100\n"
        "效益指标\t\t\t\t社会效益指标\t培训后就业率\t≥80%\n"
        "\t社会效益指标\t长期就业率\t≥60%\t\t\t\n"
    )
    rows = corpus.indicators.select("level1_raw", "level2", "name", "period_value").rows()
    assert rows[-1] == ("效益指标", "社会效益指标", "长期就业率", "≥60%")


_UNIT_ROW = "单位名称\t东莞市教师发展中心\n"
_DEPARTMENT_ROW = "主管部门\t东莞市教育局\n"


@pytest.mark.parametrize("keys", [_UNIT_ROW + _DEPARTMENT_ROW, _DEPARTMENT_ROW + _UNIT_ROW], ids=["after", "before"])
def test_department_row_after_the_unit_row_is_the_department_not_the_unit(keys):
    corpus = _text(
        "部门（单位）整体支出绩效目标申报表\n"
        f"{keys}"
        "部门预算总额（万元）\t120.00\n"
        "一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t培训人次\t≥300人次\n"
    )
    assert corpus.projects.select("department", "unit").rows() == [("东莞市教育局", "东莞市教师发展中心")]
    assert "repeated_field" not in corpus.diagnostics["code"].to_list()


def test_task_line_naming_the_budget_is_a_task_not_a_budget_row():
    corpus = _text(
        "2021年东莞市财政局部门整体支出绩效目标表\n"
        "部门名称\t东莞市财政局\n"
        "部门预算总额（万元）\t1,200.00\n"
        "年度主要任务\t1. 持续做好政府采购监管工作\n"
        "\t2. 持续做好预算绩效管理工作\n"
        "\t3. 统筹推进国库集中支付工作\n"
        "年度总体目标\t提升财政管理水平。\n"
        "一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t培训人次\t≥300人次\n"
    )
    assert corpus.projects.select("department", "budget_yuan", "budget_raw", "goal_annual").rows() == [
        (
            "东莞市财政局",
            12_000_000.0,
            "1,200.00",
            "1. 持续做好政府采购监管工作\n2. 持续做好预算绩效管理工作\n3. 统筹推进国库集中支付工作\n提升财政管理水平。",
        )
    ]
    assert not {"unrecognised_row", "budget_extra"} & set(corpus.diagnostics["code"].to_list())


def test_task_table_row_naming_the_funds_is_a_task_not_a_budget_row():
    corpus = _text(
        "2021年东莞市财政局部门整体支出绩效目标表\n"
        "部门名称\t东莞市财政局\n"
        "部门预算总额（万元）\t1,200.00\n"
        "年度主要任务\t任务名称\t主要内容\n"
        "\t财政资金监管\t开展财政资金使用情况检查。\n"
        "\t预算绩效管理\t完成重点项目预算绩效评价。\n"
        "年度总体目标\t提升财政管理水平。\n"
        "一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标\t数量指标\t培训人次\t≥300人次\n"
    )
    assert corpus.projects.select("budget_yuan", "goal_annual").rows() == [
        (
            12_000_000.0,
            "财政资金监管：开展财政资金使用情况检查。\n预算绩效管理：完成重点项目预算绩效评价。\n提升财政管理水平。",
        )
    ]
    assert not {"unrecognised_row", "budget_extra", "budget_source"} & set(corpus.diagnostics["code"].to_list())
