"""Tests for lib.export.deck: the deck is opened with python-pptx and read slide by slide.

Two full decks are built once per module (their five charts each are
rendered with kaleido, a few seconds): the reference document's and a
synthetic corpus's of four departments; the other tests reuse them or stop
before rendering. The presentation rules (lib.presentation) are checked on
both: titles, page numbers, sizes, fonts, rows per slide, speaker notes.
"""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date

import polars as pl
import pytest
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches
from support import REFERENCE

from lib import metrics, review
from lib.export import deck, naming
from lib.loader import load_documents
from lib.presentation import (
    BODY_PX,
    ROWS_PER_PART,
    SAFE_MARGIN_PX,
    SLIDE_FONT,
    SLIDE_FONT_FALLBACK,
    SLIDE_PX,
    TITLE_PX,
    parts,
    px_to_pt,
)
from lib.testing.synth import generate_corpus_with_truth

TODAY = date(2026, 11, 28)
DEPARTMENT = "东莞市人民代表大会常务委员会办公室"
CHART_TITLES = [
    "各项目预算金额（万元）",
    "各类型项目预算金额（万元）",
    "预算结构：项目类型与项目（万元）",
    "绩效指标分类（一级、二级指标数量）",
    "年度百分比指标值分布",
]


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


def _deck(corpus, findings):
    """The whole deck of ``corpus`` with ``findings``, opened."""
    return Presentation(io.BytesIO(deck.build_deck(corpus, filters_text="未筛选", findings=findings, today=TODAY)))


@pytest.fixture(scope="module")
def prs(corpus, findings):
    return _deck(corpus, findings)


@pytest.fixture(scope="module")
def reviewed(corpus):
    """lib.review's findings on the reference document."""
    return review.review(corpus)


@pytest.fixture(scope="module")
def reviewed_prs(corpus, reviewed):
    """The reference document's deck as the app builds it, with lib.review's findings."""
    return _deck(corpus, reviewed)


@pytest.fixture(scope="module")
def synthetic():
    """Sixty projects of four departments, up to 17 indicators a project, with lib.review's findings."""
    docs = generate_corpus_with_truth(60, seed=7)
    return load_documents([(name, text.encode()) for name, text, _ in docs])


@pytest.fixture(scope="module")
def synthetic_findings(synthetic):
    return review.review(synthetic)


@pytest.fixture(scope="module")
def synthetic_prs(synthetic, synthetic_findings):
    return _deck(synthetic, synthetic_findings)


@pytest.fixture(params=["reference", "synthetic"])
def case(request):
    """(corpus, findings, deck) of the reference document and of the synthetic corpus, with lib.review's findings."""
    if request.param == "reference":
        names = ("corpus", "reviewed", "reviewed_prs")
    else:
        names = ("synthetic", "synthetic_findings", "synthetic_prs")
    return tuple(request.getfixturevalue(name) for name in names)


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
    return slide.shapes.title.text_frame.text


def _continued(slide) -> bool:
    """A project's second or later slide: its title ends "（续 2/3）"."""
    return re.search(r"（续 \d+/\d+）$", _title(slide)) is not None


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def _table(slide):
    return next(shape for shape in slide.shapes if shape.name == "targets")


def _has_table(slide) -> bool:
    return any(shape.name == "targets" for shape in slide.shapes)


def _rows(shape) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in shape.table.rows]


def _project_slides(prs) -> list:
    """The slides of the projects: each shows the project's facts."""
    return [slide for slide in prs.slides if any(shape.name == "facts" for shape in slide.shapes)]


def _table_slides(prs) -> list:
    """The project slides that show a part of a target table."""
    return [slide for slide in _project_slides(prs) if _has_table(slide)]


def _groups(prs) -> list[list]:
    """The slides of each project, in order: a slide not continued starts one."""
    groups: list[list] = []
    for slide in _project_slides(prs):
        if _continued(slide):
            groups[-1].append(slide)
        else:
            groups.append([slide])
    return groups


