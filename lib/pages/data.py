"""The data page's content: one of the filtered frames as a table, and the diagnostics' counts."""

from __future__ import annotations


import polars as pl

from lib.i18n import t, value_columns
from lib.model.money import wan_expr
from lib.pages.indicators import indicator_rows
from lib.pages.scope import Page, Scope

TITLE = "page_data"
#: The frames the page offers, in order.
FRAMES = ("projects", "indicators", "diagnostics", "documents")
#: The indicators' columns the page shows (then place and line).
INDICATOR_COLUMNS = (
    "project",
    "level1",
    "level2",
    "name",
    "period_value",
    "annual_value",
    "annual_kind",
    "annual_op",
    "annual_number",
    "annual_unit",
)


def page(scope: Scope, frame: str = "projects") -> Page:
    """What 数据 shows for the frame named ``frame``: ``tables["shown"]`` and the frame itself as ``tables["frame"]``.

    位置 (page and table, sheet) is shown only when some file has parts: a
    text file's rows are its lines. Project types and levels, categories and
    diagnostics' severities are in the scope's language. For diagnostics,
    ``texts["counts"]`` says how many of each severity.

    Examples
    --------
    >>> from lib.loader import load_documents
    >>> shown = page(Scope.of(load_documents()), "projects")
    >>> shown.tables["shown"].columns[-2:], round(shown.tables["shown"]["budget_wan"].sum(), 2)
    (['budget_wan', 'line'], 1088.25)
    """
    if frame not in FRAMES:
        raise ValueError(f"no frame {frame!r}: one of {', '.join(FRAMES)}")
    projects = scope.filtered.projects
    where = ["place", "line"] if projects["place"].null_count() < projects.height else ["line"]
    texts: dict[str, object] = {}
    notes: dict[str, str] = {}
    if frame == "projects":
        shown = projects.with_columns(wan_expr("budget_yuan").alias("budget_wan")).select(
            "name", "type", "level", "unit", "start_year", "end_year", "budget_wan", *where
        )
        shown = shown.with_columns(value_columns(shown, ["type", "level"], scope.lang))
    elif frame == "indicators":
        shown = indicator_rows(scope, scope.filtered.indicators, [*INDICATOR_COLUMNS, *where])
    elif frame == "diagnostics":
        diagnostics = scope.filtered.diagnostics
        if diagnostics.is_empty():
            notes["diagnostics"] = scope.label("diagnostics_none")
        counts = diagnostics.group_by("severity").len().sort("severity")
        texts["counts"] = "　".join(
            f"{scope.label('severity_' + s)}{scope.label('label_sep')}{n}" for s, n in counts.iter_rows()
        )
        labels = {s: t(f"severity_{s}", scope.lang) for s in diagnostics["severity"].unique().to_list() if s}
        shown = diagnostics.select(
            pl.col("severity").cast(pl.String).replace(labels), "source", "line", "code", "message"
        )
    else:
        shown = scope.filtered.documents.drop("preamble")
    return Page(
        title=scope.label(TITLE),
        caption=scope.caption,
        tables={"shown": shown, "frame": getattr(scope.filtered, frame)},
        notes=notes,
        texts=texts,
    )
