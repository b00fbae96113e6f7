"""A PowerPoint deck for a budget meeting: key figures, charts and one target card per project.

:func:`build_deck` turns a (filtered) corpus into a 16:9 ``.pptx``:

1. title — department, year, filters, date;
2. overview — total in 万元, projects, indicators, largest project and its
   share, top-5 share, and the five largest projects;
3. charts — budget by project, by type, budget treemap, indicator
   categories (sunburst), annual percentage targets; rendered once, in one
   browser session, by :func:`lib.export.images.chart_pngs` with the caption in
   the image, a chart too tall for one slide as its parts (a slide each); a
   chart with nothing to show is left out;
4. review — when ``findings`` are given: counts by severity, top findings;
5. the project card (all projects, largest budget first, or ``project_ids``
   in that order): facts, the goals in full, the project's findings with
   their rules' titles, most serious first ("【高】R09 标题：…", when
   ``findings`` are given), and the target table (一级/二级/三级/实施周期值/
   年度值/发现: annual values that differ in bold orange, the rule ids of a
   flagged indicator on pink), with a legend under the table for each
   highlight it shows. Goals and findings beside the table that do not fit
   continue on slides of two text columns ("年度目标（续）"); a table of
   more rows than fit one slide at body size is split evenly over as few
   slides as hold it, at most :data:`~lib.presentation.ROWS_PER_PART` rows
   each; the title says which slide of the project it is ("（1/3）",
   "（续 2/3）").

The deck follows :mod:`lib.presentation`: every slide is made from the
"Title Only" layout and its title is the title placeholder, so PowerPoint's
outline, navigation and accessibility checker see a title on every slide (a
chart's, which the image draws itself, lies behind the image); every slide
but the cover carries its number (a slide-number field) inside the safe
margin; text is at least 12 pt and titles at least 20 pt; every run names
微软雅黑 for East Asian script and Arial for Latin. Text is fitted before it
is placed: long names are wrapped and cut with "…", goals and findings flow
on to further slides, and tables are split, so nothing runs off a slide. The
speaker notes hold what a slide shortens or spreads: the full names, a
project's facts, goals and findings, every finding of the review slide, and
what a chart shows (its title, subtitle and caption).

Command line::

    python -m lib.export.deck [PATH ...] --out FILE.pptx|FOLDER [--lang zh|en] [--force]

builds the deck as the app's 总览 page does, review slide included; the
output is checked before any document is read, and an existing file is
replaced only with ``--force`` (``--help`` lists the exit statuses).
"""

from __future__ import annotations

import html
import io
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from lib import charts, cli, metrics, review
from lib.charts.card import HIGHLIGHT_COLORS
from lib.export import images, naming
from lib.export.text import text_width, wrap_text
from lib.i18n import category, t, value_label
from lib.model.corpus import Corpus
from lib.model import periods
from lib.model import severity as severity_model
from lib.presentation import (
    BODY_PX,
    ROWS_PER_PART,
    SAFE_MARGIN_PX,
    SLIDE_FONT,
    SLIDE_FONT_FALLBACK,
    SLIDE_PX,
    SLIDE_WIDTH_IN,
    TITLE_PX,
    part_label,
    parts,
    px_to_pt,
)

__all__ = ["build_deck", "main", "severity_color"]

# Slide geometry in inches (16:9, PowerPoint's default widescreen size).
_SLIDE_W = SLIDE_WIDTH_IN
_SLIDE_H = 7.5
_MARGIN = 0.5
_CONTENT_W = _SLIDE_W - 2 * _MARGIN
# Nothing with text comes closer to an edge than this (lib.presentation's rule).
_SAFE = SAFE_MARGIN_PX * _SLIDE_W / SLIDE_PX[0]
_FOOTER_H = 0.35
_FOOTER_Y = _SLIDE_H - _SAFE - _FOOTER_H
_PAGE_W = 0.9  # the page number's box, at the footer's left end

# Smallest text on a slide and smallest title, in points.
_BODY = px_to_pt(BODY_PX)
_TITLE = px_to_pt(TITLE_PX)

# A line of text is taken as 1.5 em high: Noto Sans CJK, which LibreOffice
# substitutes where 微软雅黑 is missing, draws 1.45 em and 微软雅黑 less, so
# estimates stay on the safe side of what PowerPoint and LibreOffice draw.
_LINE = 1.5
_INSET = 0.05  # text box inset on each side, inches
# Estimated widths run this much narrower than the box, so a renderer that
# breaks lines a little earlier than the estimate still fits.
_WIDTH_SAFETY = 0.92

_TEXT = RGBColor(0x22, 0x22, 0x22)
_MUTED = RGBColor(0x66, 0x66, 0x66)
_ACCENT = RGBColor(0x00, 0x72, 0xB2)  # LEVEL1_COLORS' 产出指标 blue, the house accent
_HEADER_FILL = RGBColor(0xE7, 0xE9, 0xEC)
_PALE_FILL = RGBColor(0xF6, 0xF7, 0xF8)
_RULE = "C8CCD2"
_WHITE = RGBColor(0xFF, 0xFF, 0xFF)
# Annual values that differ from the period value: bold dark orange on the
# pale orange the project card page uses.
_DIFFERS = RGBColor(0xC2, 0x4E, 0x00)
_DIFFERS_FILL = RGBColor.from_string(HIGHLIGHT_COLORS["differs"].lstrip("#"))
# Indicators a review rule flagged: their rule ids bold dark red on the pale
# pink the card figure fills them with.
_FLAGGED = RGBColor(0xA8, 0x1E, 0x3A)
_FLAGGED_FILL = RGBColor.from_string(HIGHLIGHT_COLORS["flagged"].lstrip("#"))

# Project target table.
_CELL_MARGIN_X = 0.06
_CELL_MARGIN_Y = 0.03
# Relative column widths: 一级, 二级, 三级, 实施周期值, 年度值; with findings, 发现 (rule ids) too.
_TABLE_SHARES = (0.13, 0.17, 0.34, 0.18, 0.18)
_FLAGGED_SHARES = (0.12, 0.15, 0.30, 0.16, 0.16, 0.11)
_TABLE_TOP = 1.9
_LEGEND_H = 0.35  # a line of the legend under a target table
_GOALS_W = 4.4
_TABLE_X = _MARGIN + _GOALS_W + 0.3
# The text column (goals, findings) runs from the table's top to above the footer.
_TEXT_BOTTOM = _FOOTER_Y - 0.1
_BLOCK_GAP = 0.12