def _flat(text: str) -> str:
    """``text`` without whitespace: where a column wraps or continues a text does not matter."""
    return re.sub(r"\s+", "", text)


def _named(slides, name: str) -> str:
    """The text of the shapes called ``name`` on ``slides``, in order, whitespace dropped."""
    return "".join(_flat(shape.text_frame.text) for slide in slides for shape in slide.shapes if shape.name == name)


def test_deck_is_widescreen(prs):
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))


def test_deck_layout_title_overview_charts_review_then_projects_by_budget(prs, corpus):
    slides = list(prs.slides)
    projects = _project_slides(prs)
    # Title, overview, five charts, review, then one slide per project plus continuations.
    assert len(slides) == 1 + 1 + len(CHART_TITLES) + 1 + len(projects)
    assert slides[8:] == projects
    first_pages = [_title(s) for s in projects if not _continued(s)]
    expected = metrics.rank_by_budget(corpus.projects)["name"].to_list()
    assert [re.sub(r"（\d+/\d+）$", "", title) for title in first_pages] == expected
    continued = [_title(s) for s in projects if _continued(s)]
    assert len(projects) == 15 + len(continued)


def test_every_indicator_appears_once_across_the_project_slides(prs, corpus):
    rows = [row for slide in _table_slides(prs) for row in _rows(_table(slide))[1:]]
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


def test_chart_slides_are_full_slide_pictures_over_their_title_placeholders(prs):
    for slide, title in zip(list(prs.slides)[2:7], CHART_TITLES):
        placeholder, picture, page = slide.shapes
        assert placeholder == slide.shapes.title and _title(slide) == title
        assert (picture.left, picture.top, picture.width, picture.height) == (0, 0, prs.slide_width, prs.slide_height)
        assert picture.image.size == (1920, 1080)
        assert picture._element.nvPicPr.cNvPr.get("descr") == title
        # The image draws the title; the placeholder lies behind it, the page number on top.
        assert page.name == "page"


def test_chart_notes_say_what_the_chart_shows(prs, corpus):
    caption = naming.caption(corpus, filters_text="未筛选", lang="zh")
    for slide, title in zip(list(prs.slides)[2:7], CHART_TITLES):
        notes = _notes(slide).split("\n")
        assert notes[0] == title and notes[-1] == caption
    assert _notes(prs.slides[2]).split("\n")[1] == "合计 1,088.25 万元，15 个项目"


def test_review_slide_counts_findings_by_severity_most_serious_first(prs):
    slide = prs.slides[7]
    assert _title(slide) == "审核发现"
    texts = _texts(slide)
    assert texts[texts.index("高") + 1] == "1"
    assert texts[texts.index("低") + 1] == "1"
    messages = [text for text in texts if text in ("套话重复使用", "缺少一级指标：成本指标", "成本指标高于预算")]
    assert messages == ["缺少一级指标：成本指标", "成本指标高于预算", "套话重复使用"]


def test_project_slide_shows_the_target_card(prs):
    slides = [s for s in _project_slides(prs) if re.fullmatch(r"人代会(（(续 )?\d/\d）)?", _title(s))]
    assert [_title(s) for s in slides] == ["人代会（1/2）", "人代会（续 2/2）"]
    for slide in slides:
        texts = _texts(slide)
        assert any("预算金额：197.68 万元" in text and "占总预算：18.16%" in text for text in texts)
    slides = [slide for slide in slides if _has_table(slide)]
    for slide in slides:
        assert _rows(_table(slide))[0] == ["一级指标", "二级指标", "三级指标", "实施周期指标值", "年度指标值", "发现"]
    rows = [row for slide in slides for row in _rows(_table(slide))[1:]]
    cap = next(row for row in rows if row[2] == "预算控制数")
    assert cap[3:] == ["≤ 197.68万元", "≤ 197.68万元", ""]
    # 13 indicators at 12 pt are more than one slide holds: split evenly, as lib.presentation.parts does.
    assert [len(_rows(_table(slide))) - 1 for slide in slides] == [7, 6]


