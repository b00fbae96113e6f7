"""The synthetic generator writes the reference's format and tells the truth about it.

These tests read the generated text with deliberately naive means (split on
TAB, look at the line the truth points to); they must not depend on
``lib.loader``, whose correctness the generator exists to check.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import schema
from lib.testing.synth import (
    DEPARTMENTS,
    QUIRK_RATES,
    QUIRKS,
    Truth,
    generate_corpus,
    generate_corpus_with_truth,
    generate_document,
    generate_document_with_truth,
    write_corpus,
)

REFERENCE = Path(__file__).parent.parent / "data" / "000_a5ef52d3e8690c0f.txt"
HEADINGS = ("## 项目绩效目标表", "项目绩效目标表")
BUDGET_KEY = re.compile(r"^\d{4}年预算金额\(元\)$")


def shape_errors(text: str) -> list[str]:
    """Lines that are neither a plain line (blank, title, preamble, heading) nor six TAB cells."""
    errors = []
    for number, line in enumerate(text.splitlines(), 1):
        cells = line.split("\t")
        if len(cells) == 1:
            plain = line == "" or line.startswith(("# ", "根据")) or line in HEADINGS
            if not plain:
                errors.append(f"{number}: one cell: {line[:40]!r}")
        elif len(cells) != 6:
            errors.append(f"{number}: {len(cells)} cells: {line[:40]!r}")
    return errors


def budgets_in_text(text: str) -> list[Decimal]:
    amounts = []
    for line in text.splitlines():
        cells = [c for c in line.split("\t") if c]
        if cells and BUDGET_KEY.match(cells[0]):
            amounts.append(Decimal(cells[1].replace(",", "")))
    return amounts


def cells_at(text: str, line: int) -> list[str]:
    return text.splitlines()[line - 1].split("\t")


# --- format ---------------------------------------------------------------


def test_reference_document_has_the_line_shapes_the_generator_keeps() -> None:
    # Guards the shape rule itself: it must hold for the real document.
    assert shape_errors(REFERENCE.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("quirks", [True, False])
def test_every_line_is_plain_or_six_tab_separated_cells(quirks: bool) -> None:
    text = generate_document(300, seed=11, quirks=quirks)
    assert shape_errors(text) == []


def test_document_opens_like_the_reference() -> None:
    text, truth = generate_document_with_truth(2, seed=0, department="东莞市教育局", year=2025, quirks=False)
    lines = text.splitlines()
    assert lines[:4] == ["", "", "# 2025年东莞市教育局部门预算绩效目标批复情况", ""]
    assert lines[4].startswith("根据东莞市财政局《关于批复 2025 年市级部门预算的通知》")
    assert lines[4].endswith("现将 2025 年东莞市教育局部门预算绩效目标批复情况予以公开如下：")
    assert lines[5:9] == [
        "",
        "## 项目绩效目标表",
        "",
        f"项目名称\t{truth.projects[0].name}\t\t\t\t",
    ]
    # Projects are separated by one blank line; the document ends with its last row.
    assert lines[truth.projects[1].heading_line - 2] == ""
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_clean_project_block_has_the_reference_rows_in_order() -> None:
    text, truth = generate_document_with_truth(1, seed=4, quirks=False)
    p = truth.projects[0]
    rows = [line.split("\t") for line in text.splitlines()[p.line - 1 : p.line + 11]]
    assert [r[0] for r in rows] == [
        "项目名称",
        "项目类型",
        "项目等级",
        "主管部门",
        "用款单位",
        "实施周期",
        "2026年预算金额(元)",
        "总体绩效目标",
        "",
        "",
        "",
        "绩效指标",
    ]
    assert rows[0] == ["项目名称", p.name, "", "", "", ""]
    assert rows[5] == ["实施周期", "起始年度", str(p.start_year), "到期年度", str(p.end_year), ""]
    assert rows[6] == ["2026年预算金额(元)", p.budget_raw, "", "", "", ""]
    assert rows[7] == ["总体绩效目标", "实施周期总目标", "", "", "", ""]
    assert rows[8] == ["", p.goal_period, "", "", "", ""]
    assert rows[9] == ["", "2026年度目标", "", "", "", ""]
    assert rows[10] == ["", p.goal_annual, "", "", "", ""]
    assert rows[11] == [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "实施周期指标值",
        "年度指标值",
    ]


def test_budget_is_formatted_with_thousands_separators_and_two_decimals() -> None:
    _, truth = generate_document_with_truth(500, seed=2)
    for p in truth.projects:
        assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{2}", p.budget_raw), p.budget_raw
        assert Decimal(p.budget_raw.replace(",", "")) * 100 == p.budget_cents
        assert 10_000_00 <= p.budget_cents <= 5_000_000_00


# --- determinism ------------------------------------------------------------


def test_same_seed_gives_the_same_text() -> None:
    assert generate_document(40, seed=3) == generate_document(40, seed=3)
    assert generate_corpus(60, seed=3) == generate_corpus(60, seed=3)


def test_different_seeds_give_different_text() -> None:
    assert generate_document(40, seed=3) != generate_document(40, seed=4)


def test_text_is_the_same_with_and_without_truth() -> None:
    text, _ = generate_document_with_truth(25, seed=8, year=2024)
    assert text == generate_document(25, seed=8, year=2024)
    assert [(n, t) for n, t, _ in generate_corpus_with_truth(40, seed=8)] == generate_corpus(40, seed=8)


def test_corpus_documents_do_not_depend_on_corpus_size() -> None:
    small = generate_corpus(15, seed=6)
    large = generate_corpus(1_000, seed=6)
    assert small[0] == large[0]


# --- truth ------------------------------------------------------------------


def test_project_count_matches_headings_and_truth() -> None:
    text, truth = generate_document_with_truth(137, seed=1)
    lines = text.splitlines()
    assert sum(line in HEADINGS for line in lines) == 137
    assert sum(line.split("\t")[0] == "项目名称" for line in lines) == 137
    assert len(truth.projects) == 137
    assert [lines[p.heading_line - 1] in HEADINGS for p in truth.projects] == [True] * 137


def test_budgets_in_text_sum_to_truth_total() -> None:
    text, truth = generate_document_with_truth(400, seed=9)
    amounts = budgets_in_text(text)
    assert len(amounts) == 400
    assert sum(amounts) * 100 == truth.budget_total_cents
    assert [a * 100 for a in amounts] == [p.budget_cents for p in truth.projects]


def test_project_names_are_unique_within_a_document() -> None:
    _, truth = generate_document_with_truth(2_000, seed=1, department="东莞市档案馆")
    names = [p.name for p in truth.projects]
    assert len(set(names)) == len(names)


def test_truth_categories_are_canonical_schema_names() -> None:
    _, truth = generate_document_with_truth(500, seed=12)
    for p in truth.projects:
        for i in p.indicators:
            assert i.level1 in schema.LEVEL1
            assert schema.LEVEL2_PARENT[i.level2] == i.level1


def test_every_project_has_output_outcome_and_satisfaction_indicators() -> None:
    _, truth = generate_document_with_truth(300, seed=12)
    for p in truth.projects:
        level1 = {i.level1 for i in p.indicators}
        assert {"产出指标", "效益指标", "满意度指标"} <= level1
        assert ("成本指标" in level1) == ("no_cost_indicators" not in p.quirks)


def test_truth_points_at_the_row_holding_each_indicator() -> None:
    text, truth = generate_document_with_truth(400, seed=13)
    for p in truth.projects:
        for i in p.indicators:
            cells = cells_at(text, i.line)
            assert i.name in cells, (i, cells)
            # Values follow the name, except on a cost row at column 0
            # ("发放标准⇥⇥⇥1000元/人/年⇥1000元/人/年⇥"), where they stay in columns 3-4.
            at = len(cells) - 1 - cells[::-1].index(i.name)  # 服务对象满意度 can be label and name
            at = 2 if at == 0 else at
            assert cells[at + 1] == i.period_value, (i, cells)
            annual = cells[at + 2] if at + 2 < len(cells) else ""
            assert annual == (i.annual_value or ""), (i, cells)


def test_indicator_count_matches_table_rows() -> None:
    # Each project's indicators are exactly the rows between its header and
    # the blank line that ends the block.
    text, truth = generate_document_with_truth(200, seed=14)
    lines = text.splitlines()
    for p in truth.projects:
        header = next(n for n in range(p.line, len(lines) + 1) if lines[n - 1].startswith("绩效指标\t"))
        end = next((n for n in range(header + 1, len(lines) + 1) if lines[n - 1] == ""), len(lines) + 1)
        assert p.indicator_count == end - header - 1
        assert [i.line for i in p.indicators] == list(range(header + 1, end))


def test_cost_cap_is_the_budget_unless_the_quirk_says_otherwise() -> None:
    _, truth = generate_document_with_truth(600, seed=15)
    for p in truth.projects:
        if "no_cost_indicators" in p.quirks:
            assert p.cost_cap_cents is None
        elif "cap_differs" in p.quirks:
            assert p.cost_cap_cents != p.budget_cents
        else:
            assert p.cost_cap_cents == p.budget_cents


def test_truth_frames_use_schema_dtypes() -> None:
    _, truth = generate_document_with_truth(30, seed=16)
    indicators = truth.indicators_frame()
    assert indicators.height == truth.indicator_count
    for column, dtype in indicators.schema.items():
        if column != "project_name":
            assert dtype == schema.INDICATORS[column]
    projects = truth.projects_frame()
    assert projects.height == 30
    assert projects["budget_yuan"].sum() == pytest.approx(truth.budget_total_yuan)
    assert dict(projects.schema) == {c: schema.PROJECTS[c] for c in projects.columns}


# --- quirks -----------------------------------------------------------------


def test_clean_documents_have_no_quirks() -> None:
    text, truth = generate_document_with_truth(300, seed=17, quirks=False)
    assert "\n项目绩效目标表" not in text
    for p in truth.projects:
        assert p.quirks == ()
        for i in p.indicators:
            cells = cells_at(text, i.line)
            assert cells[0] == "" and cells[3] == i.name
            assert i.annual_value == i.period_value


def test_quirks_change_layout_not_content() -> None:
    # The same seed with and without quirks gives the same projects, and the
    # canonical categories of every indicator survive every layout quirk.
    _, quirky = generate_document_with_truth(400, seed=18)
    _, clean = generate_document_with_truth(400, seed=18, quirks=False)
    for q, c in zip(quirky.projects, clean.projects, strict=True):
        assert (q.name, q.budget_cents, q.type, q.unit) == (c.name, c.budget_cents, c.type, c.unit)
        got = [(i.level1, i.level2, i.name) for i in q.indicators]
        if "cost_row_at_column_0" in q.quirks:
            got = got[:-1]
        want = [(i.level1, i.level2, i.name) for i in c.indicators]
        if "no_cost_indicators" in q.quirks:
            want = [w for w in want if w[0] != "成本指标"]
        assert got == want, q.name


def _level2_labels() -> set[str]:
    from lib.testing.synth import L2_SPELLINGS

    return {s for spellings in L2_SPELLINGS.values() for s in spellings}


def _check_quirk(quirk: str, text: str, truth: Truth) -> None:
    lines = text.splitlines()
    for p in truth.projects:
        rows = [cells_at(text, i.line) for i in p.indicators]
        if quirk == "no_heading_marks":
            assert lines[p.heading_line - 1] == "项目绩效目标表"
        elif quirk == "kv_extra_cell":
            block = [line.split("\t") for line in lines[p.line - 1 : p.line + 6]]
            assert any(cells[0] and cells[1] == "" and cells[2] for cells in block)
        elif quirk == "goal_at_column_0":
            goals = [line.split("\t")[0] for line in lines[p.line - 1 : p.line + 11]]
            assert p.goal_period in goals or p.goal_annual in goals
        elif quirk == "goal_html":
            assert p.goal_period.startswith("<p>") and p.goal_annual.endswith("</p>")
        elif quirk == "level2_before_level1":
            assert any(r[1] in _level2_labels() and r[2] == "" for r in rows)
        elif quirk == "cost_row_at_column_0":
            last = p.indicators[-1]
            assert rows[-1] == [last.name, "", "", last.period_value, last.annual_value, ""]
            assert (last.level1, last.level2) == ("成本指标", "经济成本指标")
        elif quirk == "missing_annual_value":
            assert any(i.annual_value is None for i in p.indicators)
        elif quirk == "annual_differs":
            assert any(i.annual_value not in (None, i.period_value) for i in p.indicators)
        elif quirk == "cell_shifted_left":
            assert any(r[-1] == "" and r.index(i.name) < 3 for r, i in zip(rows, p.indicators, strict=True))
        elif quirk == "row_shifted_right":
            assert any(r[4] == i.name and i.annual_value is None for r, i in zip(rows, p.indicators, strict=True))
        elif quirk == "cap_differs":
            assert p.cost_cap_cents != p.budget_cents
        elif quirk == "no_cost_indicators":
            assert all(i.level1 != "成本指标" for i in p.indicators)
        elif quirk == "spelling_variant":
            pass  # checked across the document below
        elif quirk == "comparator_variant":
            assert any(re.search(r">=|<=|≧|≦", i.period_value or "") for i in p.indicators)
        else:
            pytest.fail(f"no check for quirk {quirk!r}; add one here")
    if quirk == "spelling_variant":
        default = {
            "产出指标",
            "效益指标",
            "满意度指标",
            "成本指标",
            "经济效益",
            "社会效益",
            "生态效益",
            "可持续影响",
            "服务对象满意度",
        }
        raws = {i.level1_raw for p in truth.projects for i in p.indicators} | {
            i.level2_raw for p in truth.projects for i in p.indicators
        }
        assert raws - default - {"数量指标", "质量指标", "时效指标", "经济成本指标"}


@pytest.mark.parametrize("quirk", QUIRKS)
def test_forced_quirk_is_in_every_project_and_in_the_text(quirk: str) -> None:
    text, truth = generate_document_with_truth(40, seed=19, quirks={quirk: 1.0})
    assert all(p.quirks == (quirk,) for p in truth.projects)
    assert shape_errors(text) == []
    _check_quirk(quirk, text, truth)


def test_quirks_by_name_use_default_rates() -> None:
    _, truth = generate_document_with_truth(400, seed=20, quirks=["no_heading_marks"])
    share = sum(p.quirks == ("no_heading_marks",) for p in truth.projects) / 400
    assert abs(share - QUIRK_RATES["no_heading_marks"]) < 0.08
    assert all(set(p.quirks) <= {"no_heading_marks"} for p in truth.projects)


def test_unknown_quirk_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown quirks"):
        generate_document(1, quirks={"merged_everything": 1.0})


def test_negative_count_is_an_error() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        generate_document(-1)


# --- corpus -----------------------------------------------------------------


def test_corpus_splits_projects_into_documents_across_departments() -> None:
    docs = generate_corpus_with_truth(100, seed=21, projects_per_document=15, years=(2025, 2026))
    assert [len(t.projects) for _, _, t in docs] == [15] * 6 + [10]
    assert [t.department for _, _, t in docs] == list(DEPARTMENTS[:7])
    assert {t.year for _, _, t in docs} == {2025}  # the next year starts after every department
    names = [name for name, _, _ in docs]
    assert names == sorted(names) and len(set(names)) == len(names)


def test_corpus_cycles_years_after_departments() -> None:
    n = len(DEPARTMENTS) + 1
    docs = generate_corpus_with_truth(n, seed=21, projects_per_document=1, years=(2025, 2026))
    assert [t.year for _, _, t in docs] == [2025] * len(DEPARTMENTS) + [2026]
    assert docs[-1][2].department == DEPARTMENTS[0]


def test_write_corpus_round_trips(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "c", 40, seed=22)
    assert [(p.name, p.read_text(encoding="utf-8")) for p in paths] == generate_corpus(40, seed=22)


def test_write_corpus_writes_gb18030_with_crlf(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, 5, seed=23, encoding="gb18030", newline="\r\n")
    raw = paths[0].read_bytes()
    assert b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b"")
    assert raw.decode("gb18030").replace("\r\n", "\n") == generate_corpus(5, seed=23)[0][1]


# --- properties and speed -------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=25),
    seed=st.integers(min_value=0, max_value=2**32),
    year=st.integers(min_value=2019, max_value=2030),
    quirks=st.booleans(),
)
def test_any_document_is_well_formed_and_truthful(n: int, seed: int, year: int, quirks: bool) -> None:
    text, truth = generate_document_with_truth(n, seed=seed, year=year, quirks=quirks)
    assert shape_errors(text) == []
    assert sum(line in HEADINGS for line in text.splitlines()) == n
    assert sum(budgets_in_text(text)) * 100 == truth.budget_total_cents
    assert all(p.start_year <= year <= p.end_year for p in truth.projects)


def test_corpus_of_ten_thousand_projects_has_them_all() -> None:
    # Speed is measured by bench/parse.py, not here.
    docs = generate_corpus(10_000, seed=24)
    assert sum(t.count("\n项目名称\t") for _, t in docs) == 10_000


def test_indicator_frame_compares_whole() -> None:
    # The frames are meant for whole-frame comparison with a loader's output.
    _, truth = generate_document_with_truth(3, seed=25, quirks=False)
    frame = truth.indicators_frame()
    expected = pl.DataFrame(
        [
            (
                p.name,
                i.line,
                i.level1,
                i.level2,
                i.level1_raw,
                i.level2_raw,
                i.name,
                i.period_value,
                i.annual_value,
            )
            for p in truth.projects
            for i in p.indicators
        ],
        schema=frame.schema,
        orient="row",
    )
    assert frame.equals(expected)
