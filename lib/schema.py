"""One schema, declared once: column names, dtypes and the fixed vocabularies.

Loaders build frames with these schemas, charts and checks read the column
names from here, and tests compare against them. The taxonomy lists are in
the official order (财预〔2021〕101号), so an ``pl.Enum`` sorts charts the way
a budget reviewer reads the table.
"""

from __future__ import annotations

import polars as pl

#: 一级指标 in the official order; 未分类 holds rows the taxonomy cannot place.
LEVEL1: tuple[str, ...] = ("产出指标", "效益指标", "满意度指标", "成本指标", "未分类")

#: 二级指标 in the official order, each with its 一级 parent.
#: ``成本指标`` under 产出指标 is the pre-2021 template's cost category.
LEVEL2_PARENT: dict[str, str] = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "产出指标",
    "经济效益指标": "效益指标",
    "社会效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
    "经济成本指标": "成本指标",
    "社会成本指标": "成本指标",
    "生态环境成本指标": "成本指标",
    "未分类": "未分类",
}
LEVEL2: tuple[str, ...] = tuple(LEVEL2_PARENT)

#: Kinds of indicator value (see DOMAIN.md, "Indicator value formats").
VALUE_KINDS: tuple[str, ...] = (
    "percent",
    "amount",
    "rate",
    "count",
    "grade",
    "boolean",
    "deadline",
    "text",
    "missing",
)
QUANTITATIVE_KINDS: frozenset[str] = frozenset({"percent", "amount", "rate", "count"})

#: Comparators after normalisation (full-width and ASCII forms map onto these).
OPS: tuple[str, ...] = ("≥", "≤", ">", "<", "=")

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

#: What a document is (the documents frame's ``kind``): a disclosure of targets (绩效目标表),
#: a self-evaluation of results against them (绩效自评表), or neither (nothing of the genre was found).
DOCUMENT_KINDS: tuple[str, ...] = ("targets", "results", "neither")

Level1 = pl.Enum(LEVEL1)
Level2 = pl.Enum(LEVEL2)
Kind = pl.Enum(VALUE_KINDS)
Op = pl.Enum(OPS)
Severity = pl.Enum(SEVERITIES)

DOCUMENTS: dict[str, pl.DataType] = {
    "document_id": pl.String(),
    "source": pl.String(),
    # The published form the file was read as (lib.ingest.grid.FORMS); null when not even that was known.
    "form": pl.String(),
    # One of DOCUMENT_KINDS: a targets document fills projects and indicators, a results one
    # results and execution; project_count counts the projects of the document's kind.
    "kind": pl.String(),
    "title": pl.String(),
    "year": pl.Int32(),
    "department": pl.String(),
    "project_count": pl.Int32(),
    "preamble": pl.String(),
}

PROJECTS: dict[str, pl.DataType] = {
    "project_id": pl.String(),
    "document_id": pl.String(),
    # Where the record's first row is: the part and table of the file (第2页表1, 工作表「Sheet1」, 表3;
    # null in a text file) and the row in it. Each field's own cells: lib.loader.load_cells.
    "place": pl.String(),
    "line": pl.Int32(),
    "name": pl.String(),
    "type": pl.String(),
    "level": pl.String(),
    "department": pl.String(),
    "unit": pl.String(),
    "start_year": pl.Int32(),
    "end_year": pl.Int32(),
    "budget_year": pl.Int32(),
    "budget_yuan": pl.Float64(),
    "budget_raw": pl.String(),
    "goal_period": pl.String(),
    "goal_annual": pl.String(),
}


def _value_columns(prefix: str) -> dict[str, pl.DataType]:
    return {
        f"{prefix}_kind": Kind,
        f"{prefix}_op": Op,
        f"{prefix}_number": pl.Float64(),
        f"{prefix}_unit": pl.String(),
    }