def test_annual_values_that_differ_are_bold_orange(prs):
    for slide in _table_slides(prs):
        table = _table(slide).table
        for row in list(table.rows)[1:]:
            period, annual = row.cells[3], row.cells[4]
            run = annual.text_frame.paragraphs[0].runs[0]
            differs = period.text != annual.text
            assert bool(run.font.bold) == differs
            if differs:
                assert run.font.color.rgb == RGBColor(0xC2, 0x4E, 0x00)


def test_nothing_runs_off_a_slide_and_nothing_reaches_into_the_footer(case):
    *_, prs = case
    for number, slide in enumerate(list(prs.slides)[1:], start=2):
        footer_top = next(shape.top for shape in slide.shapes if shape.name == "page")
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width, (number, shape.name)
            if shape.name in ("page", "footer") or shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                continue
            height = sum(row.height for row in shape.table.rows) if shape.has_table else shape.height
            assert shape.top + height <= footer_top, (number, shape.name, Emu(shape.top + height).inches)


def test_project_ids_choose_the_project_slides_and_their_order(corpus):
    ids = corpus.projects["project_id"].to_list()
    data = deck.build_deck(corpus, filters_text="未筛选", project_ids=[ids[2], ids[4]], today=TODAY)
    slides = _project_slides(Presentation(io.BytesIO(data)))
    names = dict(corpus.projects.select("project_id", "name").iter_rows())
    first_pages = [re.sub(r"（\d+/\d+）$", "", _title(s)) for s in slides if not _continued(s)]
    assert first_pages == [names[ids[2]], names[ids[4]]]


def test_an_indicator_too_tall_for_a_slide_gets_one_and_the_others_fill_slides_in_order(corpus, monkeypatch):
    # Charts are not what this test is about: a blank image for each keeps it fast.
    blank = io.BytesIO()
    Image.new("RGB", (16, 9), "white").save(blank, format="PNG")
    monkeypatch.setattr(
        deck.images,
        "chart_pngs",
        lambda figures, caption, **_: [blank.getvalue()]
        * sum(deck.images.part_count(f, caption=caption) for f in figures),
    )
    project = corpus.projects.filter(pl.col("name") == "人代会")["project_id"].item()
    card = metrics.card_indicators(corpus.indicators, project)
    tall = card["indicator_id"][2]
    indicators = corpus.indicators.with_columns(
        name=pl.when(pl.col("indicator_id") == tall).then(pl.lit("会议" * 600)).otherwise(pl.col("name"))
    )
    data = deck.build_deck(
        dataclasses.replace(corpus, indicators=indicators), filters_text="未筛选", project_ids=[project], today=TODAY
    )
    slides = _project_slides(Presentation(io.BytesIO(data)))
    sizes = [len(_table(slide).table.rows) - 1 for slide in slides]
    assert all(_has_table(slide) for slide in slides)
    # Not a slide per row: two rows, the tall one alone, then the other ten together.
    assert sizes == [2, 1, 10]
    assert _rows(_table(slides[1]))[1][2] == "会议" * 600
    assert [_title(slide) for slide in slides] == ["人代会（1/3）", "人代会（续 2/3）", "人代会（续 3/3）"]


def test_unknown_project_id_is_an_error(corpus):
    with pytest.raises(ValueError, match="not-a-project"):
        deck.build_deck(corpus, filters_text="", project_ids=["not-a-project"], today=TODAY)


# ---------------------------------------------------------------- presentation rules

BODY_PT, TITLE_PT = px_to_pt(BODY_PX), px_to_pt(TITLE_PX)
SAFE = Inches(SAFE_MARGIN_PX * 13.333 / SLIDE_PX[0])


def _first_size(candidates, level: int) -> float | None:
    """The smallest size in points the first list of ``candidates`` that sets one gives paragraphs of ``level``.

    Each entry of ``candidates`` is a list of list-style elements (a:lstStyle,
    p:titleStyle, …) PowerPoint may take a size from at that step; where it
    might take either, the smaller counts.
    """
    for styles in candidates:
        sizes = []
        for style in styles:
            level_style = None if style is None else style.find(qn(f"a:lvl{level + 1}pPr"))
            default = None if level_style is None else level_style.find(qn("a:defRPr"))
            if default is not None and default.get("sz"):
                sizes.append(int(default.get("sz")) / 100)
        if sizes:
            return min(sizes)
    return None


