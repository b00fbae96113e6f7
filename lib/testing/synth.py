"""Deterministic synthetic 部门预算绩效目标 documents, with the truth they encode.

The parser is tested against one real document (``data/000_*.txt``); that is
too little to measure speed and too little to catch the layout quirks of the
genre (DOMAIN.md, "Layout quirks seen in the genre"). This module writes
documents in exactly the reference's text format -- TAB-separated cells, six
cells per table row, merged cells as empty cells -- from a vocabulary taken
from the reference, and returns alongside each document a :class:`Truth`:
what a correct parser must find in it (project names, budgets, every
indicator with its canonical 一级/二级 category from :mod:`lib.schema`).

Everything is driven by ``random.Random`` seeded from the arguments, so the
same call always returns the same text, on every platform and Python version
``random`` keeps its seeding stable for (string seeds are hashed with
SHA-512, not ``hash()``).

Layout quirks are opt-out (``quirks=False``) or selectable by name with a
rate, so a parser test can force one quirk onto every project::

    text, truth = generate_document_with_truth(
        20, seed=1, quirks={"level2_before_level1": 1.0}
    )

Quirk decisions come from their own random stream, so the same seed with
and without quirks gives the same projects (names, budgets, indicator names
and values); only what a quirk changes differs. A parser's output on the
quirky text can therefore be compared with its output on the clean twin.
"""

from __future__ import annotations

import gc
import math
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

import polars as pl

from lib import schema

__all__ = [
    "DEPARTMENTS",
    "QUIRKS",
    "QUIRK_RATES",
    "IndicatorTruth",
    "ProjectTruth",
    "Truth",
    "generate_corpus",
    "generate_corpus_with_truth",
    "generate_document",
    "generate_document_with_truth",
    "iter_corpus_with_truth",
    "write_corpus",
]

# --------------------------------------------------------------------------
# Public vocabulary
# --------------------------------------------------------------------------

#: Default probability, per project, that it carries each layout quirk.
#: ``cost_row_at_column_0`` and ``no_heading_marks`` are common in the
#: reference document (9 and 4 of 15 projects); the others are rare.
QUIRK_RATES: dict[str, float] = {
    # "项目绩效目标表" without the leading "## ".
    "no_heading_marks": 0.2,
    # An empty cell between key and value: the whole key/value block (as in
    # the reference's 人代会 project) or one row of it.
    "kv_extra_cell": 0.05,
    # A goal text starting at column 0 instead of column 1.
    "goal_at_column_0": 0.04,
    # Goal texts as numbered ``<p>...</p>`` paragraphs.
    "goal_html": 0.08,
    # The first level-2 row of a level-1 group carries its level-2 label in
    # the level-1 column; the level-1 label comes on the next level-2 row.
    "level2_before_level1": 0.04,
    # Cost rows after the table starting at column 0 (发放标准, 会议费, ...).
    "cost_row_at_column_0": 0.3,
    # One indicator row with an empty annual value.
    "missing_annual_value": 0.03,
    # An annual value that differs from the period value (3 per period, 1 a
    # year; a multi-year cost cap above the annual one; 1个 against 1).
    "annual_differs": 0.1,
    # One row whose cells sit one column left (a trailing empty cell instead).
    "cell_shifted_left": 0.04,
    # A level-1 row shifted one column right, so its annual value falls off.
    "row_shifted_right": 0.02,
    # 预算控制数 that is not the budget amount.
    "cap_differs": 0.05,
    # No 成本指标 at all (the reference's last project).
    "no_cost_indicators": 0.02,
    # Category labels spelled as variants: 经济效益指标, 效果指标, 预期产出指标,
    # 环境效益指标, 社会公众或服务对象满意度指标, ...
    "spelling_variant": 0.05,
    # Comparators written as ASCII (>=, <=) or as ≧ ≦.
    "comparator_variant": 0.03,
}

#: Names of every quirk :func:`generate_document` knows, in a fixed order.
QUIRKS: tuple[str, ...] = tuple(QUIRK_RATES)

#: (department, short name used in project names, spending units).
#: The first spending unit is the department itself.
_DEPARTMENT_DATA: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "东莞市人民代表大会常务委员会办公室",
        "人大常委会办公室",
        (),
        ("人大代表履职", "人大宣传", "财政预算审查", "地方立法", "人大代表联络站", "代表建议督办"),
    ),
    (
        "东莞市人民政府办公室",
        "政府办公室",
        (),
        ("政务值班", "督查督办", "政务公开", "应急值守", "公文运转", "决策咨询"),
    ),
    (
        "东莞市发展和改革局",
        "发展改革局",
        ("东莞市价格监测中心",),
        (
            "重大项目建设推进",
            "价格监测",
            "粮食安全储备",
            "发展规划编制",
            "节能监察",
            "社会信用体系建设",
        ),
    ),
    (
        "东莞市教育局",
        "教育局",
        ("东莞市教育技术装备中心", "东莞市教师发展中心"),
        ("校园安全管理", "学生资助", "教师培训", "教育信息化", "教学质量监测", "学前教育发展"),
    ),
    (
        "东莞市科学技术局",
        "科学技术局",
        ("东莞市科技创新服务中心",),
        (
            "科技企业孵化",
            "高新技术企业培育",
            "科技创新券",
            "科技成果转化",
            "科普宣传",
            "新型研发机构建设",
        ),
    ),
    (
        "东莞市工业和信息化局",
        "工业和信息化局",
        ("东莞市中小企业服务中心",),
        (
            "中小企业服务",
            "工业园区升级改造",
            "企业技术改造",
            "5G网络建设推进",
            "产业链招商",
            "专精特新企业培育",
        ),
    ),
    (
        "东莞市公安局",
        "公安局",
        ("东莞市公安局交通警察支队", "东莞市公安局指挥中心"),
        ("治安巡逻防控", "视频监控建设", "禁毒宣传", "辅警队伍管理", "交通安全宣传", "反诈宣传"),
    ),
    (
        "东莞市民政局",
        "民政局",
        ("东莞市社会福利中心", "东莞市救助管理站"),
        ("困难群众救助", "养老服务", "殡葬管理", "社会组织培育", "儿童福利", "婚姻登记"),
    ),
    (
        "东莞市司法局",
        "司法局",
        ("东莞市法律援助处",),
        ("法律援助", "人民调解", "普法宣传", "社区矫正", "公共法律服务", "行政复议"),
    ),
    (
        "东莞市财政局",
        "财政局",
        ("东莞市财政国库支付中心",),
        (
            "预算绩效管理",
            "政府采购监管",
            "财政票据管理",
            "国库集中支付",
            "会计人员继续教育",
            "政府债务管理",
        ),
    ),
    (
        "东莞市人力资源和社会保障局",
        "人力资源和社会保障局",
        ("东莞市公共就业服务中心", "东莞市职业技能鉴定指导中心"),
        (
            "就业创业服务",
            "职业技能培训",
            "劳动保障监察",
            "人才引进",
            "高校毕业生就业见习",
            "劳动人事争议仲裁",
        ),
    ),
    (
        "东莞市自然资源局",
        "自然资源局",
        ("东莞市不动产登记中心",),
        ("不动产登记", "国土空间规划", "耕地保护", "地质灾害防治", "测绘地理信息", "土地储备"),
    ),
    (
        "东莞市生态环境局",
        "生态环境局",
        ("东莞市环境监测中心站",),
        ("大气污染防治", "水污染防治", "环境监测", "固体废物管理", "生态环境执法", "土壤污染防治"),
    ),
    (
        "东莞市住房和城乡建设局",
        "住房和城乡建设局",
        ("东莞市建设工程质量安全监督站",),
        (
            "保障性住房管理",
            "建筑工地安全监管",
            "城市更新",
            "燃气安全监管",
            "白蚁防治",
            "物业管理监管",
        ),
    ),
    (
        "东莞市交通运输局",
        "交通运输局",
        ("东莞市交通运输综合执法支队",),
        (
            "公共交通运营",
            "公路养护",
            "交通运输执法",
            "轨道交通规划",
            "出租汽车行业管理",
            "港口航道管理",
        ),
    ),
    (
        "东莞市水务局",
        "水务局",
        ("东莞市水利工程管理中心",),
        ("河长制", "防汛抗旱", "水资源管理", "污水处理设施运营", "水土保持", "水库安全管理"),
    ),
    (
        "东莞市农业农村局",
        "农业农村局",
        ("东莞市农业技术推广中心", "东莞市动物疫病预防控制中心"),
        (
            "乡村振兴",
            "农产品质量安全",
            "动物防疫",
            "高标准农田建设",
            "农业技术推广",
            "农村人居环境整治",
        ),
    ),
    (
        "东莞市商务局",
        "商务局",
        (),
        ("外贸稳增长", "招商引资", "消费促进", "电子商务发展", "加工贸易转型升级", "会展经济发展"),
    ),
    (
        "东莞市文化广电旅游体育局",
        "文化广电旅游体育局",
        ("东莞市文化馆", "东莞图书馆", "东莞市体育运动学校"),
        ("公共文化服务", "全民健身", "文物保护", "旅游推广", "群众文化活动", "体育赛事组织"),
    ),
    (
        "东莞市卫生健康局",
        "卫生健康局",
        ("东莞市疾病预防控制中心", "东莞市卫生监督所"),
        (
            "基本公共卫生服务",
            "疾病预防控制",
            "家庭医生签约服务",
            "妇幼健康",
            "卫生监督执法",
            "爱国卫生运动",
        ),
    ),
    (
        "东莞市退役军人事务局",
        "退役军人事务局",
        ("东莞市退役军人服务中心",),
        (
            "退役军人就业创业",
            "优抚对象抚恤",
            "烈士纪念设施管理",
            "双拥工作",
            "退役军人服务站建设",
            "军休服务",
        ),
    ),
    (
        "东莞市应急管理局",
        "应急管理局",
        ("东莞市应急救援保障中心",),
        (
            "安全生产监管",
            "应急救援演练",
            "森林防灭火",
            "危险化学品监管",
            "防灾减灾宣传",
            "应急物资储备",
        ),
    ),
    (
        "东莞市审计局",
        "审计局",
        (),
        (
            "预算执行审计",
            "经济责任审计",
            "政府投资审计",
            "审计信息化",
            "审计整改督促",
            "内部审计指导",
        ),
    ),
    (
        "东莞市市场监督管理局",
        "市场监督管理局",
        ("东莞市质量计量监督检测所",),
        (
            "食品安全抽检",
            "特种设备安全监管",
            "知识产权保护",
            "计量检定",
            "消费者权益保护",
            "药品安全监管",
        ),
    ),
    (
        "东莞市统计局",
        "统计局",
        ("东莞市统计调查中心",),
        ("经济普查", "人口抽样调查", "统计数据质量核查", "统计执法检查", "统计监测", "统计信息化"),
    ),
    (
        "东莞市医疗保障局",
        "医疗保障局",
        ("东莞市医疗保障事业管理中心",),
        (
            "医保基金监管",
            "医疗救助",
            "异地就医结算",
            "医保经办服务",
            "医药价格管理",
            "长期护理保险",
        ),
    ),
    (
        "东莞市城市管理和综合执法局",
        "城市管理和综合执法局",
        ("东莞市环境卫生管理中心",),
        (
            "市容环境卫生",
            "城市照明管理",
            "垃圾分类",
            "违法建设查处",
            "户外广告管理",
            "公园绿地管养",
        ),
    ),
    (
        "东莞市林业局",
        "林业局",
        ("东莞市林业科学研究所",),
        (
            "森林资源管护",
            "林业有害生物防治",
            "自然保护地管理",
            "古树名木保护",
            "绿美东莞生态建设",
            "湿地保护",
        ),
    ),
    (
        "东莞市政务服务和数据管理局",
        "政务服务和数据管理局",
        ("东莞市政务服务中心",),
        (
            "政务服务大厅运营",
            "12345热线",
            "数据资源共享",
            "一网通办",
            "电子政务外网",
            "公共资源交易",
        ),
    ),
    (
        "东莞市机关事务管理局",
        "机关事务管理局",
        (),
        (
            "公务用车管理",
            "公共机构节能",
            "办公用房维修",
            "机关食堂管理",
            "机关安全保卫",
            "会议中心运营",
        ),
    ),
    (
        "东莞市档案馆",
        "档案馆",
        (),
        ("档案数字化", "档案保护", "档案编研", "档案安全", "地方志编纂", "档案利用服务"),
    ),
    (
        "东莞市信访局",
        "信访局",
        (),
        ("信访事项办理", "矛盾纠纷化解", "网上信访", "信访督查", "领导接访", "信访法治化建设"),
    ),
)

