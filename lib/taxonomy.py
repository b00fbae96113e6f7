"""Indicator taxonomy: map the spellings real documents use onto canonical categories.

Documents of the genre name the same 一级/二级 categories in many ways
(效果指标 for 效益指标, 数量指标(或建筑规模指标), with or without the trailing
指标). The parser trusts these names rather than column positions, so this
module is where "is this cell a category, and which one" is decided.
"""

from __future__ import annotations

import functools
import re

from lib.schema import LEVEL2_PARENT

_SPACES = re.compile(r"[\s\u3000]+")
_INDICATOR_WORD = re.compile(r"指标")
# A score annotation after a category: 成本指标(0-20)分, 产出指标(50分), 效益指标（30分）.
_SCORE = re.compile(r"\(\s*\d+(?:\.\d+)?\s*(?:[-~—至]\s*\d+(?:\.\d+)?\s*)?分?\s*\)\s*分?$")

# Keys are normalised (no spaces, no trailing 指标, ASCII brackets).
_LEVEL1_NAMES: dict[str, str] = {
    "产出": "产出指标",
    "预期产出": "产出指标",
    # Pre-2021 forms.
    "项目完成": "产出指标",
    "效益": "效益指标",
    "效果": "效益指标",
    "预期效果": "效益指标",
    "项目效益": "效益指标",
    "满意度": "满意度指标",
    "成本": "成本指标",
}

_LEVEL2_NAMES: dict[str, str] = {
    "数量": "数量指标",
    "数量(或建筑规模)": "数量指标",
    "建筑规模": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "时效(工期)": "时效指标",
    "工期": "时效指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标",
    "环境效益": "生态效益指标",
    "社会、经济、生态效益": "社会效益指标",
    "可持续影响": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
    "社会公众或服务对象满意度": "服务对象满意度指标",
    "社会公众满意度": "服务对象满意度指标",
    # A level 2 that repeats its level 1 (满意度指标 / 满意度指标).
    "满意度": "服务对象满意度指标",
    "经济成本": "经济成本指标",
    "社会成本": "社会成本指标",
    "生态环境成本": "生态环境成本指标",
    "环境成本": "生态环境成本指标",
}

# Names whose category depends on the 一级 they sit under: the pre-2021
# templates file cost under 产出指标, the current ones have a 成本指标 level 1.
_COST_LEVEL2 = {"成本", "预算(或投资规模)控制", "预算控制", "投资规模控制"}


@functools.lru_cache(maxsize=65536)
def normalise(cell: str) -> str:
    """The lookup key of a category cell: no spaces, ASCII brackets, no 指标.

    ``数量指标(或建筑规模指标)`` and ``数量(或建筑规模)`` are the same category,
    and a score annotation is no part of the name.

    >>> normalise("成本指标（0-20）分"), normalise("产出指标(50分)")
    ('成本', '产出')
    """
    key = _SPACES.sub("", cell).replace("（", "(").replace("）", ")")
    if key.endswith((")", "分")):
        key = _SCORE.sub("", key)
    return _INDICATOR_WORD.sub("", key)


def level1_of(cell: str) -> str | None:
    """Canonical 一级 for a cell, or ``None`` when the cell names no level 1.

    >>> level1_of("效果指标")
    '效益指标'
    """
    return _LEVEL1_NAMES.get(normalise(cell))


def level2_of(cell: str, *, level1: str | None = None) -> str | None:
    """Canonical 二级 for a cell, or ``None``; ``level1`` resolves cost names.

    >>> level2_of("数量指标(或建筑规模指标)")
    '数量指标'
    >>> level2_of("成本指标", level1="产出指标")
    '成本指标'
    """
    key = normalise(cell)
    if key in _COST_LEVEL2:
        return "经济成本指标" if level1 == "成本指标" else "成本指标"
    return _LEVEL2_NAMES.get(key)


def is_ambiguous(cell: str) -> bool:
    """Names that are a level 1 and a level 2 both.

    ``成本指标`` is a level 1 since 2021 and a level 2 under 产出指标 before;
    ``满意度指标`` is a level 1, and a level 2 under 效益指标 in older forms.
    """
    return normalise(cell) in ("成本", "满意度")


def is_cost(cell: str) -> bool:
    """True for a cell naming the cost category (成本指标)."""
    return normalise(cell) == "成本"


def parent(level2: str) -> str:
    """The canonical 一级 a canonical 二级 belongs to."""
    return LEVEL2_PARENT[level2]


#: The level 2 a level 1 stands for when a table gives no level 2: the
#: satisfaction and cost level 1s have one obvious level 2, the others none.
_DEFAULT_LEVEL2 = {"满意度指标": "服务对象满意度指标", "成本指标": "经济成本指标"}


def default_level2(level1: str) -> str | None:
    """The level 2 a canonical level 1 is filed under when the table names none, or ``None``.

    >>> default_level2("满意度指标"), default_level2("产出指标")
    ('服务对象满意度指标', None)
    """
    return _DEFAULT_LEVEL2.get(level1)