def _inherited(shape, prs) -> tuple[list, list]:
    """(list styles, text bodies) a shape's text inherits from, nearest first, after its own a:lstStyle."""
    master = prs.slide_master._element
    if not shape.is_placeholder:
        # A text box or table takes the presentation's default text style; the master's otherStyle
        # may apply too, so both count.
        others = [
            prs.part._element.find(qn("p:defaultTextStyle")),
            master.find(qn("p:txStyles")).find(qn("p:otherStyle")),
        ]
        return [others], []
    layout_ph = shape._base_placeholder
    master_ph = layout_ph._base_placeholder if layout_ph is not None else None
    kind = "titleStyle" if shape.placeholder_format.type in (1, 3) else "bodyStyle"  # TITLE, CENTER_TITLE
    bases = [ph._element.txBody for ph in (layout_ph, master_ph) if ph is not None and ph.has_text_frame]
    return [[body.find(qn("a:lstStyle"))] for body in bases] + [
        [master.find(qn("p:txStyles")).find(qn(f"p:{kind}"))]
    ], bases


def _text_runs(prs):
    """(slide number, shape, is title, text, points) of every run and field on the slides.

    A run's size is its own ``sz``, else the nearest list style's for its
    paragraph level (its text body's, then the layout's and master's for a
    placeholder, then the defaults); None when nothing sets one. A text body
    that PowerPoint may shrink to fit (``a:normAutofit``, its own or
    inherited) could draw any size, so it counts as None too.
    """
    found = []
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            bodies = []
            if shape.has_text_frame:
                bodies.append(shape.text_frame._txBody)
            if shape.has_table:
                bodies.extend(cell._tc.txBody for row in shape.table.rows for cell in row.cells)
            styles, bases = _inherited(shape, prs)
            is_title = shape.is_placeholder and shape == slide.shapes.title
            for body in bodies:
                fits = [b.find(qn("a:bodyPr")) for b in (body, *bases)]
                autofit = next(
                    (child.tag for fit in fits for child in fit if child.tag.endswith(("Autofit", "AutoFit"))), None
                )
                shrinks = autofit == qn("a:normAutofit")
                for paragraph in body.iter(qn("a:p")):
                    ppr = paragraph.find(qn("a:pPr"))
                    level = int(ppr.get("lvl", 0)) if ppr is not None else 0
                    for run in paragraph:
                        if run.tag not in (qn("a:r"), qn("a:fld")):
                            continue
                        rpr = run.find(qn("a:rPr"))
                        own = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz") else None
                        size = own or _first_size([[body.find(qn("a:lstStyle"))], *styles], level)
                        text = "".join(run.itertext())
                        found.append((number, shape, is_title, text, None if shrinks else size))
    return found


def test_every_slide_has_a_title_placeholder_with_text(case):
    *_, prs = case
    for number, slide in enumerate(prs.slides, start=1):
        title = slide.shapes.title
        assert title is not None and title.is_placeholder, number
        assert title.text_frame.text.strip(), number


def test_every_slide_but_the_cover_shows_its_number_inside_the_safe_margin(case):
    *_, prs = case
    assert not list(prs.slides[0]._element.iter(qn("a:fld")))
    for number, slide in enumerate(list(prs.slides)[1:], start=2):
        (shape,) = [s for s in slide.shapes if list(s._element.iter(qn("a:fld")))]
        (field,) = shape._element.iter(qn("a:fld"))
        # A slide-number field: PowerPoint renumbers it when slides move; its text is the number until then.
        assert field.get("type") == "slidenum"
        assert shape.text_frame.text == str(number)
        assert shape.left >= SAFE and shape.top >= SAFE, number
        assert shape.left + shape.width <= prs.slide_width - SAFE, number
        assert shape.top + shape.height <= prs.slide_height - SAFE, number