_TOP_FINDINGS = 6  # two lines each: what a slide holds above the footer
# The id the default template's layouts give their slide-number fields: one id serves every slide.
_SLIDENUM_ID = "{C1FF6DA9-008F-8B48-92A6-B652298478BF}"
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


# ---------------------------------------------------------------- public API


def build_deck(
    corpus: Corpus,
    *,
    filters_text: str,
    findings: pl.DataFrame | None = None,
    project_ids: Sequence[str] | None = None,
    lang: str = "zh",
    today: date,
) -> bytes:
    """A 16:9 PowerPoint deck of ``corpus`` for a meeting, as ``.pptx`` bytes.

    ``corpus`` is what to present (already filtered); ``filters_text`` says
    how it was filtered (:func:`lib.filters.describe`) and appears on the
    title slide and in every caption. ``findings`` (a frame with at least
    ``severity`` and ``message``, e.g. from the review engine) adds a review
    slide and, with ``project_id``, ``rule_id`` and ``indicator_id``, each
    project's findings and flagged indicators to its slides. ``project_ids`` chooses the project slides and their order
    (default: every project, largest budget first); an id not in ``corpus``
    raises ``ValueError``. Charts are rendered with kaleido, about a
    second each, in one browser session.

    Examples
    --------
    >>> from pptx import Presentation
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> data = build_deck(corpus, filters_text="未筛选", project_ids=[], today=date(2026, 11, 28))
    >>> len(Presentation(io.BytesIO(data)).slides)  # title, overview, five charts
    7
    """
    chosen = _chosen_projects(corpus, project_ids)
    prs = Presentation()
    prs.slide_width = Inches(_SLIDE_W)
    prs.slide_height = Inches(_SLIDE_H)
    # The only placeholder a "Title Only" slide gets is its title.
    layout = prs.slide_layouts.get_by_name("Title Only")
    caption = naming.caption(corpus, filters_text=filters_text, lang=lang)
    footed: list = []  # slides that get the caption at the bottom

    _title_slide(prs.slides.add_slide(layout), corpus, filters_text=filters_text, lang=lang, today=today)
    footed.append(_overview_slide(prs.slides.add_slide(layout), corpus, lang=lang))
    figures = [figure for figure in _chart_figures(corpus, lang=lang) if figure.data]
    # A chart taller than a slide holds is split into parts ("（1/3）"), a slide each, never shrunk.
    shown = [part for figure in figures for part in images.presentation_parts(figure, caption=caption)]
    for part, png in zip(shown, images.chart_pngs(figures, caption=caption, split=True), strict=True):
        _picture_slide(prs.slides.add_slide(layout), png, part, caption=caption)
    if findings is not None:
        footed.append(_review_slide(prs.slides.add_slide(layout), corpus, findings, lang=lang))
    total = float(corpus.projects["budget_yuan"].fill_nan(None).sum() or 0.0)
    for project in chosen.iter_rows(named=True):
        footed.extend(_project_slides(prs, layout, corpus, project, findings=findings, total=total, lang=lang))

    for slide in footed:
        _footer(slide, caption)
    # Numbered last, so the number lies on top of a chart's full-slide image.
    for number, slide in enumerate(prs.slides, start=1):
        if number > 1:
            _page_number(slide, number)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


@cli.command_line
def main(argv: list[str] | None = None) -> int:
    """Command-line entry: the deck of the documents, with the review slide as the app's (``--help`` lists statuses)."""
    parser = cli.command_parser(
        "python -m lib.export.deck",
        "生成部门预算绩效目标汇报 PPT",
        statuses=(cli.OK, cli.NOTHING_LOADED, cli.USAGE, cli.NOT_WRITABLE, cli.EXISTS, cli.RENDER_FAILED),
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, help="documents to load (default: the library's current documents in data/)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the .pptx file to write, or a folder to write it in, named after department, year and date",
    )
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument(
        "--force", action="store_true", help="replace the file if it exists (default: refuse, status 4)"
    )
    args = cli.cli_arguments(parser, argv)
    if isinstance(args, int):
        return args
    paths = cli.input_paths(args.paths)
    folder, name = _deck_target(args.out)
    cli.writable_folder(folder)
    if name:
        cli.refuse_existing([folder / name], force=args.force)
    corpus = cli.cli_load(paths)
    if corpus.projects.is_empty():
        raise cli.CommandError("no project loaded, no deck written", cli.NOTHING_LOADED)
    today = date.today()
    out = folder / (name or naming.safe_filename(corpus, t("export_deck_name", args.lang), suffix=".pptx", today=today))
    cli.refuse_existing([out], force=args.force)

    def deck() -> bytes:
        # As the app's deck: the findings of the projects shown, here all of them.
        findings = review.review(corpus)
        return build_deck(
            corpus, filters_text=t("filter_none", args.lang), findings=findings, lang=args.lang, today=today
        )

    try:
        (written,) = cli.write_files({out: deck}, force=args.force)
    except images.ExportError as exc:
        raise cli.CommandError(str(exc), cli.RENDER_FAILED) from exc
    print(written)
    return cli.OK


def _deck_target(out: Path) -> tuple[Path, str | None]:
    """The folder to write in and the file's name, None when it is to be named after the corpus.

    A path ending in ``.pptx`` that is not a folder names the file; any other is a folder.
    """
    if out.suffix.lower() == ".pptx" and not out.is_dir():
        return out.parent, out.name
    return out, None


# ---------------------------------------------------------------- text


@dataclass(frozen=True, slots=True)
class _Style:
    size: float
    bold: bool = False
    color: RGBColor = _TEXT


def _set_font(run, style: _Style) -> None:
    """Size, weight, colour and the slide fonts (see :func:`_name_fonts`)."""
    font = run.font
    font.size = Pt(style.size)
    font.bold = style.bold
    font.color.rgb = style.color
    _name_fonts(run)


def _name_fonts(run) -> None:
    """微软雅黑 for East Asian script (``a:ea``), Arial for Latin (``a:latin``)."""
    run.font.name = SLIDE_FONT_FALLBACK  # a:latin
    rpr = run._r.get_or_add_rPr()
    # python-pptx sets only a:latin; without a:ea PowerPoint draws Chinese in
    # the theme's East Asian font, which may be missing or look different.
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        latin = rpr.find(qn("a:latin"))
        latin.addnext(ea)
    ea.set("typeface", SLIDE_FONT)
    if _CJK.search(run.text):
        # Chinese text marked as such: spell-checkers leave it alone, and
        # shared Han characters take their Simplified Chinese forms.
        rpr.set("lang", "zh-CN")


