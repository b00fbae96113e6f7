"""Tests for lib.export.deck: the deck is opened with python-pptx and read slide by slide.

The full deck is built once per module (its five charts are rendered with
kaleido, a few seconds); the other tests reuse it or stop before rendering.
"""

from __future__ import annotations

import io
import re
from datetime import date

import polars as pl
import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches
from support import REFERENCE

from lib import metrics, review
from lib.export import deck
from lib.loader import load_documents

TODAY = date(2026, 11, 28)
DEPARTMENT = "东莞市人民代表大会常务委员会办公室"
CHART_TITLES = [
    "各项目预算金额（万元）",
    "各类型项目预算金额（万元）",
    "预算结构：项目类型与项目（万元）",
    "绩效指标分类（一级、二级指标数量）",
    "年度百分比指标值分布",
]
FOOTER_TOP = Inches(7.05)


@pytest.fixture(scope="module")
def corpus():
    return load_documents([REFERENCE])


@pytest.fixture(scope="module")
def findings(corpus):
    """Findings shaped like lib.review's, built here so these tests do not depend on its rules."""
    ids = corpus.projects["project_id"].to_list()
    return pl.DataFrame(
        {
            "finding_id": ["a", "b", "c"],
            "rule_id": ["R13", "R01", "R08"],
            "severity": pl.Series(["低", "高", "中"], dtype=pl.Enum(["高", "中", "低"])),
            "project_id": [ids[0], ids[4], ids[4]],
            "indicator_id": [None, None, None],
            "message": ["套话重复使用", "缺少一级指标：成本指标", "成本指标高于预算"],
        }
    )


@pytest.fixture(scope="module")
def prs(corpus, findings):
    data = deck.build_deck(corpus, filters_text="未筛选", findings=findings, today=TODAY)
    return Presentation(io.BytesIO(data))


