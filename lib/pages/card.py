"""The project card's content: one project's facts, goals, findings and indicators, and the card as images."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from lib import charts, loader, metrics, review
from lib.i18n import category_columns, value_label
from lib.model import periods
from lib.model.money import shown_unit
from lib.pages.scope import Chart, Metric, Page, Scope, empty_page

TITLE = "page_card"
#: The header's facts written as text beside the figures: label key and project column.
FACTS = (("card_type", "type"), ("card_level", "level"), ("card_unit", "unit"))
#: The goals shown in full: label key and project column.
GOALS = (("card_goal_period", "goal_period"), ("card_goal_annual", "goal_annual"))


def chosen_project(scope: Scope, wanted: object) -> str | None:
    """``wanted`` when the filtered projects hold it, else the first of them (None when there is none)."""
    ids = scope.filtered.projects["project_id"]
    if wanted is not None and wanted in ids:
        return str(wanted)
    return ids[0] if ids.len() else None


def page(scope: Scope, findings: pl.DataFrame, project_id: str, *, chosen: str | None = None) -> Page:
    """What 项目卡片 shows for the project ``project_id`` of the filtered projects.

    ``metrics``: budget in 万元, share of the department's budget (when the
    scope spans several departments), share of the filtered budget, period.
    ``texts``: the project row (``project``), the facts line for the PNG,
    ``facts`` (type, level, unit; type and level in the scope's language)
    and ``goals`` as (label, text) pairs, ``findings`` as lines in the
    scope's language, and ``images``: what the card's images show, the
    same facts, goals and findings (:func:`images`, with the caption once).
    ``tables["indicators"]``: the card's indicators with
    ``flags`` (rule ids of their findings) and ``differs`` (annual value
    differs from the period's) and ``chosen`` (the indicator of the finding
    ``chosen``), categories translated.

    Findings are listed most serious first, each with its rule's title; the
    finding ``chosen`` (its ``finding_id``: the one a reviewer clicked on the
    审核发现 page) comes first, and ``texts["chosen"]`` says whether it is
    there.

    Examples
    --------
    >>> from lib import review
    >>> from lib.loader import load_documents
    >>> corpus = load_documents()
    >>> scope = Scope.of(corpus)
    >>> shown = page(scope, review.review(corpus), chosen_project(scope, None))
    >>> [m.value for m in shown.metrics], shown.tables["indicators"].height
    (['141.60', '13.01%', '2021–长期'], 12)
    """
    projects = scope.projects
    matches = projects.filter(pl.col("project_id") == project_id)
    if matches.is_empty():
        return empty_page(scope, TITLE)
    row = matches.row(0, named=True)
    total = projects["budget_yuan"].sum() or 0
    share = (row["budget_yuan"] or 0) / total if total else None
    department_total = projects.filter(pl.col("department") == row["department"])["budget_yuan"].sum() or 0
    department_share = (row["budget_yuan"] or 0) / department_total if department_total else None
    period = periods.period_text(row["start_year"], row["end_year"], row["budget_year"], ongoing=scope.label("ongoing"))
    budget_unit = shown_unit(row["budget_yuan"])
    budget = (
        f"{metrics.format_money(row['budget_yuan'], budget_unit)} "
        f"{scope.label('unit_yi' if budget_unit == '亿元' else 'unit_wan')}"
    )
    mine = (
        findings.filter(pl.col("project_id") == project_id)
        .with_columns(_chosen=pl.col("finding_id") == (chosen or ""))
        .sort(["_chosen", "severity", "rule_id"], descending=[True, False, False], maintain_order=True)
    )
    chosen_indicator = mine.filter(pl.col("_chosen"))["indicator_id"].first() if chosen else None
    mine = mine.drop("_chosen")
    flags = (
        mine.filter(pl.col("indicator_id").is_not_null())
        .group_by("indicator_id")
        .agg(pl.col("rule_id").unique().sort().str.join(" ").alias("flags"))
    )
    card = metrics.card_indicators(scope.filtered.indicators, project_id).join(flags, on="indicator_id", how="left")
    shown = card.select(
        *category_columns(card, ["level1", "level2"], scope.lang),
        "name",
        "period_value",
        "annual_value",
        pl.col("flags").fill_null(""),
        "differs",
        (pl.col("indicator_id") == (chosen_indicator or "")).alias("chosen"),
    )
    notes = {}
    if card["differs"].any():
        notes["differs"] = scope.label("card_differs")
    if card["flags"].is_not_null().any():
        notes["flagged"] = scope.label("card_flagged")
    if chosen and chosen in mine["finding_id"]:
        notes["chosen"] = scope.label("card_chosen")
    lang = scope.lang
    facts_line = "　".join(
        [
            f"{scope.label('card_budget')} {budget}",
            *(
                [f"{scope.label('card_share_department')} {metrics.format_share(department_share)}"]
                if scope.several_departments
                else []
            ),
            f"{scope.label('card_share')} {metrics.format_share(share)}",
            f"{scope.label('card_period')} {period}",
            f"{scope.label('card_type')} {value_label('type', row['type'], lang) or '—'}",
        ]
    )
    caption = scope.caption
    titles = dict(review.rules_frame(lang).select("id", "title").iter_rows())
    finding_lines = review.finding_lines(mine, lang)
    chosen_first = bool(chosen) and mine["finding_id"].head(1).to_list() == [chosen]
    # The card's images say what the page says: the same facts, goals, findings and table.
    described = [f"{scope.label(key)} {value_label(field, row[field], lang)}" for key, field in FACTS[1:] if row[field]]
    images = {
        "name": row["name"] or "",
        "facts": "　".join([facts_line, *described]),
        "goals": [(scope.label(key), row[field] or "—") for key, field in GOALS],
        "findings": finding_lines,
        "chosen_first": chosen_first,
        "notes": notes,
        "rules": {rule: titles.get(rule, "") for rule in mine["rule_id"].unique(maintain_order=True).to_list()},
        "caption": caption,
        "lang": lang,
    }
    return Page(
        title=scope.label(TITLE),
        caption=caption,
        metrics=(
            # The unit in the label: on a laptop a long value loses its end, never its unit.
            Metric(
                "budget",
                scope.label("card_budget_in", unit=scope.label("unit_yi" if budget_unit == "亿元" else "unit_wan")),
                metrics.format_money(row["budget_yuan"], budget_unit),
            ),
            # Across departments a project's weight in its own department matters first.
            *(
                [
                    Metric(
                        "department_share", scope.label("card_share_department"), metrics.format_share(department_share)
                    )
                ]
                if scope.several_departments
                else []
            ),
            Metric("share", scope.label("card_share"), metrics.format_share(share)),
            Metric("period", scope.label("card_period"), period),
        ),
        charts={
            "card": Chart("card", lambda: charts.card_figures(charts.CardContent(shown, **images))[0], (project_id,))
        },
        tables={"indicators": shown, "findings": mine},
        notes=notes,
        texts={
            "project": row,
            "facts": [(scope.label(key), value_label(field, row[field], lang) or "—") for key, field in FACTS],
            "goals": [(scope.label(key), row[field] or "—") for key, field in GOALS],
            "findings": finding_lines,
            "chosen": chosen_first,
            "facts_line": facts_line,
            "images": images,
        },
    )


def images(page: Page) -> list[go.Figure]:
    """The card as the figures of its PNG download: one 16:9 image, or more when it continues.

    Built from the page's own content (``texts["images"]`` and the
    indicators table), so the image and the screen say the same things; see
    :func:`lib.charts.card_figures`. An empty page has none.
    """
    if page.empty:
        return []
    return charts.card_figures(_content(page))


def image_count(page: Page) -> int:
    """How many images :func:`images` makes, without drawing them (the download button names its file)."""
    if page.empty:
        return 0
    return charts.card_sheet_count(_content(page))


def _content(page: Page) -> charts.CardContent:
    return charts.CardContent(page.tables["indicators"], **page.texts["images"])


def cells_table(scope: Scope, cells: pl.DataFrame, project_id: str) -> pl.DataFrame:
    """Where each of the project's fields was read (the 数据出处 panel), labelled in the scope's language.

    ``cells`` is :func:`lib.loader.load_cells` of the project's document.
    """
    read = loader.project_cells(cells, scope.filtered.indicators, project_id)
    labels = {key: scope.label(key) for key in {*loader.CELL_FIELD_LABELS.values(), "col_indicator"}}
    return read.with_columns(
        pl.col("item").fill_null(scope.label("card_cells_project")),
        pl.col("label").replace_strict(labels, default=None, return_dtype=pl.String).fill_null(pl.col("field")),
    ).drop("field")