def _lines_fit(text: str, *, width_in: float, size: float) -> list[str]:
    """``text`` wrapped as a renderer would in a box ``width_in`` wide at ``size`` points."""
    ems = (width_in - 2 * _INSET) * 72 / size * _WIDTH_SAFETY
    return wrap_text(text, width=max(ems, 1.0))


def _fit(text: str, *, width_in: float, size: float, max_lines: int, ellipsis: str = "…") -> str:
    """``text`` cut with ``ellipsis`` so that it wraps into at most ``max_lines`` lines."""
    if max_lines <= 0:
        return ""
    lines = _lines_fit(text, width_in=width_in, size=size)
    if len(lines) <= max_lines:
        return text
    kept = lines[:max_lines]
    ems = (width_in - 2 * _INSET) * 72 / size * _WIDTH_SAFETY
    if text_width(ellipsis) > ems * 0.85:
        ellipsis = "…"
    last = kept[-1]
    # The renderer breaks lines a little differently (a number moves whole
    # to the next line); a shorter last line keeps "…" from landing alone.
    while last and text_width(last + ellipsis) > ems * 0.85:
        last = last[:-1]
    kept[-1] = last.rstrip("，、；：,;: ") + ellipsis
    # Joined without breaks: the renderer wraps it into the same lines again. A
    # space the wrap broke at stays, or English words would run together.
    joined, at = "", 0
    for line in kept:
        found = text.find(line.removesuffix(ellipsis), at)
        if joined and found > at and " " in text[at:found]:
            joined += " "
        joined += line
        at = found + len(line) if found >= 0 else at
    return joined


def _max_lines(height_in: float, size: float) -> int:
    # Rounded first: a box exactly one line high (0.35 in at 12 pt) is 0.9999… lines in floating point.
    return max(int(round((height_in - 2 * _INSET) * 72 / (size * _LINE), 6)), 0)


def _textbox(
    slide,
    x: float,
    y: float,
    w: float,
    h: float,
    paragraphs: Sequence[tuple[str, _Style]],
    *,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
    name: str | None = None,
):
    """A text box with one run per paragraph; the text must already fit (see :func:`_fit`)."""
    shape = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    if name:
        shape.name = name
    _fill(shape.text_frame, paragraphs, align=align, anchor=anchor)
    return shape


def _fill(frame, paragraphs: Sequence[tuple[str, _Style]], *, align, anchor) -> None:
    """A text frame's paragraphs, one run each, in a frame that neither grows nor shrinks its text."""
    frame.word_wrap = True
    # Fixed size: PowerPoint would otherwise shrink overflowing text below the body size.
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(_INSET))
    for i, (text, style) in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        _set_font(run, style)


def _fitted_box(slide, x, y, w, h, text: str, style: _Style, *, ellipsis: str = "…", **kwargs):
    """A text box holding as much of ``text`` as fits, cut with ``ellipsis``."""
    fitted = _fit(text, width_in=w, size=style.size, max_lines=_max_lines(h, style.size), ellipsis=ellipsis)
    return _textbox(slide, x, y, w, h, [(fitted, style)], **kwargs)


def _title(slide, x: float, y: float, w: float, h: float, text: str, style: _Style, *, anchor=MSO_ANCHOR.BOTTOM):
    """The slide's title placeholder, placed and styled like a text box, holding as much of ``text`` as fits."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Inches(x), Inches(y), Inches(w), Inches(h)
    fitted = _fit(text, width_in=w, size=style.size, max_lines=_max_lines(h, style.size))
    _fill(shape.text_frame, [(fitted or "—", style)], align=PP_ALIGN.LEFT, anchor=anchor)
    return shape


def _slide_title(slide, text: str, *, size: float = 26, suffix: str = "") -> None:
    """The title on one line: a long one a little smaller (never below 20 pt), a very long one cut with "…".

    ``suffix`` (a part label) is never cut: ``text`` is cut before it.
    """
    if len(_lines_fit(text + suffix, width_in=_CONTENT_W, size=size)) > 1:
        size = max(size - 4, _TITLE)
    room = _CONTENT_W - text_width(suffix) * size / 72
    text = _fit(text, width_in=room, size=size, max_lines=1)
    _title(slide, _MARGIN, 0.35, _CONTENT_W, 0.75, text + suffix, _Style(size, bold=True))
    _rect(slide, _MARGIN, 1.1, 0.8, 0.05, _ACCENT)


def _notes(slide, lines: Sequence[str]) -> None:
    """The speaker notes: one paragraph per line, in the slide fonts."""
    frame = slide.notes_slide.notes_text_frame
    # A line of its own for each of a text's lines: a run holds no line break.
    lines = [part for line in lines for part in line.split("\n")]
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        _name_fonts(run)


def _rect(slide, x: float, y: float, w: float, h: float, color: RGBColor) -> None:
    """A flat filled rectangle: no outline, no shadow, no theme text style."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(x), Inches(y), Inches(w), Inches(h))
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    # The default shape style refers to the theme's shadow, which LibreOffice
    # draws even under an empty effect list; without the style there is none.
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _footer(slide, caption: str) -> None:
    """Source and filters at the bottom right, where a chart image draws its caption."""
    x = _MARGIN + _PAGE_W + 0.2
    _fitted_box(
        slide,
        x,
        _FOOTER_Y,
        _SLIDE_W - _MARGIN - x,
        _FOOTER_H,
        caption,
        _Style(_BODY, color=_MUTED),
        align=PP_ALIGN.RIGHT,
        anchor=MSO_ANCHOR.BOTTOM,
        name="footer",
    )


def _page_number(slide, number: int) -> None:
    """The slide's number at the bottom left (free on every chart image): a field PowerPoint keeps current."""
    shape = _textbox(
        slide,
        _MARGIN,
        _FOOTER_Y,
        _PAGE_W,
        _FOOTER_H,
        [(str(number), _Style(_BODY, color=_MUTED))],
        anchor=MSO_ANCHOR.BOTTOM,
        name="page",
    )
    run = shape.text_frame.paragraphs[0].runs[0]._r
    # a:fld holds what a:r holds (a:rPr, a:t); its text is the number until PowerPoint renumbers.
    field = OxmlElement("a:fld")
    field.set("id", _SLIDENUM_ID)
    field.set("type", "slidenum")
    field.extend(list(run))
    run.addprevious(field)
    run.getparent().remove(run)


