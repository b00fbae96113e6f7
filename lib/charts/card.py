"""The project card as slide-sized images: a project's goals, indicators and findings, read from the back of the room.

:func:`card_figures` lays the card out for 16:9 images by
:mod:`lib.presentation`'s rules: the project's name as the title, the facts
line, both goals in full, the indicator table (annual values that differ
from the period value, flagged indicators and the finding chosen on the
review page highlighted, with a legend for each colour and the flagged
rules' titles), the findings with their rules' titles, and the caption
(source and filters) once. Text is at least body size; what does not fit one
image continues on the next ("（续）", "1/2", "2/2"), never cut. The text
grows when the content leaves room, and what room is left is spread between
the blocks, so no image has a large empty band. :func:`card_sheet_count`
says how many images that makes without drawing them.

Each figure is laid out at the image's size less the safe margin
(:func:`lib.export.images.figure_pngs` renders it with the margin around).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from lib.charts.style import FONT_FAMILY, MUTED_COLOR, TEXT_COLOR, escape, escape_text, paren
from lib.i18n import t
from lib.presentation import BODY_PX, SAFE_MARGIN_PX, SLIDE_PX, TITLE_PX, part_label

__all__ = ["FLAGGED_TEXT_COLOR", "HIGHLIGHT_COLORS", "CardContent", "card_figure", "card_figures", "card_sheet_count"]

#: Fills of the card's highlights, on screen and on the image: an annual value
#: that differs from the period value, an indicator a review rule flagged, and
#: the indicator of the finding chosen on the review page (and that finding).
HIGHLIGHT_COLORS: dict[str, str] = {"differs": "#FFE8CC", "flagged": "#FBE3E4", "chosen": "#FFD27A"}
#: Text colour of a flagged indicator's name and rules.
FLAGGED_TEXT_COLOR = "#B2182B"
_HEADER_FILL = "#EEF2F7"
_RULE_COLOR = "#D9D9D9"

_LINE_EM = 1.3  # Plotly's distance between the lines of a text, in ems
_LARGEST_BODY_PX = 34  # the text grows up to this size when the card leaves room
# The table's columns (一级, 二级, 三级, 实施周期值, 年度值, 发现) as shares of the width.
_COLUMN_SHARES = (0.10, 0.145, 0.315, 0.16, 0.16, 0.12)
_COLUMN_KEYS = ("col_level1", "col_level2", "col_indicator", "col_period_value", "col_annual_value", "card_flag")
_COLUMNS = ("level1", "level2", "name", "period_value", "annual_value", "flags")
# Estimated widths run this much narrower than the space, so a font drawing a little wider still fits.
_FIT = 0.92
# Punctuation that closes a phrase: never the first character of a line.
_NO_LINE_START = frozenset("，。、；：？！）》」』”’,.;:?!)%")
# Punctuation that opens a phrase: never the last character of a line.
_NO_LINE_END = frozenset("（《「『“‘(")
# What a line break never falls inside: a tag, an entity, a run of Latin letters and digits.
_TOKEN = re.compile(r"<[^>]+>|&[A-Za-z]+;|&#[0-9]+;|[A-Za-z0-9.%\-]+|.", re.S)
# A legend entry's swatch and the space after it, in ems.
_SWATCH_EM = 1.4


@dataclass(frozen=True, slots=True)
class _Content:
    """What the card shows, escaped for Plotly."""

    name: str
    facts: str
    goals: tuple[tuple[str, str], ...]
    rows: tuple[dict, ...]
    findings: tuple[str, ...]
    chosen_first: bool
    notes: tuple[tuple[str, str], ...]  # (highlight, legend text), in the legend's order
    rules: dict[str, str]
    caption: str
    lang: str


@dataclass(frozen=True, slots=True)
class _Item:
    """One unit of the card's flow: a goal (or part of one), a table row or a finding."""

    kind: str  # "goal", "row", "finding"
    index: int
    text: str = ""  # a goal's text (or its continuation)
    label: str = ""  # a goal's label, on its first part only


