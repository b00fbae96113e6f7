"""Hostile document text stays inert data: in the frames, the workbook, CSV, the deck and the charts.

A published document is text someone else wrote. Here a synthetic document
(:func:`lib.testing.synth.generate_document`) has its department, project names, a
project type, indicator names, indicator values and goal texts replaced by
payloads: ``<script>``, ``<img onerror>``, Markdown links to ``javascript:``,
bare ``javascript:`` URLs, HTML links, and spreadsheet formulas
(``=HYPERLINK(...)``, ``+1+1``, ``-2``, ``@SUM(A1)``). Every output must keep
that text as text: the loader keeps it verbatim (goal text loses its HTML
tags by design, :func:`lib.ingest.parser.plain_text`), a workbook and CSV never let
a spreadsheet evaluate it, a slide holds it as a plain run, and a chart
never turns it into markup. ``tests/test_browser_hostile.py`` serves the same
document and checks the pages in Chromium.

The goal-text tests (entity-encoded tags, comparators that look like a tag)
and the chart tests began as strict xfails; 7bc26bf and 7b43ee7 fixed them and
they now hold the fixes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date

import openpyxl
import plotly.graph_objects as go
import polars as pl
import pytest

from lib import charts, export, review
from lib.loader import load_documents
from lib.model.corpus import Corpus
from lib.ingest.parser import plain_text
from lib.testing.synth import generate_document

TODAY = date(2026, 11, 28)

# ---------------------------------------------------------------- the hostile document

#: Sets ``window.__xss`` if it ever runs; the browser test looks for it.
XSS_IMG = '<img src=x onerror="window.__xss=1">'
#: Links to a closed local port: a live one would show up in the DOM (and an image would be fetched).
PHISH = "http://127.0.0.1:9/phish"
PIXEL = "http://127.0.0.1:9/pixel.png"
FORMULAS = ('=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)")

#: Project names, in document order.
NAMES: tuple[str, ...] = (
    "<script>alert(1)</script>项目甲",
    XSS_IMG + "项目乙",
    "[点我](javascript:alert(1))项目丙",
    '<a href="javascript:alert(1)">链接</a>项目丁',
    *FORMULAS,
    "javascript:alert(1)",
    f"[官网]({PHISH})![像素]({PIXEL})",
    f'<a href="{PHISH}">官网</a>项目戊',
)
#: No whitespace: the parser squeezes spaces out of a title's department.
DEPARTMENT = "东莞市<img/src=x/onerror=window.__xss=1>测试局"
#: The type of project 丁 (index 3): it reaches chart legends and the type filter.
HOSTILE_TYPE = f'<a href="{PHISH}">类型</a>'
#: Goal texts of project 甲 (index 0).
GOAL_PERIOD = "<script>alert(1)</script>" + XSS_IMG + "[点我](javascript:alert(1))目标"
GOAL_ANNUAL = "&lt;script&gt;alert(2)&lt;/script&gt;年度目标"
#: Indicator (name, annual value) of project 乙 (index 1), replacing its first rows; None keeps the original.
INDICATORS: tuple[tuple[str | None, str], ...] = (
    ("<script>alert(3)</script>指标", FORMULAS[0]),
    (XSS_IMG + "指标", FORMULAS[1]),
    ("[点我](javascript:alert(1))指标", FORMULAS[3]),
    (None, FORMULAS[2]),
)
#: A library file name that is itself markup (Linux allows it; the data page and captions show names).
FILE_NAME = '<img src=x onerror="window.__xss=2">报告.txt'


def hostile_document() -> str:
    """The synthetic document with the payloads above in place of its own text.

    Fails loudly if :mod:`lib.testing.synth` changed its layout so that a payload found no place.
    """
    text = generate_document(len(NAMES), seed=3, department=DEPARTMENT, quirks=False)
    out: list[str] = []
    project = -1
    goal: str | None = None
    in_table = False
    row = 0
    placed = {"names": 0, "type": 0, "goals": 0, "indicators": 0}
    for line in text.split("\n"):
        cells = line.split("\t")
        if cells[0] == "项目名称":
            project += 1
            cells[1] = NAMES[project]
            placed["names"] += 1
            in_table, row, goal = False, 0, None
        elif cells[0] == "项目类型" and project == 3:
            cells[1] = HOSTILE_TYPE
            placed["type"] += 1
        elif cells[0] == "总体绩效目标":
            goal = "period"
        elif len(cells) > 1 and not cells[0] and cells[1].endswith("年度目标"):
            goal = "annual"
        elif cells[0] == "绩效指标":
            in_table, goal = True, None
        elif in_table and project == 1 and len(cells) == 6 and not cells[0]:
            if row < len(INDICATORS):
                name, value = INDICATORS[row]
                cells[3] = name or cells[3]
                cells[5] = value
                placed["indicators"] += 1
            row += 1
        elif goal and project == 0 and len(cells) > 1 and not cells[0] and cells[1]:
            cells[1] = GOAL_PERIOD if goal == "period" else GOAL_ANNUAL
            placed["goals"] += 1
            goal = None
        out.append("\t".join(cells))
    expected = {"names": len(NAMES), "type": 1, "goals": 2, "indicators": len(INDICATORS)}
    assert placed == expected, f"lib.testing.synth's layout changed: payloads placed {placed}, expected {expected}"
    return "\n".join(out)


def hostile_bytes() -> bytes:
    return hostile_document().encode("utf-8")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_documents([(FILE_NAME, hostile_bytes())])


@pytest.fixture(scope="module")
def findings(corpus) -> pl.DataFrame:
    return review.review(corpus)


def _project(corpus: Corpus, index: int) -> dict:
    return corpus.projects.row(index, named=True)


# ---------------------------------------------------------------- loader


def test_loader_keeps_hostile_names_department_and_type_verbatim(corpus):
    assert corpus.projects["name"].to_list() == list(NAMES)
    assert corpus.documents["department"].to_list() == [DEPARTMENT]
    assert set(corpus.projects["department"].to_list()) == {DEPARTMENT}
    assert _project(corpus, 3)["type"] == HOSTILE_TYPE
    assert corpus.documents["source"].to_list() == [FILE_NAME]
    assert corpus.diagnostics.filter(pl.col("severity") == "error").is_empty()


def test_loader_keeps_hostile_indicator_names_and_values_verbatim(corpus):
    pid = _project(corpus, 1)["project_id"]
    rows = corpus.indicators.filter(pl.col("project_id") == pid).head(len(INDICATORS))
    for (name, value), got in zip(INDICATORS, rows.iter_rows(named=True)):
        if name is not None:
            assert got["name"] == name
        assert got["annual_value"] == value


def test_goal_text_loses_its_tags_but_keeps_what_was_between_them_as_text(corpus):
    goal = _project(corpus, 0)["goal_period"]
    # By design (plain_text): tags go, their text stays -- as text, never as markup.
    assert goal == "alert(1)[点我](javascript:alert(1))目标"
    assert not re.search(r"<\s*/?\s*[A-Za-z]", goal)


def test_plain_text_removes_script_and_event_handler_tags():
    assert plain_text("<script>alert(1)</script>x") == "alert(1)x"
    assert plain_text(XSS_IMG + "y") == "y"
    assert plain_text("<p>1、评选</p><p>2、<b>宣传</b></p>") == "1、评选\n2、宣传"


_TAG = re.compile(r"<\s*/?\s*[A-Za-z]")


def test_goal_text_with_entity_encoded_tags_does_not_turn_into_tags(corpus):
    assert not _TAG.search(plain_text("&lt;img src=x onerror=alert(1)&gt;目标"))
    assert not _TAG.search(_project(corpus, 0)["goal_annual"])


def test_goal_text_keeps_comparators_that_merely_look_like_a_tag():
    assert plain_text("投诉率<5%，满意率>90%") == "投诉率<5%，满意率>90%"


# ---------------------------------------------------------------- workbook and CSV


def _formula_like(value: object) -> bool:
    return isinstance(value, str) and len(value) > 1 and value[0] in "=+-@\t\r"


@pytest.mark.parametrize("lang", ["zh", "en", None])
def test_workbook_keeps_every_formula_like_cell_a_string(corpus, findings, lang):
    rules = review.rules_frame(lang or "zh")
    data = export.workbook_bytes(corpus, findings=findings, rules=rules, lang=lang, today=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(data))
    strings: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if _formula_like(cell.value):
                    assert cell.data_type == "s", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    strings.append(cell.value)
    # Kept verbatim: no quote prefix inside a workbook (the cell type does the work).
    for text in (*NAMES, DEPARTMENT, HOSTILE_TYPE, *FORMULAS, FILE_NAME):
        assert any(text in s for s in strings), text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert not any("externalLink" in name for name in names)
        for name in names:
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
                assert b"<hyperlink" not in xml, name


@pytest.mark.parametrize("lang", ["zh", None])
@pytest.mark.parametrize("frame_name", ["documents", "projects", "indicators", "diagnostics"])
def test_csv_prefixes_formula_like_text_in_every_frame(corpus, frame_name, lang):
    frame = corpus.frames()[frame_name]
    text_columns = [
        i for i, dtype in enumerate(frame.dtypes) if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum)
    ]
    rows = list(csv.reader(io.StringIO(export.csv_bytes(frame, lang=lang).decode("utf-8-sig"))))
    assert len(rows) == frame.height + 1
    cells = [row[i] for row in rows[1:] for i in text_columns]
    offending = [cell for cell in cells if _formula_like(cell)]
    assert offending == []
    if frame_name == "projects":
        names = [row[frame.columns.index("name")] for row in rows[1:]]
        assert names == [f"'{n}" if _formula_like(n) else n for n in NAMES]
    if frame_name == "indicators":
        values = {row[frame.columns.index("annual_value")] for row in rows[1:]}
        assert {f"'{v}" for v in FORMULAS} <= values


def test_findings_mentioning_hostile_names_stay_strings_in_the_workbook(corpus, findings):
    # Review messages quote names and values; the findings sheet is text like the rest.
    assert findings.height > 0
    data = export.workbook_bytes(corpus, findings=findings, today=TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["审核发现"]
    values = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    assert values and all(cell.data_type == "s" for cell in values)
    assert {c.value for c in values} & set(NAMES)


def test_download_file_names_from_a_hostile_department_are_safe(corpus):
    name = export.safe_filename(corpus, "审核发现", suffix=".xlsx", today=TODAY)
    assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', name)
    assert name.endswith(".xlsx")
    assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', charts.image_filename(DEPARTMENT, 2026, "<b>图</b>", today=TODAY))


# ---------------------------------------------------------------- deck


def test_deck_keeps_hostile_text_as_plain_runs_without_links(corpus, findings):
    from pptx import Presentation

    from lib.export import deck

    ids = corpus.projects["project_id"].to_list()
    chosen = [ids[0], ids[1], ids[3], ids[4], ids[6], ids[7]]
    data = deck.build_deck(corpus, filters_text="未筛选", findings=findings, project_ids=chosen, today=TODAY)
    prs = Presentation(io.BytesIO(data))
    texts: list[str] = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    joined = "\n".join(texts)
    for index in (0, 1, 3, 4, 6, 7):
        assert NAMES[index] in joined, NAMES[index]
    assert "<script>alert(3)</script>指标" in joined
    assert '=HYPERLINK("http://x","y")' in joined
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("ppt/slides/slide") and name.endswith(".xml"):
                xml = archive.read(name)
                # Text, never a hyperlink or a field; markup characters are escaped in the XML.
                assert b"hlinkClick" not in xml and b"hlinkHover" not in xml, name
                assert b"<script" not in xml and b"<img" not in xml, name
            if name.startswith("ppt/slides/_rels/"):
                assert b"hyperlink" not in archive.read(name), name


# ---------------------------------------------------------------- charts

# Plotly renders a small HTML subset in every label, legend, hover and tile
# text (<b>, <i>, <br>, <span style>, <a href>): document text handed to it
# unescaped is markup. Plotly.js drops javascript: hrefs, but an <a href="http:...">
# in a project type became a live link in the legend (7b43ee7 escapes document
# text on entry; these tests hold that for every builder).


def _figure_strings(figure: go.Figure) -> Iterator[tuple[str, str]]:
    def walk(node: object, path: str) -> Iterator[tuple[str, str]]:
        if isinstance(node, str):
            yield path, node
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, f"{path}[{i}]")

    return walk(json.loads(figure.to_json()), "")


_MARKUP = re.compile(r"<\s*(a|img|script)\b", re.IGNORECASE)


def _builders(corpus: Corpus, findings: pl.DataFrame) -> dict[str, Callable[[], go.Figure]]:
    rules = review.rules_frame().rename({"id": "rule_id"})
    p, i = corpus.projects, corpus.indicators
    return {
        "budget_by_project": lambda: charts.budget_by_project(p),
        "budget_by_type": lambda: charts.budget_by_type(p),
        "budget_treemap": lambda: charts.budget_treemap(p),
        "pareto": lambda: charts.pareto(p),
        "period_timeline": lambda: charts.period_timeline(p, budget_year=2026),
        "budget_vs_caps": lambda: charts.budget_vs_caps(p, i),
        "level_sunburst": lambda: charts.level_sunburst(i, depth=3),
        "category_heatmap": lambda: charts.category_heatmap(p, i),
        "value_kind_chart": lambda: charts.value_kind_chart(p, i),
        "percent_distribution": lambda: charts.percent_distribution(i),
        "findings_by_rule": lambda: charts.findings_by_rule(findings, rules),
        "projects_by_findings": lambda: charts.projects_by_findings(findings, p),
    }


@pytest.mark.parametrize(
    "builder",
    [
        name
        for name in (
            "budget_by_project", "budget_by_type", "budget_treemap", "pareto", "period_timeline", "budget_vs_caps",
            "level_sunburst", "category_heatmap", "value_kind_chart", "percent_distribution", "findings_by_rule",
            "projects_by_findings",
        )
    ],
)  # fmt: skip
def test_chart_shows_document_text_escaped_never_as_markup(corpus, findings, builder):
    figure = _builders(corpus, findings)[builder]()
    raw = [
        (path, text)
        for path, text in _figure_strings(figure)
        # ids and parents name nodes, they are never drawn.
        if _MARKUP.search(text) and not re.search(r"\.(ids|parents)\[", path)
    ]
    assert raw == []


def test_chart_templates_never_embed_document_text(corpus, findings):
    # Names reach Plotly as data (customdata, categories), never inside a
    # hovertemplate/texttemplate, where "%{...}" in a name would be evaluated.
    for name, build in _builders(corpus, findings).items():
        for path, text in _figure_strings(build()):
            if path.endswith(("hovertemplate", "texttemplate")):
                assert not any(n in text for n in NAMES + (HOSTILE_TYPE, DEPARTMENT)), (name, path, text)


@pytest.mark.parametrize("builder", ["budget_by_project", "pareto", "budget_vs_caps", "category_heatmap"])
def test_chart_images_keep_document_text_escaped(corpus, findings, builder):
    # The image's parts and layout re-wrap row labels: an entity is never cut, no markup comes back.
    figure = _builders(corpus, findings)[builder]()
    for part in export.presentation_parts(figure, caption=FILE_NAME):
        framed = export.presentation_figure(part, caption=FILE_NAME)
        assert [(path, text) for path, text in _figure_strings(framed) if _MARKUP.search(text)] == []


@pytest.mark.parametrize("index", [0, 1, 3])
def test_card_images_show_document_text_escaped_never_as_markup(corpus, findings, index):
    from lib.pages import Scope, card

    page = card.page(Scope.of(corpus), findings, _project(corpus, index)["project_id"])
    figures = card.images(page)
    assert [(path, text) for f in figures for path, text in _figure_strings(f) if _MARKUP.search(text)] == []
    shown = " ".join(a.text for f in figures for a in f.layout.annotations)
    if index == 0:
        # The title escaped, shown as written; the goals (as the loader keeps them) in full.
        assert "&lt;script&gt;" in figures[0].layout.annotations[0].text
        assert "alert(1)[点我](javascript:alert(1))目标" in shown and "alert(2)年度目标" in shown