def _plain(text: str) -> str:
    """A chart title as text: without its HTML (line breaks, bold) and its escapes."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# ---------------------------------------------------------------- slides


def _chosen_projects(corpus: Corpus, project_ids: Sequence[str] | None) -> pl.DataFrame:
    if project_ids is None:
        return metrics.rank_by_budget(corpus.projects)
    known = set(corpus.projects["project_id"].to_list())
    unknown = [pid for pid in project_ids if pid not in known]
    if unknown:
        msg = f"project_ids not in the corpus: {', '.join(unknown)}"
        raise ValueError(msg)
    order = pl.DataFrame({"project_id": list(dict.fromkeys(project_ids))}, schema={"project_id": pl.String})
    return order.join(corpus.projects, on="project_id", how="left", maintain_order="left")


def _title_slide(slide, corpus: Corpus, *, filters_text: str, lang: str, today: date) -> None:
    documents = corpus.documents
    join = t("describe_values_join", lang).join
    departments = documents["department"].drop_nulls().unique(maintain_order=True).to_list()
    department = join(departments) or join(documents["source"].drop_nulls().to_list()) or "—"
    years = documents["year"].drop_nulls().unique(maintain_order=True).sort().to_list()
    _rect(slide, 0, 0, 0.35, _SLIDE_H, _ACCENT)
    x, w = 1.1, _SLIDE_W - 2.2
    _textbox(slide, x, 1.3, w, 0.6, [(t("app_title", lang), _Style(20, color=_ACCENT, bold=True))])
    # The department is the headline: as large as fits in two lines.
    for size in (40, 34, 28):
        if len(_lines_fit(department, width_in=w, size=size)) <= 2:
            break
    _title(slide, x, 2.0, w, 1.9, department, _Style(size, bold=True))
    year = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
    year_text = t("deck_year", lang, year=year)
    _textbox(slide, x, 4.0, w, 0.7, [(year_text, _Style(28))])
    body = _Style(16, color=_MUTED)
    filters_line = t("caption_filters", lang, filters=filters_text)
    generated = t("deck_generated", lang, date=today.isoformat())
    _fitted_box(slide, x, 5.0, w, 0.9, filters_line, body)
    _textbox(slide, x, 5.9, w, 0.5, [(generated, body)])
    _notes(slide, [t("app_title", lang), department, year_text, filters_line, generated])


def _overview_slide(slide, corpus: Corpus, *, lang: str):
    _slide_title(slide, t("page_overview", lang))
    figures = metrics.key_figures(corpus.projects, corpus.indicators)
    largest_note = (
        f"{figures.largest_name}{_sep(lang)}{metrics.format_wan(figures.largest_yuan)} {t('unit_wan', lang)}"
        if figures.largest_name
        else ""
    )
    tiles = [
        (
            t("metric_total_budget", lang),
            metrics.format_wan(figures.total_yuan),
            f"{figures.total_yuan:,.2f} {t('unit_yuan', lang)}",
        ),
        (t("metric_projects", lang), f"{figures.project_count:,}", ""),
        (t("metric_indicators", lang), f"{figures.indicator_count:,}", ""),
        (t("metric_largest", lang), metrics.format_share(figures.largest_share), largest_note),
        (t("metric_top5", lang), metrics.format_share(figures.top5_share), ""),
    ]
    gap = 0.25
    w = (_CONTENT_W - gap * (len(tiles) - 1)) / len(tiles)
    for i, (label, value, note) in enumerate(tiles):
        x = _MARGIN + i * (w + gap)
        _rect(slide, x, 1.45, w, 2.1, _PALE_FILL)
        # Two lines for the label and the note: English labels are longer.
        _fitted_box(slide, x + 0.1, 1.52, w - 0.2, 0.62, label, _Style(12, color=_MUTED))
        _fitted_box(slide, x + 0.1, 2.12, w - 0.2, 0.82, value, _Style(32, bold=True, color=_ACCENT))
        if note:
            _fitted_box(slide, x + 0.1, 2.9, w - 0.2, 0.62, note, _Style(_BODY, color=_MUTED))
    notes = [t("page_overview", lang)]
    notes += [f"{label}{_sep(lang)}{value}{_aside(note, lang)}" for label, value, note in tiles]
    table = metrics.allocation_table(corpus.projects).head(5)
    if table.is_empty():
        _notes(slide, notes)
        return slide
    _textbox(slide, _MARGIN, 3.8, _CONTENT_W, 0.45, [(t("deck_top5", lang), _Style(15, bold=True))])
    header = [
        t("col_name", lang),
        t("col_type", lang),
        t("col_budget_wan", lang),
        t("col_share", lang),
        t("col_cumulative_share", lang),
    ]
    rows = [
        [
            row["name"] or "—",
            value_label("type", row["type"], lang) or "—",
            f"{row['budget_wan']:,.2f}" if row["budget_wan"] is not None else "—",
            metrics.format_share(row["share"]),
            metrics.format_share(row["cumulative_share"]),
        ]
        for row in table.iter_rows(named=True)
    ]
    widths = [4.3, 3.9, 1.5, 1.3, 1.33]
    _simple_table(slide, _MARGIN, 4.3, widths, header, rows, size=_BODY, right_align={2, 3, 4}, min_row_h=0.4)
    notes.append(t("deck_top5", lang))
    notes += [_record(header, row, lang=lang, number=n) for n, row in enumerate(rows, start=1)]
    _notes(slide, notes)
    return slide


def _record(labels: Sequence[str], values: Sequence[str], *, lang: str, number: int) -> str:
    """A table row as one line of notes: "1. 名称：…；类型：…"."""
    pairs = (f"{label}{_sep(lang)}{value}" for label, value in zip(labels, values))
    return f"{number}. " + ("；" if lang == "zh" else "; ").join(pairs)


def _simple_table(slide, x, y, widths, header, rows, *, size, right_align=frozenset(), max_lines=1, min_row_h=0.0):
    """A small table whose cells are cut with "…" to ``max_lines`` lines of their column (headers to two)."""
    fitted = [
        [
            _fit(value, width_in=_cell_inner(w), size=size, max_lines=2 if r == 0 else max_lines)
            for value, w in zip(values, widths)
        ]
        for r, values in enumerate([header, *rows])
    ]
    heights = [
        max(min_row_h, _row_height(max(_cell_lines(text, w, size) for text, w in zip(values, widths)), size))
        for values in fitted
    ]
    shape = slide.shapes.add_table(
        len(fitted), len(widths), Inches(x), Inches(y), Inches(sum(widths)), Inches(sum(heights))
    )
    table = shape.table
    for col, w in enumerate(widths):
        table.columns[col].width = Inches(w)
    for r, h in enumerate(heights):
        table.rows[r].height = Emu(int(Inches(h)))
    for r, values in enumerate(fitted):
        for col, text in enumerate(values):
            _cell(
                table.cell(r, col),
                text,
                _Style(size, bold=r == 0),
                fill=_HEADER_FILL if r == 0 else (_PALE_FILL if r % 2 == 0 else _WHITE),
                align=PP_ALIGN.RIGHT if col in right_align and r > 0 else PP_ALIGN.LEFT,
            )
    return shape


def _cell(cell, text: str, style: _Style, *, fill: RGBColor, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.MIDDLE) -> None:
    """A table cell: fill, hairline rules, margins and one run of text (none when ``text`` is empty)."""
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    _rules(cell)
    cell.margin_left = cell.margin_right = Inches(_CELL_MARGIN_X)
    cell.margin_top = cell.margin_bottom = Inches(_CELL_MARGIN_Y)
    cell.vertical_anchor = anchor
    frame = cell.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    if text:
        run = paragraph.add_run()
        run.text = text
        _set_font(run, style)


def _rules(cell) -> None:
    """Thin grey rules on all four sides: rows stay apart without zebra stripes."""
    tc_pr = cell._tc.get_or_add_tcPr()
    # a:lnL, a:lnR, a:lnT, a:lnB come first in a:tcPr, before the fill.
    for i, side in enumerate(("a:lnL", "a:lnR", "a:lnT", "a:lnB")):
        line = tc_pr.makeelement(qn(side), {"w": "6350", "cap": "flat", "cmpd": "sng", "algn": "ctr"})
        solid = line.makeelement(qn("a:solidFill"), {})
        solid.append(solid.makeelement(qn("a:srgbClr"), {"val": _RULE}))
        line.append(solid)
        tc_pr.insert(i, line)


def _chart_figures(corpus: Corpus, *, lang: str) -> list[go.Figure]:
    """The deck's charts, in slide order; colours by type stay those of the whole corpus."""
    palette = charts.type_palette(corpus.projects["type"].to_list())
    return [
        # Fifteen bars and "其他 N 个项目" stay legible on a slide; thirty do not.
        charts.budget_by_project(corpus.projects, lang=lang, palette=palette, top_n=15),
        charts.budget_by_type(corpus.projects, lang=lang, palette=palette),
        charts.budget_treemap(corpus.projects, lang=lang, palette=palette),
        charts.level_sunburst(corpus.indicators, lang=lang),
        charts.percent_distribution(corpus.indicators, lang=lang),
    ]