@dataclass(slots=True)
class _Sheet:
    items: list[_Item] = field(default_factory=list)
    body: float = BODY_PX  # its text size: at least body size, larger when the sheet has room


@dataclass(frozen=True)
class CardContent:
    """What a project's card shows, as :func:`lib.pages.card.page` gives it; document text as written.

    ``indicators`` is the card's table (``level1``, ``level2`` translated,
    ``name``, ``period_value``, ``annual_value``, ``flags`` of rule ids,
    ``differs``, ``chosen``); ``goals`` are (label, text) pairs, shown in
    full; ``findings`` are lines (the first highlighted with
    ``chosen_first``); ``notes`` are the legend's texts by highlight
    (``differs``, ``flagged``, ``chosen``: those present); ``rules`` titles
    the rule ids the table shows; ``caption`` is the source and filters.
    """

    indicators: pl.DataFrame
    name: str
    facts: str
    goals: Sequence[tuple[str, str]]
    findings: Sequence[str] = ()
    chosen_first: bool = False
    notes: dict[str, str] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    caption: str = ""
    lang: str = "zh"


def card_figures(card: CardContent, *, width: int = SLIDE_PX[0], height: int = SLIDE_PX[1]) -> list[go.Figure]:
    """A project's card as figures for ``width × height`` images: one, or more when it does not fit one.

    Document text is escaped here. Each figure is ``width × height`` less
    the safe margin (:func:`lib.export.figure_pngs` adds it around).

    Examples
    --------
    >>> import polars as pl
    >>> table = pl.DataFrame({"level1": ["产出指标"], "level2": ["数量指标"], "name": ["培训次数"],
    ...     "period_value": ["3"], "annual_value": ["3"], "flags": [""], "differs": [False], "chosen": [False]})
    >>> card = CardContent(table, name="人代会", facts="预算金额 197.68 万元", goals=[("年度目标", "召开会议")])
    >>> figures = card_figures(card)
    >>> len(figures), figures[0].layout.width, figures[0].layout.height
    (1, 1824, 984)
    """
    content = _content(card)
    box = (width - 2 * SAFE_MARGIN_PX, height - 2 * SAFE_MARGIN_PX)
    sheets = _paginate(content, box)
    return [_figure(content, sheet, box, index, len(sheets)) for index, sheet in enumerate(sheets)]


def card_sheet_count(card: CardContent, *, width: int = SLIDE_PX[0], height: int = SLIDE_PX[1]) -> int:
    """How many images :func:`card_figures` makes of ``card``, in milliseconds: no figure is built."""
    box = (width - 2 * SAFE_MARGIN_PX, height - 2 * SAFE_MARGIN_PX)
    return len(_paginate(_content(card), box, count_only=True))


def card_figure(project: dict, card: pl.DataFrame, *, facts: str, lang: str = "zh") -> go.Figure:
    """The first image of a project's card from a project row and its indicators (no findings).

    ``card`` is :func:`lib.metrics.card_indicators` output, optionally with a
    ``flags`` column; see :func:`card_figures` for the card with findings.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> from lib import metrics
    >>> c = load_documents()
    >>> p = c.projects.row(0, named=True)
    >>> fig = card_figure(p, metrics.card_indicators(c.indicators, p["project_id"]), facts="141.60 万元")
    >>> fig.layout.annotations[0].text
    '<b>市人大代表履职经费</b>'
    """
    from lib.i18n import category_columns

    table = card.select(
        *category_columns(card, ["level1", "level2"], lang),
        "name",
        "period_value",
        "annual_value",
        (pl.col("flags").fill_null("") if "flags" in card.columns else pl.lit("")).alias("flags"),
        (pl.col("differs") if "differs" in card.columns else pl.lit(False)).alias("differs"),
        pl.lit(False).alias("chosen"),
    )
    goals = [(t(key, lang), project.get(field) or "—") for key, field in _GOALS]
    return card_figures(CardContent(table, name=project.get("name") or "", facts=facts, goals=goals, lang=lang))[0]