#: Dongguan municipal departments the corpus generator cycles through.
DEPARTMENTS: tuple[str, ...] = tuple(d for d, *_ in _DEPARTMENT_DATA)
DEPARTMENT_BY_NAME = {d[0]: d for d in _DEPARTMENT_DATA}
_GENERIC_TOPICS = ("业务管理", "专项业务", "日常监管", "宣传培训", "服务保障", "信息化建设")

# --------------------------------------------------------------------------
# Truth
# --------------------------------------------------------------------------


class IndicatorTruth(NamedTuple):
    """One indicator as a correct parser must read it.

    ``level1``/``level2`` are canonical names from :mod:`lib.schema`
    (``经济效益指标``, ``服务对象满意度指标``); ``level1_raw``/``level2_raw`` are
    the labels of that category as this document spells them (``经济效益``),
    also when the row inherits them from a merged cell or, as with the cost
    rows at column 0, carries no label at all. A value the text does not
    hold (empty cell, or a cell lost to a right shift) is ``None``.
    ``line`` is the 1-based line of the row in the document.
    """

    level1: str
    level2: str
    name: str
    period_value: str | None
    annual_value: str | None
    level1_raw: str
    level2_raw: str
    line: int


@dataclass(frozen=True, slots=True)
class ProjectTruth:
    """One project block as a correct parser must read it.

    Amounts are kept in integer cents (``budget_cents``) so sums are exact;
    ``budget_yuan`` is the float the schema stores. ``cost_cap_cents`` is the
    annual 预算控制数 as written (``None`` without a cost cap). ``line`` is the
    line of the 项目名称 row, ``heading_line`` the line of 项目绩效目标表.
    ``quirks`` names the layout quirks this project carries.
    """

    name: str
    type: str
    level: str
    department: str
    unit: str
    start_year: int
    end_year: int
    budget_year: int
    budget_cents: int
    budget_raw: str
    cost_cap_cents: int | None
    goal_period: str
    goal_annual: str
    line: int
    heading_line: int
    quirks: tuple[str, ...]
    indicators: tuple[IndicatorTruth, ...]

    @property
    def budget_yuan(self) -> float:
        return self.budget_cents / 100

    @property
    def cost_cap_yuan(self) -> float | None:
        return None if self.cost_cap_cents is None else self.cost_cap_cents / 100

    @property
    def indicator_count(self) -> int:
        return len(self.indicators)


@dataclass(frozen=True, slots=True)
class Truth:
    """Everything one generated document says, in canonical form."""

    title: str
    year: int
    department: str
    preamble: str
    projects: tuple[ProjectTruth, ...]

    @property
    def budget_total_cents(self) -> int:
        return sum(p.budget_cents for p in self.projects)

    @property
    def budget_total_yuan(self) -> float:
        return self.budget_total_cents / 100

    @property
    def indicator_count(self) -> int:
        return sum(len(p.indicators) for p in self.projects)

    def projects_frame(self) -> pl.DataFrame:
        """The projects, in :data:`lib.schema.PROJECTS` columns and dtypes.

        Identifiers (``project_id``, ``document_id``) are the loader's to
        assign, so they are left out; compare on the remaining columns.
        """
        # No place: where a record sits depends on the form the text is published in.
        cols = [c for c in schema.PROJECTS if c not in ("project_id", "document_id", "place")]
        rows = [
            (
                p.line,
                p.name,
                p.type,
                p.level,
                p.department,
                p.unit,
                p.start_year,
                p.end_year,
                p.budget_year,
                p.budget_yuan,
                p.budget_raw,
                p.goal_period,
                p.goal_annual,
            )
            for p in self.projects
        ]
        return pl.DataFrame(rows, schema={c: schema.PROJECTS[c] for c in cols}, orient="row")

    def indicators_frame(self) -> pl.DataFrame:
        """The indicators, keyed by ``project_name``, in schema dtypes."""
        cols = (
            "line",
            "level1",
            "level2",
            "level1_raw",
            "level2_raw",
            "name",
            "period_value",
            "annual_value",
        )
        frame_schema = {"project_name": pl.String(), **{c: schema.INDICATORS[c] for c in cols}}
        rows = [(p.name, i[7], i[0], i[1], i[5], i[6], i[2], i[3], i[4]) for p in self.projects for i in p.indicators]
        return pl.DataFrame(rows, schema=frame_schema, orient="row")


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

Quirks = bool | Iterable[str] | Mapping[str, float]


def generate_document(
    n_projects: int,
    *,
    seed: int = 0,
    department: str | None = None,
    year: int = 2026,
    quirks: Quirks = True,
) -> str:
    """A synthetic 部门预算绩效目标批复情况 document with ``n_projects`` projects.

    Parameters
    ----------
    n_projects
        Number of ``项目绩效目标表`` blocks.
    seed
        Seed of the generator; the same arguments always give the same text.
    department
        主管部门 and the department in the title; by default one of
        :data:`DEPARTMENTS` chosen by ``seed``.
    year
        Budget year, in the title, the preamble and ``{year}年预算金额(元)``.
    quirks
        ``True`` for every quirk of :data:`QUIRK_RATES` at its default rate,
        ``False`` for a clean document, an iterable of quirk names for those
        at their default rates, or a mapping of quirk name to per-project
        probability (``{"goal_html": 1.0}`` puts HTML in every project).

    Returns
    -------
    str
        The document, LF line endings, ending in a newline.

    Examples
    --------
    >>> text = generate_document(2, seed=7, department="东莞市教育局", quirks=False)
    >>> text.splitlines()[2]
    '# 2026年东莞市教育局部门预算绩效目标批复情况'
    >>> text.count("项目绩效目标表")
    2
    """
    return _document(n_projects, department, year, quirks, str(seed))[0]


