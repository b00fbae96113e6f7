"""Each page's content as a pure function of its scope, so pages are tested without Streamlit and have a JSON twin.

A page in ``views/`` asks the sidebar for its :class:`~lib.pages.scope.Scope`,
calls its module's ``page(scope, ...)`` here and lays out the
:class:`~lib.pages.scope.Page` it gets: key figures, charts (built on
demand), tables, notes. ``python -m lib.pages PAGE [PATH ...] --json`` prints
a page's content as JSON. The modules:

* :mod:`lib.pages.scope` -- the scope, the page record, the JSON twin;
* :mod:`lib.pages.overview` -- 总览: key figures, budget by project and type, periods;
* :mod:`lib.pages.budget` -- 预算分配: treemap, allocation table, Pareto, cost caps;
* :mod:`lib.pages.indicators` -- 指标体系: categories, targets, value kinds, the searched table;
* :mod:`lib.pages.review` -- 审核发现: findings by severity, rule and project, the findings table;
* :mod:`lib.pages.card` -- 项目卡片: one project's facts, goals, findings, indicators, the card figure;
* :mod:`lib.pages.data` -- 数据: one frame as a table, diagnostics' counts;
* :mod:`lib.pages.compare` -- 对比: two sides' totals and changes, the department ranking.

The library page (文档库) shows :mod:`lib.library`'s own records, which are
already pure functions of the store.
"""

from __future__ import annotations

from lib.pages.scope import PER_PROJECT_ROWS, Chart, Metric, Page, Scope, empty_page, to_json

__all__ = ["PER_PROJECT_ROWS", "Chart", "Metric", "Page", "Scope", "empty_page", "to_json"]