_GOALS = (("card_goal_period", "goal_period"), ("card_goal_annual", "goal_annual"))


# ---------------------------------------------------------------- content


def _content(card: CardContent) -> _Content:
    """The card's text, escaped for Plotly, in reading order."""
    indicators = escape_text(card.indicators)
    rows = tuple(
        {
            **{
                column: "—" if row.get(column) in (None, "") and column != "flags" else row.get(column) or ""
                for column in _COLUMNS
            },
            "differs": bool(row.get("differs")),
            "chosen": bool(row.get("chosen")),
        }
        for row in indicators.iter_rows(named=True)
    )
    return _Content(
        name=escape(" ".join((card.name or "—").split())),
        facts=escape(re.sub(r"[ \t\r\n]+", " ", card.facts or "").strip()),
        goals=tuple((escape(label), escape(" ".join((text or "—").split()))) for label, text in card.goals),
        rows=rows,
        findings=tuple(escape(" ".join(line.split())) for line in card.findings),
        chosen_first=card.chosen_first and bool(card.findings),
        notes=tuple((key, escape(card.notes[key])) for key in HIGHLIGHT_COLORS if card.notes.get(key)),
        rules={escape(k): escape(v) for k, v in card.rules.items()},
        caption=escape(card.caption or ""),
        lang=card.lang,
    )


# ---------------------------------------------------------------- measures


@dataclass(frozen=True, slots=True)
class _Type:
    """Sizes at one body size: text, title, a line, padding and gaps, in pixels."""

    body: float
    title: float

    @property
    def line(self) -> float:
        return self.body * _LINE_EM

    @property
    def pad(self) -> float:
        return 0.3 * self.body

    @property
    def gap(self) -> float:  # between blocks (goals, table, findings)
        return 0.8 * self.body


def _type(body: float) -> _Type:
    return _Type(body=body, title=max(TITLE_PX, body * TITLE_PX / BODY_PX))


@functools.lru_cache(maxsize=8192)
def _wrapped(text: str, width_px: float, size: float) -> tuple[str, ...]:
    return tuple(_fill_lines(text, width_px, size))


def _lines(text: str, width_px: float, size: float) -> list[str]:
    """``text`` in lines of ``width_px`` at ``size`` px (:func:`_fill_lines`); pagination asks for the same often."""
    return list(_wrapped(text, width_px, size))


def _fill_lines(text: str, width_px: float, size: float) -> list[str]:
    """``text`` filled into lines of ``width_px`` at ``size`` px, widths estimated from the characters.

    Lines break between any two characters (Chinese has no spaces to wait
    for) but not inside an entity, a ``<b>`` tag or a run of Latin letters
    and digits; a line never starts with closing punctuation, which stays at
    the end of the line before.

    >>> _fill_lines("一二三四五六七八。九十", 100, 10)
    ['一二三四五六七八。', '九十']
    >>> _fill_lines("一二三四五六七八（九）十", 100, 10)
    ['一二三四五六七八', '（九）十']
    """
    limit = _FIT * width_px / size
    lines: list[str] = []
    line, used = "", 0.0
    for token in _TOKEN.findall(text):
        width = 0.0 if token.startswith("<") else _text_ems(html.unescape(token))
        closing = token in _NO_LINE_START
        if line and used + width > limit and not closing:
            # An opening bracket or quote at a line's end moves down with what it opens.
            carried = line[-1] if line[-1] in _NO_LINE_END and len(line) > 1 else ""
            lines.append(line[: len(line) - len(carried)].rstrip())
            line, used = carried, _text_ems(carried)
            if token.isspace() and not line:
                continue
        line += token
        used += width
    lines.append(line.rstrip())
    return lines


