"""Tests for lib.review: the rules as data, every finding on the reference, a clean document, the CLI.

The reference findings were read one by one; each expected finding below
says why a budget reviewer would raise it, with the numbers that prove it.
A clean, consistent project raises nothing, and each single defect planted
in it raises exactly its rule.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from lib import i18n
from lib import review as rv
from lib.review.__main__ import main
from lib.loader import load_documents
from support import FIXTURES, REFERENCE


@pytest.fixture(scope="module")
def corpus():
    return load_documents([REFERENCE])


@pytest.fixture(scope="module")
def findings(corpus):
    return rv.review(corpus)


def _named(corpus, findings: pl.DataFrame) -> pl.DataFrame:
    """Findings with the project and indicator names, for readable assertions."""
    return findings.join(
        corpus.projects.select("project_id", pl.col("name").alias("project")),
        on="project_id",
        how="left",
    ).join(
        corpus.indicators.select("indicator_id", pl.col("name").alias("indicator")),
        on="indicator_id",
        how="left",
    )


def _one(corpus, findings, rule_id: str, *, project: str, indicator: str | None = None) -> dict:
    rows = _named(corpus, findings).filter((pl.col("rule_id") == rule_id) & (pl.col("project") == project))
    if indicator is not None:
        rows = rows.filter(pl.col("indicator") == indicator)
    assert rows.height == 1, f"{rule_id} {project} {indicator}: {rows.height} findings"
    return rows.row(0, named=True)


# ---------------------------------------------------------------- rules as data


def test_rules_are_data_with_one_check_each():
    ids = [r.id for r in rv.RULES]
    assert ids == sorted(set(ids))
    assert len(ids) >= 17  # DOMAIN.md's thirteen and four more
    for r in rv.RULES:
        assert r.severity in rv.SEVERITIES
        assert r.title_zh and r.title_en and r.checks and r.basis
        assert r.id in rv.REGISTRY and callable(rv.REGISTRY[r.id][1])
    # Rules marked (inferred) in DOMAIN.md rest on reviewers' practice, not on quoted text.
    inferred = {r.id: r.basis for r in rv.RULES if r.id in ("R04", "R05", "R09", "R10")}
    assert all("评审实践" in basis for basis in inferred.values())


def test_rule_rejects_an_unknown_severity_and_a_bad_id():
    with pytest.raises(ValueError, match="severity"):
        rv.Rule("R98", "严重", "t", "t", "c", "b")
    with pytest.raises(ValueError, match="R01"):
        rv.Rule("X1", "低", "t", "t", "c", "b")


def test_registering_an_id_twice_fails():
    spec = rv.RULES[0]
    with pytest.raises(ValueError, match="twice"):
        rv.rule(spec)(lambda frames: rv.finding_rows([]))


def test_rules_frame_in_both_languages():
    zh, en = rv.rules_frame(), rv.rules_frame("en")
    assert zh.schema == pl.Schema(rv.RULES_SCHEMA)
    assert en.schema == pl.Schema(rv.RULES_SCHEMA)
    assert zh["id"].to_list() == [r.id for r in rv.RULES]
    assert zh.filter(pl.col("id") == "R09")["title"].item() == "单价 × 数量超过预算"
    assert en.filter(pl.col("id") == "R09")["title"].item() == "Unit cost × quantity exceeds the budget"
    # Severity stays data (高/中/低) in both languages; pages label it through i18n.
    assert en["severity"].to_list() == zh["severity"].to_list()
    for severity, key in rv.SEVERITY_LABEL_KEYS.items():
        assert i18n.t(key) == severity
        assert i18n.t(key, "en") in ("High", "Medium", "Low")


# ---------------------------------------------------------------- the findings frame


def test_findings_frame_has_the_declared_schema(findings):
    assert findings.schema == pl.Schema(rv.FINDINGS)
    assert findings.columns == list(rv.FINDINGS)


def test_empty_corpus_gives_an_empty_frame_of_the_schema():
    empty = rv.review(load_documents([]))
    assert empty.height == 0
    assert empty.schema == pl.Schema(rv.FINDINGS)


def test_finding_ids_are_unique_stable_and_name_rule_and_subject(corpus, findings):
    assert findings["finding_id"].n_unique() == findings.height
    assert rv.review(corpus).equals(findings)
    for row in findings.iter_rows(named=True):
        subject = row["indicator_id"] or row["project_id"]
        assert re.fullmatch(rf"{row['rule_id']}:{re.escape(subject)}(:.+)?", row["finding_id"])
        # An indicator-level finding belongs to the indicator's project.
        if row["indicator_id"]:
            assert row["indicator_id"].startswith(row["project_id"] + "-")


def test_every_message_is_chinese_and_names_its_subject(corpus, findings):
    named = _named(corpus, findings)
    for row in named.iter_rows(named=True):
        assert re.search(r"[\u4e00-\u9fff]", row["message"])
        if row["indicator"]:
            assert row["indicator"] in row["message"] or row["indicator"] in (row["detail"] or "")


def test_review_applies_a_subset_of_rules(corpus):
    only = rv.review(corpus, rules=["R09", "R14"])
    assert set(only["rule_id"]) == {"R09", "R14"}
    with pytest.raises(ValueError, match="R99"):
        rv.review(corpus, rules=["R99"])


# ---------------------------------------------------------------- the reference, finding by finding

# Every finding on the reference, read one by one: (rule, severity, project,
# indicator or None for the project). Sorted as review() sorts them.
REFERENCE_FINDINGS = [
    ("R13", "低", "市人大代表履职经费", "助力推动建设高品质现代化都市"),
    ("R16", "低", "财政预算审查经费", None),
    ("R15", "低", "财政预算审查经费", "邀请财经咨询专家人次"),
    ("R15", "低", "人代会", "会议人数（人）"),
    ("R13", "低", "人代会", "助力推动建设高品质现代化都市"),
    ("R09", "高", "人代会", "费用标准"),
    ("R03", "低", "市人大常委会法制工作委员会专项经费", "立法基地数量"),
    ("R13", "低", "人大常委会和代表视察费", "助力推动建设高品质现代化都市"),
    ("R16", "低", "市人大代表和人大机关及基层人大干部培训专项经费", None),
    ("R07", "低", "市人大代表和人大机关及基层人大干部培训专项经费", "培训任务完成率"),
    ("R11", "低", "乡村振兴市直机关派出挂职工作人员工作性补贴资金", None),
    ("R03", "低", "东莞市人大常委会预算联网监督系统运营服务项目", "运维维护设施数量"),
    ("R12", "低", "东莞市人大常委会预算联网监督系统运营服务项目", "运维及时解决率"),
    ("R06", "低", "东莞市人大常委会预算联网监督系统运营服务项目", "节约人力管理成本"),
    ("R02", "中", "东莞市人大常委会预算联网监督系统运营服务项目", "市人大机关满意度"),
    ("R15", "中", "市人大常委会办公室“数字人大”运维项目", None),
    ("R03", "低", "市人大常委会办公室“数字人大”运维项目", "建设项目数量"),
    ("R04", "低", "市人大常委会办公室“数字人大”运维项目", "项目完成及时率"),
    ("R12", "低", "市人大常委会办公室“数字人大”运维项目", "项目完成及时率"),
    ("R04", "低", "市人大常委会办公室“数字人大”运维项目", "任务完成及时率"),
    ("R14", "中", "市人大常委会办公室“数字人大”运维项目", "提高工作效率"),
    ("R08", "中", "市人大常委会办公室“数字人大”运维项目", "预算控制数"),
    ("R15", "中", "人大代表联络站专项经费", None),
    ("R13", "低", "人大代表联络站专项经费", "助力推动建设高品质现代化都市"),
    ("R06", "中", "2026年市镇两级人大换届选举经费", "发挥人大职能工作达标率"),
    (
        "R17",
        "低",
        "2026年市镇两级人大换届选举经费",
        "落实人大行动，助推社会经济高质量发展（是/否）",
    ),
    ("R17", "低", "2026年市镇两级人大换届选举经费", "助力绿美东莞生态建设（是/否）"),
    ("R17", "低", "2026年市镇两级人大换届选举经费", "助力实施“百千万工程”（是/否）"),
    ("R10", "低", "2026年市镇两级人大换届选举经费", "社会公众满意程度"),
    ("R10", "低", "2026年市镇两级人大换届选举经费", "市人大常委会组成人员满意度"),
    ("R11", "低", "市人大常委会办公室“数字人大”升级改造项目", None),
    ("R03", "低", "市人大常委会办公室“数字人大”升级改造项目", "建设项目数量"),
    (
        "R17",
        "低",
        "市人大常委会办公室“数字人大”升级改造项目",
        "落实人大行动，助推社会经济高质量发展(是/否)",
    ),
    ("R06", "低", "市人大常委会办公室“数字人大”升级改造项目", "节约人力管理成本"),
    ("R10", "低", "市人大常委会办公室“数字人大”升级改造项目", "工作人员满意度"),
    ("R10", "低", "市人大常委会办公室“数字人大”升级改造项目", "市人大常委会组成人员满意度"),
    ("R10", "低", "市人大常委会办公室“数字人大”升级改造项目", "项目完成情况满意度(%)"),
    ("R11", "低", "购买社工服务经费", None),
    ("R16", "低", "购买社工服务经费", None),
    ("R03", "低", "购买社工服务经费", "购买社工岗位数量"),
]


def test_reference_findings_whole(corpus, findings):
    got = _named(corpus, findings).select("rule_id", pl.col("severity").cast(pl.String), "project", "indicator")
    assert got.rows() == REFERENCE_FINDINGS


def test_no_rule_fires_on_every_project_of_the_reference(corpus, findings):
    # A rule that flags every project tells a reviewer nothing.
    per_rule = findings.group_by("rule_id").agg(pl.col("project_id").n_unique().alias("projects"))
    assert per_rule["projects"].max() < corpus.projects.height
    # Consistent projects raise nothing: 离退休人员活动费 (12 activities, ≤100万元 =
    # budget) and 人大宣传工作专项经费 (新闻奖 3 per period, 1 a year, on an
    # ongoing project, is fine).
    named = _named(corpus, findings)
    assert named.filter(pl.col("project").is_in(["离退休人员活动费", "人大宣传工作专项经费"])).height == 0


def test_rendaihui_session_cost_exceeds_budget(corpus, findings):
    # 760元/天/人 × 950 人 × 3 天 = 2,166,000 元 > budget 1,976,800 元: the
    # stated standard and attendance cannot be paid from the approved money.
    f = _one(corpus, findings, "R09", project="人代会", indicator="费用标准")
    assert f["severity"] == "高"
    assert f["actual"] == pytest.approx(760 * 950 * 3) == pytest.approx(2_166_000)
    assert f["expected"] == pytest.approx(1_976_800)
    assert f["ratio"] == pytest.approx(2_166_000 / 1_976_800) == pytest.approx(1.0957, abs=1e-4)
    for shown in ("760元/天/人", "950 人", "3 天", "216.60 万元", "197.68 万元"):
        assert shown in f["message"]
    assert f["detail"] == "费用标准 × 会议人数（人） × 会议天数（天）"


@pytest.mark.parametrize(
    ("project", "product"),
    [
        # 1000元/人/年 × 发放代表人数 440 × 1 年 = 440,000 ≤ 1,416,000.
        ("市人大代表履职经费", 440_000),
        # 500元/次/人 × 邀请财经咨询专家人次 60 (人次 is people × times) = 30,000 ≤ 50,000.
        ("财政预算审查经费", 30_000),
        # 4000元/月/人 × 划拨对象人数 1 × 12 个月 = 48,000 = the budget exactly.
        ("乡村振兴市直机关派出挂职工作人员工作性补贴资金", 48_000),
    ],
)
def test_unit_costs_within_budget_raise_nothing(corpus, findings, project, product):
    budget = corpus.projects.filter(pl.col("name") == project)["budget_yuan"].item()
    assert product <= budget
    named = _named(corpus, findings)
    assert named.filter((pl.col("rule_id") == "R09") & (pl.col("project") == project)).height == 0


def test_training_rate_without_a_people_count_is_not_guessed(corpus, findings):
    # 550元/天/人 with only 培训期数 2: no people or days to multiply, so no finding.
    named = _named(corpus, findings)
    assert named.filter((pl.col("rule_id") == "R09") & pl.col("project").str.contains("培训")).height == 0


def test_digital_npc_period_cap_above_annual_budget(corpus, findings):
    # 预算控制数 and 维修维护费: period ≤46万元, annual ≤36.33万元 = the budget
    # 363,300. The project is ongoing (2025–2099), so "budget × years" cannot
    # excuse the period value; 46万 is the amount asked for, not approved.
    f = _one(corpus, findings, "R08", project="市人大常委会办公室“数字人大”运维项目")
    assert f["severity"] == "中"
    assert (f["expected"], f["actual"]) == (363_300, 460_000)
    assert f["ratio"] == pytest.approx(460_000 / 363_300)
    assert f["detail"] == "预算控制数、维修维护费"  # one question, not two
    for shown in ("≤46万元", "≤36.33万元", "2025–2099", "36.33 万元"):
        assert shown in f["message"]


def test_digital_npc_goal_states_the_requested_total(corpus, findings):
    # 年度目标: "项目总预算为46.001万元" against the approved 363,300 元;
    # it matches the period cap ≤46万元, so the text was not updated.
    f = _one(corpus, findings, "R15", project="市人大常委会办公室“数字人大”运维项目")
    assert f["indicator_id"] is None
    assert (f["expected"], f["actual"]) == (363_300, pytest.approx(460_010))
    assert "项目总预算为46.001万元" in f["message"]
    assert "实施周期值 46.00 万元一致" in f["message"]


def test_liaison_stations_goal_amount_differs_from_budget(corpus, findings):
    # "2026年共拨付111万元，用于全市32个镇（街道）人大代表联络站和3个人大代表行业联络站":
    # 111万 ≠ the 2026 budget 181万 (70万 unexplained). 32 + 3 = 35 = 发放代表联络站个数.
    f = _one(corpus, findings, "R15", project="人大代表联络站专项经费")
    assert (f["expected"], f["actual"]) == (1_810_000, 1_110_000)
    assert "少 70.00 万元" in f["message"]
    named = _named(corpus, findings)
    assert named.filter((pl.col("rule_id") == "R15") & (pl.col("indicator") == "发放代表联络站个数")).height == 0


def test_liaison_station_counts_that_do_not_add_up_are_raised():
    # The same sentence with 30 instead of 32: 30 + 3 = 33 ≠ 35.
    text = REFERENCE.read_text(encoding="utf-8").replace("全市32个镇", "全市30个镇")
    corpus = load_documents([("changed.txt", text.encode())])
    found = _named(corpus, rv.review(corpus, rules=["R15"])).filter(pl.col("indicator") == "发放代表联络站个数")
    assert sorted(found["actual"].to_list()) == [3.0, 30.0]
    assert set(found["expected"]) == {35.0}


def test_goal_counts_against_count_indicators(corpus, findings):
    # "会议应出席代表440人" against 会议人数（人） 950: the 950 drives R09's cost.
    f = _one(corpus, findings, "R15", project="人代会", indicator="会议人数（人）")
    assert (f["expected"], f["actual"], f["severity"]) == (950, 440, "低")
    # "新一届专家任内…邀请专家100人次" against 60 per period (and "每年预计邀请60人次").
    f = _one(corpus, findings, "R15", project="财政预算审查经费", indicator="邀请财经咨询专家人次")
    assert (f["expected"], f["actual"]) == (60, 100)


def test_goal_quantities_without_an_indicator(corpus, findings):
    f = _one(corpus, findings, "R16", project="购买社工服务经费")
    assert f["detail"] == "180次、100次、160次、16个"
    f = _one(corpus, findings, "R16", project="市人大代表和人大机关及基层人大干部培训专项经费")
    assert f["detail"] == "440人"  # 轮训440人, but only 培训期数 2 is an indicator
    f = _one(corpus, findings, "R16", project="财政预算审查经费")
    assert f["detail"] == "20人"  # 20位专家 / 共有20人; 60人次 and 2次 have indicators


def test_near_duplicate_efficiency_indicators(corpus, findings):
    # 工作效率提高 and 提高工作效率, both 社会效益 ≥95%: one target counted twice.
    f = _one(corpus, findings, "R14", project="市人大常委会办公室“数字人大”运维项目")
    assert f["detail"] == "工作效率提高、提高工作效率"
    assert "字相同、顺序不同" in f["message"]


def test_boilerplate_slogan_lists_its_four_projects(corpus, findings):
    rows = _named(corpus, findings).filter(pl.col("rule_id") == "R13")
    assert set(rows["indicator"]) == {"助力推动建设高品质现代化都市"}
    assert rows["actual"].to_list() == [4.0] * 4
    assert set(rows["detail"]) == {"市人大代表履职经费、人代会、人大常委会和代表视察费、人大代表联络站专项经费"}
    # Metric names shared by many projects (预算控制数 in 13) are not boilerplate.
    assert "预算控制数" not in set(rows["indicator"])


def test_satisfaction_row_without_annual_value(corpus, findings):
    f = _one(corpus, findings, "R02", project="东莞市人大常委会预算联网监督系统运营服务项目")
    assert f["severity"] == "中"
    assert "“市人大机关满意度”的年度值为空（实施周期值为 ≥90%）" == f["message"]


def test_percent_targets_of_100_with_ge(corpus, findings):
    rows = _named(corpus, findings).filter(pl.col("rule_id") == "R04")
    assert sorted(rows["indicator"]) == ["任务完成及时率", "项目完成及时率"]
    # ≥100% means 100%: a formulation error, not an impossible target.
    assert set(rows["severity"].cast(pl.String)) == {"低"}


def test_no_project_of_the_reference_misses_a_category(findings):
    # Checked by hand: every project has 产出, 效益, 满意度 and 成本 (购买社工服务经费's
    # 预算控制数 is its last row), and every 产出 has 数量, 质量 and 时效.
    assert findings.filter(pl.col("rule_id") == "R01").height == 0


def test_comparators_of_the_reference_point_the_right_way(findings):
    # Costs are ≤, rates and satisfaction ≥ or an exact 100%.
    assert findings.filter(pl.col("rule_id") == "R05").height == 0


def test_one_year_project_writes_1个_and_1_consistently(corpus, findings):
    # 换届选举 runs 2026–2026; 开展的项目数量（个） is "1个" per period and "1" per
    # year: the name states 个, so the two values agree.
    named = _named(corpus, findings)
    assert named.filter((pl.col("rule_id") == "R11") & pl.col("project").str.contains("换届")).height == 0


def test_finite_multi_year_projects_copy_their_cost_caps(corpus, findings):
    rows = _named(corpus, findings).filter(pl.col("rule_id") == "R11")
    assert rows["project"].to_list() == [
        "乡村振兴市直机关派出挂职工作人员工作性补贴资金",  # 2021–2029, ≤4.8万元 for 9 years
        "市人大常委会办公室“数字人大”升级改造项目",  # 2026–2027
        "购买社工服务经费",  # 2026–2027
    ]
    assert rows["indicator_id"].null_count() == 3
    assert "共 9 年" in rows["message"][0]


def test_category_and_format_findings(corpus, findings):
    # A rate given as a grade is 中: 达标率 can be a percentage.
    assert _one(corpus, findings, "R06", project="2026年市镇两级人大换届选举经费")["severity"] == "中"
    # 培训任务完成率 filed as 时效: a completion rate, not a time.
    assert _one(corpus, findings, "R07", project="市人大代表和人大机关及基层人大干部培训专项经费")["detail"] == "≥90%"
    # 项目完成及时率 filed under 质量指标 is timeliness.
    f = _one(corpus, findings, "R12", project="市人大常委会办公室“数字人大”运维项目")
    assert f["detail"] == "产出指标/质量指标"
    # （是/否） answered with 100% or 良好.
    rows = _named(corpus, findings).filter(pl.col("rule_id") == "R17")
    assert all("（是/否）" in m for m in rows["message"])
    # 100% satisfaction: above the usual 85–95%.
    assert set(_named(corpus, findings).filter(pl.col("rule_id") == "R10")["actual"]) == {100.0}


def test_quantities_without_a_unit_but_not_those_the_name_counts(corpus, findings):
    rows = _named(corpus, findings).filter(pl.col("rule_id") == "R03")
    assert sorted(rows["indicator"]) == sorted(
        ["立法基地数量", "运维维护设施数量", "建设项目数量", "建设项目数量", "购买社工岗位数量"]
    )
    # 会议人数（人）, 发放代表人数, 征订杂志份数, 培训期数: the name says what is counted.


# ---------------------------------------------------------------- a clean document and single defects

CLEAN = "\n".join(
    [
        "# 2026年东莞市示例局部门预算绩效目标批复情况",
        "",
        "## 项目绩效目标表",
        "",
        "项目名称\t年度工作会议经费",
        "项目类型\t其他特定目标类（部门职能类）",
        "项目等级\t二级项目",
        "主管部门\t东莞市示例局",
        "用款单位\t东莞市示例局",
        "实施周期\t起始年度\t2021\t到期年度\t2099",
        "2026年预算金额(元)\t250,000.00",
        "总体绩效目标\t实施周期总目标",
        "\t每年召开全市工作会议1次，会议规模200人，会期2天，部署年度重点工作。",
        "\t2026年度目标",
        "\t2026年召开全市工作会议1次，会议规模200人，会期2天，项目预算25万元。",
        "绩效指标\t一级指标\t二级指标\t三级指标\t实施周期指标值\t年度指标值",
        "\t产出指标\t数量指标\t召开会议次数\t1\t1",
        "\t\t\t会议人数（人）\t200\t200",
        "\t\t\t会议天数（天）\t2\t2",
        "\t\t质量指标\t会议出勤率\t≥95%\t≥95%",
        "\t\t时效指标\t会议按期召开率\t100%\t100%",
        "\t效益指标\t社会效益\t年度重点工作部署到位率\t≥95%\t≥95%",
        "\t满意度指标\t服务对象满意度\t参会人员满意度\t≥90%\t≥90%",
        "\t成本指标\t经济成本指标\t预算控制数\t≤25万元\t≤25万元",
        "\t\t\t费用标准\t500元/天/人\t500元/天/人",
        "",
    ]
)

_YEARS_2026_2027 = [("起始年度\t2021", "起始年度\t2026"), ("到期年度\t2099", "到期年度\t2027")]
_YEARS_2026_ONLY = [("起始年度\t2021", "起始年度\t2026"), ("到期年度\t2099", "到期年度\t2026")]

# name: (replacements in CLEAN, the rules that must fire and no other).
DEFECTS: dict[str, tuple[list[tuple[str, str]], set[str]]] = {
    "no_satisfaction": (
        [("\t满意度指标\t服务对象满意度\t参会人员满意度\t≥90%\t≥90%\n", "")],
        {"R01"},
    ),
    "placeholder": ([("会议出勤率\t≥95%\t≥95%", "会议出勤率\t≥95%\tXX")], {"R02"}),
    "quantity_without_unit": ([("召开会议次数\t1\t1", "会场布置数量\t1\t1")], {"R03"}),
    # The goal's "会议1次" then has no count indicator either.
    "quantity_as_a_word": ([("召开会议次数\t1\t1", "召开会议次数\t较多\t较多")], {"R03", "R16"}),
    "percent_ge_100": ([("会议出勤率\t≥95%\t≥95%", "会议出勤率\t≥100%\t≥100%")], {"R04"}),
    "percent_above_100": ([("会议出勤率\t≥95%\t≥95%", "会议出勤率\t≥105%\t≥105%")], {"R04"}),
    # Growth may exceed 100%: 110% growth is more than doubling, not an impossible rate.
    "growth_rate_above_100": (
        [("年度重点工作部署到位率\t≥95%\t≥95%", "参会人数同比增长率\t≥110%\t≥110%")],
        set(),
    ),
    # ... and "at least 100% growth" (doubling) is a target, not an impossible ≥100% rate.
    "growth_rate_at_100": (
        [("年度重点工作部署到位率\t≥95%\t≥95%", "参会人数同比增长率\t≥100%\t≥100%")],
        set(),
    ),
    "cost_floor": ([("预算控制数\t≤25万元\t≤25万元", "预算控制数\t≥25万元\t≥25万元")], {"R05"}),
    "rate_capped": ([("会议出勤率\t≥95%\t≥95%", "会议出勤率\t≤95%\t≤95%")], {"R05"}),
    "rate_without_comparator": ([("会议出勤率\t≥95%\t≥95%", "会议出勤率\t95%\t95%")], {"R05"}),
    "error_rate_floor": (
        [("年度重点工作部署到位率\t≥95%\t≥95%", "会议组织差错率\t≥5%\t≥5%")],
        {"R05"},
    ),
    # A count of accidents, like an error rate, should go down: "at least one accident" points the wrong way.
    "accident_count_floor": (
        [("年度重点工作部署到位率\t≥95%\t≥95%", "会议安全事故次数\t≥1次\t≥1次")],
        {"R05"},
    ),
    "vague_value": ([("会议出勤率\t≥95%\t≥95%", "会议出勤率\t显著提高\t显著提高")], {"R06"}),
    "timeliness_not_timely": (
        [("会议按期召开率\t100%\t100%", "会议组织完成率\t100%\t100%")],
        {"R07"},
    ),
    # A rate named after a deadline (期限) is timeliness.
    "timeliness_rate_named_by_its_deadline": (
        [("会议按期召开率\t100%\t100%", "会议通知期限遵守率\t100%\t100%")],
        set(),
    ),
    "cap_above_budget": (
        [("预算控制数\t≤25万元\t≤25万元", "预算控制数\t≤30万元\t≤30万元")],
        {"R08"},
    ),
    "cap_below_budget": (
        [("预算控制数\t≤25万元\t≤25万元", "预算控制数\t≤20万元\t≤20万元")],
        {"R08"},
    ),
    "ongoing_period_cap_above": (
        [("预算控制数\t≤25万元\t≤25万元", "预算控制数\t≤30万元\t≤25万元")],
        {"R08"},
    ),
    "two_year_period_cap_above_budget_times_years": (
        [*_YEARS_2026_2027, ("预算控制数\t≤25万元\t≤25万元", "预算控制数\t≤60万元\t≤25万元")],
        {"R08"},
    ),
    # ≤50万元 over 2026–2027 is 25万 a year: fine.
    "two_year_period_cap_within_budget_times_years": (
        [*_YEARS_2026_2027, ("预算控制数\t≤25万元\t≤25万元", "预算控制数\t≤50万元\t≤25万元")],
        set(),
    ),
    "one_year_period_cap_above": (
        [*_YEARS_2026_ONLY, ("预算控制数\t≤25万元\t≤25万元", "预算控制数\t≤30万元\t≤25万元")],
        {"R08", "R11"},
    ),
    "unit_cost_times_quantity": (
        [("费用标准\t500元/天/人\t500元/天/人", "费用标准\t700元/天/人\t700元/天/人")],
        {"R09"},
    ),
    "satisfaction_low": ([("参会人员满意度\t≥90%\t≥90%", "参会人员满意度\t≥80%\t≥80%")], {"R10"}),
    "satisfaction_100": ([("参会人员满意度\t≥90%\t≥90%", "参会人员满意度\t100%\t100%")], {"R10"}),
    # 85% and 95% are the usual range's own ends: inside it.
    "satisfaction_at_85": ([("参会人员满意度\t≥90%\t≥90%", "参会人员满意度\t≥85%\t≥85%")], set()),
    "satisfaction_at_95": ([("参会人员满意度\t≥90%\t≥90%", "参会人员满意度\t≥95%\t≥95%")], set()),
    "satisfaction_grade": (
        [("参会人员满意度\t≥90%\t≥90%", "参会人员满意度\t良好\t良好")],
        {"R06", "R10"},
    ),
    "annual_above_period": ([("召开会议次数\t1\t1", "召开会议次数\t1\t2")], {"R11"}),
    "one_year_values_differ": (
        [*_YEARS_2026_ONLY, ("会议出勤率\t≥95%\t≥95%", "会议出勤率\t≥95%\t≥98%")],
        {"R11"},
    ),
    "one_year_unit_only_in_name": (
        [*_YEARS_2026_ONLY, ("会议人数（人）\t200\t200", "会议人数（人）\t200人\t200")],
        set(),
    ),
    "two_year_period_copies_the_year": (_YEARS_2026_2027, {"R11"}),
    "satisfaction_under_outcome": (
        [("\t满意度指标\t服务对象满意度\t参会人员满意度", "\t\t\t参会人员满意度")],
        {"R12"},
    ),
    "timeliness_under_quality": ([("会议出勤率\t≥95%", "会议材料送达及时率\t≥95%")], {"R12"}),
    "reordered_duplicate": (
        [
            (
                "部署到位率\t≥95%\t≥95%\n",
                "部署到位率\t≥95%\t≥95%\n\t\t\t部署到位率年度重点工作\t≥95%\t≥95%\n",
            )
        ],
        {"R14"},
    ),
    # Four characters is the shortest name compared.
    "reordered_duplicate_of_four_characters": (
        [
            (
                "年度重点工作部署到位率\t≥95%\t≥95%\n",
                "部署到位\t≥95%\t≥95%\n\t\t\t到位部署\t≥95%\t≥95%\n",
            )
        ],
        {"R14"},
    ),
    "goal_amount_differs": ([("项目预算25万元", "项目预算30万元")], {"R15"}),
    # The tolerance is 0.5% of the 250,000 元 budget, 1,250 元: 2,000 元 off is
    # a different amount, 1,000 元 off is the same one rounded.
    "goal_amount_just_beyond_tolerance": ([("项目预算25万元", "项目预算25.2万元")], {"R15"}),
    "goal_amount_within_tolerance": ([("项目预算25万元", "项目预算25.1万元")], set()),
    "goal_count_differs": ([("每年召开全市工作会议1次", "每年召开全市工作会议3次")], {"R15"}),
    "goal_quantity_without_indicator": (
        [("项目预算25万元。", "项目预算25万元，印发会议材料500份。")],
        {"R16"},
    ),
    "yes_no_name_with_percent": (
        [("会议按期召开率\t100%\t100%", "会议按期召开（是/否）\t100%\t100%")],
        {"R17"},
    ),
}


def _load(text: str):
    return load_documents([("clean.txt", text.encode())])


def test_clean_project_raises_nothing():
    corpus = _load(CLEAN)
    # It parsed as written: one project, nine indicators, no loader complaints.
    assert (corpus.projects.height, corpus.indicators.height, corpus.diagnostics.height) == (
        1,
        9,
        0,
    )
    # 500元/天/人 × 200 人 × 2 天 = 200,000 ≤ 250,000; the goal's 1次/200人/2天/25万元 agree.
    assert rv.review(corpus).height == 0


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_each_defect_raises_its_rule_and_no_other(defect):
    replacements, expected = DEFECTS[defect]
    text = CLEAN
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    found = rv.review(_load(text))
    assert set(found["rule_id"]) == expected, found["message"].to_list()


def test_unit_cost_finding_carries_its_numbers():
    text = CLEAN.replace("费用标准\t500元/天/人\t500元/天/人", "费用标准\t700元/天/人\t700元/天/人")
    f = rv.review(_load(text)).row(0, named=True)
    assert (f["expected"], f["actual"], f["ratio"]) == (250_000, 280_000, pytest.approx(1.12))
    assert f["message"].startswith(
        "费用标准 700元/天/人 × 200 人（会议人数（人）） × 2 天（会议天数（天）） = 28.00 万元"
    )


def test_missing_month_count_assumes_twelve_months_and_says_so():
    text = (
        CLEAN.replace("费用标准\t500元/天/人\t500元/天/人", "补助标准\t2000元/月/人\t2000元/月/人")
        .replace("会议人数（人）\t200\t200", "补助对象人数\t20\t20")
        .replace("会议规模200人", "补助20人")
    )
    f = rv.review(_load(text), rules=["R09"]).row(0, named=True)
    # 2000 × 20 × 12 = 480,000 > 250,000; months were assumed, so 中 not 高.
    assert (f["actual"], f["severity"]) == (480_000, "中")
    assert "按 12 个月计" in f["message"]


def test_missing_cost_category_alone_is_medium_and_not_required_before_2021():
    text = CLEAN.replace(
        "\t成本指标\t经济成本指标\t预算控制数\t≤25万元\t≤25万元\n\t\t\t费用标准\t500元/天/人\t500元/天/人\n",
        "",
    )
    f = rv.review(_load(text), rules=["R01"])
    assert f["severity"].cast(pl.String).to_list() == ["中"]
    older = text.replace("2026年", "2020年")
    assert rv.review(_load(older), rules=["R01"]).height == 0


def test_cost_category_is_required_from_2021_on():
    # 财预〔2021〕101号 added 成本指标 from the 2021 budget on: 2021 itself needs it.
    text = CLEAN.replace(
        "\t成本指标\t经济成本指标\t预算控制数\t≤25万元\t≤25万元\n\t\t\t费用标准\t500元/天/人\t500元/天/人\n",
        "",
    ).replace("2026年", "2021年")
    corpus = _load(text)
    assert corpus.projects["budget_year"].to_list() == [2021]
    f = rv.review(corpus, rules=["R01"])
    assert f["severity"].cast(pl.String).to_list() == ["中"]
    assert f["detail"].to_list() == ["成本指标"]


def test_vague_value_lists_every_vague_word():
    # "显著提高" promises twice without measuring: both words are named.
    text = CLEAN.replace("会议出勤率\t≥95%\t≥95%", "会议出勤率\t显著提高\t显著提高")
    f = rv.review(_load(text), rules=["R06"]).row(0, named=True)
    assert f["detail"] == "显著、提高"
    assert "含糊词：显著、提高" in f["message"]


def test_satisfaction_filed_under_outcome_is_medium_and_says_where_it_belongs():
    text = CLEAN.replace("\t满意度指标\t服务对象满意度\t参会人员满意度", "\t\t\t参会人员满意度")
    f = rv.review(_load(text), rules=["R12"]).row(0, named=True)
    assert f["severity"] == "中"
    assert f["message"].endswith("按内容应属满意度指标")


def test_boilerplate_across_three_projects_of_one_document():
    slogan = "助力推动建设高品质现代化都市"
    header, body = CLEAN.split("## 项目绩效目标表", 1)
    project = "## 项目绩效目标表" + body.replace("年度重点工作部署到位率", slogan)
    text = header + "".join(project.replace("年度工作会议经费", f"第{i}次工作会议经费") for i in (1, 2, 3))
    found = rv.review(_load(text))
    assert set(found["rule_id"]) == {"R13"}
    assert found.height == 3
    assert found["detail"].to_list() == ["第1次工作会议经费、第2次工作会议经费、第3次工作会议经费"] * 3


def test_single_value_column_template_is_not_missing_its_period_values():
    # form_a has one 指标值 column: every period value is empty by design.
    corpus = load_documents([FIXTURES / "templates" / "form_a_single_value_wan.txt"])
    assert corpus.indicators["period_value"].null_count() == corpus.indicators.height
    assert rv.review(corpus, rules=["R02"]).height == 0


# ---------------------------------------------------------------- command line


def test_cli_json_prints_findings_and_rules(capsys):
    assert main(["--json", str(REFERENCE)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"findings", "rules"}
    assert len(payload["findings"]) == len(REFERENCE_FINDINGS)
    assert set(payload["findings"][0]) == set(rv.FINDINGS)
    assert [r["id"] for r in payload["rules"]] == [r.id for r in rv.RULES]
    assert set(payload["rules"][0]) == set(rv.RULES_SCHEMA)


def test_cli_defaults_to_data_directory(capsys):
    assert main(["--rules", "R09"]) == 0
    out = capsys.readouterr().out
    assert "216.60 万元" in out
    assert out.rstrip().endswith("1 findings, 15 projects")


def test_python_m_lib_review_prints_json_and_no_warning():
    # The package must not import its __main__: runpy would then warn on stderr.
    done = subprocess.run(
        [sys.executable, "-m", "lib.review", str(REFERENCE), "--json", "--rules", "R09"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert [f["rule_id"] for f in json.loads(done.stdout)["findings"]] == ["R09"]


def test_cli_exit_codes(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main([str(empty)]) == 1
    assert main([str(tmp_path / "missing.txt")]) == 2
    assert main(["--lang", "fr"]) == 2
    assert main(["--rules", "R99"]) == 2
    capsys.readouterr()
