"""The one translation table: every label the dashboard shows, in Chinese and English.

Pages, charts and exports ask :func:`t` for a label by key, so no label is
typed twice and the English switch covers everything. Category values from
the documents (一级/二级 names, value kinds) translate through
:func:`category`, the standard project types and levels through
:func:`project_type` and :func:`project_level` (:func:`value_label` picks by
column); any other document text is data and is never translated, and a
type or category the vocabulary does not know stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import polars as pl

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
    "unit_yi": ("亿元", "100M yuan"),
    # -- overview
    "metric_total_budget": ("预算总额（万元）", "Total budget (10k yuan)"),
    "metric_total_budget_yi": ("预算总额（亿元）", "Total budget (100M yuan)"),
    "metric_departments": ("部门数", "Departments"),
    "metric_largest_department": ("最大部门占比", "Largest department's share"),
    "overview_scope": ("{departments} · {years}", "{departments} · {years}"),
    "overview_departments": ("{n} 个部门（{names} 等）", "{n} departments ({names} …)"),
    "overview_years": ("{years} 年度", "budget year {years}"),
    "metric_projects": ("项目数", "Projects"),
    "metric_indicators": ("绩效指标数", "Indicators"),
    "metric_largest": ("最大项目占比", "Largest project's share"),
    "metric_top5": ("前 5 个项目占比", "Top 5 projects' share"),
    "ongoing": ("长期", "ongoing"),
    # -- card
    "card_select": ("选择项目", "Choose a project"),
    "card_select_capped": (
        "列表中是预算最大的 {shown} 个项目（共 {total} 个）；其余项目请用侧栏的关键字筛选，或按“上一个”“下一个”逐个查看。",
        "The list holds the {shown} largest of {total} projects; find the others with the sidebar's keyword filter or Previous/Next.",
    ),
    "card_previous": ("上一个", "Previous"),
    "card_next": ("下一个", "Next"),
    "card_type": ("项目类型", "Type"),
    "card_level": ("项目等级", "Level"),
    "card_unit": ("用款单位", "Spending unit"),
    "card_period": ("实施周期", "Period"),
    "card_budget_in": ("预算金额（{unit}）", "Budget ({unit})"),
    "card_budget": ("预算金额", "Budget"),
    "card_share": ("占总预算", "Share of total"),
    "card_share_department": ("占部门预算", "Share of department"),
    "card_goal_period": ("实施周期总目标", "Goal for the whole period"),
    "card_goal_annual": ("年度目标", "Goal for the budget year"),
    "card_indicators": ("绩效指标", "Performance indicators"),
    "card_differs": ("年度值与实施周期值不同", "Annual value differs from the period value"),
    # -- charts
    "chart_budget_by_project": ("各项目预算金额（万元）", "Budget by project (10k yuan)"),
    "chart_budget_by_department": ("各部门预算金额（{unit}）", "Budget by department ({unit})"),
    "chart_budget_treemap_departments": (
        "预算结构：部门、项目类型与项目",
        "Budget by department, type and project",
    ),
    "chart_pareto_departments": (
        "预算集中度：部门预算与累计占比",
        "Budget concentration: departments and cumulative share",
    ),
    "chart_subtitle_departments": (
        "合计 {total} {unit}，{departments} 个部门，{count} 个项目",
        "Total {total} ({unit}), {departments} departments, {count} projects",
    ),
    "other_departments": ("其他 {n} 个部门", "{n} other departments"),
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
    "chart_subtitle_total_yi": ("合计 {total} 亿元，{count} 个项目", "Total {total} (100M yuan), {count} projects"),
    "chart_subtitle_indicators": ("共 {count} 个指标", "{count} indicators"),
    "chart_subtitle_ongoing": (
        "“长期”：到期年度为 2099 等远期年份、持续安排的项目",
        "Ongoing: recurring projects without an end (end year 2099 or similar)",
    ),
    "chart_subtitle_caps": (
        "年度成本指标金额高于预算金额的以深色标出",
        "Annual cost caps above the budget are marked dark",
    ),
    "no_data": ("没有数据", "No data"),
    "other_projects": ("其他 {n} 个项目", "{n} other projects"),
    "bar_cut": ("{amount}（条形超出坐标轴，未按比例画出）", "{amount} (bar cut at the axis, not to scale)"),
    "small_projects": ("{n} 个项目，每个不足总预算的 {share}", "{n} projects, each under {share} of the total"),
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
    # -- review
    "review_title": ("绩效目标审核", "Target review"),
    "review_severity_high": ("高", "High"),
    "review_severity_medium": ("中", "Medium"),
    "review_severity_low": ("低", "Low"),
    "review_rule": ("规则", "Rule"),
    "review_rule_title": ("规则名称", "Rule title"),
    "review_checks": ("检查内容", "What it checks"),
    "review_basis": ("依据", "Basis"),
    "review_finding": ("审核意见", "Finding"),
    "review_expected": ("参照值", "Expected"),
    "review_actual": ("实际值", "Actual"),
    "review_ratio": ("比值", "Ratio"),
    "review_detail": ("涉及指标或数据", "Evidence"),
    "review_whole_project": ("项目整体", "Whole project"),
    "review_count": ("{count} 条审核意见", "{count} findings"),
    "review_none": ("没有发现需要审核的问题。", "The review rules found nothing to raise."),
    # -- exports
    "source_more": (" 等 {n} 份", " and others ({n} documents)"),
    "sheet_about": ("说明", "About"),
    "sheet_findings": ("审核发现", "Review findings"),
    "sheet_rules": ("审核规则", "Review rules"),
    "about_title": ("部门预算绩效目标：数据导出", "Budget performance targets: data export"),
    "about_department": ("部门", "Department"),
    "about_year": ("年度", "Year"),
    "about_filters": ("筛选条件", "Filters"),
    "about_generated": ("生成日期", "Generated on"),
    "about_sources": ("源文件", "Source files"),
    "about_total_yuan": ("预算总额（元）", "Total budget (yuan)"),
    "about_sheets": ("工作表", "Sheets"),
    "about_sheet_rows": ("{sheet}：{rows} 行", "{sheet}: {rows} rows"),
    "about_notes": ("注", "Notes"),
    "about_money_note": (
        "金额以数值保存：“（万元）”列为元 ÷ 10,000，未经舍入，显示两位小数；合计与筛选后的项目一致。",
        "Amounts are stored as numbers: the (10k yuan) columns are yuan ÷ 10,000, unrounded, shown with two decimals; totals are those of the filtered projects.",
    ),
    "col_project_id": ("项目编号", "Project id"),
    "col_document_id": ("文档编号", "Document id"),
    "col_indicator_id": ("指标编号", "Indicator id"),
    "col_finding_id": ("审核意见编号", "Finding id"),
    "col_budget_year": ("预算年度", "Budget year"),
    "col_budget_yuan": ("预算（元）", "Budget (yuan)"),
    "col_budget_raw": ("预算金额（原文）", "Budget as written"),
    "col_goal_period": ("实施周期总目标", "Goal for the whole period"),
    "col_goal_annual": ("年度目标", "Goal for the budget year"),
    "col_level1_raw": ("一级指标（原文）", "Level 1 as written"),
    "col_level2_raw": ("二级指标（原文）", "Level 2 as written"),
    "col_period_kind": ("实施周期值类型", "Period value kind"),
    "col_period_op": ("实施周期值比较符", "Period comparator"),
    "col_period_number": ("实施周期值数值（金额为元）", "Period number (money in yuan)"),
    "col_period_unit": ("实施周期值单位", "Period unit"),
    "col_annual_kind": ("年度值类型", "Annual value kind"),
    "col_annual_op": ("年度值比较符", "Annual comparator"),
    "col_annual_number": ("年度值数值（金额为元）", "Annual number (money in yuan)"),
    "col_annual_unit": ("年度值单位", "Annual unit"),
    "col_prior_value": ("上年指标值", "Last year's value"),
    "col_weight": ("权重", "Weight"),
    "col_direction": ("指标方向", "Direction"),
    "col_title": ("文档标题", "Document title"),
    "col_project_count": ("项目数", "Projects"),
    "col_preamble": ("文档前言", "Preamble"),
    "deck_year": ("{year}年度", "Budget year {year}"),
    "deck_part": ("（{part}）", " ({part})"),
    "deck_generated": ("生成日期：{date}", "Generated on {date}"),
    "deck_top5": ("预算最多的 5 个项目", "The five largest projects"),
    "deck_continued": ("（续 {part}）", " (continued, {part})"),
    "deck_block_continued": ("{label}（续）", "{label} (continued)"),
    "deck_project_findings": ("审核发现（{n} 条）", "Review findings ({n})"),
    "deck_project_no_findings": (
        "审核规则未发现本项目的问题。",
        "The review rules found nothing to raise on this project.",
    ),
    "deck_all_findings": ("全部审核意见（{n} 条）", "All findings ({n})"),
    "deck_goal_same": ("实施周期总目标（与年度目标相同）", "Goal (the same for the period and the year)"),
    "deck_findings_total": ("审核意见", "Findings"),
    "deck_findings_projects": ("涉及 {n} 个项目", "in {n} projects"),
    "deck_findings_none": ("没有发现需要审核的问题。", "The review rules found nothing to raise."),
    "deck_top_findings": ("主要审核意见（{n} / {total} 条）", "Main findings ({n} of {total})"),
    # -- review page (the page itself; rule and finding labels are under "review" above)
    "page_review": ("审核发现", "Review findings"),
    "chart_findings_by_rule": ("各审核规则发现数量", "Findings by review rule"),
    "chart_projects_by_findings": ("发现最多的项目", "Projects with the most findings"),
    "chart_subtitle_findings": ("共 {count} 条发现", "{count} findings in all"),
    "chart_subtitle_weight": ("按严重程度加权排序：高 3、中 2、低 1", "Ranked by weight: high 3, medium 2, low 1"),
    "review_open_card": ("选中一行可打开该项目的卡片。", "Select a row to open the project's card."),
    "review_download": ("生成审核发现工作簿（Excel）", "Prepare the findings workbook (Excel)"),
    "review_rules": ("审核规则与依据", "Rules and their basis"),
    "review_severity_filter": ("严重程度", "Severity"),
    "card_cells": ("数据出处（文件、行、列）", "Where each value was read (file, row, column)"),
    "card_cells_help": (
        "每个字段读自原文件的哪个单元格：文件名后的 # 是页、表或工作表，行号是该页表或工作表中的行，列从 1 数起。",
        "The cell of the original file each field was read from: after # in the file name comes the page, "
        "table or sheet; the row counts within it, and columns count from 1.",
    ),
    "card_cells_project": ("（项目）", "(project)"),
    "card_cells_item": ("项目或指标", "Project or indicator"),
    "card_cells_field": ("字段", "Field"),
    "card_cells_column": ("列", "Column"),
    "col_supervisor": ("主管部门", "Supervising department"),
    "card_findings": ("审核发现", "Review findings"),
    "card_flag": ("发现", "Finding"),
    "card_chosen": ("审核发现页所选的发现及其指标", "The finding chosen on the review page, and its indicator"),
    "card_flagged": ("审核规则标出的指标", "Indicators a review rule flagged"),
    "card_continued": ("（续）", " (continued)"),
    "card_rules_key": ("审核规则：", "Review rules: "),
    # -- compare
    "page_compare": ("对比", "Compare"),
    "compare_mode": ("对比方式", "Compare"),
    "compare_mode_departments": ("部门与部门", "Department vs department"),
    "compare_mode_years": ("同一部门的两个年度", "Two years of one department"),
    "compare_left": ("左侧", "Left"),
    "compare_right": ("右侧", "Right"),
    "compare_earlier": ("前一年度", "Earlier year"),
    "compare_later": ("后一年度", "Later year"),
    "compare_department_year": ("{department}（{year}）", "{department} ({year})"),
    "compare_measure": ("统计项", "Measure"),
    "compare_difference": ("差额", "Difference"),
    "compare_difference_ratio": ("变化幅度", "Change (%)"),
    "compare_status": ("状态", "Status"),
    "compare_status_continued": ("延续", "Continued"),
    "compare_status_new": ("新增", "New"),
    "compare_status_ended": ("不再安排", "Ended"),
    "compare_earlier_budget": ("前一年度预算（元）", "Earlier budget (yuan)"),
    "compare_later_budget": ("后一年度预算（元）", "Later budget (yuan)"),
    "compare_change_yuan": ("预算变化（元）", "Budget change (yuan)"),
    "compare_change_wan": ("预算变化（万元）", "Budget change (10k yuan)"),
    "compare_increase": ("增加", "Increase"),
    "compare_decrease": ("减少", "Decrease"),
    "compare_direction": ("变化", "Change"),
    "compare_direction_raised": ("提高", "Raised"),
    "compare_direction_lowered": ("降低", "Lowered"),
    "compare_direction_changed": ("调整", "Changed"),
    "compare_direction_added": ("新增", "Added"),
    "compare_direction_removed": ("删除", "Removed"),
    "compare_before": ("调整前", "Before"),
    "compare_after": ("调整后", "After"),
    "compare_rank": ("排名", "Rank"),
    "compare_findings": ("审核意见数", "Findings"),
    "compare_score": ("每个项目的加权审核意见数", "Weighted findings per project"),
    "compare_chart_by_type": ("各类型项目预算对比（万元）", "Budget by project type, compared (10k yuan)"),
    "compare_chart_changes": ("项目预算变化（万元）", "Change in project budgets (10k yuan)"),
    "compare_chart_ranking_budget": ("各部门预算金额（万元）", "Budget by department (10k yuan)"),
    "compare_chart_ranking_score": (
        "各部门审核意见加权得分（每个项目）",
        "Weighted findings per project, by department",
    ),
    "compare_subtitle_sides": (
        "{left}：{left_total} 万元，{left_count} 个项目；{right}：{right_total} 万元，{right_count} 个项目",
        "{left}: {left_total} (10k yuan), {left_count} projects; {right}: {right_total}, {right_count} projects",
    ),
    "compare_subtitle_changes": (
        "合计变化 {total} 万元：延续 {continued} 个、新增 {new} 个、不再安排 {ended} 个项目",
        "Net change {total} (10k yuan): {continued} continued, {new} new, {ended} ended projects",
    ),
    "compare_subtitle_top": ("；显示变化最大的 {n} 个", "; the {n} largest changes shown"),
    "compare_subtitle_score": (
        "得分 =（高 × 3 + 中 × 2 + 低 × 1）÷ 项目数",
        "Score = (high × 3 + medium × 2 + low × 1) ÷ projects",
    ),
    "compare_needs": (
        "对比需要两个部门的文档，或同一部门两个年度的文档。",
        "Comparing needs the documents of two departments, or of two years of one department.",
    ),
    "compare_needs_years": (
        "按年度对比需要同一部门两个年度的文档。",
        "Comparing years needs the documents of two years of one department.",
    ),
    "compare_have": (
        "现有文档 {documents} 份：{departments} 个部门，{years} 个年度。",
        "Documents now: {documents}; departments: {departments}; years: {years}.",
    ),
    "compare_have_filtered": (
        "筛选后有文档 {documents} 份（共 {total} 份）：{departments} 个部门，{years} 个年度；可在侧栏放宽筛选。",
        "Documents the filters keep: {documents} of {total}; departments: {departments}; years: {years}. "
        "The sidebar can widen the filters.",
    ),
    "compare_add": (
        "在侧栏上传另一部门或另一年度的文档，或在“文档库”页查看已存的文档。",
        "Upload another department's or another year's document in the sidebar, or see the saved documents on "
        "the Library page.",
    ),
    "compare_targets": ("年度指标值有变化的指标", "Indicators whose annual target changed"),
    "table_capped": (
        "显示前 {shown} 行，共 {total} 行；完整数据请下载。",
        "Showing the first {shown} of {total} rows; download for the complete data.",
    ),
    "largest_only": (
        "下图只显示预算最大的 {n} 个项目（共 {total} 个）。",
        "The chart below shows the {n} largest of {total} projects.",
    ),
    # -- export buttons
    "export_png": ("PNG", "PNG"),
    "export_zip": ("生成本页全部图表（{count} 张 PNG，ZIP）", "Prepare all {count} charts of this page (PNG, zip)"),
    "export_deck": ("生成会议演示文稿（PPTX）", "Prepare the meeting deck (PPTX)"),
    "export_deck_name": ("会议材料", "meeting deck"),
    "export_working": ("正在生成…", "Preparing…"),
    "export_ready": ("已生成，可以下载。", "Ready to download."),
    "export_failed": ("生成失败：{reason}", "Export failed: {reason}"),
    "export_download": ("下载 {file}", "Download {file}"),
    "export_workbook": ("生成 Excel 工作簿", "Prepare the Excel workbook"),
    "export_csv": ("下载 CSV", "Download CSV"),
    "export_parquet": ("下载 Parquet", "Download Parquet"),
    "export_card_png": ("下载项目卡片（PNG）", "Download the card (PNG)"),
    "export_card_pngs": ("下载项目卡片（{count} 张 PNG，ZIP）", "Download the card ({count} PNGs, zip)"),
    "export_png_parts": ("PNG（{count} 张，ZIP）", "PNG ({count} parts, zip)"),
    # -- uploads and library
    "upload_label": (
        "上传文档（网页、PDF、Word、Excel 或文本）",
        "Upload documents (web page, PDF, Word, Excel or text)",
    ),
    "upload_help": (
        "财政局网站上的网页（.html）、PDF、Word（.docx）、Excel（.xlsx/.xls）、.ods 或文本文件，"
        "每个不超过 {mb} MB，一次最多 {files} 个；按内容识别格式，扫描件和旧版 .doc 会说明原因；"
        "只在本次会话中使用，存入文档库后所有人可见。",
        "Web pages (.html), PDF, Word (.docx), Excel (.xlsx/.xls), .ods or text files as finance bureaus publish them, "
        "up to {mb} MB each and {files} at a time; the form is read from the content, scans and old .doc files are refused "
        "with the reason; used in this session only until saved to the library.",
    ),
    "upload_count": ("本次会话上传了 {count} 个文档", "{count} documents uploaded in this session"),
    "upload_clear": ("清除上传", "Clear uploads"),
    "page_library": ("文档库", "Library"),
    "library_save": ("把上传的文档存入文档库", "Save the uploads to the library"),
    "library_saved": ("已存入文档库：{file}", "Saved to the library: {file}"),
    "library_uploads": ("本次会话上传、尚未存入文档库的文档", "Uploaded in this session, not yet in the library"),
    "library_documents": ("文档库中的文档（所有用户可见）", "Documents in the library (everyone sees them)"),
    "library_remove": ("移到回收站", "Move to the trash"),
    "library_remove_pick": ("选择要移除的文档", "Document to remove"),
    "library_removed": ("已移到回收站：{file}", "Moved to the trash: {file}"),
    "library_remove_failed": (
        "无法移除：{file}（可能已被别人移除）",
        "Could not remove: {file} (someone may have removed it already)",
    ),
    "library_empty": ("文档库是空的。", "The library is empty."),
    "library_unavailable": (
        "文档库暂时无法打开：{reason}。请稍后刷新页面。",
        "The library cannot be opened just now: {reason}. Reload the page in a moment.",
    ),
    "library_document_line": (
        "{department} {year}年 · {projects} 个项目 · 预算 {budget} · {file}",
        "{department} {year} · {projects} projects · budget {budget} · {file}",
    ),
    "library_remove_title": ("确认移到回收站", "Move to the trash?"),
    "library_remove_note": (
        "移到回收站后，所有用户的看板都不再包含此文档；可在本页“回收站”中恢复，{days} 天后自动永久删除。",
        "Once in the trash the document leaves every user's dashboard; restore it from the trash on this page. It is deleted for good after {days} days.",
    ),
    "library_remove_confirm": ("移到回收站", "Move to the trash"),
    "library_cancel": ("取消", "Cancel"),
    "library_pick_placeholder": ("请选择文档", "Choose a document"),
    "library_changes": (
        "与库中版本相比：延续项目 {continued} 个，新增 {new} 个，不再出现 {ended} 个；年度指标值变化 {targets} 处。",
        "Against the library's version: {continued} projects continue, {new} new, {ended} gone; {targets} annual targets changed.",
    ),
    "library_choice": ("如何保存", "How to save"),
    "library_budget_before": ("库中版本预算（万元）", "Library version budget (10k yuan)"),
    "library_budget_after": ("上传版本预算（万元）", "Uploaded version budget (10k yuan)"),
    "library_choice_replace": ("替换为新版本（旧版本保留在历史中）", "Replace (the old version stays in the history)"),
    "library_choice_keep_both": ("两者并存（分别命名）", "Keep both (named apart)"),
    "library_choice_cancel": ("取消，不保存", "Cancel, do not save"),
    "library_history": ("版本历史", "Version history"),
    "library_history_pick": ("选择文档", "Document"),
    "library_version_pick": ("选择要恢复的旧版本", "Older version to restore"),
    "library_restore_version": ("恢复此版本", "Restore this version"),
    "library_restored": ("已恢复：{file}", "Restored: {file}"),
    "library_trash": ("回收站", "Trash"),
    "library_trash_note": (
        "回收站中的文档不计入任何看板，可以恢复；放入回收站 {days} 天后自动永久删除，也可手动永久删除。",
        "Documents in the trash count in no dashboard and can be restored; they are deleted for good after {days} days, or when deleted by hand.",
    ),
    "library_trash_empty": ("回收站是空的。", "The trash is empty."),
    "library_trash_pick": ("选择回收站中的文档", "Document in the trash"),
    "library_restore": ("恢复", "Restore"),
    "library_purge": ("永久删除", "Delete for good"),
    "library_purge_sure": (
        "我确认要永久删除所选文档（无法恢复）",
        "I am sure: delete the chosen document for good (cannot be undone)",
    ),
    "library_purged": ("已永久删除：{file}", "Deleted for good: {file}"),
    "library_log": ("操作记录（{count} 条）", "Audit log ({count} entries)"),
    "library_log_csv": ("下载操作记录（CSV）", "Download the audit log (CSV)"),
    "library_log_file": ("文档库操作记录", "library audit log"),
    "library_state_current": ("当前", "Current"),
    "library_state_trashed": ("在回收站", "In the trash"),
    "library_state_replaced": ("旧版本", "Older version"),
    "library_state_purged": ("已永久删除", "Deleted"),
    "library_action_add": ("新增", "Added"),
    "library_action_replace": ("替换", "Replaced"),
    "library_action_keep_both": ("并存保存", "Kept both"),
    "library_action_remove": ("移到回收站", "Moved to trash"),
    "library_action_restore": ("恢复", "Restored"),
    "library_action_purge": ("永久删除", "Deleted"),
    "library_action_register": ("登记已有文件", "Registered"),
    "col_library_id": ("编号", "No."),
    "col_library_label": ("说明", "Label"),
    "col_library_state": ("状态", "State"),
    "col_library_added": ("加入时间（UTC）", "Added (UTC)"),
    "col_library_purge_after": ("自动删除日期", "Deleted after"),
    "col_library_at": ("时间（UTC）", "Time (UTC)"),
    "col_library_action": ("操作", "Action"),
    "col_library_client": ("客户端地址", "Client address"),
    "col_library_digest": ("内容摘要", "Digest"),
    "col_file": ("文件", "File"),
    "col_form": ("格式", "Form"),
    "col_document_kind": ("文档类别", "Document kind"),
    "form_text": ("文本", "Text"),
    "form_xlsx": ("Excel（.xlsx）", "Excel (.xlsx)"),
    "form_xls": ("Excel 97–2003（.xls）", "Excel 97–2003 (.xls)"),
    "form_ods": ("OpenDocument 表格（.ods）", "OpenDocument (.ods)"),
    "form_html": ("网页", "Web page"),
    "form_pdf": ("PDF", "PDF"),
    "form_docx": ("Word（.docx）", "Word (.docx)"),
    "col_department": ("部门", "Department"),
    "col_year": ("年度", "Year"),
    "col_projects": ("项目数", "Projects"),
    "col_diagnostics": ("诊断数", "Diagnostics"),
    "col_size": ("大小（KB）", "Size (KB)"),
    "col_modified": ("修改时间", "Modified"),
    # -- columns
    "col_name": ("项目名称", "Project"),
    "col_type": ("项目类型", "Type"),
    "col_level": ("项目等级", "Level"),
    "col_unit": ("用款单位", "Spending unit"),
    "col_budget_wan": ("预算（万元）", "Budget (10k yuan)"),
    "col_budget_yi": ("预算（亿元）", "Budget (100M yuan)"),
    "col_share": ("占比", "Share"),
    "col_department_share": ("部门内占比", "Share of department"),
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
    "col_place": ("位置", "Place"),
    "ind_search": (
        "在下表中查找（指标、指标值、分类或项目名称）",
        "Find in the table below (indicator, value, category or project)",
    ),
    "show_versions": ("同时显示旧版本（{count} 个）", "Also show older versions ({count})"),
    "show_versions_help": (
        "同一部门同一年度有多个文档时，默认只计最新的一个，以免预算重复计算。",
        "When a department's year has several documents, only the latest counts by default, so budgets are not counted twice.",
    ),
    "versions_hidden": (
        "同一部门同一年度有多个版本：只计入最新的版本，旧版本未计入（侧栏可选择同时显示）。",
        "Some departments' years have several versions: only the latest counts; older ones are left out (the sidebar can show them).",
    ),
    "versions_shown": (
        "同一部门同一年度有多个版本，现在全部显示：合计中包含旧版本。",
        "Some departments' years have several versions, all shown now: totals include the older ones.",
    ),
    "versions_line": ("显示「{current}」，旧版本「{older}」", "showing “{current}”, older “{older}”"),
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
    "data_show": ("显示的数据表", "Table shown"),
    "data_documents": ("文档", "Documents"),
    "diagnostics_none": ("解析没有发现问题。", "The loader found nothing odd."),
    "severity_error": ("错误", "Error"),
    "severity_warning": ("警告", "Warning"),
    "severity_info": ("提示", "Info"),
    "load_errors": (
        "有文件未能载入，详见“数据”页的解析诊断。",
        "Some files did not load; see the diagnostics on the Data page.",
    ),
    "load_errors_more": ("\n\n另有 {count} 条，见“数据”页。", "\n\nAnd {count} more on the Data page."),
    "review_running": ("正在审核绩效目标…", "Reviewing the targets…"),
    "progress_read": ("已读取 {done} / {total} 个文件", "{done} of {total} files read"),
    "progress_minutes": ("，约剩 {n} 分钟", ", about {n} minutes left"),
    "progress_seconds": ("，约剩 {n} 秒", ", about {n} seconds left"),
    # -- punctuation between a label and its text, and around a count
    "label_sep": ("：", ": "),
    "paren": ("（{text}）", " ({text})"),
    "finding_line_titled": ("【{severity}】{rule} {title}：{message}", "[{severity}] {rule} {title}: {message}"),
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
# Project types: the genre's standard types, and the parts of a 主类（子类）
# type (其他运转类（信息化运维类）), with English names.
TYPE_EN: dict[str, str] = {
    "部门整体支出": "Whole-department spending",
    "其他事业发展性支出": "Other public-service development",
    "人员类": "Personnel",
    "人员类项目": "Personnel",
    "运转类": "Operating",
    "运转类项目": "Operating",
    "公用经费": "Public expenses",
    "公用经费项目": "Public expenses",
    "其他运转类": "Other operating",
    "其他运转类项目": "Other operating",
    "特定目标类": "Specific-purpose",
    "特定目标类项目": "Specific-purpose",
    "其他特定目标类": "Other specific-purpose",
    "部门职能类": "departmental functions",
    "信息化运维类": "IT operation and maintenance",
    "信息化建设类": "IT development",
    "物业管理类": "property management",
    "基本建设类": "capital construction",
    "专项资金类": "special funds",
    "大型修缮类": "major repairs",
    "设备购置类": "equipment purchase",
    "政府购买服务类": "government-purchased services",
}
LEVEL_EN: dict[str, str] = {"一级项目": "Level-1 project", "二级项目": "Level-2 project"}
_TYPE_PARTS = re.compile(r"^(?P<main>[^（()）]+)[（(](?P<part>[^（()）]+)[)）]$")

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

    Whole numbers are counts and get thousands separators (a ``year`` does not).

    >>> t("shown_count", "en", shown=3, total=15)
    'Showing 3 of 15 projects'
    >>> t("chart_subtitle_indicators", "zh", count=118120)
    '共 118,120 个指标'
    """
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    if not values:
        return text
    return text.format(**{name: _count(name, value) for name, value in values.items()})