def _parts_lines(parts: Sequence[str], width_px: float, size: float) -> list[str]:
    """Short texts (the facts) joined by a wide space, a line broken between them where it can be."""
    lines: list[str] = []
    for part in parts:
        joined = f"{lines[-1]}　{part}" if lines else part
        if lines and len(_lines(joined, width_px, size)) == 1:
            lines[-1] = joined
        else:
            lines.extend(_lines(part, width_px, size))
    return lines


def _cells(row: dict, width: float, kind: _Type) -> list[list[str]]:
    return [
        _lines(str(row[column]), share * width - 2 * kind.pad, kind.body) if row[column] else [""]
        for column, share in zip(_COLUMNS, _COLUMN_SHARES)
    ]


def _goal_text(item: _Item) -> str:
    return f"<b>{item.label}</b>　{item.text}" if item.label else item.text


def _header_height(content: _Content, width: float, kind: _Type, first: bool) -> float:
    title = len(_lines(_title(content, first), width, kind.title)) * kind.title * _LINE_EM
    facts = (
        len(_parts_lines(content.facts.split("　"), width, kind.body)) * kind.line if first and content.facts else 0.0
    )
    return title + facts + kind.gap


def _title(content: _Content, first: bool) -> str:
    return content.name if first else content.name + escape(t("card_continued", content.lang))


def _footer(content: _Content, items: Sequence[_Item], width: float, kind: _Type) -> tuple[list[str], list[str]]:
    """The rule key's lines and the caption's lines of a sheet with ``items``."""
    flagged = sorted(
        {rule for i in items if i.kind == "row" for rule in content.rows[i.index]["flags"].split() if rule}
    )
    key = [f"{rule} {content.rules[rule]}" for rule in flagged if rule in content.rules]
    if key:
        key[0] = escape(t("card_rules_key", content.lang)) + key[0]
    key_lines = _parts_lines(key, width, kind.body)
    # The part label ("1/2") sits at the caption's right: the caption wraps short of it.
    caption_lines = _lines(content.caption, width - 4 * kind.body, kind.body) if content.caption else []
    return key_lines, caption_lines


def _legend(content: _Content, items: Sequence[_Item]) -> list[tuple[str, str]]:
    """The legend entries of a sheet: a colour for each highlight its rows or findings show."""
    rows = [content.rows[i.index] for i in items if i.kind == "row"]
    shown = {
        "differs": any(row["differs"] and not row["chosen"] for row in rows),
        "flagged": any(row["flags"] and not row["chosen"] for row in rows),
        "chosen": any(row["chosen"] for row in rows)
        or (content.chosen_first and any(i.kind == "finding" and i.index == 0 for i in items)),
    }
    return [(key, text) for key, text in content.notes if shown[key]]


def _legend_rows(entries: Sequence[tuple[str, str]], width: float, kind: _Type) -> list[list[tuple[float, str, str]]]:
    """The legend's entries placed in rows: (x, highlight, text), a new row where one would pass ``width``."""
    rows: list[list[tuple[float, str, str]]] = [[]] if entries else []
    x = 0.0
    for key, text in entries:
        size = (_SWATCH_EM + _text_ems(text)) * kind.body
        if rows[-1] and x + size > _FIT * width:
            rows.append([])
            x = 0.0
        rows[-1].append((x, key, text))
        x += size + 2 * kind.body
    return rows


def _sheet_height(content: _Content, items: Sequence[_Item], first: bool, width: float, kind: _Type) -> float:
    """The height a sheet of ``items`` needs at ``kind``'s sizes, with no room to spare."""
    return _place(None, content, items, first, width, kind) + _footer_height(content, items, width, kind)


def _footer_height(content: _Content, items: Sequence[_Item], width: float, kind: _Type) -> float:
    key_lines, caption_lines = _footer(content, items, width, kind)
    legend = len(_legend_rows(_legend(content, items), width, kind))
    return kind.gap + (len(key_lines) + len(caption_lines)) * kind.line + legend * (kind.line + kind.pad)