def test_text_lies_inside_the_safe_margin(case):
    *_, prs = case
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if not (shape.has_text_frame and shape.text_frame.text) and not shape.has_table:
                continue  # pictures carry their own margins; the cover's accent bar bleeds on purpose
            height = sum(row.height for row in shape.table.rows) if shape.has_table else shape.height
            assert shape.left >= SAFE and shape.top >= SAFE, (number, shape.name)
            assert shape.left + shape.width <= prs.slide_width - SAFE, (number, shape.name)
            assert shape.top + height <= prs.slide_height - SAFE, (number, shape.name)


def test_no_text_is_smaller_than_12_pt_and_no_title_smaller_than_20_pt(case):
    *_, prs = case
    runs = _text_runs(prs)
    assert len(runs) > 300
    for number, shape, is_title, text, size in runs:
        assert size is not None and size >= BODY_PT, (number, shape.name, text, size)
        if is_title:
            assert size >= TITLE_PT, (number, text, size)
    # Table cells, the page number and the footer are among them.
    names = {shape.name for _, shape, *_ in runs}
    assert {"targets", "page", "footer"} <= names


def test_every_run_names_the_slide_fonts_for_east_asian_and_latin_script(case):
    *_, prs = case
    runs = [run for slide in prs.slides for run in slide._element.iter(qn("a:r"), qn("a:fld"))]
    assert len(runs) > 300
    for run in runs:
        rpr = run.find(qn("a:rPr"))
        assert rpr.find(qn("a:ea")).get("typeface") == SLIDE_FONT, "".join(run.itertext())
        assert rpr.find(qn("a:latin")).get("typeface") == SLIDE_FONT_FALLBACK, "".join(run.itertext())


def test_no_table_has_more_body_rows_than_a_part_holds(case):
    *_, prs = case
    tables = [shape for slide in prs.slides for shape in slide.shapes if shape.has_table]
    assert len(tables) > 10
    assert all(len(shape.table.rows) - 1 <= ROWS_PER_PART for shape in tables)