def _picture_slide(slide, png: bytes, figure: go.Figure, *, caption: str) -> None:
    """A chart image over the whole slide: the image is 16:9 and carries its title and caption.

    The slide's title placeholder holds the chart's title where the image
    draws it, behind the image: the outline and screen readers get the
    title, and the slide looks as the image does.
    """
    title = _plain(figure.layout.title.text or "")
    subtitle = _plain(figure.layout.title.subtitle.text or "")
    _title(slide, _MARGIN, 0.35, _CONTENT_W, 0.75, title or "—", _Style(26, bold=True))
    picture = slide.shapes.add_picture(io.BytesIO(png), 0, 0, Inches(_SLIDE_W), Inches(_SLIDE_H))
    picture.name = title or "chart"
    # Alt text for screen readers: the chart's title.
    picture._element.nvPicPr.cNvPr.set("descr", title)
    _notes(slide, [line for line in (title, subtitle, caption) if line])


def _review_slide(slide, corpus: Corpus, findings: pl.DataFrame, *, lang: str):
    _slide_title(slide, t("sheet_findings", lang))
    # The review's findings carry their English beside them; one language is shown.
    findings = review.in_language(findings, lang)
    severity = (
        findings["severity"] if "severity" in findings.columns else pl.Series("severity", [None] * findings.height)
    )
    if isinstance(severity.dtype, pl.Enum):
        levels = list(severity.dtype.categories)
    else:
        levels = [s for s in severity.cast(pl.String).drop_nulls().unique(maintain_order=True).to_list()]
    counts = {level: int((severity.cast(pl.String) == level).sum()) for level in levels}
    projects = findings["project_id"].drop_nulls().n_unique() if "project_id" in findings.columns else 0
    tiles = [(t("deck_findings_total", lang), f"{findings.height:,}", _TEXT)] + [
        (naming.severity_label(level, lang=lang), f"{counts[level]:,}", severity_color(level)) for level in levels
    ]
    x = _MARGIN
    for label, value, color in tiles[:5]:
        _textbox(slide, x, 1.3, 2.2, 0.4, [(label, _Style(13, color=_MUTED))])
        _textbox(slide, x, 1.65, 2.2, 0.75, [(value, _Style(32, bold=True, color=color))])
        x += 2.4
    counted = ("；" if lang == "zh" else "; ").join(f"{label}{_sep(lang)}{value}" for label, value, _ in tiles)
    notes = [t("sheet_findings", lang), counted]
    if "project_id" in findings.columns:
        in_projects = t("deck_findings_projects", lang, n=projects)
        _textbox(
            slide,
            x,
            1.65,
            _SLIDE_W - _MARGIN - x,
            0.75,
            [(in_projects, _Style(14, color=_MUTED))],
            anchor=MSO_ANCHOR.MIDDLE,
        )
        notes[-1] += _aside(in_projects, lang)
    if findings.is_empty():
        _textbox(slide, _MARGIN, 2.9, _CONTENT_W, 0.6, [(t("deck_findings_none", lang), _Style(18))])
        _notes(slide, [*notes, t("deck_findings_none", lang)])
        return slide
    order = {level: i for i, level in enumerate(levels)}
    ranked = findings.with_row_index("_row").with_columns(
        _rank=severity.cast(pl.String).replace_strict(order, default=len(order), return_dtype=pl.Int64)
    )
    names = dict(corpus.projects.select("project_id", "name").iter_rows())
    rows = [
        [
            naming.severity_label(row.get("severity"), lang=lang),
            names.get(row.get("project_id"), "—") or "—",
            row.get("message") or row.get("detail") or "—",
        ]
        for row in ranked.sort("_rank", "_row").iter_rows(named=True)
    ]
    top = rows[:_TOP_FINDINGS]
    _textbox(
        slide,
        _MARGIN,
        2.45,
        _CONTENT_W,
        0.45,
        [(t("deck_top_findings", lang, n=len(top), total=findings.height), _Style(15, bold=True))],
    )
    header = [t("col_severity", lang), t("col_name", lang), t("col_message", lang)]
    _simple_table(slide, _MARGIN, 2.9, [1.0, 3.0, _CONTENT_W - 4.0], header, top, size=_BODY, max_lines=2)
    # Every finding in full, most serious first: the slide shows the first few, cut to two lines.
    notes.append(t("deck_all_findings", lang, n=findings.height))
    mark = "【{}】" if lang == "zh" else "[{}] "
    notes += [
        f"{n}. {mark.format(level)}{name}{_sep(lang)}{message}"
        for n, (level, name, message) in enumerate(rows, start=1)
    ]
    _notes(slide, notes)
    return slide