def _place(
    canvas: _Canvas | None,
    content: _Content,
    items: Sequence[_Item],
    first: bool,
    width: float,
    kind: _Type,
    *,
    extra_gap: float = 0.0,
    extra_row: float = 0.0,
) -> float:
    """Header and items from the top, drawn on ``canvas`` (measured only without one); where they end."""
    draw = canvas if canvas is not None else _Canvas(width, 1, draw=False)
    title_lines = _lines(_title(content, first), width, kind.title)
    draw.text(0, 0, [f"<b>{line}</b>" for line in title_lines], kind.title)
    y = len(title_lines) * kind.title * _LINE_EM
    if first and content.facts:
        facts = _parts_lines(content.facts.split("　"), width, kind.body)
        draw.text(0, y, facts, kind.body, color=MUTED_COLOR)
        y += len(facts) * kind.line
    y += kind.gap + extra_gap
    previous = None
    for item in items:
        if previous is not None and item.kind != previous:
            y += kind.gap + extra_gap
        if item.kind == "goal":
            if previous == "goal" and item.label:
                y += kind.pad  # a new goal, not the continuation of one
            lines = _lines(_goal_text(item), width, kind.body)
            draw.text(0, y, lines, kind.body)
            y += len(lines) * kind.line
        elif item.kind == "row":
            if previous != "row":
                y = _table_header(draw, content, y, width, kind)
            y = _table_row(draw, content.rows[item.index], y, width, kind, extra_row)
        else:
            if previous != "finding":
                heading = f"<b>{escape(t('card_findings', content.lang))}{paren(str(len(content.findings)), content.lang)}</b>"
                draw.text(0, y, [heading], kind.body)
                y += kind.line + kind.pad
            y = _finding(draw, content, item.index, y, width, kind, extra_row)
        previous = item.kind
    return y


# ---------------------------------------------------------------- pagination


