"""Chart and card images measured as a reader sees them: text sizes, rows per image, empty bands, margins.

Pure tests read the figures as they are laid out for the PNG
(:func:`lib.export.presentation_parts`, :func:`lib.export.presentation_figure`,
:func:`lib.charts.card_figures`): every font size, each part's rows and
amounts. Rendered tests measure the PNGs themselves: the height of the text
in pixels, the widest empty band, the safe margin. Rendering starts Chromium
once for the module (:mod:`lib.export.browser`) and draws a dozen images.
"""

from __future__ import annotations

import html
import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator

import numpy as np
import plotly.graph_objects as go
import polars as pl
import pytest
from PIL import Image

from lib import charts, compare, export, metrics, review
from lib.export import browser
from lib.loader import load_documents
from lib.pages import Scope, card
from lib.presentation import BODY_PX, MAX_EMPTY_BAND, ROWS_PER_PART, SAFE_MARGIN_PX, SLIDE_PX, TITLE_PX
from lib.testing.synth import generate_corpus

WIDTH, HEIGHT = SLIDE_PX
# A pixel with any channel darker than this is content (text, bars, marks); grid lines and pale fills are not.
CONTENT = 200
# Text (black, grey, the flagged red) is darker than this in some channel; pale fills and grey borders are not.
TEXT = 140


@pytest.fixture(scope="module")
def corpus():
    return load_documents()


@pytest.fixture(scope="module")
def findings(corpus):
    return review.review(corpus)


@pytest.fixture(scope="module")
def forty():
    """40 synthetic projects in three documents (three departments), the department column filled."""
    loaded = load_documents([(name, text.encode()) for name, text in generate_corpus(40, seed=3)])
    projects = loaded.projects.with_columns(metrics.department_column(loaded.projects, loaded.documents))
    return loaded, projects


@pytest.fixture(scope="module")
def caption(corpus):
    return export.caption(corpus, filters_text="未筛选")


@pytest.fixture(scope="module")
def figures(corpus, findings, forty) -> dict[str, go.Figure]:
    """Every chart the pages draw, on the reference document and on 40 projects."""
    p, i = corpus.projects, corpus.indicators
    big, departments = forty
    rules = review.rules_frame().rename({"id": "rule_id"})
    sides = [compare.selection(big, department=d) for d in big.documents["department"].unique(maintain_order=True)]
    return {
        "budget_by_project": charts.budget_by_project(p),
        "budget_by_project_40": charts.budget_by_project(departments, departments=True),
        "budget_by_department_40": charts.budget_by_department(departments),
        "budget_by_type": charts.budget_by_type(p),
        "budget_treemap": charts.budget_treemap(p),
        "pareto_40": charts.pareto(big.projects),
        "period_timeline_40": charts.period_timeline(big.projects, budget_year=2026),
        "budget_vs_caps": charts.budget_vs_caps(p, i),
        "level_sunburst": charts.level_sunburst(i),
        "category_heatmap_40": charts.category_heatmap(big.projects, big.indicators),
        "value_kind_chart_40": charts.value_kind_chart(big.projects, big.indicators),
        "percent_distribution": charts.percent_distribution(i),
        "findings_by_rule": charts.findings_by_rule(findings, rules),
        "projects_by_findings": charts.projects_by_findings(findings, p),
        "compare_by_type": charts.compare_budget_by_type_chart(
            compare.compare_totals(big, sides[0], sides[1]), left_label="甲", right_label="乙"
        ),
        "ranking": charts.ranking_chart(compare.department_ranking(big, findings=review.review(big))),
    }


# ---------------------------------------------------------------- fonts, read from the figure as rendered