def _count(name: str, value: object) -> object:
    counted = isinstance(value, int) and not isinstance(value, bool) and name != "year"
    return f"{value:,}" if counted else value


def category_columns(frame: pl.DataFrame, columns: Iterable[str], lang: str = DEFAULT_LANG) -> list[pl.Expr]:
    """``columns`` of ``frame`` as text with their categories in ``lang``, for ``select``/``with_columns``.

    Each distinct value is translated once, in Python, and the column is
    rewritten with ``replace``: a Python function inside polars
    (``map_elements``) can deadlock the server when sessions run polars at
    once (its worker threads wait for the GIL).

    >>> frame = pl.DataFrame({"level1": ["效益指标", None, "效益指标"]})
    >>> frame.select(category_columns(frame, ["level1"], "en"))["level1"].to_list()
    ['Outcome', None, 'Outcome']
    """
    expressions = []
    for column in columns:
        text = frame[column].cast(pl.String)
        names = {value: category(value, lang) for value in text.unique().to_list() if value is not None}
        expressions.append(pl.col(column).cast(pl.String).replace(names))
    return expressions


def project_type(value: str | None, lang: str = DEFAULT_LANG) -> str | None:
    """A project type in ``lang``: a standard type, or 主类（子类） of known parts, in English; other text as written.

    >>> project_type("其他运转类（信息化运维类）", "en"), project_type("其他事业发展性支出", "en")
    ('Other operating (IT operation and maintenance)', 'Other public-service development')
    >>> project_type("自定类型（甲）", "en"), project_type("其他运转类（信息化运维类）", "zh")
    ('自定类型（甲）', '其他运转类（信息化运维类）')
    """
    if value is None or lang != "en":
        return value
    compact = value.strip()
    if compact in TYPE_EN:
        return TYPE_EN[compact]
    match = _TYPE_PARTS.match(compact)
    if match and match["main"] in TYPE_EN and match["part"] in TYPE_EN:
        return f"{TYPE_EN[match['main']]} ({TYPE_EN[match['part']]})"
    return value