def _flow(content: _Content, width: float, capacity: float) -> list[_Item]:
    """The card's items in reading order: goals (split at line ends when taller than ``capacity``), rows, findings."""
    kind = _type(BODY_PX)
    items: list[_Item] = []
    most = max(int(capacity // kind.line), 1)
    for label, text in content.goals:
        lines = _lines(f"<b>{label}</b>　{text}", width, kind.body)
        if len(lines) <= most:
            items.append(_Item("goal", len(items), text=text, label=label))
            continue
        # A goal taller than a sheet continues on the next: cut between its lines, never inside a word.
        plain = [line.replace("<b>", "").replace("</b>", "") for line in lines]
        plain[0] = plain[0].removeprefix(label).lstrip("　")
        for start in range(0, len(plain), most):
            items.append(
                _Item("goal", len(items), text="".join(plain[start : start + most]), label=label if start == 0 else "")
            )
    items.extend(_Item("row", i) for i in range(len(content.rows)))
    items.extend(_Item("finding", i) for i in range(len(content.findings)))
    return items


def _fill(
    content: _Content, items: list[_Item], width: float, height: float, kind: _Type, limit: float
) -> list[_Sheet]:
    """Items onto sheets in order, each sheet as full as ``limit`` (at most ``height``) allows."""
    sheets = [_Sheet()]
    for item in items:
        trial = [*sheets[-1].items, item]
        first = len(sheets) == 1
        if sheets[-1].items and _sheet_height(content, trial, first, width, kind) > min(limit, height) + 1e-6:
            sheets.append(_Sheet([item]))
        else:
            sheets[-1].items.append(item)
    return sheets


def _paginate(content: _Content, box: tuple[int, int], *, count_only: bool = False) -> list[_Sheet]:
    """The card's sheets: fewest at body size, evened out, each sheet's text grown as far as it has room.

    With ``count_only`` the sheets are those of the first filling: as many, not yet evened out or grown.
    """
    width, height = box
    kind = _type(BODY_PX)
    items = _flow(content, width, height - _header_height(content, width, kind, True) - 4 * kind.line)
    sheets = _fill(content, items, width, height, kind, height)
    fewest = len(sheets)
    if count_only:
        return sheets
    if fewest > 1:
        # The even split: the lowest height limit that still needs no more sheets.
        low, high = 0.0, float(height)
        for _ in range(16):  # to a fraction of a line
            middle = (low + high) / 2
            if len(_fill(content, items, width, height, kind, middle)) <= fewest:
                high = middle
            else:
                low = middle
        sheets = _fill(content, items, width, height, kind, high)
    for index, sheet in enumerate(sheets):
        sheet.body = float(
            next(
                (
                    size
                    for size in range(_LARGEST_BODY_PX, BODY_PX, -1)
                    if _sheet_height(content, sheet.items, index == 0, width, _type(size)) <= height
                ),
                BODY_PX,
            )
        )
    # The table reads as one across its sheets: they share the size the fullest of them allows.
    tables = [sheet for sheet in sheets if any(item.kind == "row" for item in sheet.items)]
    for sheet in tables:
        sheet.body = min(other.body for other in tables)
    return sheets


# ---------------------------------------------------------------- drawing


class _Canvas:
    """Annotations and shapes placed in pixels from the figure's top left."""

    def __init__(self, width: float, height: float, *, draw: bool = True) -> None:
        self.width, self.height, self.draw = width, height, draw
        self.annotations: list[dict] = []
        self.shapes: list[dict] = []

    def text(
        self, x: float, y: float, lines: Sequence[str], size: float, *, color: str = TEXT_COLOR, anchor: str = "left"
    ) -> None:
        self.annotations.append(
            {
                "text": "<br>".join(lines),
                "x": x / self.width,
                "y": 1 - y / self.height,
                "xref": "paper",
                "yref": "paper",
                "xanchor": anchor,
                "yanchor": "top",
                "align": anchor,
                "showarrow": False,
                "borderpad": 0,
                "font": {"family": FONT_FAMILY, "size": size, "color": color},
            }
        )

    def box(self, x0: float, y0: float, x1: float, y1: float, fill: str, *, line: str | None = None) -> None:
        if not self.draw:
            return
        self.shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": x0 / self.width,
                "x1": x1 / self.width,
                "y0": 1 - y1 / self.height,
                "y1": 1 - y0 / self.height,
                "fillcolor": fill,
                "line": {"width": 1 if line else 0, "color": line or fill},
                "layer": "below",
            }
        )

    def rule(self, y: float) -> None:
        if not self.draw:
            return
        self.shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "yref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 1 - y / self.height,
                "y1": 1 - y / self.height,
                "line": {"width": 1, "color": _RULE_COLOR},
                "layer": "below",
            }
        )


def _figure(content: _Content, sheet: _Sheet, box: tuple[int, int], index: int, count: int) -> go.Figure:
    """One sheet of the card drawn: header, goals, table, findings, then legend, rule key and caption at the bottom."""
    width, height = box
    kind = _type(sheet.body)
    first = index == 0
    items = sheet.items
    slack = max(height - _sheet_height(content, items, first, width, kind), 0.0)
    # Room to spare goes between the blocks and into the rows, so nothing leaves a wide empty band.
    blocks = len({item.kind for item in items}) + 1
    stretch_rows = sum(1 for item in items if item.kind != "goal")
    extra_gap = slack * 0.5 / blocks if stretch_rows else slack / blocks
    extra_row = slack * 0.5 / stretch_rows if stretch_rows else 0.0

    canvas = _Canvas(width, height)
    _place(canvas, content, items, first, width, kind, extra_gap=extra_gap, extra_row=extra_row)

    # The footer hangs from the bottom: caption and part label last, the rule key and legend above them.
    key_lines, caption_lines = _footer(content, items, width, kind)
    bottom = height - len(caption_lines) * kind.line
    if caption_lines:
        canvas.text(0, bottom, caption_lines, kind.body, color=MUTED_COLOR)
    if count > 1:
        canvas.text(width, height - kind.line, [f"<b>{part_label(index, count)}</b>"], kind.body, anchor="right")
    bottom -= len(key_lines) * kind.line
    if key_lines:
        canvas.text(0, bottom, key_lines, kind.body, color=FLAGGED_TEXT_COLOR)
    rows = _legend_rows(_legend(content, items), width, kind)
    for row in reversed(rows):
        bottom -= kind.line + kind.pad
        for x, key, text in row:
            canvas.box(
                x,
                bottom + 0.15 * kind.body,
                x + kind.body,
                bottom + 1.15 * kind.body,
                HIGHLIGHT_COLORS[key],
                line="#999999",
            )
            canvas.text(x + _SWATCH_EM * kind.body, bottom, [text], kind.body)

    fig = go.Figure()
    fig.update_layout(
        width=width,
        height=height,
        autosize=False,
        margin={"l": 0, "r": 0, "t": 0, "b": 0, "pad": 0},
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": FONT_FAMILY, "size": kind.body, "color": TEXT_COLOR},
        xaxis={"visible": False, "range": [0, 1]},
        yaxis={"visible": False, "range": [0, 1]},
        showlegend=False,
        annotations=canvas.annotations,
        shapes=canvas.shapes,
        # The title is the first annotation (drawn in place); the layout's names the image for the outline.
        meta={"title": _title(content, first), "part": part_label(index, count)},
    )
    return fig


