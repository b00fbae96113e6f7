"""Plotly chart builders: frames in, a new figure out, every label through :mod:`lib.i18n`.

Each builder is pure: it reads the frames of :mod:`lib.schema` (already
filtered by the page), never changes them, and returns a new
``plotly.graph_objects.Figure`` whose title says what it shows. An empty
frame gives a figure with a centred "没有数据" note instead of an error.

The builders live one module per subject, and this package offers all of
them by name (``charts.budget_by_type(...)``):

* :mod:`lib.charts.style` -- the house style every chart shares: colours,
  fonts, :func:`~lib.charts.style.layout`, label helpers, text escaping;
* :mod:`lib.charts.budget` -- budgets by department, by project, by type, as a
  treemap, a Pareto chart, project periods, budgets against cost caps;
* :mod:`lib.charts.indicators` -- indicator categories, targets and kinds;
* :mod:`lib.charts.findings` -- review findings per rule and per project;
* :mod:`lib.charts.card` -- a project's card as slide-sized images;
* :mod:`lib.charts.compare` -- the comparison charts of :mod:`lib.compare`'s frames.
"""

from __future__ import annotations

from lib.charts.budget import (
    TOP_DEPARTMENTS,
    TREEMAP_MIN_SHARE,
    TREEMAP_PER_DEPARTMENT_TYPE,
    TREEMAP_PER_TYPE,
    budget_by_department,
    budget_by_project,
    budget_by_type,
    budget_treemap,
    budget_vs_caps,
    pareto,
    period_timeline,
)
from lib.charts.card import (
    FLAGGED_TEXT_COLOR,
    HIGHLIGHT_COLORS,
    CardContent,
    card_figure,
    card_figures,
    card_sheet_count,
)
from lib.charts.compare import (
    CHANGE_COLORS,
    COMPARE_COLORS,
    compare_budget_by_type_chart,
    project_changes_chart,
    ranking_chart,
)
from lib.charts.findings import findings_by_rule, projects_by_findings
from lib.charts.indicators import category_heatmap, level_sunburst, percent_distribution, value_kind_chart
from lib.charts.style import (
    BUDGET_BAR_COLOR,
    FONT_FAMILY,
    GRID_COLOR,
    KIND_GROUP_COLORS,
    LEVEL1_COLORS,
    MUTED_COLOR,
    NEUTRAL_COLOR,
    SEVERITY_COLORS,
    TEMPLATE,
    TEMPLATE_NAME,
    TEXT_COLOR,
    TYPE_COLORS,
    ZERO_LINE_COLOR,
    bars_height,
    chart_config,
    empty,
    enlarged,
    escape,
    escape_text,
    escapes_document_text,
    image_filename,
    layout,
    legend_key,
    money,
    paren,
    sep,
    short_departments,
    sum_wan,
    tint,
    type_name,
    type_palette,
    unique,
    wrap,
)

__all__ = [
    "CHANGE_COLORS",
    "COMPARE_COLORS",
    "compare_budget_by_type_chart",
    "project_changes_chart",
    "ranking_chart",
    "BUDGET_BAR_COLOR",
    "CardContent",
    "FLAGGED_TEXT_COLOR",
    "FONT_FAMILY",
    "GRID_COLOR",
    "HIGHLIGHT_COLORS",
    "KIND_GROUP_COLORS",
    "LEVEL1_COLORS",
    "MUTED_COLOR",
    "NEUTRAL_COLOR",
    "SEVERITY_COLORS",
    "TEMPLATE",
    "TEMPLATE_NAME",
    "TEXT_COLOR",
    "TOP_DEPARTMENTS",
    "TREEMAP_MIN_SHARE",
    "TREEMAP_PER_DEPARTMENT_TYPE",
    "TREEMAP_PER_TYPE",
    "TYPE_COLORS",
    "ZERO_LINE_COLOR",
    "bars_height",
    "budget_by_department",
    "budget_by_project",
    "budget_by_type",
    "budget_treemap",
    "budget_vs_caps",
    "card_figure",
    "card_figures",
    "card_sheet_count",
    "category_heatmap",
    "chart_config",
    "empty",
    "enlarged",
    "escape",
    "escape_text",
    "escapes_document_text",
    "findings_by_rule",
    "image_filename",
    "layout",
    "legend_key",
    "level_sunburst",
    "money",
    "paren",
    "pareto",
    "percent_distribution",
    "period_timeline",
    "projects_by_findings",
    "sep",
    "short_departments",
    "sum_wan",
    "tint",
    "type_name",
    "type_palette",
    "unique",
    "value_kind_chart",
    "wrap",
]