def _font_sizes(figure: go.Figure) -> Iterator[tuple[str, float]]:
    """Every font size the figure sets for drawn text, with its path (the hover label is never in a PNG)."""

    def walk(node: object, path: str) -> Iterator[tuple[str, float]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "hoverlabel":
                    continue
                if key.endswith("font") and isinstance(value, dict) and "size" in value:
                    sizes = value["size"] if isinstance(value["size"], list) else [value["size"]]
                    yield from ((f"{path}.{key}.size", size) for size in sizes if size is not None)
                yield from walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{path}[{index}]")

    return walk(figure.to_plotly_json(), "")


def _framed(figure: go.Figure, caption: str) -> list[go.Figure]:
    return [
        export.presentation_figure(part, caption=caption) for part in export.presentation_parts(figure, caption=caption)
    ]


@pytest.mark.parametrize(
    "name",
    [
        "budget_by_project", "budget_by_project_40", "budget_by_department_40", "budget_by_type", "budget_treemap",
        "pareto_40", "period_timeline_40", "budget_vs_caps", "level_sunburst", "category_heatmap_40",
        "value_kind_chart_40", "percent_distribution", "findings_by_rule", "projects_by_findings", "compare_by_type",
        "ranking",
    ],
)  # fmt: skip
def test_every_text_of_a_chart_image_is_body_size_and_its_title_title_size(figures, caption, name):
    figure = figures[name]
    before = figure.to_json()
    for framed in _framed(figure, caption):
        layout = framed.layout
        assert (layout.width, layout.height) == (WIDTH - 2 * SAFE_MARGIN_PX, HEIGHT - 2 * SAFE_MARGIN_PX)
        # Text without a size of its own (tick labels, legend, annotations) takes the layout's.
        assert layout.font.size >= BODY_PX
        small = [(path, size) for path, size in _font_sizes(framed) if size < BODY_PX]
        assert small == [], name
        assert layout.title.font.size >= TITLE_PX
        # Text in bars, tiles and sectors is never shrunk below body size to fit: it is left out.
        assert layout.uniformtext.minsize >= BODY_PX and layout.uniformtext.mode == "hide"
        assert all(t.constraintext in ("inside", "none") for t in framed.data if t.type == "bar")
    assert figure.to_json() == before  # the page's figure is left as it was


def test_the_caption_is_in_the_image_once_at_body_size(corpus, caption):
    figure = charts.budget_by_project(corpus.projects)
    (framed,) = _framed(figure, caption)
    shown = [a for a in framed.layout.annotations if "数据来源" in (a.text or "")]
    assert len(shown) == 1
    assert html.unescape(shown[0].text.replace("<br>", "")) == caption
    assert shown[0].font.size >= BODY_PX
    assert "数据来源" not in (framed.layout.title.text or "") + (framed.layout.title.subtitle.text or "")


# ---------------------------------------------------------------- tall charts are split


def _rows(figure: go.Figure) -> list:
    return list(figure.data[0].y)


def test_forty_projects_by_project_are_three_parts_of_at_most_fifteen_rows_in_order():
    # Short names (one line each): the top 30 and "其他 10 个项目" are 31 rows, ⌈31/15⌉ = 3 parts.
    projects = pl.DataFrame(
        {
            "project_id": [f"p{i}" for i in range(40)],
            "name": [f"项目{i}" for i in range(40)],
            "type": ["甲", "乙"] * 20,
            "budget_yuan": [10_000.0 * (40 - i) + 123 for i in range(40)],
        }
    )
    figure = charts.budget_by_project(projects)
    parts = export.presentation_parts(figure)
    assert len(parts) == 3 == export.part_count(figure)
    assert [len(_rows(part)) for part in parts] == [11, 10, 10]
    assert [row for part in parts for row in _rows(part)] == _rows(figure)
    assert _rows(parts[-1])[-1] == "其他 10 个项目"
    amounts = [x for part in parts for x in part.data[0].x]
    assert amounts == list(figure.data[0].x)
    assert round(sum(amounts), 2) == round(projects["budget_yuan"].sum() / 10_000, 2)
    assert [part.layout.title.text for part in parts] == [f"{figure.layout.title.text}（{n}/3）" for n in (1, 2, 3)]
    assert [list(part.data[0].text) for part in parts] == [
        list(figure.data[0].text[p.start : p.stop]) for p in (slice(0, 11), slice(11, 21), slice(21, 31))
    ]


def test_a_part_never_holds_more_rows_than_its_image_shows_at_body_size(forty, caption):
    # Long synthetic names take two lines at body size: fewer rows a part, never smaller text.
    _, projects = forty
    figure = charts.budget_by_project(projects, departments=True)
    parts = export.presentation_parts(figure, caption=caption)
    assert len(parts) == export.part_count(figure, caption=caption) >= 3
    assert all(len(_rows(part)) <= ROWS_PER_PART for part in parts)
    assert [row for part in parts for row in _rows(part)] == _rows(figure)
    for part in parts:
        framed = export.presentation_figure(part, caption=caption)
        room = framed.layout.height - framed.layout.margin.t - framed.layout.margin.b
        lines = max(label.count("<br>") + 1 for label in framed.layout.yaxis.ticktext or _rows(part))
        # Each row holds its label's lines at 1.3 em apiece.
        assert len(_rows(part)) * lines * BODY_PX * 1.3 <= room
    # Each part's value axis fits its own longest bar, with the room the chart left for the labels.
    ratio = figure.layout.xaxis.range[1] / max(figure.data[0].x[:-1])
    for part in parts[:-1]:
        assert part.layout.xaxis.range[1] == pytest.approx(ratio * max(part.data[0].x))


def test_cost_caps_stay_with_their_project_and_every_row_is_shown_once(corpus, caption):
    figure = charts.budget_vs_caps(corpus.projects, corpus.indicators)
    parts = export.presentation_parts(figure, caption=caption)
    assert len(parts) >= 2
    ticks = [text for part in parts for text in part.layout.yaxis.ticktext]
    assert ticks == list(figure.layout.yaxis.ticktext)
    assert all(len(part.layout.yaxis.ticktext) <= ROWS_PER_PART for part in parts)
    for part in parts:
        budgets = sorted(part.data[0].y)
        # Every cap of the part sits under one of the part's projects, before the next project starts.
        assert all(budgets[0] < y for y in part.data[1].y)
        assert part.layout.yaxis.ticktext[0].startswith("<b>")  # a part starts with a project, not a cap
    assert sum(len(part.data[1].x) for part in parts) == len(figure.data[1].x)


def test_heatmap_parts_keep_each_rows_counts(forty, caption):
    big, _ = forty
    figure = charts.category_heatmap(big.projects, big.indicators)
    parts = export.presentation_parts(figure, caption=caption)
    assert len(parts) == export.part_count(figure, caption=caption) >= 3  # 40 rows
    assert [y for part in parts for y in part.data[0].y] == list(figure.data[0].y)
    rows = {y: z for y, z in zip(figure.data[0].y, figure.data[0].z)}
    for part in parts:
        assert list(part.data[0].x) == list(figure.data[0].x)
        assert all(list(z) == list(rows[y]) for y, z in zip(part.data[0].y, part.data[0].z))


def test_pareto_parts_carry_their_rows_cumulative_shares(forty, caption):
    big, _ = forty
    figure = charts.pareto(big.projects)
    parts = export.presentation_parts(figure, caption=caption)
    assert len(parts) > 1
    for part in parts:
        assert list(part.data[0].y) == list(part.data[1].y)
    assert [x for part in parts for x in part.data[1].x] == list(figure.data[1].x)


def test_a_chart_that_fits_is_one_copy(corpus):
    figure = charts.budget_by_type(corpus.projects)
    (only,) = export.presentation_parts(figure)
    assert only is not figure and json.loads(only.to_json()) == json.loads(figure.to_json())


# ---------------------------------------------------------------- the card, as laid out


@pytest.fixture(scope="module")
def most(corpus, findings):
    """The card page of the reference document's project with the most indicators (the first of them)."""
    counts = corpus.indicators.group_by("project_id").len()
    ranked = (
        corpus.projects.with_row_index().join(counts, on="project_id").sort(["len", "index"], descending=[True, False])
    )
    return card.page(Scope.of(corpus), findings, ranked["project_id"][0])


def _plain(text: str) -> str:
    """An annotation's text as read: without tags and line breaks, entities decoded, without spaces."""
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", text or "")).split())


def _texts(figure: go.Figure) -> list[str]:
    return [_plain(a.text) for a in figure.layout.annotations]


def test_the_card_shows_both_goals_in_full_with_rule_titles_legend_and_caption_once(most):
    figures = card.images(most)
    assert len(figures) == card.image_count(most) >= 1
    row = most.texts["project"]
    every = [_texts(figure) for figure in figures]
    joined = ["".join(texts) for texts in every]
    for goal in (row["goal_period"], row["goal_annual"]):
        text = "".join(goal.split())
        # In one image, or begun in one and continued in the next: never cut, never "…".
        assert any(text in page for page in joined) or any(
            text[:k] in joined[i] and text[k:] in joined[i + 1]
            for i in range(len(joined) - 1)
            for k in range(1, len(text))
        )
    assert not any("…" in text for texts in every for text in texts)
    table = most.tables["indicators"]
    titles = dict(review.rules_frame().select("id", "title").iter_rows())
    flagged = {rule for flags in table["flags"] for rule in flags.split()}
    assert flagged
    for rule in flagged:
        assert any(f"{rule}{''.join(titles[rule].split())}" in page for page in joined), rule
    for figure, page in zip(figures, joined):
        # A rule id in the table is named with its title on the same image.
        ids = {
            rule for text in _texts(figure) if re.fullmatch(r"(R\d\d)+", text) for rule in re.findall(r"R\d\d", text)
        }
        assert all(f"{rule}{''.join(titles[rule].split())}" in page for rule in ids), ids
    for line in most.texts["findings"]:
        assert any("".join(line.split()) in page for page in joined)
    shown = "".join(joined)
    for note in most.notes.values():
        assert note in shown
    for figure, texts in zip(figures, every):
        assert sum(1 for text in texts if "数据来源" in text) == 1
        assert sum(text.count("数据来源") for text in texts) == 1
        sizes = [size for _, size in _font_sizes(figure)]
        assert min(sizes) >= BODY_PX
        assert figure.layout.annotations[0].font.size >= TITLE_PX  # the project's name
    assert [_texts(f)[0] for f in figures][1:] == ["".join(row["name"].split()) + "（续）"] * (len(figures) - 1)
    if len(figures) > 1:
        parts = [text for texts in every for text in texts if re.fullmatch(r"\d/\d", text)]
        assert parts == [f"{n}/{len(figures)}" for n in range(1, len(figures) + 1)]


def test_every_highlight_colour_on_the_card_has_a_legend_entry(corpus, findings):
    scope = Scope.of(corpus)
    found = findings.filter(pl.col("indicator_id").is_not_null())
    chosen = found.row(0, named=True)
    page = card.page(scope, findings, chosen["project_id"], chosen=chosen["finding_id"])
    for figure in card.images(page):
        fills = {shape.fillcolor for shape in figure.layout.shapes}
        shown = "".join(_texts(figure))
        for key, color in charts.HIGHLIGHT_COLORS.items():
            if color in fills:
                assert page.notes[key] in shown, key


def test_a_goal_longer_than_an_image_continues_on_the_next(corpus):
    table = pl.DataFrame(
        {
            "level1": ["产出指标"] * 3,
            "level2": ["数量指标"] * 3,
            "name": ["培训次数", "会议次数", "调研次数"],
            "period_value": ["3", "4", "5"],
            "annual_value": ["3", "2", "5"],
            "flags": ["", "", ""],
            "differs": [False, True, False],
            "chosen": [False, False, False],
        }
    )
    goal = "".join(f"第{n}项：加强立法基地建设，提高法规的施行效果。" for n in range(1, 160))
    content = charts.CardContent(table, name="长目标项目", facts="预算金额 1.00 万元", goals=[("年度目标", goal)])
    figures = charts.card_figures(content)
    assert len(figures) == charts.card_sheet_count(content)
    assert len(figures) >= 2
    # Read on, image after image, past the titles and the part labels.
    shown = "".join(text for f in figures for text in _texts(f)[1:] if not re.fullmatch(r"\d+/\d+", text))
    assert "".join(goal.split()) in shown
    assert not any("…" in text for f in figures for text in _texts(f))


# ---------------------------------------------------------------- rendered


def _pixels(png: bytes) -> np.ndarray:
    """The darkest channel of each pixel: 255 on white, low on text and colour."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).min(axis=2)


def _longest_blank(rows: np.ndarray) -> int:
    best = run = 0
    for has_content in rows:
        run = 0 if has_content else run + 1
        best = max(best, run)
    return best


def _line_heights(strip: np.ndarray) -> list[int]:
    """Heights of the runs of rows with text in ``strip``: one run per line of text."""
    rows = (strip < TEXT).any(axis=1)
    runs, run = [], 0
    for has_text in [*rows, False]:
        if has_text:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    # Rules, dashes and dots are a few pixels high: not lines of text.
    return [run for run in runs if run >= BODY_PX // 4]


@pytest.fixture(scope="module")
def rendered(corpus, caption, most):
    """The images every rendered test reads, drawn once: a bar chart, the caps chart's parts, a sunburst, a card."""
    calibration = go.Figure().update_layout(
        width=400, height=200, margin={"l": 0, "r": 0, "t": 0, "b": 0},
        xaxis={"visible": False}, yaxis={"visible": False}, paper_bgcolor="white", plot_bgcolor="white",
    )  # fmt: skip
    calibration.add_annotation(
        text="国", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
        font={"family": charts.FONT_FAMILY, "size": BODY_PX, "color": charts.TEXT_COLOR},
    )  # fmt: skip
    (glyph,) = export.figure_pngs([calibration])
    return {
        "glyph": glyph,
        "bar": export.chart_pngs([charts.budget_by_project(corpus.projects)], caption=caption, split=True),
        "caps": export.chart_pngs(
            [charts.budget_vs_caps(corpus.projects, corpus.indicators)], caption=caption, split=True
        ),
        "sunburst": export.chart_pngs([charts.level_sunburst(corpus.indicators)], caption=caption, split=True),
        "card": export.figure_pngs(card.images(most)),
    }


def _all(rendered) -> Iterator[tuple[str, bytes]]:
    for name in ("bar", "caps", "sunburst", "card"):
        for index, png in enumerate(rendered[name]):
            yield f"{name}[{index}]", png


def test_images_are_full_hd_with_nothing_in_the_safe_margin(rendered):
    assert len(rendered["caps"]) >= 2 and len(rendered["card"]) >= 1
    for name, png in _all(rendered):
        pixels = _pixels(png)
        assert pixels.shape == (HEIGHT, WIDTH), name
        m = SAFE_MARGIN_PX
        border = np.concatenate(
            [pixels[:m].ravel(), pixels[-m:].ravel(), pixels[:, :m].ravel(), pixels[:, -m:].ravel()]
        )
        assert border.min() >= 250, name
        # Nothing touches the top of the area the figure is drawn in: a title's strokes there are cut off.
        assert pixels[m : m + 2].min() >= 250, name
        # ... and the content reaches the margin (within a title's leading above its glyphs): the image is used.
        reach = TITLE_PX // 2
        assert pixels[m : m + reach].min() < CONTENT and pixels[:, m : m + reach].min() < CONTENT, name


def test_no_image_has_an_empty_band_over_fifteen_percent(rendered):
    for name, png in _all(rendered):
        content = _pixels(png) < CONTENT
        assert _longest_blank(content.any(axis=1)) <= MAX_EMPTY_BAND * HEIGHT, name
        assert _longest_blank(content.any(axis=0)) <= MAX_EMPTY_BAND * WIDTH, name


def test_text_in_the_images_is_as_tall_as_body_text(rendered):
    glyph = _pixels(rendered["glyph"])
    rows = np.nonzero((glyph < TEXT).any(axis=1))[0]
    full = rows[-1] - rows[0] + 1  # a full-height Chinese character at body size
    assert 0.75 * BODY_PX <= full <= BODY_PX
    m = SAFE_MARGIN_PX
    # The card's first column (一级指标) and the strip left of the bar chart's plot hold only text, top to bottom.
    for name, png, x1 in (
        ("card", rendered["card"][0], m + int(0.09 * (WIDTH - 2 * m))),
        ("bar", rendered["bar"][0], m + 160),
    ):
        heights = _line_heights(_pixels(png)[:, m:x1])
        assert len(heights) >= 8, name
        # Every line at least 0.6 of body size high (the glyphs of 12-point text on a slide) ...
        assert min(heights) >= 0.6 * BODY_PX, (name, heights)
        # ... and a typical line as tall as a Chinese character at body size.
        assert float(np.median(heights)) >= 0.9 * full, (name, heights)


# ---------------------------------------------------------------- one browser per process


def test_the_browser_is_started_once_and_kept(rendered, corpus):
    assert browser.is_running()  # the rendered images above started it
    figure = charts.budget_by_type(corpus.projects)
    first = browser._BROWSER._session
    export.chart_png(figure, caption="")
    assert browser._BROWSER._session is first


def test_concurrent_requests_each_get_their_own_image(rendered):
    sizes = [(400 + 8 * n, 200 + 4 * n) for n in range(4)]
    figures = [go.Figure().update_layout(width=w, height=h, margin={"l": 0, "r": 0, "t": 0, "b": 0}) for w, h in sizes]
    out: dict[int, bytes] = {}
    threads = [
        threading.Thread(target=lambda n=n: out.__setitem__(n, export.figure_pngs([figures[n]])[0])) for n in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for n, (w, h) in enumerate(sizes):
        assert Image.open(io.BytesIO(out[n])).size == (w + 2 * SAFE_MARGIN_PX, h + 2 * SAFE_MARGIN_PX)


def test_a_failing_browser_falls_back_to_a_session_of_its_own(rendered, corpus, monkeypatch):
    def broken(jobs):
        raise RuntimeError("the tab crashed")

    monkeypatch.setattr(browser, "render", broken)
    png = export.chart_png(charts.budget_by_type(corpus.projects), caption="")
    assert Image.open(io.BytesIO(png)).size == (WIDTH, HEIGHT)


def test_a_tall_charts_download_is_a_zip_of_its_parts(corpus, caption, rendered):
    figure = charts.budget_vs_caps(corpus.projects, corpus.indicators)
    count = export.part_count(figure, caption=caption)
    data = export.charts_zip([("预算与成本指标", figure)], caption=caption, department="部门", year=2026)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == count >= 2
    assert [re.search(r"_(\d+)of(\d+)_", name).groups() for name in names] == [
        (str(n), str(count)) for n in range(1, count + 1)
    ]


def test_the_card_fills_every_annual_value_that_differs_from_the_period_value():
    from lib import review
    from lib.charts.card import HIGHLIGHT_COLORS
    from lib.loader import load_documents
    from lib.pages import Scope, card

    corpus = load_documents()
    project = corpus.projects.filter(pl.col("name") == "人大宣传工作专项经费").row(0, named=True)
    rows = corpus.indicators.filter(pl.col("project_id") == project["project_id"])
    differing = sum(a != p for a, p in zip(rows["annual_value"], rows["period_value"]))
    assert differing >= 1  # 新闻奖开展次数: 3 in the period, 1 a year
    page = card.page(Scope.of(corpus), review.review(corpus), project["project_id"])
    fills = [shape.fillcolor for figure in card.images(page) for shape in figure.layout.shapes]
    # Each differing annual value's cell, and the legend's swatch.
    assert fills.count(HIGHLIGHT_COLORS["differs"]) >= differing + 1