def test_split_target_tables_are_even_parts_labelled_in_their_titles(case):
    corpus, _, prs = case
    groups = _groups(prs)
    assert len(groups) == corpus.projects.height
    assert any(len(group) > 1 for group in groups)
    counts = dict(corpus.indicators.group_by("project_id").len().iter_rows())
    ranked = metrics.rank_by_budget(corpus.projects)
    for project, group in zip(ranked.iter_rows(named=True), groups):
        total = counts.get(project["project_id"], 0)
        labels = [f"（{n}/{len(group)}）" if n == 1 else f"（续 {n}/{len(group)}）" for n in range(1, len(group) + 1)]
        if len(group) > 1:
            assert [_title(slide)[-len(label) :] for slide, label in zip(group, labels)] == labels
        # Slides that continue the goals and findings come before the table's other parts.
        tabled = [slide for slide in group if _has_table(slide)]
        assert tabled[0] == group[0] and group[len(group) - len(tabled) + 1 :] == tabled[1:]
        sizes = [len(_table(slide).table.rows) - 1 for slide in tabled]
        # A project without indicators still gets its slide, with the table's header.
        even = [part.stop - part.start for part in parts(total, per_part=-(-total // len(tabled)))] if total else [0]
        assert sizes == even, project["name"]


def test_project_notes_hold_the_full_goals(case):
    corpus, _, prs = case
    slides = _project_slides(prs)
    firsts = [slide for slide in slides if not _continued(slide)]
    ranked = metrics.rank_by_budget(corpus.projects)
    assert len(firsts) == ranked.height
    for project, slide in zip(ranked.iter_rows(named=True), firsts):
        notes = _notes(slide)
        assert notes.split("\n")[0].startswith(project["name"])
        for goal in (project["goal_period"], project["goal_annual"]):
            assert goal and goal in notes, (project["name"], goal)
    # Every slide has notes, the continuations' too.
    assert all(_notes(slide) for slide in prs.slides)


def test_review_notes_hold_every_finding_in_full(case):
    _, findings, prs = case
    (slide,) = [s for s in prs.slides if _title(s) == "审核发现"]
    notes = _notes(slide)
    for message in findings["message"].to_list():
        assert message in notes, message
    assert notes.count("\n") >= findings.height


def test_goals_appear_in_full_on_the_project_slides(case):
    corpus, _, prs = case
    groups = _groups(prs)
    ranked = metrics.rank_by_budget(corpus.projects)
    assert len(groups) == ranked.height
    for project, group in zip(ranked.iter_rows(named=True), groups):
        shown = _named(group, "goal")
        for goal in (project["goal_period"], project["goal_annual"]):
            assert goal and _flat(goal) in shown, (project["name"], goal)
        assert "…" not in shown


def test_goals_too_long_for_the_first_slide_continue_on_the_next(reviewed_prs, corpus):
    longest = corpus.projects.sort(pl.col("goal_annual").str.len_chars(), descending=True).row(0, named=True)
    group = next(group for group in _groups(reviewed_prs) if _title(group[0]).startswith(longest["name"]))
    assert _named(group[:1], "goal") and _named(group[1:2], "goal")
    labels = [shape.text_frame.text for shape in group[1].shapes if shape.name == "label"]
    assert labels[0].endswith("（续）")
    assert _flat(longest["goal_annual"]) in _named(group, "goal")


def _finding_lines(findings: pl.DataFrame, lang: str = "zh") -> list[str]:
    """A project's findings as the card writes them, most serious first, built here from the rules' titles."""
    titles = dict(review.rules_frame(lang).select("id", "title").iter_rows())
    ranked = review.in_language(findings, lang).sort("severity", "rule_id", maintain_order=True)
    labels = review.severity_labels(lang)
    mark = "【{}】{} {}：{}" if lang == "zh" else "[{}] {} {}: {}"
    return [
        mark.format(labels[row["severity"]], row["rule_id"], titles[row["rule_id"]], row["message"])
        for row in ranked.iter_rows(named=True)
    ]


def test_every_finding_is_on_its_projects_slides_with_its_rule_title_most_serious_first(case):
    corpus, findings, prs = case
    ranked = metrics.rank_by_budget(corpus.projects)
    seen = 0
    for project, group in zip(ranked.iter_rows(named=True), _groups(prs)):
        lines = _finding_lines(findings.filter(pl.col("project_id") == project["project_id"]))
        shown = _named(group, "findings")
        at = [shown.find(_flat(line)) for line in lines]
        assert -1 not in at, (project["name"], lines)
        assert at == sorted(at)
        notes = _notes(group[0])
        assert all(line in notes for line in lines)
        seen += len(lines)
    assert seen == findings.height > 30


def test_flagged_rows_are_marked_and_each_legend_is_on_exactly_the_slides_with_its_highlight(case):
    corpus, findings, prs = case
    ranked = metrics.rank_by_budget(corpus.projects)
    legends = {"legend_differs": 0, "legend_flagged": 0}
    for project, group in zip(ranked.iter_rows(named=True), _groups(prs)):
        card = metrics.card_indicators(corpus.indicators, project["project_id"])
        rules = findings.filter(pl.col("indicator_id").is_not_null()).group_by("indicator_id").agg("rule_id")
        flags = dict(rules.iter_rows())
        expected = [" ".join(sorted(set(flags.get(i, [])))) for i in card["indicator_id"].to_list()]
        shown = []
        for slide in (s for s in group if _has_table(s)):
            table = _table(slide).table
            assert table.cell(0, 5).text == "发现"
            rows = list(table.rows)[1:]
            for row in rows:
                flag = row.cells[5].text
                shown.append(flag)
                # The flagged indicator's name and rule ids on pink.
                fill = RGBColor(0xFB, 0xE3, 0xE4) if flag else RGBColor(0xFF, 0xFF, 0xFF)
                assert row.cells[2].fill.fore_color.rgb == fill, (project["name"], row.cells[2].text)
            names = {shape.name: shape.text_frame.text for shape in slide.shapes if shape.name.startswith("legend")}
            assert ("legend_flagged" in names) == any(row.cells[5].text for row in rows), _title(slide)
            assert ("legend_differs" in names) == any(row.cells[3].text != row.cells[4].text for row in rows)
            assert names.get("legend_flagged", "■ 审核规则标出的指标") == "■ 审核规则标出的指标"
            assert names.get("legend_differs", "■ 年度值与实施周期值不同") == "■ 年度值与实施周期值不同"
            for name in names:
                legends[name] += 1
        assert shown == expected, project["name"]
    assert all(legends.values()), legends


def test_project_slides_in_english_write_findings_goals_and_legends_in_english(corpus, reviewed, monkeypatch):
    blank = io.BytesIO()
    Image.new("RGB", (16, 9), "white").save(blank, format="PNG")
    monkeypatch.setattr(
        deck.images,
        "chart_pngs",
        lambda figures, caption, **_: [blank.getvalue()]
        * sum(deck.images.part_count(f, caption=caption) for f in figures),
    )
    project = corpus.projects.filter(pl.col("name") == "人代会").row(0, named=True)
    data = deck.build_deck(
        corpus, filters_text="none", findings=reviewed, project_ids=[project["project_id"]], lang="en", today=TODAY
    )
    slides = _project_slides(Presentation(io.BytesIO(data)))
    lines = _finding_lines(reviewed.filter(pl.col("project_id") == project["project_id"]), "en")
    assert lines and all(_flat(line) in _named(slides, "findings") for line in lines)
    assert _flat(project["goal_period"]) in _named(slides, "goal")
    legends = [shape.text_frame.text for slide in slides for shape in slide.shapes if shape.name == "legend_flagged"]
    assert legends and set(legends) == {"■ Indicators a review rule flagged"}
    assert any(re.search(r" \(continued, 2/\d\)$", _title(slide)) for slide in slides)


def test_footer_one_line_high_still_shows_the_caption(prs, corpus):
    caption = naming.caption(corpus, filters_text="未筛选", lang="zh")
    footers = [shape for slide in prs.slides for shape in slide.shapes if shape.name == "footer"]
    assert footers and all(shape.text_frame.text == caption for shape in footers)


# ---------------------------------------------------------------- command line


def test_cli_deck_has_the_apps_review_slide_and_is_named_after_the_documents(tmp_path, capsys, corpus):
    assert deck.main([str(REFERENCE), "--out", str(tmp_path)]) == 0
    (out,) = tmp_path.iterdir()
    assert capsys.readouterr().out == f"{out}\n"
    assert out.name == f"{DEPARTMENT}_2026_会议材料_{date.today().isoformat()}.pptx"
    slides = list(Presentation(out).slides)
    titles = [_title(slide) for slide in slides]
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


@pytest.mark.parametrize("which", ["reviewed_prs", "synthetic_prs"])
def test_every_chart_picture_is_a_whole_16_9_slide_and_tall_charts_come_in_parts(which, request):
    from PIL import Image

    deck = request.getfixturevalue(which)
    titles = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.shape_type == 13:  # a picture: drawn at the slide's own 16:9, never stretched
                assert Image.open(io.BytesIO(shape.image.blob)).size == (1920, 1080)
                assert (shape.width, shape.height) == (deck.slide_width, deck.slide_height)
                titles.append(slide.shapes.title.text)
    # The deck's five charts each on a slide, a chart in parts on one slide a part.
    base = [re.sub(r"（\d/\d）$", "", title) for title in titles]
    assert len(set(base)) == 5
    # Fifteen projects and "其他" with wrapped names do not fit one slide at 24 px: the bars come in parts.
    if which == "synthetic_prs":
        parted = [title for title in titles if re.search(r"（\d/\d）", title)]
        count = int(re.search(r"/(\d)）$", parted[0]).group(1))
        assert [title[-5:] for title in parted] == [f"（{n}/{count}）" for n in range(1, count + 1)]
        assert len(titles) == 5 + count - 1