def generate_document_with_truth(
    n_projects: int,
    *,
    seed: int = 0,
    department: str | None = None,
    year: int = 2026,
    quirks: Quirks = True,
) -> tuple[str, Truth]:
    """Like :func:`generate_document`, and the :class:`Truth` it encodes.

    The text is identical to ``generate_document`` with the same arguments.

    Examples
    --------
    >>> text, truth = generate_document_with_truth(3, seed=1)
    >>> len(truth.projects)
    3
    >>> first = truth.projects[0].indicators[0]
    >>> (first.level1, first.level2)
    ('产出指标', '数量指标')
    """
    return _document(n_projects, department, year, quirks, str(seed))


def iter_corpus_with_truth(
    n_projects: int,
    *,
    seed: int = 0,
    projects_per_document: int = 15,
    years: Sequence[int] = (2026,),
    quirks: Quirks = True,
) -> Iterator[tuple[str, str, Truth]]:
    """Lazily yield ``(file name, text, truth)`` for a corpus; see :func:`generate_corpus`.

    Examples
    --------
    >>> [(name[:12], len(truth.projects)) for name, _, truth in iter_corpus_with_truth(20)]
    [('000000_2026_', 15), ('000001_2026_', 5)]
    """
    if projects_per_document < 1:
        msg = f"projects_per_document must be at least 1, got {projects_per_document}"
        raise ValueError(msg)
    if not years:
        msg = "years must not be empty"
        raise ValueError(msg)
    _check_count(n_projects)
    n_docs = -(-n_projects // projects_per_document)
    n_depts = len(DEPARTMENTS)
    for i in range(n_docs):
        size = min(projects_per_document, n_projects - i * projects_per_document)
        department = DEPARTMENTS[i % n_depts]
        year = years[(i // n_depts) % len(years)]
        # Seeded per document, so a corpus's first documents do not depend on
        # how many follow them.
        doc_seed = f"{seed}:{i}"
        text, truth = _document(size, department, year, quirks, doc_seed)
        digest = random.Random(doc_seed + ":name").getrandbits(64)
        yield f"{i:06d}_{year}_{digest:016x}.txt", text, truth


def generate_corpus(
    n_projects: int,
    *,
    seed: int = 0,
    projects_per_document: int = 15,
    years: Sequence[int] = (2026,),
    quirks: Quirks = True,
) -> list[tuple[str, str]]:
    """A corpus of ``n_projects`` projects split into documents, as ``(file name, text)``.

    Documents hold ``projects_per_document`` projects each, the last one the
    remainder. Document ``i`` belongs to ``DEPARTMENTS[i % len(DEPARTMENTS)]``
    and, once every department has had one, the next of ``years``. File names
    are ``{index:06d}_{year}_{16 hex digits}.txt`` and sort in corpus order.

    Examples
    --------
    >>> corpus = generate_corpus(40, seed=3, projects_per_document=15)
    >>> [text.count("项目名称") for _, text in corpus]
    [15, 15, 10]
    """
    return [
        (name, text)
        for name, text, _ in iter_corpus_with_truth(
            n_projects,
            seed=seed,
            projects_per_document=projects_per_document,
            years=years,
            quirks=quirks,
        )
    ]


def generate_corpus_with_truth(
    n_projects: int,
    *,
    seed: int = 0,
    projects_per_document: int = 15,
    years: Sequence[int] = (2026,),
    quirks: Quirks = True,
) -> list[tuple[str, str, Truth]]:
    """Like :func:`generate_corpus`, with each document's :class:`Truth`.

    Examples
    --------
    >>> docs = generate_corpus_with_truth(30, seed=2, years=(2025, 2026))
    >>> sum(len(truth.projects) for _, _, truth in docs)
    30
    """
    return list(
        iter_corpus_with_truth(
            n_projects,
            seed=seed,
            projects_per_document=projects_per_document,
            years=years,
            quirks=quirks,
        )
    )


def write_corpus(
    dir: Path,
    n_projects: int,
    *,
    seed: int = 0,
    projects_per_document: int = 15,
    years: Sequence[int] = (2026,),
    quirks: Quirks = True,
    encoding: str = "utf-8",
    newline: str = "\n",
) -> list[Path]:
    """Write :func:`generate_corpus` to ``dir`` (created if missing), one file per document.

    Documents are generated and written one at a time, so a 100,000-project
    corpus never sits in memory whole. ``encoding`` (``"utf-8"``,
    ``"utf-8-sig"``, ``"gb18030"``) and ``newline`` (``"\\n"``, ``"\\r\\n"``)
    reproduce the file variants of DOMAIN.md.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_corpus(Path(tmp), 20, seed=5)
    ...     [p.name[:12] for p in paths]
    ['000000_2026_', '000001_2026_']
    """
    dir = Path(dir)
    dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, text, _ in iter_corpus_with_truth(
        n_projects,
        seed=seed,
        projects_per_document=projects_per_document,
        years=years,
        quirks=quirks,
    ):
        if newline != "\n":
            text = text.replace("\n", newline)
        path = dir / name
        path.write_bytes(text.encode(encoding))
        paths.append(path)
    return paths


# --------------------------------------------------------------------------
# Implementation
# --------------------------------------------------------------------------

_HEADER = "绩效指标\t一级指标\t二级指标\t三级指标\t实施周期指标值\t年度指标值"
_TYPE_DUTY = "其他特定目标类（部门职能类）"
_TYPE_IT = "其他运转类（信息化运维类）"
_TYPE_DEV = "其他事业发展性支出"
_RECURRING_END = 2099
_MIN_BUDGET_CENTS = 10_000_00
_MAX_BUDGET_CENTS = 5_000_000_00

# Canonical level 1 -> canonical level 2 -> spellings. The first spelling is
# the one the reference uses; the rest appear under "spelling_variant".
_L1_SPELLINGS = {
    "产出指标": ("产出指标", "预期产出指标"),
    "效益指标": ("效益指标", "效果指标"),
    "满意度指标": ("满意度指标",),
    "成本指标": ("成本指标",),
}
L2_SPELLINGS = {
    "数量指标": ("数量指标",),
    "质量指标": ("质量指标",),
    "时效指标": ("时效指标",),
    "经济效益指标": ("经济效益", "经济效益指标"),
    "社会效益指标": ("社会效益", "社会效益指标"),
    "生态效益指标": ("生态效益", "生态效益指标", "环境效益指标"),
    "可持续影响指标": ("可持续影响", "可持续影响指标"),
    "服务对象满意度指标": ("服务对象满意度", "服务对象满意度指标", "社会公众或服务对象满意度指标"),
    "经济成本指标": ("经济成本指标",),
}
#: Every label a parser recognises as a category; indicator rows whose name
#: is one of these are never shifted, or the shift would be ambiguous.
_LABELS = frozenset(s for spellings in (*_L1_SPELLINGS.values(), *L2_SPELLINGS.values()) for s in spellings)

_GRADES = ("优", "优", "良好", "良好", "良", "较好", "合格", "优良")
_PCT_TARGETS = (80, 85, 90, 90, 92, 95, 95, 95, 98, 100, 100)
_SAT_TARGETS = (85, 90, 90, 95, 95, 95, 100)

# Archetypes: what the project buys. Each drives the project name, type,
# budget model and indicator vocabulary. Templates use {t} topic, {s} short
# department name, {y} year, {p} people served.
_ARCHETYPES: dict[str, dict] = {
    "work": {
        "weight": 30,
        "names": ("{t}专项经费", "{t}工作经费", "{t}工作专项资金", "{y}年{t}工作经费"),
        "type": ((_TYPE_DUTY, 9), (_TYPE_DEV, 1)),
        "people": ("服务对象", "社会公众", "群众", "相关单位"),
        "quantity": (
            ("开展{t}工作次数", "次", 2, 60, "开展{t}工作{n}次"),
            ("{t}覆盖镇街数量", "个", 32, 33, "覆盖全市{n}个镇街"),
            ("完成{t}项目数量", "个", 1, 12, "完成{t}项目{n}个"),
            ("服务人次", "人次", 100, 20000, "服务群众{n}人次"),
            ("印发工作材料份数", "份", 100, 5000, "印发工作材料{n}份"),
        ),
        "quality": (
            ("{t}工作完成率", "pct"),
            ("{t}工作成果", "grade"),
            ("{t}工作达标率", "pct"),
            ("资金使用合规率", "pct100"),
            ("为高质量发展提供保障", "grade"),
        ),
        "timeliness": (
            ("计划进度完成及时率", "pct"),
            ("工作任务完成及时率", "pct"),
            ("项目完成时间", "deadline"),
        ),
        "extra_cost": (("支出标准", "rate_event"),),
        "col0": (("发放标准", "sub_amount"), ("支出标准", "rate_event")),
    },
    "training": {
        "weight": 10,
        "names": ("{t}培训经费", "{t}业务培训专项经费", "{s}干部培训经费"),
        "type": ((_TYPE_DUTY, 1),),
        "people": ("参训人员", "参加培训人员", "学员"),
        "quantity": (
            ("培训期数", "期", 1, 6, "举办{t}培训班{n}期"),
            ("培训人次", "人次", 50, 600, "培训{n}人次"),
        ),
        "quality": (
            ("参加培训人员出勤率", "pct"),
            ("培训考核合格率", "pct"),
            ("培训课程质量", "grade"),
        ),
        "timeliness": (("培训任务完成率", "pct"), ("培训按期完成率", "pct")),
        "extra_cost": (("支出标准", "rate_day"),),
        "col0": (("培训费", "budget_amount"),),
    },
    "meeting": {
        "weight": 8,
        "names": ("{t}会议经费", "{y}年{t}工作会议经费", "{s}年度工作会议经费"),
        "type": ((_TYPE_DUTY, 1),),
        "people": ("参会人员", "与会代表"),
        "quantity": (
            ("召开会议次数", "次", 1, 4, "召开会议{n}次"),
            ("会议人数（人）", "人", 50, 950, "会议规模{n}人"),
            ("会议天数（天）", "天", 1, 3, "会期{n}天"),
        ),
        "quality": (
            ("会议出勤率（%）", "pct"),
            ("会议议程完成率", "pct100"),
            ("会议成果", "grade"),
        ),
        "timeliness": (("会议按期完成率（%）", "pct100"), ("会议按期召开", "deadline")),
        "extra_cost": (("费用标准", "rate_day"),),
        "col0": (("会议费", "budget_amount"),),
    },
    "it_ops": {
        "weight": 14,
        "names": ("{sys}运维项目", "{sys}运营服务项目", "{sys}运行维护经费"),
        "type": ((_TYPE_IT, 1),),
        "people": ("系统使用人员", "机关工作人员", "业务科室"),
        "quantity": (
            ("运维维护设施数量", "套", 1, 5, "运维系统{n}套"),
            ("巡检次数", "次", 12, 52, "开展巡检{n}次"),
            ("运维服务系统数量", "个", 1, 8, "运维业务系统{n}个"),
        ),
        "quality": (
            ("系统正常运行率", "pct"),
            ("系统日常运维过程异常处理率", "pct"),
            ("运维及时解决率", "pct"),
            ("数据安全事故发生次数", "zero"),
        ),
        "timeliness": (("故障响应及时率", "pct"), ("数据采集的及时性", "pct")),
        "extra_cost": (),
        "col0": (("维修维护费", "budget_amount"),),
    },
    "it_build": {
        "weight": 6,
        "names": ("{sys}升级改造项目", "{sys}建设项目"),
        "type": ((_TYPE_IT, 1),),
        "people": ("系统使用人员", "机关工作人员"),
        "quantity": (
            ("建设项目数量", "个", 1, 1, "完成建设项目{n}个"),
            ("新增功能模块数量", "个", 2, 12, "新增功能模块{n}个"),
        ),
        "quality": (
            ("系统验收合格率(%)", "pct100"),
            ("项目完成质量", "pct100"),
            ("质量达标率", "pct"),
        ),
        "timeliness": (("系统建设完成及时率", "pct100"), ("项目完成时间", "deadline")),
        "extra_cost": (("项目总投资", "budget_amount"),),
        "col0": (("维修维护费", "budget_amount"),),
    },
    "subsidy": {
        "weight": 10,
        "names": ("{sub}资金", "{sub}经费", "{y}年{sub}资金"),
        "type": ((_TYPE_DEV, 6), (_TYPE_DUTY, 4)),
        "people": ("划拨对象", "补助对象", "发放对象"),
        "quantity": (("发放对象人数", "人", 1, 60, "为{n}名对象发放补贴"),),
        "quality": (("划拨准确率", "pct100"), ("资金发放准确率", "pct100")),
        "timeliness": (("划拨时间", "monthly"), ("资金拨付及时率", "pct100")),
        "extra_cost": (("补助标准", "rate_month"),),
        "col0": (("发放标准", "rate_year"),),
    },
    "purchase": {
        "weight": 8,
        "names": ("购买{svc}经费", "{t}购买{svc}项目"),
        "type": ((_TYPE_DEV, 6), (_TYPE_DUTY, 4)),
        "people": ("服务对象", "群众", "机关工作人员"),
        "quantity": (
            ("购买服务岗位数量", "个", 1, 12, "购买服务岗位{n}个"),
            ("提供服务次数", "次", 20, 400, "提供服务{n}次"),
        ),
        "quality": (("工作质量达标率", "pct"), ("服务质量达标率", "pct")),
        "timeliness": (("服务需求完成时效", "pct100"), ("工作任务完成及时率", "pct100")),
        "extra_cost": (),
        "col0": (("服务费", "budget_amount"),),
    },
    "publicity": {
        "weight": 7,
        "names": ("{t}宣传经费", "{t}宣传工作专项经费"),
        "type": ((_TYPE_DUTY, 1),),
        "people": ("社会公众", "群众"),
        "quantity": (
            ("宣传活动次数", "次", 4, 60, "开展宣传活动{n}次"),
            ("微信公众号推文频次（次）", "次", 50, 700, "发布推文{n}篇"),
            ("印制宣传资料份数", "份", 500, 20000, "印制宣传资料{n}份"),
            ("专题宣传报道", "次", 1, 6, "推出专题宣传报道{n}次"),
        ),
        "quality": (("宣传工作完成率", "pct"), ("强化{t}宣传创新，加强宣传阵地建设", "grade")),
        "timeliness": (("宣传工作完成及时率", "pct100"),),
        "extra_cost": (),
        "col0": (("宣传费占比", "share"),),
    },
    "research": {
        "weight": 7,
        "names": ("{t}调研经费", "{t}课题研究经费", "{t}视察调研专项经费"),
        "type": ((_TYPE_DUTY, 1),),
        "people": ("参与对象", "调研对象"),
        "quantity": (
            ("调研活动次数", "次", 2, 20, "组织专题调研{n}次"),
            ("开展课题研究（次数）", "次", 1, 4, "开展课题研究{n}次"),
        ),
        "quality": (
            ("调研工作完成率", "pct"),
            ("调研工作成果", "grade"),
            ("课题研究完成率（%）", "pct100"),
        ),
        "timeliness": (("调研工作进度及时率", "pct"), ("课题研究进度及时率", "pct100")),
        "extra_cost": (("课题研究费", "sub_amount"), ("差旅费", "sub_amount")),
        "col0": (("发放标准", "sub_amount"),),
    },
}
_ARCHETYPE_NAMES = tuple(_ARCHETYPES)
_ARCHETYPE_CUM = tuple(accumulate(a["weight"] for a in _ARCHETYPES.values()))

_SYSTEMS = (
    "业务管理信息系统",
    "视频会议系统",
    "协同办公系统",
    "数据共享平台",
    "门户网站",
    "网络安全防护系统",
    "档案管理系统",
)
_SUBSIDIES = (
    "乡村振兴市直机关派出挂职工作人员工作性补贴",
    "基层工作人员交通补贴",
    "见习人员生活补贴",
    "社区工作者岗位补贴",
    "援疆援藏干部人才工作",
    "困难职工生活补助",
)
_SERVICES = (
    "社工服务",
    "法律顾问服务",
    "物业管理服务",
    "安保服务",
    "第三方绩效评价服务",
    "档案整理服务",
    "心理咨询服务",
)

_ECON = (
    ("助推社会经济高质量发展", "pct100_or_grade"),
    ("节约人力管理成本", "grade"),
    ("项目经济效益情况", "grade"),
    ("对当地经济促进程度", "pct100"),
    ("降低{t}运行成本", "grade"),
    ("落实{t}工作，助推社会经济高质量发展（是/否）", "yes"),
)
_SOCIAL = (
    ("推进社会民生事业发展", "pct100"),
    ("提升{t}服务水平", "pct_or_grade"),
    ("保障{t}工作正常开展", "pct100"),
    ("进一步扩大{t}工作的社会影响力", "grade"),
    ("群众获得感和幸福感提升", "grade"),
    ("凝聚力量建设民生幸福美好东莞的强大合力", "pct100"),
    ("{t}政策知晓率", "pct"),
)
_ECO = (
    ("助力推动建设高品质现代化都市", "pct100"),
    ("业务办理无纸化率", "pct"),
    ("提高绿色环保意识", "grade"),
    ("助力绿美东莞生态建设（是/否）", "yes"),
    ("为生态和环境保护提供保障", "pct100_or_grade"),
)
_SUSTAIN = (
    ("{t}长效机制建立情况", "grade"),
    ("项目持续发挥作用期限", "years"),
)
_SATISFACTION = (
    ("{p}满意度", "sat"),
    ("项目实施效果满意度", "sat"),
    ("社会公众满意程度", "sat"),
    ("{p}对服务质量满意度", "sat"),
    ("项目完成情况满意度（%）", "sat"),
    ("服务对象满意度", "sat"),
)
_CAP_NAMES = (
    "预算控制数",
    "预算控制数",
    "预算控制数",
    "项目预算控制数（万元）",
    "项目预算控制数(万元)",
)


def _check_count(n: int) -> None:
    if n < 0:
        msg = f"n_projects must not be negative, got {n}"
        raise ValueError(msg)


def _quirk_rates(quirks: Quirks) -> tuple[tuple[str, float], ...]:
    if quirks is True:
        rates: Mapping[str, float] = QUIRK_RATES
    elif quirks is False:
        return ()
    elif isinstance(quirks, Mapping):
        rates = quirks
    else:
        rates = {q: QUIRK_RATES.get(q, 0.0) for q in quirks}
    unknown = sorted(set(rates) - set(QUIRK_RATES))
    if unknown:
        msg = f"unknown quirks {unknown}; known: {', '.join(QUIRKS)}"
        raise ValueError(msg)
    # Fixed order, so the random stream does not depend on the caller's order.
    return tuple((q, float(rates[q])) for q in QUIRKS if q in rates and rates[q] > 0)


def wan_text(cents: int) -> str:
    """Cents as 万元 with no trailing zeros: 141_600_000 -> '141.6'."""
    whole, frac = divmod(cents, 1_000_000)
    digits = f"{frac:06d}".rstrip("0")
    return f"{whole}.{digits}" if digits else str(whole)


def _yuan(cents: int) -> str:
    whole, frac = divmod(cents, 100)
    return f"{whole:,}.{frac:02d}"


def _document(
    n_projects: int,
    department: str | None,
    year: int,
    quirks: Quirks,
    rng_seed: str,
) -> tuple[str, Truth]:
    # Generation allocates millions of small acyclic objects; with the cyclic
    # collector on, each pass re-walks the growing heap (a 100,000-project
    # document took 11 s instead of 7 s). Nothing here needs collecting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _document_unguarded(n_projects, department, year, quirks, rng_seed)
    finally:
        if enabled:
            gc.enable()


def _document_unguarded(
    n_projects: int,
    department: str | None,
    year: int,
    quirks: Quirks,
    rng_seed: str,
) -> tuple[str, Truth]:
    _check_count(n_projects)
    rates = _quirk_rates(quirks)
    rng = random.Random(rng_seed)
    qrng = random.Random(rng_seed + ":quirks")
    if department is None:
        department = rng.choice(DEPARTMENTS)
    data = DEPARTMENT_BY_NAME.get(department)
    if data is None:
        short = department.removeprefix("东莞市")
        data = (department, short, (), _GENERIC_TOPICS)

    title = f"{year}年{department}部门预算绩效目标批复情况"
    preamble = _preamble(department, year)
    lines: list[str] = ["", "", f"# {title}", "", preamble, ""]
    used: dict[str, int] = {}  # name -> last suffix number given to it
    projects = []
    for i in range(n_projects):
        if i:
            lines.append("")
        projects.append(_project(rng, qrng, lines, data, year, rates, used))
    truth = Truth(title=title, year=year, department=department, preamble=preamble, projects=tuple(projects))
    return "\n".join(lines) + "\n", truth


def _preamble(department: str, year: int) -> str:
    # The notice numbers are city-wide, so they depend on the year only.
    n = 100 + (year * 37) % 90
    return (
        f"根据东莞市财政局《关于批复 {year} 年市级部门预算的通知》（东财函〔{year}〕{n} 号）、"
        f"《关于公开 {year} 年部门预算信息的通知》（东财函〔{year}〕{n + 2} 号）、"
        "《东莞市市级财政预算绩效目标管理办法（试行）》（东财〔2020〕149 号）和"
        "《关于进一步做好预算绩效信息公开工作的通知》（东财〔2018〕108 号）要求，"
        f"现将 {year} 年{department}部门预算绩效目标批复情况予以公开如下："
    )


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    if len(pairs) == 1:
        return pairs[0][0]
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for value, w in pairs:
        r -= w
        if r < 0:
            return value
    return pairs[-1][0]


def _log_uniform_cents(rng: random.Random, lo_yuan: float, hi_yuan: float) -> int:
    yuan = math.exp(rng.uniform(math.log(lo_yuan), math.log(hi_yuan)))
    r = rng.random()
    if r < 0.9:
        cents = round(yuan / 100) * 100_00  # whole hundreds, as in the reference
    elif r < 0.98:
        cents = round(yuan) * 100
    else:
        cents = round(yuan * 100)
    return min(max(cents, _MIN_BUDGET_CENTS), _MAX_BUDGET_CENTS)


def _clamp_cents(cents: int) -> int:
    cents = -(-cents // 100_00) * 100_00  # up to whole hundreds of yuan
    return min(max(cents, _MIN_BUDGET_CENTS), _MAX_BUDGET_CENTS)


def _project(
    rng: random.Random,
    qrng: random.Random,
    lines: list[str],
    data: tuple[str, str, tuple[str, ...], tuple[str, ...]],
    year: int,
    rates: tuple[tuple[str, float], ...],
    used: dict[str, int],
) -> ProjectTruth:
    """Append one project block to ``lines`` and return its truth.

    ``rng`` draws the content, ``qrng`` every quirk decision: the content
    stream never depends on the quirks, so the same seed with and without
    quirks gives the same projects, names, budgets and values.
    """
    q = {name for name, rate in rates if qrng.random() < rate}
    p = Plan(rng, qrng, q, data, year, used)
    _apply_value_quirks(p, qrng)
    layout = _choose_layout(p, qrng)
    return _render(p, layout, lines)


class Plan:
    """The content of one project before layout: identity, budget, indicator groups."""

    def __init__(
        self,
        rng: random.Random,
        qrng: random.Random,
        q: set[str],
        data: tuple[str, str, tuple[str, ...], tuple[str, ...]],
        year: int,
        used: dict[str, int],
    ) -> None:
        department, short, units, topics = data
        rnd, choice, randint = rng.random, rng.choice, rng.randint
        self.q = q
        self.year = year
        self.department = department

        # --- identity ---------------------------------------------------
        r = rnd() * _ARCHETYPE_CUM[-1]
        arch_name = next(a for a, c in zip(_ARCHETYPE_NAMES, _ARCHETYPE_CUM, strict=True) if r < c)
        arch = _ARCHETYPES[arch_name]
        self.fmt = fmt = {
            "t": choice(topics),
            "s": short,
            "y": year,
            "p": choice(arch["people"]),
            "sys": "",
            "sub": choice(_SUBSIDIES),
            "svc": choice(_SERVICES),
        }
        if arch_name == "subsidy":
            fmt["t"] = fmt["sub"]
        if arch_name.startswith("it_"):
            topic = fmt["t"]
            fmt["sys"] = choice(
                (
                    f"市{short}{choice(_SYSTEMS)}",
                    f"{department}{topic}{choice(_SYSTEMS)}",
                    f"“数字{topic}”平台",
                )
            )
        base = choice(arch["names"]).format(**fmt)
        name = base
        # 项目名称 is unique within a document; repeats become （二期）, （三期）, ..., （10）.
        while name in used:
            k = used[base] = used.get(base, 1) + 1
            name = f"{base}（{'一二三四五六七八九'[k - 1]}期）" if k <= 9 else f"{base}（{k}）"
        used[name] = used.get(name, 1)
        self.name = name
        self.type = _weighted(rng, arch["type"])
        self.level = "一级项目" if rnd() < 0.05 else "二级项目"
        self.unit = department if not units or rnd() < 0.75 else choice(units)

        r = rnd()
        if arch_name == "it_build":
            start = year - randint(0, 1)
            end = max(year, start + randint(0, 2))
        elif r < 0.15:
            start = end = year
        elif r < 0.4:
            start = year - randint(0, 2)
            end = max(year, start + randint(1, 4))
        else:
            start, end = year - randint(0, 5), _RECURRING_END
        self.start, self.end = start, end
        #: Years of a finite multi-year period (0 for recurring projects).
        self.span = min(end, year + 4) - start + 1 if end != _RECURRING_END else 0

        # --- budget -----------------------------------------------------
        # Unit-cost projects get a budget that their quantities explain
        # (review rule 9): people x days x rate, persons x monthly rate x 12.
        qty_values: dict[str, int] = {}
        rate_yuan = 0
        if arch_name == "meeting":
            people_n, days = randint(50, 950), randint(1, 3)
            rate_yuan = choice((550, 650, 760))
            qty_values = {"会议人数（人）": people_n, "会议天数（天）": days, "召开会议次数": 1}
            budget = _clamp_cents(int(people_n * days * rate_yuan * rng.uniform(1.0, 1.3)) * 100)
        elif arch_name == "training":
            trainees, days = randint(50, 600), randint(1, 5)
            rate_yuan = choice((400, 550, 650))
            qty_values = {"培训人次": trainees}
            budget = _clamp_cents(int(trainees * days * rate_yuan * rng.uniform(1.0, 1.2)) * 100)
        elif arch_name == "subsidy":
            persons = randint(1, 60)
            rate_yuan = choice((2000, 3000, 4000, 5000))
            qty_values = {"发放对象人数": persons}
            budget = _clamp_cents(persons * rate_yuan * 12 * 100)
        else:
            budget = _log_uniform_cents(rng, 10_000, 5_000_000)
        self.budget = budget
        values = _Values(rng, qrng, "comparator_variant" in q, year, budget, rate_yuan)
        self.values = values

        # --- indicators -------------------------------------------------
        variant = "spelling_variant" in q

        def spell(canonical: str, table: dict[str, tuple[str, ...]]) -> str:
            options = table[canonical]
            return qrng.choice(options) if variant and len(options) > 1 and qrng.random() < 0.7 else options[0]

        def rows_from(pool: tuple, k: int) -> list[list]:
            return [
                [tmpl.format(**fmt).replace("服务服务", "服务"), v, v]
                for tmpl, kind in rng.sample(pool, k)
                for v in (values.value(kind),)
            ]

        ge, sp = values.ge, values.sp
        self.qty_rows: list[list] = []
        self.qty_units: list[str] = []
        self.first_phrase = ""
        quantity = arch["quantity"]
        for tmpl, unit_name, lo, hi, phrase in rng.sample(quantity, randint(1, min(3, len(quantity)))):
            ind_name = tmpl.format(**fmt)
            n = qty_values.get(ind_name) or randint(lo, hi)
            if not self.first_phrase:
                self.first_phrase = phrase.format(n=n, **fmt)
            r = rnd()
            v = f"{n}{unit_name}" if r < 0.2 else (f"{ge}{sp}{n}{unit_name}" if r < 0.25 else str(n))
            self.qty_rows.append([ind_name, v, v])
            self.qty_units.append(unit_name)
        output = [
            ["数量指标", spell("数量指标", L2_SPELLINGS), self.qty_rows],
            [
                "质量指标",
                "质量指标",
                rows_from(arch["quality"], randint(1, min(3, len(arch["quality"])))),
            ],
            [
                "时效指标",
                "时效指标",
                rows_from(arch["timeliness"], randint(1, len(arch["timeliness"]))),
            ],
        ]

        outcome_kinds = [("经济效益指标", _ECON), ("社会效益指标", _SOCIAL), ("生态效益指标", _ECO)]
        r = rnd()
        picked = outcome_kinds if r < 0.55 else [outcome_kinds[1]] if r < 0.8 else outcome_kinds[:2]
        if rnd() < 0.05:
            picked = [*picked, ("可持续影响指标", _SUSTAIN)]
        outcome = [[c, spell(c, L2_SPELLINGS), rows_from(pool, randint(1, 2))] for c, pool in picked]
        satisfaction = [
            [
                "服务对象满意度指标",
                spell("服务对象满意度指标", L2_SPELLINGS),
                rows_from(_SATISFACTION, 1 if rnd() < 0.7 else 2),
            ]
        ]
        #: [l1 canonical, l1 raw, [[l2 canonical, l2 raw, [[name, period, annual], ...]], ...]]
        self.groups: list[list] = [
            ["产出指标", spell("产出指标", _L1_SPELLINGS), output],
            ["效益指标", spell("效益指标", _L1_SPELLINGS), outcome],
            ["满意度指标", "满意度指标", satisfaction],
        ]

        # Cost rows are drawn even when a quirk drops them, so the content
        # stream stays the same with and without quirks.
        cap = budget
        if "cap_differs" in q:
            cap = max(1_0000_00, int(budget * qrng.choice((0.8, 0.9, 1.1, 1.2, 1.5))) // 100_00 * 100_00)
            if cap == budget:
                cap += 100_00
        cap_value = values.amount(cap)
        self.cap_row = [choice(_CAP_NAMES), cap_value, cap_value]
        cost_rows = [self.cap_row]
        for extra_name, kind in arch["extra_cost"]:
            if rnd() < 0.6:
                v = values.value(kind)
                cost_rows.append([extra_name, v, v])
        if rnd() < 0.5 and len(cost_rows) > 1:
            cost_rows.reverse()  # the reference has the cap first or last
        col0_name, kind = choice(arch["col0"])
        v = values.value(kind)
        self.cap: int | None = None
        self.col0_rows: list[list] = []
        if "no_cost_indicators" in q:
            q.discard("cost_row_at_column_0")
            q.discard("cap_differs")
        else:
            self.cap = cap
            self.groups.append(["成本指标", "成本指标", [["经济成本指标", "经济成本指标", cost_rows]]])
            if "cost_row_at_column_0" in q:
                self.col0_rows.append([col0_name, v, v])

        self.goal_period, self.goal_annual = _goals(rng, fmt, department, year, self.first_phrase, "goal_html" in q)


class _Values:
    """Indicator values in one project's spelling of comparators ('≥95%', '≥ 95%', '>=95%')."""

    __slots__ = ("budget", "ge", "le", "rate_yuan", "rng", "sp", "year")

    def __init__(
        self,
        rng: random.Random,
        qrng: random.Random,
        variant: bool,
        year: int,
        budget: int,
        rate_yuan: int,
    ) -> None:
        self.rng, self.year, self.budget, self.rate_yuan = rng, year, budget, rate_yuan
        self.sp = " " if rng.random() < 0.1 else ""
        self.ge, self.le = qrng.choice(((">=", "<="), ("≧", "≦"))) if variant else ("≥", "≤")

    def amount(self, cents: int) -> str:
        return f"{self.le}{self.sp}{wan_text(cents)}万元"

    def percent(self, targets: tuple[int, ...]) -> str:
        rng = self.rng
        n = rng.choice(targets)
        if n == 100:
            # ≥100% cannot be exceeded (review rule 4); real documents carry it.
            return f"{self.ge}{self.sp}100%" if rng.random() < 0.05 else "100%"
        if n == 92 and rng.random() < 0.3:
            return f"＞{n}%"
        return f"{self.ge}{self.sp}{n}%"

    def value(self, kind: str) -> str:
        rng = self.rng
        choice = rng.choice
        if kind == "pct":
            return self.percent(_PCT_TARGETS)
        if kind == "sat":
            return self.percent(_SAT_TARGETS)
        if kind in ("pct100", "share"):
            return "100%"
        if kind == "grade":
            return choice(_GRADES)
        if kind == "pct_or_grade":
            return self.percent(_PCT_TARGETS) if rng.random() < 0.5 else choice(_GRADES)
        if kind == "pct100_or_grade":
            return "100%" if rng.random() < 0.6 else choice(_GRADES)
        if kind == "yes":
            # The reference answers （是/否） questions with 100% as often as 是.
            return "是" if rng.random() < 0.4 else "100%"
        if kind == "zero":
            return choice(("0次", "0"))
        if kind == "years":
            return f"{self.ge}{self.sp}{rng.randint(3, 10)}年"
        if kind == "deadline":
            y = self.year
            return choice((f"{y}年12月31日前", f"{y}年6月30日前", f"{y}年11月30日前完成"))
        if kind == "monthly":
            return "每月的工作性补贴在次月上旬前完成划拨"
        if kind == "rate_event":
            return f"{choice((200, 300, 500, 800))}元/次/人"
        if kind == "rate_day":
            return f"{self.rate_yuan or choice((550, 650, 760))}元/天/人"
        if kind == "rate_month":
            return f"{self.rate_yuan or 4000}元/月/人"
        if kind == "rate_year":
            return f"{choice((500, 1000, 1200, 2000))}元/人/年"
        if kind == "budget_amount":
            return self.amount(self.budget)
        if kind == "sub_amount":
            return self.amount(max(1_0000_00, self.budget * rng.randint(10, 60) // 100 // 100_00 * 100_00))
        msg = f"unknown value kind {kind!r}"
        raise AssertionError(msg)


def _apply_value_quirks(p: Plan, qrng: random.Random) -> None:
    if "annual_differs" not in p.q:
        return
    if p.span > 1 and p.cap is not None and qrng.random() < 0.5:
        # A multi-year cap above the annual one (≤46万元 against ≤36.33万元).
        period_cap = p.cap * qrng.randint(12, 10 * min(p.span, 5)) // 10 // 100_00 * 100_00
        p.cap_row[1] = p.values.amount(max(period_cap, p.cap + 100_00))
        return
    k = qrng.randrange(len(p.qty_rows))
    row = p.qty_rows[k]
    digits = "".join(ch for ch in row[2] if ch.isdigit())
    if p.span == 1 and row[2] == digits:
        row[1] = f"{digits}{p.qty_units[k]}"  # 1个 against 1
    else:
        # 3 per period against 1 a year
        row[1] = row[1].replace(digits, str(int(digits) * (p.span if p.span > 1 else qrng.randint(2, 5))), 1)


class _Layout:
    __slots__ = (
        "goal_col0_row",
        "kv_extra",
        "l2_first_group",
        "left_shift_row",
        "right_shift_group",
    )

    def __init__(self) -> None:
        self.l2_first_group = -1
        self.right_shift_group = -1
        self.left_shift_row: list | None = None
        self.kv_extra: str | int | None = None  # "all" or the index of one key/value row
        self.goal_col0_row: int | None = None


def _choose_layout(p: Plan, qrng: random.Random) -> _Layout:
    q, groups = p.q, p.groups
    layout = _Layout()
    flat = [(gi, row) for gi, g in enumerate(groups) for sub in g[2] for row in sub[2]]
    if "level2_before_level1" in q:
        # 效益指标 as in the reference when it has two level-2 groups, else 产出指标 (always three).
        layout.l2_first_group = 1 if len(groups[1][2]) >= 2 and qrng.random() < 0.8 else 0
    if "row_shifted_right" in q:
        candidates = [gi for gi in range(1, len(groups)) if gi != layout.l2_first_group]
        layout.right_shift_group = 2 if qrng.random() < 0.7 else qrng.choice(candidates)
        groups[layout.right_shift_group][2][0][2][0][2] = None  # the annual value falls off the row
    if "cell_shifted_left" in q:
        skip = (layout.l2_first_group, layout.right_shift_group)
        # A row named like a category would be ambiguous once shifted.
        candidates = [row for gi, row in flat if gi not in skip and row[0] not in _LABELS]
        if candidates:
            layout.left_shift_row = qrng.choice(candidates)
        else:
            q.discard("cell_shifted_left")
    if "missing_annual_value" in q:
        qrng.choice([row for _, row in flat if row[2] is not None])[2] = None
    if "kv_extra_cell" in q:
        layout.kv_extra = "all" if qrng.random() < 0.5 else qrng.randint(0, 6)
    if "goal_at_column_0" in q:
        layout.goal_col0_row = 8 if qrng.random() < 0.3 else 10
    return layout


def _render(p: Plan, layout: _Layout, lines: list[str]) -> ProjectTruth:
    q, year = p.q, p.year
    append = lines.append
    heading_line = len(lines) + 1
    append("项目绩效目标表" if "no_heading_marks" in q else "## 项目绩效目标表")
    append("")
    line = len(lines) + 1
    budget_raw = _yuan(p.budget)
    kv = [
        ["项目名称", p.name],
        ["项目类型", p.type],
        ["项目等级", p.level],
        ["主管部门", p.department],
        ["用款单位", p.unit],
        ["实施周期", "起始年度", str(p.start), "到期年度", str(p.end)],
        [f"{year}年预算金额(元)", budget_raw],
        ["总体绩效目标", "实施周期总目标"],
        ["", p.goal_period],
        ["", f"{year}年度目标"],
        ["", p.goal_annual],
    ]
    if layout.kv_extra == "all":
        # The whole block, as in the reference's 人代会 project.
        for cells in kv:
            cells.insert(1, "")
    elif layout.kv_extra is not None:
        kv[layout.kv_extra].insert(1, "")
    if layout.goal_col0_row is not None:
        kv[layout.goal_col0_row] = [kv[layout.goal_col0_row][-1]]
    for cells in kv:
        append("\t".join(cells + [""] * (6 - len(cells))))
    append(_HEADER)

    indicators: list[IndicatorTruth] = []
    l2_first_group, right_shift_group, left_shift_row = (
        layout.l2_first_group,
        layout.right_shift_group,
        layout.left_shift_row,
    )
    for gi, (l1c, l1r, subs) in enumerate(p.groups):
        for si, (l2c, l2r, rows) in enumerate(subs):
            for ri, row in enumerate(rows):
                ind_name, pv, av = row
                av_cell = av or ""
                if gi == l2_first_group and ri == 0 and si <= 1:
                    # Level 2 in the level-1 column; level 1 comes with the next level 2.
                    if si == 0:
                        cells = ["", l2r, "", ind_name, pv, av_cell]
                    else:
                        cells = ["", l1r, l2r, ind_name, pv, av_cell]
                elif gi == right_shift_group and si == 0 and ri == 0:
                    cells = ["", "", l1r, l2r, ind_name, pv]
                else:
                    cells = [
                        "",
                        l1r if si == 0 and ri == 0 else "",
                        l2r if ri == 0 else "",
                        ind_name,
                        pv,
                        av_cell,
                    ]
                    if row is left_shift_row:
                        # One empty cell left of the name goes, one comes at the end:
                        # "成本指标⇥经济成本指标⇥name⇥v⇥v⇥", "⇥⇥name⇥v⇥v⇥".
                        del cells[0 if cells[1] else 1]
                        cells.append("")
                append("\t".join(cells))
                indicators.append(IndicatorTruth(l1c, l2c, ind_name, pv, av, l1r, l2r, len(lines)))
    for col0_name, pv, av in p.col0_rows:
        append(f"{col0_name}\t\t\t{pv}\t{av}\t")
        indicators.append(
            IndicatorTruth(
                "成本指标",
                "经济成本指标",
                col0_name,
                pv,
                av,
                "成本指标",
                "经济成本指标",
                len(lines),
            )
        )

    return ProjectTruth(
        name=p.name,
        type=p.type,
        level=p.level,
        department=p.department,
        unit=p.unit,
        start_year=p.start,
        end_year=p.end,
        budget_year=year,
        budget_cents=p.budget,
        budget_raw=budget_raw,
        cost_cap_cents=p.cap,
        goal_period=p.goal_period,
        goal_annual=p.goal_annual,
        line=line,
        heading_line=heading_line,
        quirks=tuple(x for x in QUIRKS if x in q),
        indicators=tuple(indicators),
    )


_BASIS = (
    "根据《东莞市{t}工作实施方案》要求",
    "为贯彻落实上级关于{t}工作的决策部署",
    "按照市委市政府关于{t}工作的部署",
    "根据《{plan}》",
    "根据{d}职能及年度工作计划",
)
_VERB = ("统筹推进", "持续做好", "扎实开展", "全面落实", "认真组织")
_RESULT = (
    "进一步提升{t}工作水平",
    "保障{t}工作顺利开展",
    "增强群众获得感和满意度",
    "提高财政资金使用效益",
    "为全市经济社会高质量发展提供有力保障",
)
_EXTRA = (
    "项目实施过程中严格执行财务管理制度，确保专款专用。",
    "加强过程管理和绩效监控，确保年度目标按期完成。",
    "建立健全工作机制，推动{t}工作规范化、制度化。",
    "加强与各镇街（园区）及相关部门的沟通协调，形成工作合力。",
)


def _goals(rng: random.Random, fmt: dict, department: str, year: int, phrase: str, html: bool) -> tuple[str, str]:
    choice = rng.choice
    plan = (
        "东莞市国民经济和社会发展第十五个五年规划纲要"
        if year >= 2026
        else "东莞市国民经济和社会发展第十四个五年规划纲要"
    )
    basis = choice(_BASIS).format(plan=plan, d=department, **fmt)
    t = fmt["t"]
    period = [
        f"{basis}，{choice(_VERB)}{t}相关工作，每年{phrase}，{choice(_RESULT).format(**fmt)}。",
        choice(_EXTRA).format(**fmt),
    ]
    annual = [
        f"{year}年，{choice(_VERB)}{t}相关工作，计划{phrase}，{choice(_RESULT).format(**fmt)}。",
        choice(_EXTRA).format(**fmt),
    ]
    sep = choice(("", " "))
    if html:
        return (
            " ".join(f"<p>{i}、{s}</p>" for i, s in enumerate(period, 1)),
            " ".join(f"<p>{i}、{s}</p>" for i, s in enumerate(annual, 1)),
        )
    return sep.join(period), sep.join(annual)


# --------------------------------------------------------------------------
# Two budget years of one department, differing by construction
# --------------------------------------------------------------------------


class TargetChangeTruth(NamedTuple):
    """One annual target a :class:`YearPair` changed between its two years.

    ``project`` is the project's name in the later year; ``before`` and
    ``after`` are the annual values as written.
    """

    project: str
    level1: str
    level2: str
    indicator: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class YearPair:
    """Two budget years of one department and every difference between them.

    The later document holds the earlier one's projects, rolled over to the
    later year (a name such as "2025年X经费" becomes "2026年X经费", deadlines
    move to the later year), minus :attr:`ended`, plus :attr:`new`, with
    :attr:`budget_changes` and :attr:`target_changes` applied. Nothing else
    differs, so a comparison of the two can be checked exactly.

    Attributes
    ----------
    continued
        ``(earlier name, later name)`` of every project in both years, in
        the later document's order.
    budget_changes
        ``(later name, earlier cents, later cents)`` of the projects whose
        budget changed.
    ended, new
        Names of the projects only in the earlier, only in the later year.
    target_changes
        Every annual target of a continued project that changed: the raised
        satisfaction target, and each cost indicator that states the budget
        of a project whose budget changed.
    """

    department: str
    earlier_name: str
    earlier_text: str
    earlier: Truth
    later_name: str
    later_text: str
    later: Truth
    continued: tuple[tuple[str, str], ...]
    budget_changes: tuple[tuple[str, int, int], ...]
    ended: tuple[str, ...]
    new: tuple[str, ...]
    target_changes: tuple[TargetChangeTruth, ...]

    def sources(self) -> list[tuple[str, bytes]]:
        """The two documents as ``(file name, UTF-8 bytes)``, ready for ``load_documents``."""
        return [
            (self.earlier_name, self.earlier_text.encode("utf-8")),
            (self.later_name, self.later_text.encode("utf-8")),
        ]


def generate_year_pair(
    n_projects: int = 12,
    *,
    seed: int = 0,
    department: str | None = None,
    years: tuple[int, int] = (2025, 2026),
    budget_changes: Sequence[int] = (10, -20, 50),
    n_ended: int = 2,
    n_new: int = 3,
    satisfaction: tuple[str, str] = ("≥90%", "≥95%"),
) -> YearPair:
    """Two clean documents of one department, a year apart, whose differences are known.

    Both years draw the same projects from the same seed (only the year in
    names, goals and deadlines differs); then, in the later year, the budgets
    of ``len(budget_changes)`` projects change by the given percentages
    (rounded to whole hundreds of 元, as budgets are written), together with
    the cost indicators that state those budgets; ``n_ended`` projects are
    dropped, ``n_new`` projects with names not seen before are appended, and
    one more project's first satisfaction target goes from
    ``satisfaction[0]`` to ``satisfaction[1]``. The projects each change
    touches are distinct and chosen by ``seed``.

    Parameters
    ----------
    n_projects
        Projects of the earlier document; at least
        ``len(budget_changes) + n_ended + 1``.
    seed
        Seed of the generator; the same arguments always give the same pair.
    department
        主管部门; by default one of :data:`DEPARTMENTS` chosen by ``seed``.
    years
        ``(earlier, later)`` budget years.
    budget_changes
        Percent change of each changed budget (``-20`` is a cut by a fifth).
    n_ended, n_new
        Projects dropped from, and added to, the later year.
    satisfaction
        The changed satisfaction target, ``(before, after)``.

    Examples
    --------
    >>> pair = generate_year_pair(10, seed=1)
    >>> len(pair.earlier.projects), len(pair.later.projects), len(pair.continued)
    (10, 11, 8)
    >>> [(c.before, c.after) for c in pair.target_changes if c.level1 == "满意度指标"]
    [('≥90%', '≥95%')]
    """
    earlier_year, later_year = years
    if earlier_year == later_year:
        msg = f"years must differ, got {years}"
        raise ValueError(msg)
    touched = len(budget_changes) + n_ended + 1
    if n_projects < touched or n_new < 0 or n_ended < 0:
        msg = (
            f"n_projects must be at least {touched} (budget changes, ended projects and the "
            f"satisfaction change each take their own project), got {n_projects}"
        )
        raise ValueError(msg)
    rng_seed = f"{seed}:pair"
    if department is None:
        # Its own stream: the projects must not depend on how the department was chosen.
        department = random.Random(rng_seed + ":department").choice(DEPARTMENTS)
    data = DEPARTMENT_BY_NAME.get(department) or (
        department,
        department.removeprefix("东莞市"),
        (),
        _GENERIC_TOPICS,
    )
    # Candidates for the new projects continue the later year's stream, so
    # their names are made unique against the continuing ones as a document's are.
    spare = 10 * n_new + 20
    earlier = _pair_plans(rng_seed, data, earlier_year, n_projects)
    later_all = _pair_plans(rng_seed, data, later_year, n_projects + spare)
    later, candidates = later_all[:n_projects], later_all[n_projects:]

    picks = random.Random(rng_seed + ":changes").sample(range(n_projects), touched)
    changed_at = dict(zip(picks, budget_changes))
    ended_at = set(picks[len(budget_changes) : len(budget_changes) + n_ended])
    satisfaction_at = picks[-1]

    target_changes: dict[int, list[TargetChangeTruth]] = {}
    budget_truth: dict[int, tuple[str, int, int]] = {}
    for i, pct in changed_at.items():
        p = later[i]
        old = p.budget
        new = max(_MIN_BUDGET_CENTS, round(old * (100 + pct) / 100 / 100_00) * 100_00)
        if new == old:
            new += 100_00  # a change too small to show in whole hundreds still changes
        budget_truth[i] = (p.name, old, new)
        target_changes[i] = _change_budget(p, new)
    target_changes.setdefault(satisfaction_at, []).append(
        _change_satisfaction(earlier[satisfaction_at], later[satisfaction_at], *satisfaction)
    )

    # A new project must not share a name with any earlier one once the
    # leading year is set aside, or a comparison would rightly call it continued.
    seen = {_without_leading_year(p.name) for p in later}
    new_plans = [p for p in candidates if _without_leading_year(p.name) not in seen][:n_new]
    if len(new_plans) < n_new:
        msg = f"found only {len(new_plans)} new project names for {department}; ask for fewer"
        raise ValueError(msg)

    kept = [i for i in range(n_projects) if i not in ended_at]
    earlier_text, earlier_truth = _render_plans(earlier, department, earlier_year)
    later_plans = [*(later[i] for i in kept), *new_plans]
    later_text, later_truth = _render_plans(later_plans, department, later_year)
    return YearPair(
        department=department,
        earlier_name=f"{earlier_year}_{department}.txt",
        earlier_text=earlier_text,
        earlier=earlier_truth,
        later_name=f"{later_year}_{department}.txt",
        later_text=later_text,
        later=later_truth,
        continued=tuple((earlier[i].name, later[i].name) for i in kept),
        budget_changes=tuple(budget_truth[i] for i in kept if i in budget_truth),
        ended=tuple(earlier[i].name for i in sorted(ended_at)),
        new=tuple(p.name for p in new_plans),
        target_changes=tuple(c for i in kept for c in target_changes.get(i, ())),
    )


def _pair_plans(rng_seed: str, data: tuple, year: int, count: int) -> list[Plan]:
    """``count`` clean project plans; the same seed gives the same projects in any year."""
    rng = random.Random(rng_seed)
    qrng = random.Random(rng_seed + ":quirks")  # never drawn from without quirks
    used: dict[str, int] = {}
    return [Plan(rng, qrng, set(), data, year, used) for _ in range(count)]


def _render_plans(plans: Sequence[Plan], department: str, year: int) -> tuple[str, Truth]:
    """A document of ``plans`` in the layout of :func:`generate_document` without quirks."""
    title = f"{year}年{department}部门预算绩效目标批复情况"
    preamble = _preamble(department, year)
    lines: list[str] = ["", "", f"# {title}", "", preamble, ""]
    projects = []
    for i, p in enumerate(plans):
        if i:
            lines.append("")
        projects.append(_render(p, _Layout(), lines))
    truth = Truth(title=title, year=year, department=department, preamble=preamble, projects=tuple(projects))
    return "\n".join(lines) + "\n", truth


def _change_budget(p: Plan, new: int) -> list[TargetChangeTruth]:
    """Set ``p``'s budget to ``new`` cents, with every indicator that states the budget."""
    old_value, new_value = p.values.amount(p.budget), p.values.amount(new)
    changes = []
    for l1, _, subs in p.groups:
        for l2, _, rows in subs:
            for row in rows:
                if row[2] == old_value:
                    changes.append(TargetChangeTruth(p.name, l1, l2, row[0], old_value, new_value))
                # The period value states the same cap; it moves with the budget too.
                row[1:] = [new_value if v == old_value else v for v in row[1:]]
    p.budget = new
    if p.cap is not None:
        p.cap = new
    return changes


def _change_satisfaction(earlier: Plan, later: Plan, before: str, after: str) -> TargetChangeTruth:
    """Set the first satisfaction target to ``before`` in ``earlier`` and ``after`` in ``later``."""
    for plan, value in ((earlier, before), (later, after)):
        group = next(g for g in plan.groups if g[0] == "满意度指标")
        row = group[2][0][2][0]
        row[1] = row[2] = value
    return TargetChangeTruth(later.name, "满意度指标", "服务对象满意度指标", row[0], before, after)


def _without_leading_year(name: str) -> str:
    """``name`` without a leading budget year ("2026年"), which rolls over every year."""
    if name[:4].isdigit() and name[:2] in ("19", "20") and name[4:5] == "年":
        return name[5:]
    return name


__all__ += ["TargetChangeTruth", "YearPair", "generate_year_pair"]