# ---------------------------------------------------------------- project slides


@dataclass(frozen=True, slots=True)
class _Row:
    level1: str
    level2: str
    name: str
    period: str
    annual: str
    differs: bool
    flags: str = ""  # the rule ids of the indicator's findings, "R03 R10"


@dataclass(slots=True)
class _Block:
    """A labelled run of paragraphs in a project's text column: a goal, or the findings."""

    label: str
    paragraphs: list[str]
    name: str  # the shape's name: "goal" or "findings"
    started: bool = False  # part of it is on an earlier column


@dataclass(frozen=True, slots=True)
class _Piece:
    """The part of a block one column shows."""

    label: str
    paragraphs: list[str]
    name: str


def _project_slides(
    prs, layout, corpus: Corpus, project: dict, *, findings: pl.DataFrame | None, total: float, lang: str
) -> list:
    """A project's slides: facts, goals and findings in full, and the target table split over as few as hold it.

    The first slide has the text column (goals, then findings) beside the
    first part of the table; text the column does not hold continues on
    slides of two text columns, then the table's other parts follow, wide.
    """
    mine = _project_findings(findings, project["project_id"])
    flags = (
        dict(
            mine.filter(pl.col("indicator_id").is_not_null())
            .group_by("indicator_id")
            .agg(pl.col("rule_id").unique().sort().str.join(" "))
            .iter_rows()
        )
        if mine is not None and {"indicator_id", "rule_id"} <= set(mine.columns)
        else {}
    )
    card = metrics.card_indicators(corpus.indicators, project["project_id"])
    rows = [
        _Row(
            category(r["level1"], lang) or "—",
            category(r["level2"], lang) or "—",
            r["name"] or "—",
            r["period_value"] or "—",
            r["annual_value"] or "—",
            bool(r["differs"]),
            flags.get(r["indicator_id"], ""),
        )
        for r in card.iter_rows(named=True)
    ]
    shares = _TABLE_SHARES if findings is None else _FLAGGED_SHARES
    narrow = [s * (_SLIDE_W - _MARGIN - _TABLE_X) for s in shares]
    wide = [s * _CONTENT_W for s in shares]
    bottom = _FOOTER_Y - _legend_lines(sum(narrow), flagged=findings is not None, lang=lang) * _LEGEND_H - 0.12
    pages = _table_parts(rows, first=narrow, rest=wide, height=bottom - _TABLE_TOP, size=_BODY, lang=lang)
    facts = _fact_lines(project, total=total, lang=lang)
    goals = _goal_blocks(project, lang=lang)
    blocks = [_Block(label, _paragraphs(text), "goal") for label, text in goals]
    finding_lines = review.finding_lines(mine, lang) if mine is not None else []
    if mine is not None:
        heading = t("deck_project_findings", lang, n=len(finding_lines))
        blocks.append(_Block(heading, finding_lines or [t("deck_project_no_findings", lang)], "findings"))
    # The whole project on every slide: the name, facts, goals and findings.
    notes = [*facts, *(f"{label}{_sep(lang)}{text}" for label, text in goals)]
    if mine is not None:
        notes += [t("deck_project_findings", lang, n=len(finding_lines)), *finding_lines]

    # What each slide shows: (text columns, table part or None).
    column_w = (_CONTENT_W - 0.4) / 2
    layouts: list[tuple[list[list[_Piece]], list[_Row] | None]] = [
        ([_flow(blocks, width=_GOALS_W, size=_BODY, lang=lang)], pages[0])
    ]
    while blocks:
        columns = [_flow(blocks, width=column_w, size=_BODY, lang=lang)]
        columns.append(_flow(blocks, width=column_w, size=_BODY, lang=lang))
        layouts.append((columns, None))
    layouts += [([], page) for page in pages[1:]]

    name = project["name"] or "—"
    slides = []
    for index, (columns, page) in enumerate(layouts):
        slide = prs.slides.add_slide(layout)
        part = part_label(index, len(layouts))
        suffix = t("deck_part" if index == 0 else "deck_continued", lang, part=part) if part else ""
        _slide_title(slide, name, size=24, suffix=suffix)
        _facts(slide, facts)
        for i, pieces in enumerate(columns):
            width = _GOALS_W if page is not None else column_w
            _text_column(slide, _MARGIN + i * (column_w + 0.4), width, pieces, size=_BODY)
        if page is not None:
            widths = narrow if columns else wide
            _target_table(slide, _TABLE_X if columns else _MARGIN, widths, page, size=_BODY, lang=lang)
        _notes(slide, [name + suffix, *notes])
        slides.append(slide)
    return slides


def _project_findings(findings: pl.DataFrame | None, project_id: str) -> pl.DataFrame | None:
    """The project's findings, most serious first (as the card lists them); None when the deck has no review."""
    if findings is None or "project_id" not in findings.columns:
        return None
    mine = findings.filter(pl.col("project_id") == project_id)
    if "severity" not in mine.columns:
        return mine
    # A severity the review does not know goes last.
    rank = pl.col("severity").cast(pl.String).cast(review.Severity, strict=False)
    keys = [rank, *(["rule_id"] if "rule_id" in mine.columns else [])]
    return mine.sort(keys, nulls_last=True, maintain_order=True)


def _paragraphs(text: str) -> list[str]:
    """A goal's paragraphs: its own line breaks, blank lines left out."""
    return [line.strip() for line in text.splitlines() if line.strip()] or ["—"]


def _split_paragraph(text: str, *, width_in: float, size: float, lines: int) -> tuple[str, str]:
    """The first ``lines`` lines of ``text`` wrapped at ``width_in``, and the rest."""
    at = 0
    for line in _lines_fit(text, width_in=width_in, size=size)[:lines]:
        found = text.find(line, at)
        at = found + len(line) if found >= 0 else at + len(line)
    return text[:at], text[at:].lstrip()