def _texts(slide) -> list[str]:
    """Every piece of text on a slide: text boxes and table cells."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out.extend(cell.text for row in shape.table.rows for cell in row.cells if cell.text)
    return out


def _title(slide) -> str:
    return next(shape.text_frame.text for shape in slide.shapes if shape.name == "title")


def _table(slide):
    return next(shape for shape in slide.shapes if shape.name == "targets")


def _rows(shape) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in shape.table.rows]


def _project_slides(prs) -> list:
    return [slide for slide in prs.slides if any(shape.name == "targets" for shape in slide.shapes)]


def test_deck_is_widescreen(prs):
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))


def test_deck_layout_title_overview_charts_review_then_projects_by_budget(prs, corpus):
    slides = list(prs.slides)
    projects = _project_slides(prs)
    # Title, overview, five charts, review, then one slide per project plus continuations.
    assert len(slides) == 1 + 1 + len(CHART_TITLES) + 1 + len(projects)
    assert slides[8:] == projects
    first_pages = [_title(s) for s in projects if "续" not in _title(s)]
    expected = metrics.rank_by_budget(corpus.projects)["name"].to_list()
    assert [re.sub(r"（\d+/\d+）$", "", title) for title in first_pages] == expected
    continued = [_title(s) for s in projects if "续" in _title(s)]
    assert len(projects) == 15 + len(continued)


def test_every_indicator_appears_once_across_the_project_slides(prs, corpus):
    rows = [row for slide in _project_slides(prs) for row in _rows(_table(slide))[1:]]
    assert len(rows) == corpus.indicators.height == 172
    assert sorted(row[2] for row in rows) == sorted(corpus.indicators["name"].to_list())


def test_title_slide_names_department_year_filters_and_date(prs):
    texts = _texts(prs.slides[0])
    assert DEPARTMENT in texts
    assert "2026年度" in texts
    assert "筛选：未筛选" in texts
    assert "生成日期：2026-11-28" in texts


def test_overview_slide_shows_the_key_figures(prs):
    texts = _texts(prs.slides[1])
    for expected in ("1,088.25", "10,882,500.00 元", "15", "172", "18.16%", "人代会：197.68 万元", "74.37%"):
        assert expected in texts, expected
    assert texts.count("人代会") == 1  # first of the five largest projects


def test_chart_slides_are_full_slide_pictures_with_their_titles_as_alt_text(prs):
    for slide, title in zip(list(prs.slides)[2:7], CHART_TITLES):
        (picture,) = slide.shapes
        assert (picture.left, picture.top, picture.width, picture.height) == (0, 0, prs.slide_width, prs.slide_height)
        assert picture.image.size == (1920, 1080)
        assert picture._element.nvPicPr.cNvPr.get("descr") == title


def test_review_slide_counts_findings_by_severity_most_serious_first(prs):
    slide = prs.slides[7]
    assert _title(slide) == "审核发现"
    texts = _texts(slide)
    assert texts[texts.index("高") + 1] == "1"
    assert texts[texts.index("低") + 1] == "1"
    messages = [text for text in texts if text in ("套话重复使用", "缺少一级指标：成本指标", "成本指标高于预算")]
    assert messages == ["缺少一级指标：成本指标", "成本指标高于预算", "套话重复使用"]


def test_project_slide_shows_the_target_card(prs):
    slide = next(s for s in _project_slides(prs) if _title(s) == "人代会")
    texts = _texts(slide)
    assert any("预算金额：197.68 万元" in text and "占总预算：18.16%" in text for text in texts)
    rows = _rows(_table(slide))
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值"]
    cap = next(row for row in rows if row[2] == "预算控制数")
    assert cap[3:] == ["≤ 197.68万元", "≤ 197.68万元"]
    assert len(rows) == 1 + 13  # all of 人代会's indicators fit one slide


def test_annual_values_that_differ_are_bold_orange(prs):
    for slide in _project_slides(prs):
        table = _table(slide).table
        for row in list(table.rows)[1:]:
            period, annual = row.cells[3], row.cells[4]
            run = annual.text_frame.paragraphs[0].runs[0]
            differs = period.text != annual.text
            assert bool(run.font.bold) == differs
            if differs:
                assert run.font.color.rgb == RGBColor(0xC2, 0x4E, 0x00)


def test_every_run_is_set_in_the_cjk_font_for_latin_and_east_asian_text(prs):
    runs = [r for slide in prs.slides for r in slide._element.iter(qn("a:r"))]
    assert len(runs) > 500
    for r in runs:
        rpr = r.find(qn("a:rPr"))
        assert rpr.find(qn("a:latin")).get("typeface") == deck.FONT
        assert rpr.find(qn("a:ea")).get("typeface") == deck.FONT


def test_nothing_runs_off_a_slide_and_tables_end_above_the_footer(prs):
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width, (number, shape.name)
            if shape.has_table:
                bottom = shape.top + sum(row.height for row in shape.table.rows)
                assert bottom <= FOOTER_TOP, (number, shape.name, Emu(bottom).inches)
            else:
                assert shape.top + shape.height <= prs.slide_height, (number, shape.name)


def test_long_goals_are_cut_to_fit(prs, corpus):
    longest = corpus.projects.sort(pl.col("goal_annual").str.len_chars(), descending=True).row(0, named=True)
    slide = next(s for s in _project_slides(prs) if _title(s).startswith(longest["name"]))
    shown = [text for text in _texts(slide) if text.endswith("…")]
    assert shown and all(len(text) < len(longest["goal_annual"]) for text in shown)


def test_project_ids_choose_the_project_slides_and_their_order(corpus):
    ids = corpus.projects["project_id"].to_list()
    data = deck.build_deck(corpus, filters_text="未筛选", project_ids=[ids[2], ids[4]], today=TODAY)
    slides = _project_slides(Presentation(io.BytesIO(data)))
    names = dict(corpus.projects.select("project_id", "name").iter_rows())
    assert [_title(s) for s in slides] == [names[ids[2]], names[ids[4]]]


def test_unknown_project_id_is_an_error(corpus):
    with pytest.raises(ValueError, match="not-a-project"):
        deck.build_deck(corpus, filters_text="", project_ids=["not-a-project"], today=TODAY)


# ---------------------------------------------------------------- command line


def test_cli_deck_has_the_apps_review_slide_and_is_named_after_the_documents(tmp_path, capsys, corpus):
    assert deck.main([str(REFERENCE), "--out", str(tmp_path)]) == 0
    (out,) = tmp_path.iterdir()
    assert capsys.readouterr().out == f"{out}\n"
    assert out.name == f"{DEPARTMENT}_2026_会议材料_{date.today().isoformat()}.pptx"
    slides = list(Presentation(out).slides)
    titles = [next((s.text_frame.text for s in slide.shapes if s.name == "title"), None) for slide in slides]
    assert titles.index("审核发现") == 2 + len(CHART_TITLES)
    # The counts of lib.review's findings, as the app's deck shows them.
    found = review.review(corpus)
    texts = _texts(slides[titles.index("审核发现")])
    assert texts[texts.index("审核意见") + 1] == str(found.height)
    for severity in ("高", "中", "低"):
        assert texts[texts.index(severity) + 1] == str(found.filter(pl.col("severity") == severity).height)
    assert len(_project_slides(Presentation(out))) >= 15


def test_cli_exit_codes(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "deck.pptx"
    assert deck.main([str(empty), "--out", str(out)]) == 1
    assert not out.exists()
    assert deck.main([str(tmp_path / "missing.txt"), "--out", str(out)]) == 2
    assert deck.main([str(REFERENCE)]) == 2  # --out is required
