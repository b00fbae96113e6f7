"""The one translation table: every label the dashboard shows, in Chinese and English.

Pages, charts and exports ask :func:`t` for a label by key, so no label is
typed twice and the English switch covers everything. Category values from
the documents (一级/二级 names, value kinds) translate through
:func:`category`; any other document text is data and is never translated.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"

# key: (中文, English). Keep sections together; add keys, never reuse one for two meanings.
TEXT: dict[str, tuple[str, str]] = {
    # -- app and navigation
    "app_title": ("部门预算绩效目标", "Budget performance targets"),
    "page_overview": ("总览", "Overview"),
    "page_budget": ("预算分配", "Budget allocation"),
    "page_indicators": ("指标体系", "Indicator categories"),
    "page_card": ("项目卡片", "Project target card"),
    "page_data": ("数据", "Data"),
    "language": ("语言", "Language"),
    "presentation_mode": ("演示模式", "Presentation mode"),
    "presentation_exit": ("退出演示模式", "Leave presentation mode"),
    # -- filters
    "filters": ("筛选", "Filters"),
    "filter_document": ("文档（部门、年度）", "Document (department, year)"),
    "filter_type": ("项目类型", "Project type"),
    "filter_level": ("项目等级", "Project level"),
    "filter_period": ("实施周期", "Implementation period"),
    "filter_budget": ("预算范围（万元）", "Budget range (10k yuan)"),
    "filter_keyword": ("关键词（项目名称、目标、指标）", "Keyword (project, goal, indicator)"),
    "filter_reset": ("重置筛选", "Reset filters"),
    "filter_all": ("全部", "All"),
    "filter_none": ("未筛选", "no filter"),
    "shown_count": ("显示 {shown} / {total} 个项目", "Showing {shown} of {total} projects"),
    "period_ongoing": ("跨年度持续项目", "Ongoing multi-year"),
    "period_new": ("本年度新增", "New this year"),
    "period_ending": ("本年度到期", "Ending this year"),
    "ignored_params": ("网址中的参数无效，已忽略：{params}", "Ignored invalid URL parameters: {params}"),
    "no_projects": ("当前筛选条件下没有项目。", "No project matches the current filters."),
    "describe_document": ("文档：{values}", "Document: {values}"),
    "describe_type": ("项目类型：{values}", "Project type: {values}"),
    "describe_level": ("项目等级：{values}", "Project level: {values}"),
    "describe_period": ("实施周期：{values}", "Period: {values}"),
    "describe_budget": ("预算 {low}–{high} 万元", "Budget {low}–{high} (10k yuan)"),
    "describe_keyword": ("关键词：{values}", "Keyword: {values}"),
    "describe_join": ("；", "; "),
    "describe_values_join": ("、", ", "),
    # -- captions
    "caption_source": ("数据来源：{source}", "Source: {source}"),
    "caption_filters": ("筛选：{filters}", "Filters: {filters}"),
    "unit_wan": ("万元", "10k yuan"),
    "unit_yuan": ("元", "yuan"),
    # -- overview
    "metric_total_budget": ("预算总额（万元）", "Total budget (10k yuan)"),
    "metric_projects": ("项目数", "Projects"),
    "metric_indicators": ("绩效指标数", "Indicators"),
    "metric_largest": ("最大项目占比", "Largest project's share"),
    "metric_top5": ("前 5 个项目占比", "Top 5 projects' share"),
    "ongoing": ("长期", "ongoing"),
    # -- card
    "card_select": ("选择项目", "Choose a project"),
    "card_previous": ("上一个", "Previous"),
    "card_next": ("下一个", "Next"),
    "card_type": ("项目类型", "Type"),
    "card_level": ("项目等级", "Level"),
    "card_unit": ("用款单位", "Spending unit"),
    "card_period": ("实施周期", "Period"),
    "card_budget": ("预算金额", "Budget"),
    "card_share": ("占总预算", "Share of total"),
    "card_goal_period": ("实施周期总目标", "Goal for the whole period"),
    "card_goal_annual": ("年度目标", "Goal for the budget year"),
    "card_indicators": ("绩效指标", "Performance indicators"),
    "card_differs": ("年度值与实施周期值不同", "Annual value differs from the period value"),
    # -- charts
    "chart_budget_by_project": ("各项目预算金额（万元）", "Budget by project (10k yuan)"),
    "chart_budget_by_type": ("各类型项目预算金额（万元）", "Budget by project type (10k yuan)"),
    "chart_period_timeline": ("项目实施周期", "Implementation periods"),
    "chart_budget_treemap": ("预算结构：项目类型与项目（万元）", "Budget by type and project (10k yuan)"),
    "chart_pareto": ("预算集中度：项目预算与累计占比", "Budget concentration: budgets and cumulative share"),
    "chart_budget_vs_caps": ("预算金额与成本指标金额（万元）", "Budget and cost caps (10k yuan)"),
    "chart_level_sunburst": ("绩效指标分类（一级、二级指标数量）", "Indicators by category (level 1, level 2)"),
    "chart_level_sunburst_3": ("绩效指标分类（一级、二级、三级指标数量）", "Indicators by category (levels 1 to 3)"),
    "chart_category_heatmap": ("各项目二级指标数量", "Indicators per project and level-2 category"),
    "chart_value_kind": ("各项目年度指标值类型构成", "Kinds of annual target per project"),
    "chart_percent_distribution": ("年度百分比指标值分布", "Annual percentage targets by level"),
    "chart_subtitle_total": ("合计 {total} 万元，{count} 个项目", "Total {total} (10k yuan), {count} projects"),
    "chart_subtitle_indicators": ("共 {count} 个指标", "{count} indicators"),
    "chart_subtitle_ongoing": ("“长期”：到期年度为 2099 等远期年份、持续安排的项目", "Ongoing: recurring projects without an end (end year 2099 or similar)"),
    "chart_subtitle_caps": ("年度成本指标金额高于预算金额的以深色标出", "Annual cost caps above the budget are marked dark"),
    "no_data": ("没有数据", "No data"),
    "other_projects": ("其他 {n} 个项目", "{n} other projects"),
    "total": ("合计", "Total"),
    "type_unknown": ("未填写类型", "Type not given"),
    "budget_year_line": ("{year} 预算年度", "Budget year {year}"),
    "axis_year": ("年度", "Year"),
    "pareto_reference": ("80% 参考线", "80% line"),
    "cap_annual": ("成本指标金额（年度）", "Cost cap (annual)"),
    "cap_period": ("成本指标金额（实施周期）", "Cost cap (whole period)"),
    "cap_ratio": ("占本项目预算金额", "Share of the project's budget"),
    "cap_above_budget": ("高于预算金额", "above the budget"),
    "kind_quantitative": ("定量", "Quantitative"),
    "kind_qualitative": ("定性", "Qualitative"),
    "kind_missing": ("缺失", "Missing"),
    # -- columns
    "col_name": ("项目名称", "Project"),
    "col_type": ("项目类型", "Type"),
    "col_level": ("项目等级", "Level"),
    "col_unit": ("用款单位", "Spending unit"),
    "col_budget_wan": ("预算（万元）", "Budget (10k yuan)"),
    "col_share": ("占比", "Share"),
    "col_cumulative_share": ("累计占比", "Cumulative share"),
    "col_level1": ("一级指标", "Level 1"),
    "col_level2": ("二级指标", "Level 2"),
    "col_indicator": ("三级指标", "Indicator"),
    "col_period_value": ("实施周期指标值", "Period target"),
    "col_annual_value": ("年度指标值", "Annual target"),
    "col_kind": ("值类型", "Value kind"),
    "col_count": ("数量", "Count"),
    "col_start_year": ("起始年度", "Start year"),
    "col_end_year": ("到期年度", "End year"),
    "col_line": ("行号", "Line"),
    "col_op": ("比较符", "Comparator"),
    "col_number": ("数值（金额为元）", "Number (money in yuan)"),
    "col_unit_value": ("单位", "Unit"),
    "col_severity": ("级别", "Severity"),
    "col_code": ("代码", "Code"),
    "col_message": ("说明", "Message"),
    "col_source": ("文件", "File"),
    # -- data page
    "data_projects": ("项目", "Projects"),
    "data_indicators": ("绩效指标", "Indicators"),
    "data_diagnostics": ("解析诊断", "Loader diagnostics"),
    "data_documents": ("文档", "Documents"),
    "diagnostics_none": ("解析没有发现问题。", "The loader found nothing odd."),
    "severity_error": ("错误", "error"),
    "severity_warning": ("警告", "warning"),
    "severity_info": ("提示", "info"),
    "load_errors": ("有文件未能载入，详见“数据”页的解析诊断。", "Some files did not load; see the diagnostics on the Data page."),
}

# Taxonomy values and value kinds: the documents' words, with an English gloss.
CATEGORY_EN: dict[str, str] = {
    "产出指标": "Output",
    "效益指标": "Outcome",
    "满意度指标": "Satisfaction",
    "成本指标": "Cost",
    "未分类": "Unclassified",
    "数量指标": "Quantity",
    "质量指标": "Quality",
    "时效指标": "Timeliness",
    "经济效益指标": "Economic benefit",
    "社会效益指标": "Social benefit",
    "生态效益指标": "Ecological benefit",
    "可持续影响指标": "Sustainability",
    "服务对象满意度指标": "Beneficiary satisfaction",
    "经济成本指标": "Economic cost",
    "社会成本指标": "Social cost",
    "生态环境成本指标": "Environmental cost",
    "percent": "percent",
    "amount": "amount",
    "rate": "rate",
    "count": "count",
    "grade": "grade",
    "boolean": "yes/no",
    "deadline": "deadline",
    "text": "text",
    "missing": "missing",
}
KIND_ZH: dict[str, str] = {
    "percent": "百分比",
    "amount": "金额",
    "rate": "标准（单价）",
    "count": "数量",
    "grade": "等级",
    "boolean": "是/否",
    "deadline": "时限",
    "text": "文字",
    "missing": "缺失",
}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    >>> t("shown_count", "en", shown=3, total=15)
    'Showing 3 of 15 projects'
    """
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def category(value: str | None, lang: str = DEFAULT_LANG) -> str:
    """A taxonomy value or value kind in ``lang``; other text is returned unchanged.

    >>> category("效益指标", "en")
    'Outcome'
    >>> category("percent", "zh")
    '百分比'
    """
    if value is None:
        return ""
    if lang == "en":
        return CATEGORY_EN.get(value, value)
    return KIND_ZH.get(value, value)
