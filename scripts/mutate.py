"""Mutation sweep: break lib/ one small change at a time and check that the tests named for each change go red.

Each :class:`Mutation` replaces one exact piece of text in one file of
``lib/`` (a threshold, a comparator, a word, a colour, a whole rule switched
off), runs the test files that should notice, and puts the file's original
bytes back, also on Ctrl-C or an error. A mutation the tests survive is a
gap in the tests (or a mutation that changes nothing, to be replaced).

    .venv/bin/python scripts/mutate.py [--only SUBSTRING]

``--only`` keeps the mutations whose id, file or description contains
SUBSTRING. The tests are run once unmutated first: a suite that already
fails would make every mutation look caught.

Exit status: 0 when every mutation turned its tests red; 1 when one
survived; 2 when a mutation's text is not found exactly once in its file,
or its tests could not even be collected (the list has rotted); 3 when the
tests fail without any mutation.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

REVIEW = ("tests/test_review.py",)
CHARTS = ("tests/test_charts.py",)
COMPARE = ("tests/test_compare.py",)
PAGES = ("tests/test_pages.py",)
EXPORT = ("tests/test_export.py",)
HOSTILE = ("tests/test_hostile.py",)
DECK = ("tests/test_deck.py",)

_PYTEST_OPTIONS = ("-x", "-q", "-p", "no:cacheprovider", "-m", "not browser")
# pytest's exit codes: 0 all passed, 1 some failed; anything else means the
# tests did not run as tests (collection error, interrupted, no tests).
_FAILED = 1
# Seconds an interrupted pytest gets to finish its teardown before it is killed.
_GRACE_S = 15


@dataclass(frozen=True, slots=True)
class Mutation:
    """One change to one file of lib/: ``old`` (found exactly once) becomes ``new``."""

    id: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]
    what: str


def _silenced(rule_id: str, module: str, function: str) -> Mutation:
    """The mutation that switches a review rule off: its check returns no rows."""
    head = f"def {function}(frames: ReviewFrames) -> pl.DataFrame:\n"
    return Mutation(
        f"{rule_id}-off",
        f"lib/review/rules/{module}.py",
        head,
        head + "    return finding_rows([])\n",
        REVIEW,
        f"{rule_id} switched off: its check returns no findings",
    )


def _rule(rule_id: str, module: str, old: str, new: str, what: str) -> Mutation:
    return Mutation(f"{rule_id}-subtle", f"lib/review/rules/{module}.py", old, new, REVIEW, f"{rule_id}: {what}")


RULES: tuple[Mutation, ...] = (
    _silenced("R01", "categories", "_r01_categories"),
    _rule(
        "R01",
        "categories",
        'p["budget_year"] >= 2021',
        'p["budget_year"] > 2021',
        "成本指标 required only after 2021, not from 2021 on",
    ),
    _silenced("R02", "values", "_r02_missing"),
    _rule(
        "R02",
        "values",
        '((pl.col("column") == "annual") | pl.col("uses_period"))',
        '((pl.col("column") == "period") | pl.col("uses_period"))',
        "an empty period value counts even in a one-value-column template",
    ),
    _silenced("R03", "values", "_r03_quantity_units"),
    _rule(
        "R03",
        "values",
        '        | pl.col("name_unit").is_not_null()\n        | counted\n',
        "        | counted\n",
        "a unit declared in the name（个）no longer counts as the value's unit",
    ),
    _silenced("R04", "targets", "_r04_percent_sanity"),
    _rule(
        "R04",
        "targets",
        '((pl.col("op") == ">") & (pl.col("number") >= 100))) & ~growth',
        '((pl.col("op") == ">") & (pl.col("number") >= 100)))',
        "growth rates (同比增长 ≥110%) are no longer allowed above 100%",
    ),
    _silenced("R05", "targets", "_r05_direction"),
    _rule(
        "R05",
        "targets",
        '(negative & pl.col("kind").is_in(["percent", "count"]))',
        '(negative & pl.col("kind").is_in(["percent"]))',
        "a count of accidents or complaints written ≥ is no longer flagged",
    ),
    _silenced("R06", "values", "_r06_vague"),
    _rule("R06", "values", '"明显", "显著", ', '"明显", ', "显著 dropped from the vague words"),
    _silenced("R07", "targets", "_r07_timeliness"),
    _rule("R07", "targets", "如期|时效|进度|期限", "如期|时效|进度", "期限 dropped from the words naming a time"),
    _silenced("R08", "money", "_r08_cost_caps"),
    _rule(
        "R08",
        "money",
        '.when(period > budget * pl.col("years") + _YUAN_TOLERANCE)',
        '.when(period > budget * (pl.col("years") + 1) + _YUAN_TOLERANCE)',
        "a multi-year period cap is allowed one year more than the period has",
    ),
    _silenced("R09", "money", "_r09_unit_cost"),
    _rule(
        "R09",
        "money",
        'factors.append((12.0, "个月", None))',
        'factors.append((10.0, "个月", None))',
        "a missing month count is taken as 10 months instead of 12",
    ),
    _silenced("R10", "targets", "_r10_satisfaction"),
    _rule("R10", "targets", "elif n < 85:", "elif n <= 85:", "satisfaction of exactly 85% counts as too low"),
    _silenced("R11", "periods", "_r11_annual_vs_period"),
    _rule(
        "R11",
        "periods",
        '& (pl.col("years") >= 2)',
        '& (pl.col("years") > 2)',
        "a two-year period copying the annual cost caps is no longer flagged",
    ),
    _silenced("R12", "categories", "_r12_category_mixups"),
    _rule(
        "R12",
        "categories",
        '"satisfaction": ("满意度指标", "Satisfaction", "中"),',
        '"satisfaction": ("满意度指标", "Satisfaction", "低"),',
        "a satisfaction indicator filed under 效益 is 低, not 中",
    ),
    _silenced("R13", "duplicates", "_r13_boilerplate"),
    _rule(
        "R13",
        "duplicates",
        "_BOILERPLATE_PROJECTS = 3",
        "_BOILERPLATE_PROJECTS = 4",
        "boilerplate needs four projects, not three",
    ),
    _silenced("R14", "duplicates", "_r14_near_duplicates"),
    _rule(
        "R14",
        "duplicates",
        'pl.col("text").str.len_chars() >= 4\n',
        'pl.col("text").str.len_chars() > 4\n',
        "four-character duplicates are no longer compared",
    ),
    _silenced("R15", "goals", "_r15_goal_numbers"),
    _rule(
        "R15",
        "goals",
        "_GOAL_TOLERANCE = 0.005",
        "_GOAL_TOLERANCE = 0.05",
        "goal amounts may differ from the budget by 5%, not 0.5%",
    ),
    _silenced("R16", "goals", "_r16_goal_quantities_without_indicator"),
    _rule("R16", "goals", "份|项|家", "项|家", "份 dropped from the units a goal quantity is counted in"),
    _silenced("R17", "values", "_r17_name_declared_unit"),
    _rule(
        "R17",
        "values",
        '"是/否": ("是或否", "yes or no", frozenset({"boolean"})),',
        '"是/否": ("是或否", "yes or no", frozenset({"boolean", "percent"})),',
        "（是/否） answered with a percentage is accepted",
    ),
)

CHART_MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "chart-budget_by_project",
        "lib/charts/budget.py",
        'color=palette[row["type"] or ""],',
        'color=palette[(row["type"] or "") if False else sorted(palette)[0]],',
        CHARTS,
        "budget_by_project: bar colours no longer follow each project's type",
    ),
    Mutation(
        "chart-budget_by_type",
        "lib/charts/budget.py",
        '.sort("cents", descending=True, maintain_order=True)',
        '.sort("cents", descending=False, maintain_order=True)',
        CHARTS,
        "budget_by_type: smallest type first",
    ),
    Mutation(
        "chart-budget_treemap",
        "lib/charts/budget.py",
        '            key=lambda pair: -sum_wan(pair[1]["budget_wan"].to_list()),\n        )\n        for (type_key,), group in groups:',
        '            key=lambda pair: sum_wan(pair[1]["budget_wan"].to_list()),\n        )\n        for (type_key,), group in groups:',
        CHARTS,
        "budget_treemap: types drawn smallest first",
    ),
    Mutation(
        "chart-pareto",
        "lib/charts/budget.py",
        "x=[b.cumulative for b in bars],",
        "x=[b.share for b in bars],",
        CHARTS,
        "pareto: the line shows each project's share, not the cumulative share",
    ),
    Mutation(
        "chart-period_timeline",
        "lib/charts/budget.py",
        "solid_end = max(start, budget_year)",
        "solid_end = max(start, budget_year - 1)",
        CHARTS,
        "period_timeline: an ongoing project's solid bar stops a year before the budget year",
    ),
    Mutation(
        "chart-budget_vs_caps",
        "lib/charts/budget.py",
        'above = cap["ratio"] is not None and cap["ratio"] > 1 + 1e-9',
        'above = cap["ratio"] is not None and cap["ratio"] > 1.5',
        CHARTS,
        "budget_vs_caps: a cap is marked above the budget only past 150%",
    ),
    Mutation(
        "chart-level_sunburst",
        "lib/charts/indicators.py",
        'level1 = indicators.group_by("level1").agg(count=pl.len()).sort("level1")',
        'level1 = indicators.group_by("level1").agg(count=pl.len()).sort("level1", descending=True)',
        CHARTS,
        "level_sunburst: 一级 ring in reverse official order",
    ),
    Mutation(
        "chart-category_heatmap",
        "lib/charts/indicators.py",
        "z = [[lookup.get((pid, l2)) for l2 in present]",
        "z = [[lookup.get((pid, l2), 0) for l2 in present]",
        CHARTS,
        "category_heatmap: an unused category shows 0 instead of an empty cell",
    ),
    Mutation(
        "chart-value_kind_chart",
        "lib/charts/indicators.py",
        'marker={"color": KIND_GROUP_COLORS[group]},',
        'marker={"color": KIND_GROUP_COLORS["quantitative"]},',
        CHARTS,
        "value_kind_chart: every segment in the quantitative colour",
    ),
    Mutation(
        "chart-percent_distribution",
        "lib/charts/indicators.py",
        'order = list(dict.fromkeys(targets["target"].to_list()))',
        'order = sorted(dict.fromkeys(targets["target"].to_list()))',
        CHARTS,
        "percent_distribution: levels in text order, not number order",
    ),
    Mutation(
        "chart-findings_by_rule",
        "lib/charts/findings.py",
        '.sort(["total", "rule_id"], descending=[True, False])',
        '.sort(["total", "rule_id"], descending=[False, False])',
        CHARTS,
        "findings_by_rule: rule with the fewest findings first",
    ),
    Mutation(
        "chart-projects_by_findings",
        "lib/charts/findings.py",
        '.agg(pl.sum("weight"), pl.len().alias("count"))',
        '.agg(pl.len().alias("weight"), pl.len().alias("count"))',
        CHARTS,
        "projects_by_findings: ranked by the number of findings, not their weight",
    ),
    Mutation(
        "chart-card_figure",
        "lib/charts/card.py",
        'if row["differs"] and column == "annual_value":',
        'if False and row["differs"] and column == "annual_value":',
        [*CHARTS, "tests/test_images.py"],
        "card figures: annual values that differ are no longer filled orange",
    ),
    Mutation(
        "chart-compare_budget_by_type",
        "lib/charts/compare.py",
        "amounts = metrics.apportion_wan(types[side].to_list())",
        'amounts = metrics.apportion_wan(types["left"].to_list())',
        COMPARE,
        "compare_budget_by_type_chart: both sides draw the left side's amounts",
    ),
    Mutation(
        "chart-project_changes",
        "lib/charts/compare.py",
        '("increase" if amount >= 0 else "decrease")',
        '("decrease" if amount >= 0 else "increase")',
        COMPARE,
        "project_changes_chart: increases coloured as decreases",
    ),
    Mutation(
        "chart-ranking",
        "lib/charts/compare.py",
        "x=[c * SEVERITY_WEIGHTS[severity] / p if p else 0.0",
        "x=[c / p if p else 0.0",
        COMPARE,
        "ranking_chart: severity segments unweighted, the stack no longer ends at the score",
    ),
    Mutation(
        "chart-style.layout",
        "lib/charts/style.py",
        "showlegend=legend,",
        "showlegend=True,",
        CHARTS,
        "style.layout: a legend on every chart, even with one colour",
    ),
    Mutation(
        "chart-style.empty",
        "lib/charts/style.py",
        'text=t("no_data", lang),',
        'text=t("no_projects", lang),',
        CHARTS,
        "style.empty: the empty figure says 没有项目 rather than 没有数据",
    ),
    Mutation(
        "chart-style.type_palette",
        "lib/charts/style.py",
        'names = sorted({name or "" for name in types})',
        'names = list(dict.fromkeys(name or "" for name in types))',
        CHARTS,
        "style.type_palette: colours by first appearance, not by sorted name",
    ),
)

EXPORTS: tuple[Mutation, ...] = (
    Mutation(
        "csv-formula",
        "lib/export/tables.py",
        '_FORMULA_PATTERN = r"^[=+\\-@\\t\\r]"',
        '_FORMULA_PATTERN = r"^[=+\\-\\t\\r]"',
        (*EXPORT, *HOSTILE),
        "csv_bytes: a cell starting with @ is no longer neutralised",
    ),
    Mutation(
        "csv-lone-sign",
        "lib/export/tables.py",
        "(pl.col(text_columns).str.len_chars() > 1)",
        "(pl.col(text_columns).str.len_chars() > 0)",
        (*EXPORT, *HOSTILE),
        "csv_bytes: a lone '=' or '-' gets a quote too",
    ),
    Mutation(
        "csv-bom",
        "lib/export/tables.py",
        'return b"\\xef\\xbb\\xbf" + shown.write_csv()',
        'return b"" + shown.write_csv()',
        EXPORT,
        "csv_bytes: no BOM, so Excel misreads the Chinese text",
    ),
    Mutation(
        "csv-headers",
        "lib/export/tables.py",
        "column_header(name, lang, indicators=indicators)",
        "column_header(name, lang, indicators=False)",
        EXPORT,
        "csv_bytes: the indicators' name column is headed 项目名称",
    ),
    Mutation(
        "parquet-dtypes",
        "lib/export/tables.py",
        "    frame.write_parquet(buffer)\n",
        "    frame.cast({n: pl.String for n, d in frame.schema.items() if isinstance(d, pl.Enum)}).write_parquet(buffer)\n",
        EXPORT,
        "parquet_bytes: enums written as plain strings",
    ),
    Mutation(
        "workbook-sheets",
        "lib/export/workbook.py",
        "    if rules is not None:\n",
        "    if rules is None:\n",
        EXPORT,
        "workbook_bytes: the rules sheet is left out",
    ),
    Mutation(
        "workbook-headers",
        "lib/export/workbook.py",
        "[column_header(name, lang, indicators=sheet.indicators, overrides=sheet.headers)",
        "[column_header(name, lang, indicators=sheet.indicators, overrides=None)",
        EXPORT,
        "workbook_bytes: the findings and rules sheets lose their own headers",
    ),
    Mutation(
        "workbook-about",
        "lib/export/workbook.py",
        "sheet=sheet.name, rows=sheet.frame.height)",
        "sheet=sheet.name, rows=sheet.frame.width)",
        EXPORT,
        "workbook_bytes: the 说明 sheet counts each sheet's columns as its rows",
    ),
    Mutation(
        "workbook-findings",
        "lib/export/workbook.py",
        'names = corpus.indicators.select("indicator_id", pl.col("name").alias("indicator"))',
        'names = corpus.indicators.select("indicator_id", pl.col("annual_value").alias("indicator"))',
        EXPORT,
        "workbook_bytes: the findings sheet names each indicator by its annual value",
    ),
    Mutation(
        "workbook-formats",
        "lib/export/workbook.py",
        '"share": workbook.add_format({"num_format": "0.00%"}),',
        '"share": workbook.add_format({"num_format": "0.0%"}),',
        EXPORT,
        "workbook_bytes: shares shown with one decimal",
    ),
    Mutation(
        "naming-safe_filename",
        "lib/export/naming.py",
        "return charts.image_filename(department, year, what, today=today) + suffix",
        "return charts.image_filename(department, None, what, today=today) + suffix",
        (*EXPORT, *HOSTILE),
        "safe_filename: the year is left out of the file name",
    ),
    Mutation(
        "naming-source_label",
        "lib/export/naming.py",
        "    names = list(dict.fromkeys(names))\n",
        "",
        EXPORT,
        "source_label: two documents of one department and year are named twice",
    ),
    Mutation(
        "naming-caption",
        "lib/export/naming.py",
        "return f\"{source}　·　{t('caption_filters', lang, filters=filters_text)}\"",
        "return f\"{source}　{t('caption_filters', lang, filters=filters_text)}\"",
        EXPORT,
        "caption: source and filters run together without the separator",
    ),
    Mutation(
        "images-caption",
        "lib/export/framing.py",
        'text="<br>".join(charts.escape(line) for line in taken.caption_lines),',
        'text="",',
        EXPORT,
        "chart_png: the caption is left out of the image",
    ),
    Mutation(
        "images-size",
        "lib/export/images.py",
        "return [_with_margin(png, SAFE_MARGIN_PX * scale) for png in _render(jobs)] if jobs else []",
        "return list(_render(jobs)) if jobs else []",
        EXPORT,
        "chart_png: no safe margin, the image is the drawing's size, not 1920 × 1080",
    ),
    Mutation(
        "deck-slides",
        "lib/export/deck.py",
        "figures = [figure for figure in _chart_figures(corpus, lang=lang) if figure.data]",
        "figures = [figure for figure in _chart_figures(corpus, lang=lang)[:4] if figure.data]",
        DECK,
        "deck: the last chart slide is dropped",
    ),
    Mutation(
        "deck-titles",
        "lib/export/deck.py",
        'suffix = t("deck_part" if index == 0 else "deck_continued", lang, part=part) if part else ""',
        'suffix = t("deck_continued", lang, part=part) if part else ""',
        DECK,
        "deck: a split project's first slide is titled as a continuation",
    ),
    Mutation(
        "deck-findings",
        "lib/export/deck.py",
        '.sort("_rank", "_row")',
        '.sort("_row")',
        DECK,
        "deck: the review slide's top findings in document order, not most serious first",
    ),
)

PAGE_MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "page-overview",
        "lib/pages/overview.py",
        "metrics.format_share(figures.top5_share)",
        "metrics.format_share(figures.largest_share)",
        PAGES,
        "overview: the top-5 share shows the largest project's share",
    ),
    Mutation(
        "page-budget",
        "lib/pages/budget.py",
        '"budget_pareto", lambda: charts.pareto(projects, lang=lang, palette=palette, departments=several)',
        '"budget_pareto", lambda: charts.budget_by_project(projects, lang=lang, palette=palette)',
        PAGES,
        "budget: the Pareto chart's place shows the budget bars",
    ),
    Mutation(
        "page-indicators",
        "lib/pages/indicators.py",
        "found = filters.search_indicators(indicators, projects, search)",
        'found = filters.search_indicators(indicators, projects, "")',
        PAGES,
        "indicators: the search no longer narrows the table",
    ),
    Mutation(
        "page-review",
        "lib/pages/review.py",
        'pl.col("severity").cast(pl.String).is_in(list(chosen))',
        'pl.col("severity").cast(pl.String).is_in(list(review.SEVERITIES))',
        PAGES,
        "review: the chosen severities no longer filter the findings",
    ),
    Mutation(
        "page-card",
        "lib/pages/card.py",
        '.agg(pl.col("rule_id").unique().sort().str.join(" ").alias("flags"))',
        '.agg(pl.col("rule_id").first().alias("flags"))',
        PAGES,
        "card: an indicator flagged by two rules shows only one",
    ),
    Mutation(
        "page-data",
        "lib/pages/data.py",
        'projects["place"].null_count() < projects.height',
        'projects["place"].null_count() <= projects.height',
        PAGES,
        "data: 位置 shown even when no file has pages or sheets",
    ),
    Mutation(
        "page-compare",
        "lib/pages/compare.py",
        'metrics.format_wan(budget.get("difference"))\n',
        'metrics.format_wan(budget.get("right"))\n',
        PAGES,
        "compare: the change under the right side's total is that total",
    ),
    Mutation(
        "page-scope",
        "lib/pages/scope.py",
        "if kept.height < projects.height else None",
        "if kept.height <= projects.height else None",
        PAGES,
        "scope: the 'largest projects only' note shown when every project is drawn",
    ),
)

MUTATIONS: tuple[Mutation, ...] = (*RULES, *CHART_MUTATIONS, *EXPORTS, *PAGE_MUTATIONS)


def misplaced(mutations: Sequence[Mutation]) -> list[str]:
    """Problems with the list: a repeated id, or an old text not found exactly once in its file."""
    problems = []
    seen: set[str] = set()
    for m in mutations:
        if m.id in seen:
            problems.append(f"{m.id}: id used twice")
        seen.add(m.id)
        count = (ROOT / m.file).read_text(encoding="utf-8").count(m.old)
        if count != 1:
            problems.append(f"{m.id}: old text found {count} times in {m.file}: {m.old!r}")
    return problems


def run_tests(tests: Sequence[str]) -> tuple[int, str]:
    """Run ``tests`` in a fresh interpreter: pytest's exit code and its output."""
    # No .pyc files: a mutated module compiled in the same second as its
    # restore, at the same size, would otherwise be loaded again later.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", *tests, *_PYTEST_OPTIONS]
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as child:
        try:
            output, _ = child.communicate()
        except BaseException as exc:
            _stop(child, interrupted=isinstance(exc, KeyboardInterrupt))
            raise
    return child.returncode, output