def _box_height(lines: int, size: float) -> float:
    return lines * size * _LINE / 72 + 2 * _INSET


def _flow(blocks: list[_Block], *, width: float, size: float, lang: str) -> list[_Piece]:
    """Take from ``blocks`` what one text column ``width`` wide holds, whole lines at a time.

    A paragraph that does not fit moves whole to the next column when a
    column holds it, else it is cut at a line break; the block's rest stays in
    ``blocks``, labelled "（续）" on the next column; a label never ends a
    column alone.
    """
    pieces: list[_Piece] = []
    used = 0.0
    height = _TEXT_BOTTOM - _TABLE_TOP
    line_in = size * _LINE / 72
    while blocks:
        block = blocks[0]
        label = t("deck_block_continued", lang, label=block.label) if block.started else block.label
        label_h = _box_height(len(_lines_fit(label, width_in=width, size=size)), size)
        room = height - used - label_h - (_BLOCK_GAP if pieces else 0.0)
        left = int((room - 2 * _INSET) // line_in)
        if not pieces:
            left = max(left, 1)  # a fresh column always takes a line, so the flow ends
        taken: list[str] = []
        while block.paragraphs and left > 0:
            text = block.paragraphs[0]
            need = len(_lines_fit(text, width_in=width, size=size))
            if need <= left:
                taken.append(block.paragraphs.pop(0))
                left -= need
                continue
            fresh = int((height - label_h - 2 * _INSET) // line_in)
            if need <= fresh and (taken or pieces):
                # A paragraph (a finding, a goal's sentence) that a fresh column holds moves there whole.
                break
            head, rest = _split_paragraph(text, width_in=width, size=size, lines=left)
            taken.append(head)
            block.paragraphs[0] = rest
            left = 0
        if not taken:
            break
        lines = sum(len(_lines_fit(text, width_in=width, size=size)) for text in taken)
        used += (_BLOCK_GAP if pieces else 0.0) + label_h + _box_height(lines, size)
        pieces.append(_Piece(label, taken, block.name))
        if block.paragraphs:
            block.started = True
            break
        blocks.pop(0)
    return pieces


def _text_column(slide, x: float, width: float, pieces: list[_Piece], *, size: float) -> None:
    """A column of labelled text: each piece's label (bold, accent) over its paragraphs."""
    y = _TABLE_TOP
    for piece in pieces:
        label_h = _box_height(len(_lines_fit(piece.label, width_in=width, size=size)), size)
        _textbox(slide, x, y, width, label_h, [(piece.label, _Style(size, bold=True, color=_ACCENT))], name="label")
        y += label_h
        lines = sum(len(_lines_fit(text, width_in=width, size=size)) for text in piece.paragraphs)
        h = _box_height(lines, size)
        _textbox(slide, x, y, width, h, [(text, _Style(size)) for text in piece.paragraphs], name=piece.name)
        y += h + _BLOCK_GAP


def severity_color(level: str) -> RGBColor:
    """A severity's colour as the charts draw it (lib.model.severity); the loader's own levels in the text colour."""
    colour = severity_model.COLORS.get(level)
    return RGBColor.from_string(colour.lstrip("#")) if colour else _TEXT


def _fact_lines(project: dict, *, total: float, lang: str) -> list[str]:
    """The two lines of facts under a project's title: money and period, then type, level and unit."""
    share = (project["budget_yuan"] or 0) / total if total > 0 and project["budget_yuan"] is not None else None
    period = periods.period_text(
        project["start_year"], project["end_year"], project["budget_year"], ongoing=t("ongoing", lang)
    )
    money = [
        f"{t('card_budget', lang)}{_sep(lang)}{metrics.format_wan(project['budget_yuan'])} {t('unit_wan', lang)}",
        f"{t('card_share', lang)}{_sep(lang)}{metrics.format_share(share)}",
        f"{t('card_period', lang)}{_sep(lang)}{period}",
    ]
    kind = [
        f"{t('card_type', lang)}{_sep(lang)}{value_label('type', project['type'], lang) or '—'}",
        f"{t('card_level', lang)}{_sep(lang)}{value_label('level', project['level'], lang) or '—'}",
        f"{t('card_unit', lang)}{_sep(lang)}{project['unit'] or '—'}",
    ]
    return ["　　".join(line) for line in (money, kind)]


def _facts(slide, lines: list[str]) -> None:
    style = _Style(_BODY, color=_MUTED)
    fitted = [_fit(line, width_in=_CONTENT_W, size=style.size, max_lines=1) for line in lines]
    _textbox(slide, _MARGIN, 1.22, _CONTENT_W, 0.62, [(line, style) for line in fitted], name="facts")


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _aside(text: str, lang: str) -> str:
    """``text`` in brackets after what it explains; nothing when empty."""
    if not text:
        return ""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _goal_blocks(project: dict, *, lang: str) -> list[tuple[str, str]]:
    """(label, goal) of a project's goals: one block when the period's goal is the year's."""
    period, annual = project["goal_period"] or "—", project["goal_annual"] or "—"
    if period == annual:
        return [(t("deck_goal_same", lang), period)]
    return [(t("card_goal_period", lang), period), (t("card_goal_annual", lang), annual)]


def _cell_inner(width_in: float) -> float:
    """The width :func:`_lines_fit` should assume for a table cell ``width_in`` wide."""
    return width_in - 2 * _CELL_MARGIN_X + 2 * _INSET


def _cell_lines(text: str, width_in: float, size: float) -> int:
    return len(_lines_fit(text, width_in=_cell_inner(width_in), size=size))


def _row_height(lines: int, size: float) -> float:
    # Noto Sans CJK draws a line 1.45 em high; a renderer grows a row that is
    # too low for its text, so a row is never set lower than that.
    return lines * size * 1.45 / 72 + 2 * _CELL_MARGIN_Y + 0.03


def _table_parts(
    rows: list[_Row], *, first: list[float], rest: list[float], height: float, size: float, lang: str
) -> list[list[_Row]]:
    """Rows split evenly (:func:`lib.presentation.parts`) into as few parts as fit: the first narrow, the rest wide.

    Each part holds at most ``ROWS_PER_PART`` rows and its table fits
    ``height`` inches at ``size`` points. A row too tall for a slide on its
    own gets a slide of its own, and the other rows fill slides in order, so
    one such row does not put every row on a slide of its own.
    """
    if not rows:
        return [[]]
    if _table_height(rows[:1], first, size, lang) > height or any(
        _table_height([row], rest, size, lang) > height for row in rows[1:]
    ):
        return _filled_parts(rows, first=first, rest=rest, height=height, size=size, lang=lang)
    for count in range(-(-len(rows) // ROWS_PER_PART), len(rows)):
        pages = [rows[part] for part in parts(len(rows), per_part=-(-len(rows) // count))]
        if all(_table_height(page, first if i == 0 else rest, size, lang) <= height for i, page in enumerate(pages)):
            return pages
    return [[row] for row in rows]  # fits: every row fits a slide alone


def _filled_parts(
    rows: list[_Row], *, first: list[float], rest: list[float], height: float, size: float, lang: str
) -> list[list[_Row]]:
    """Rows filling slides in order, at most ``ROWS_PER_PART`` each; a row too tall for any slide alone on one."""
    pages: list[list[_Row]] = [[]]
    for row in rows:
        page = pages[-1]
        widths = first if len(pages) == 1 else rest
        if page and (len(page) == ROWS_PER_PART or _table_height([*page, row], widths, size, lang) > height):
            pages.append([row])
        else:
            page.append(row)
    return pages


def _table_height(rows: list[_Row], widths: list[float], size: float, lang: str) -> float:
    return _header_height(widths, size, lang) + sum(_row_height(_body_lines(row, widths, size), size) for row in rows)


def _body_lines(row: _Row, widths: list[float], size: float) -> int:
    """Lines of a row: its longest cell. The 一级/二级 cells count too, merged cells or not."""
    texts = (row.level1, row.level2, row.name, row.period, row.annual, row.flags)
    return max(_cell_lines(text, w, size) for text, w in zip(texts, widths))


def _target_table(slide, x: float, widths: list[float], rows: list[_Row], *, size: float, lang: str) -> None:
    """The target card: one row per indicator, 一级 and 二级 merged down their runs, as in the document.

    With six widths a 发现 column holds the rule ids of an indicator's
    findings and the flagged row's indicator is filled pink. Under the table
    a legend names each highlight the table shows, and only those.
    """
    header = _header(widths, lang)
    heights = [_header_height(widths, size, lang)]
    heights += [_row_height(_body_lines(row, widths, size), size) for row in rows]
    shape = slide.shapes.add_table(
        len(rows) + 1, len(widths), Inches(x), Inches(_TABLE_TOP), Inches(sum(widths)), Inches(sum(heights))
    )
    shape.name = "targets"
    table = shape.table
    # The default style bands rows in theme colours; fills and rules are set per cell instead.
    table.horz_banding = False
    for col, w in enumerate(widths):
        table.columns[col].width = Inches(w)
    for r, h in enumerate(heights):
        table.rows[r].height = Emu(int(Inches(h)))
    for col, text in enumerate(header):
        _cell(table.cell(0, col), text, _Style(size, bold=True), fill=_HEADER_FILL)
    runs = {0: _runs([row.level1 for row in rows]), 1: _runs([(row.level1, row.level2) for row in rows])}
    for r, row in enumerate(rows, start=1):
        values = (row.level1, row.level2, row.name, row.period, row.annual, row.flags)[: len(widths)]
        for col, text in enumerate(values):
            style, fill = _Style(size), _WHITE
            if col == 4 and row.differs:
                style, fill = _Style(size, bold=True, color=_DIFFERS), _DIFFERS_FILL
            elif col in (2, 5) and row.flags:
                style = _Style(size, bold=col == 5, color=_FLAGGED if col == 5 else _TEXT)
                fill = _FLAGGED_FILL
            # A merged 一级/二级 cell holds its text once, in its first row.
            starts_run = col > 1 or (r - 1) in runs[col]
            _cell(table.cell(r, col), text if starts_run else "", style, fill=fill)
    for col, starts in runs.items():
        for start, end in starts.items():
            if end > start:
                table.cell(start + 1, col).merge(table.cell(end + 1, col))
    entries = _legend(rows, flagged=len(widths) > 5, lang=lang)
    y = _TABLE_TOP + sum(heights) + 0.08
    side_by_side = _legend_lines(sum(widths), flagged=len(widths) > 5, lang=lang) == 1
    for name, text, color in entries:
        w = _legend_width(text) if side_by_side else sum(widths)
        _textbox(slide, x, y, w, _LEGEND_H, [(text, _Style(_BODY, bold=True, color=color))], name=name)
        if side_by_side:
            x += w + 0.3
        else:
            y += _LEGEND_H


def _header(widths: list[float], lang: str) -> list[str]:
    """The target table's column headers: 一级 … 年度值, and 发现 when there are six columns."""
    keys = ["col_level1", "col_level2", "col_indicator", "col_period_value", "col_annual_value", "card_flag"]
    return [t(key, lang) for key in keys[: len(widths)]]


def _header_height(widths: list[float], size: float, lang: str) -> float:
    return _row_height(max(_cell_lines(h, w, size) for h, w in zip(_header(widths, lang), widths)), size)


def _legend_entries(lang: str) -> list[tuple[str, str, RGBColor]]:
    """(shape name, text, colour) of every highlight a target table may show."""
    return [
        ("legend_differs", f"■ {t('card_differs', lang)}", _DIFFERS),
        ("legend_flagged", f"■ {t('card_flagged', lang)}", _FLAGGED),
    ]


def _legend(rows: list[_Row], *, flagged: bool, lang: str) -> list[tuple[str, str, RGBColor]]:
    """The legend of the highlights ``rows`` show: annual values that differ, indicators flagged."""
    shown = {
        "legend_differs": any(row.differs for row in rows),
        "legend_flagged": flagged and any(r.flags for r in rows),
    }
    return [entry for entry in _legend_entries(lang) if shown[entry[0]]]


def _legend_width(text: str) -> float:
    return text_width(text) * _BODY / 72 / _WIDTH_SAFETY + 2 * _INSET


def _legend_lines(width: float, *, flagged: bool, lang: str) -> int:
    """Lines the legend under a table ``width`` wide takes: its entries side by side when they fit."""
    entries = _legend_entries(lang)[: 2 if flagged else 1]
    return 1 if sum(_legend_width(text) for _, text, _ in entries) + 0.3 * (len(entries) - 1) <= width else len(entries)


def _runs(keys: list) -> dict[int, int]:
    """Start index -> end index (inclusive) of each run of equal consecutive keys."""
    runs: dict[int, int] = {}
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            runs[start] = i - 1
            start = i
    return runs


if __name__ == "__main__":
    sys.exit(main())