def project_level(value: str | None, lang: str = DEFAULT_LANG) -> str | None:
    """A project level (一级项目, 二级项目) in ``lang``; other text as written.

    >>> project_level("二级项目", "en")
    'Level-2 project'
    """
    if value is None or lang != "en":
        return value
    return LEVEL_EN.get(value.strip(), value)


def value_label(column: str, value: str | None, lang: str = DEFAULT_LANG) -> str | None:
    """A value of ``column`` as ``lang`` shows it: categories and kinds, project types and levels; else unchanged.

    >>> value_label("type", "其他特定目标类（部门职能类）", "en"), value_label("level1", "效益指标", "en")
    ('Other specific-purpose (departmental functions)', 'Outcome')
    >>> value_label("name", "效益指标", "en")
    '效益指标'
    """
    translate = _translator(column)
    return value if translate is None or value is None else translate(value, lang)


def _translator(column: str) -> Callable[[str, str], str | None] | None:
    if column in ("level1", "level2") or column.endswith("_kind"):
        return category
    return {"type": project_type, "level": project_level}.get(column)


def value_columns(frame: pl.DataFrame, columns: Iterable[str], lang: str = DEFAULT_LANG) -> list[pl.Expr]:
    """``columns`` of ``frame`` with their values in ``lang`` (:func:`value_label`), for ``with_columns``.

    Columns of other kinds are left out, so any list of columns may be given.

    >>> frame = pl.DataFrame({"type": ["其他运转类（信息化运维类）"], "name": ["甲"]})
    >>> frame.with_columns(value_columns(frame, frame.columns, "en")).row(0)
    ('Other operating (IT operation and maintenance)', '甲')
    """
    expressions = []
    for column in columns:
        if _translator(column) is None:
            continue
        text = frame[column].cast(pl.String)
        names = {value: value_label(column, value, lang) for value in text.unique().to_list() if value is not None}
        expressions.append(pl.col(column).cast(pl.String).replace(names))
    return expressions


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
