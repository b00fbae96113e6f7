"""Random and mutated documents: the loader never raises and loses nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lib.loader import load_documents
from lib.ingest.text import decode
from support import REFERENCE, unaccounted_cells

SEED_LINES = REFERENCE.read_text(encoding="utf-8").splitlines()
CELL_WORDS = [
    "项目名称",
    "产出指标",
    "数量指标",
    "成本指标",
    "满意度指标",
    "经济效益",
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "总体绩效目标",
    "2026年度目标",
    "≥95%",
    "≤ 5万元",
    "1000元/人/年",
    "优",
    "XX",
    "项目绩效目标表",
    "2026年预算金额(元)",
    "1,000.00",
    "实施周期",
    "2021",
    "<p>目标</p>",
    "",
]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated_documents(draw) -> str:
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "shift", "swap", "truncate"]))
        at = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if not lines:
            break
        if op == "delete":
            del lines[at]
        elif op == "duplicate":
            lines.insert(at, lines[at])
        elif op == "insert":
            cells = draw(st.lists(st.one_of(st.sampled_from(CELL_WORDS), st.text(max_size=8)), max_size=7))
            lines.insert(at, "\t".join(cells))
        elif op == "shift":
            lines[at] = "\t" * draw(st.integers(-2, 2)) + lines[at] if True else lines[at]
            if lines[at].startswith("\t") and draw(st.booleans()):
                lines[at] = lines[at][1:]
        elif op == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif op == "truncate":
            lines = lines[:at]
    return "\n".join(lines)


@SETTINGS
@given(mutated_documents())
def test_mutated_reference_never_raises_and_loses_nothing(text):
    corpus = load_documents([("mutated.txt", text.encode("utf-8"))])
    codes = corpus.diagnostics["code"].to_list()
    assert "internal_error" not in codes
    if "binary_file" not in codes:  # a file refused whole is said so, cell by cell is moot
        assert unaccounted_cells(text, corpus) == []


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data):
    corpus = load_documents([("random.bin", data)])
    assert corpus.diagnostics.filter(corpus.diagnostics["code"] == "internal_error").height == 0
    if corpus.projects.height:
        assert unaccounted_cells(decode(data).text, corpus) == []


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(CELL_WORDS), max_size=7), max_size=40))
# Found by this test: a flat header naming 项目名称 twice dropped the first column's cell.
@example([["项目名称", "项目名称", "一级指标", "二级指标"], ["≥95%", "项目名称", "项目名称"]])
# And: a two-level table dropped a value written in its lead label column (绩效指标).
@example([["绩效指标", "一级指标", "三级指标"], ["1,000.00"]])
# And: a block whose header names 年度指标值 twice kept only the second column's cell.
@example(
    [
        ["产出指标", "产出指标", "产出指标", "三级指标", "三级指标", "年度指标值", "年度指标值"],
        ["产出指标", "项目名称", "项目名称", "项目名称", "项目名称", "≥95%", "项目名称"],
    ]
)
# And: a goal marker (目标) in HTML markup is a label the parser reads as one, not a lost cell.
@example([["项目名称", "<p>目标</p>", "一级指标", "二级指标"]])
def test_random_vocabulary_rows_never_raise_and_lose_nothing(rows):
    text = "\n".join("\t".join(cells) for cells in rows)
    corpus = load_documents([("words.txt", text.encode("utf-8"))])
    assert corpus.diagnostics.filter(corpus.diagnostics["code"] == "internal_error").height == 0
    assert unaccounted_cells(text, corpus) == []