def _table_header(canvas: _Canvas, content: _Content, y: float, width: float, kind: _Type) -> float:
    headers = {column: t(key, content.lang) for column, key in zip(_COLUMNS, _COLUMN_KEYS)}
    cells = _cells(headers, width, kind)
    tall = max(len(cell) for cell in cells) * kind.line + 2 * kind.pad
    canvas.box(0, y, width, y + tall, _HEADER_FILL)
    x = 0.0
    for cell, share in zip(cells, _COLUMN_SHARES):
        canvas.text(x + kind.pad, y + kind.pad, [f"<b>{line}</b>" for line in cell], kind.body)
        x += share * width
    return y + tall


def _table_row(canvas: _Canvas, row: dict, y: float, width: float, kind: _Type, extra: float) -> float:
    cells = _cells(row, width, kind)
    tall = max(len(cell) for cell in cells) * kind.line + 2 * kind.pad + extra
    if row["chosen"]:
        canvas.box(0, y, width, y + tall, HIGHLIGHT_COLORS["chosen"])
    x = 0.0
    for column, cell, share in zip(_COLUMNS, cells, _COLUMN_SHARES):
        right = x + share * width
        color = TEXT_COLOR
        if not row["chosen"]:
            if row["differs"] and column == "annual_value":
                canvas.box(x, y, right, y + tall, HIGHLIGHT_COLORS["differs"])
            if row["flags"] and column in ("name", "flags"):
                canvas.box(x, y, right, y + tall, HIGHLIGHT_COLORS["flagged"])
        if row["flags"] and column in ("name", "flags"):
            color = FLAGGED_TEXT_COLOR
        strong = row["chosen"] or (row["differs"] and column == "annual_value")
        lines = [f"<b>{line}</b>" if strong and line else line for line in cell]
        canvas.text(x + kind.pad, y + kind.pad + extra / 2, lines, kind.body, color=color)
        x = right
    canvas.rule(y + tall)
    return y + tall


def _finding(
    canvas: _Canvas, content: _Content, index: int, y: float, width: float, kind: _Type, extra: float
) -> float:
    lines = _lines(content.findings[index], width - 2 * kind.pad, kind.body)
    tall = len(lines) * kind.line + kind.pad + extra
    if index == 0 and content.chosen_first:
        canvas.box(0, y, width, y + tall, HIGHLIGHT_COLORS["chosen"])
    canvas.text(kind.pad, y + (kind.pad + extra) / 2, lines, kind.body)
    return y + tall


def _text_ems(text: str) -> float:
    """Width of plain ``text`` in ems: full-width characters 1, others a little over half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F", "A") else 0.55 for c in text)