INDICATORS: dict[str, pl.DataType] = {
    "indicator_id": pl.String(),
    "project_id": pl.String(),
    "place": pl.String(),  # as for projects
    "line": pl.Int32(),
    "level1": Level1,
    "level2": Level2,
    "level1_raw": pl.String(),
    "level2_raw": pl.String(),
    "name": pl.String(),
    "period_value": pl.String(),
    "annual_value": pl.String(),
    **_value_columns("period"),
    **_value_columns("annual"),
    # Only some templates carry these; null elsewhere.
    "prior_value": pl.String(),
    "weight": pl.Float64(),
    "direction": pl.String(),
}

#: One row per project of a self-evaluation (项目支出绩效自评表): its funding block's
#: 年度资金总额 row and its score. Amounts in 元 whatever unit the table used;
#: ``execution_rate`` is the printed percentage (97.63 for 97.63%); ``weight`` and
#: ``score`` are the execution row's 分值 (权重) and 得分; ``total_score`` the 总分 as
#: printed, which need not be the sum of the scores; ``grade`` 自评等级 as printed.
#: ``name``, ``department`` and ``unit`` are 项目名称, 主管部门, 实施单位; the goals
#: are 年度总体目标's 预期目标 and 实际完成情况. ``place`` and ``line`` as for projects.
EXECUTION: dict[str, pl.DataType] = {
    "project_id": pl.String(),
    "document_id": pl.String(),
    "place": pl.String(),
    "line": pl.Int32(),
    "name": pl.String(),
    "department": pl.String(),
    "unit": pl.String(),
    "budget_initial_yuan": pl.Float64(),
    "budget_full_year_yuan": pl.Float64(),
    "executed_yuan": pl.Float64(),
    "execution_rate": pl.Float64(),
    "weight": pl.Float64(),
    "score": pl.Float64(),
    "total_score": pl.Float64(),
    "grade": pl.String(),
    "goal_planned": pl.String(),
    "goal_actual": pl.String(),
}

#: One row per indicator of a self-evaluation: the target (年度指标值) and the result
#: (实际完成值) as printed, each classified as indicator values are (lib.values), the
#: indicator's 分值 (权重) and 得分, and 偏差原因分析及改进措施 (未完成原因分析).
#: ``project_id`` is the self-evaluated project's (an execution row), not a target project's:
#: linking a result to its target is a later step.
RESULTS: dict[str, pl.DataType] = {
    "result_id": pl.String(),
    "project_id": pl.String(),
    "document_id": pl.String(),
    "place": pl.String(),
    "line": pl.Int32(),
    "level1": Level1,
    "level2": Level2,
    "level1_raw": pl.String(),
    "level2_raw": pl.String(),
    "name": pl.String(),
    "target_value": pl.String(),
    "actual_value": pl.String(),
    **_value_columns("target"),
    **_value_columns("actual"),
    "weight": pl.Float64(),
    "score": pl.Float64(),
    "deviation_note": pl.String(),
}

DIAGNOSTICS: dict[str, pl.DataType] = {
    "document_id": pl.String(),
    "source": pl.String(),
    "line": pl.Int32(),
    "severity": Severity,
    "code": pl.String(),
    "message": pl.String(),
    "project_id": pl.String(),
}


#: Where each field of a project or indicator was read (:func:`lib.loader.load_cells`):
#: one row per field and cell; ``id`` is the project_id or indicator_id,
#: ``source`` and ``line`` name the place as the diagnostics do
#: (``x.pdf#第2页表1``, row 5), ``column`` counts from 1. A field read from
#: several cells (a goal over several rows, 指标性质 / 指标值 / 度量单位 joined)
#: has a row for each; a field no cell gave (a default level 2) has none.
CELLS: dict[str, pl.DataType] = {
    "id": pl.String(),
    "field": pl.String(),
    "source": pl.String(),
    "line": pl.Int32(),
    "column": pl.Int32(),
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """An empty frame with ``schema``; pages and checks never special-case 'no data'."""
    return pl.DataFrame(schema=schema)


def frame(rows: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Build a frame from row dicts, strictly in ``schema``'s columns and dtypes."""
    if not rows:
        return empty(schema)
    return pl.DataFrame(rows, schema=schema, orient="row" if rows and not isinstance(rows[0], dict) else None)