def _stop(child: subprocess.Popen, *, interrupted: bool) -> None:
    """End pytest gently first: interrupted, it closes the headless browsers the image tests started."""
    # Ctrl-C reached pytest too (same process group); anything else did not.
    if not interrupted:
        child.send_signal(signal.SIGINT)
    try:
        child.wait(timeout=_GRACE_S)
    except subprocess.TimeoutExpired:
        child.kill()


def first_failure(output: str) -> str:
    """The first test pytest reports failed or errored, without its path."""
    match = re.search(r"^(?:FAILED|ERROR) \S+?::(\S+)", output, re.MULTILINE)
    return match.group(1) if match else ""


def run_mutation(mutation: Mutation) -> tuple[int, str]:
    """Apply ``mutation``, run its tests, and restore the file's original bytes and times whatever happens."""
    path = ROOT / mutation.file
    original = path.read_bytes()
    stat = path.stat()
    try:
        path.write_bytes(original.decode("utf-8").replace(mutation.old, mutation.new, 1).encode("utf-8"))
        return run_tests(mutation.tests)
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def main(argv: list[str] | None = None) -> int:
    """Check the list, run the tests unmutated, then each mutation in turn; the exit status as the module says."""
    # A plain kill would end the process without running run_mutation's
    # finally; as SystemExit it restores the file like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    parser = argparse.ArgumentParser(prog="scripts/mutate.py", description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the mutations whose id, file or description contains this")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if args.only in m.id or args.only in m.file or args.only in m.what]
    problems = misplaced(MUTATIONS)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    if not chosen:
        print(f"no mutation matches {args.only!r}", file=sys.stderr)
        return 2
    tests = list(dict.fromkeys(test for m in chosen for test in m.tests))
    start = time.perf_counter()
    code, output = run_tests(tests)
    print(f"unmutated: {' '.join(tests)}: {'pass' if code == 0 else 'FAIL'} ({time.perf_counter() - start:.1f} s)")
    if code != 0:
        print(output[-3000:], file=sys.stderr)
        return 3
    width = max(len(m.id) for m in chosen)
    print(f"\n{'mutation':<{width}}  result  seconds  caught by / what survived")
    survived, broken = [], []
    for m in chosen:
        started = time.perf_counter()
        code, output = run_mutation(m)
        seconds = time.perf_counter() - started
        if code == _FAILED:
            result, note = "red", first_failure(output)
        elif code == 0:
            result, note = "GREEN", m.what
            survived.append(m)
        else:
            result, note = "error", f"pytest exit {code}: {output.strip().splitlines()[-1] if output.strip() else ''}"
            broken.append(m)
        print(f"{m.id:<{width}}  {result:<6}  {seconds:7.1f}  {note}", flush=True)
    total = time.perf_counter() - start
    print(
        f"\n{len(chosen)} mutations, {len(survived)} survived, {len(broken)} broke the tests' collection; {total:.0f} s"
    )
    for m in survived:
        print(f"survived: {m.id} ({m.file}): {m.what}")
    if broken:
        return 2
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
