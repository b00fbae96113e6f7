"""The benchmarks in bench/ run end to end on tiny inputs and return numbers.

Smoke tests only: a timing depends on the machine and its load, so nothing
here asserts that a duration is below anything. The real runs are
``bench/run_all.py`` (see bench/README.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from browser_support import REPO

from bench import memory, pages, run_all


def test_parse_benchmark_runs_on_15_projects(tmp_path) -> None:
    out = tmp_path / "parse.json"
    proc = subprocess.run(
        [sys.executable, "bench/parse.py", "--sizes", "15", "--repeats", "1", "--tmp", "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (result,) = json.loads(out.read_text())
    assert result["floor"]["best"] > 0
    assert result["parse"]["best"] > 0
    assert result["parse"]["projects"] == 15
    assert "| 15 |" in proc.stdout


def test_process_tree_memory_includes_children() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in memory.process_tree(os.getpid())
        assert memory.rss_mb(os.getpid()) > memory.rss_mb(child.pid) > 0
    finally:
        child.kill()
        child.wait()


def test_combined_table_marks_targets_met_and_missed() -> None:
    # The shapes bench/pages.py and bench/memory.py write, with made-up numbers.
    results = pages._with_ratios(
        {
            "empty": {"best_ms": 200.0},
            "floors": {"one_chart": {"best_ms": 380.0, "label": pages.FLOOR_LABELS["one_chart"]}},
            "corpora": [
                {
                    "label": "reference",
                    "projects": 15,
                    "renders": {"": {"best_ms": 280.0}, "card": {"best_ms": 400.0}},
                    "interactions": {"": {"best_ms": 500.0}},
                }
            ],
        }
    )
    rows = run_all.pages_rows(results)
    rows += run_all.memory_rows(
        {
            "projects": 1_000, "corpus_mb": 2.0, "peak_rss_mb": 3_000.0, "second_rss_mb": 250.0,
            "target_mb": 2_000, "pass": False, "first_load_s": 1.0, "second_load_s": 0.5,
        }
    )  # fmt: skip
    text = run_all.table(rows)
    assert "| floor: a page with a chart (one three-bar Plotly chart) | 380 ms = 1.9× empty | (a floor) | – |" in text
    assert "| render overview, 15 projects | 280 ms = 1.4× empty | ≤ 1.5× empty | PASS |" in text
    assert "| render card, 15 projects | 400 ms = 2.0× empty | ≤ 1.5× empty | MISS |" in text
    assert "500 ms = 1.79× render | ≤ 2× render | PASS |" in text
    assert "< 2,000 MB | MISS |" in text
    assert "2 of 4 targets met." in text


@pytest.mark.browser
def test_page_benchmark_on_the_reference_document(browser) -> None:
    empty = pages.measure_empty(browser, repeats=1)
    floors = pages.measure_floors(browser, repeats=1)
    with pages.serve(pages.APP, data_dir=pages.REFERENCE) as server:
        renders = pages.measure_renders(browser, server.url, pages.PAGES, repeats=1)
        interactions = pages.measure_interactions(browser, server.url, pages.INTERACTION_PAGES, repeats=1)
        navigation = pages.measure_navigation(browser, server.url, ["", "budget"], repeats=1)
    results = pages._with_ratios(
        {
            "environment": pages.environment(),
            "repeats": 1,
            "empty": empty,
            "floors": floors,
            "corpora": [
                {
                    "label": "reference",
                    "projects": 15,
                    "renders": renders,
                    "interactions": interactions,
                    "navigation": navigation,
                }
            ],
        }
    )
    assert empty["best_ms"] > 0
    assert set(floors) == {"one_chart", "subpage", "subpage_chart"}
    assert [floors[name]["charts"] for name in ("one_chart", "subpage", "subpage_chart")] == [1, 0, 1]
    assert set(renders) == set(pages.PAGES)
    for path, render in renders.items():
        assert render["best_ms"] > 0, path
        assert render["ratio"] > 0, path
        assert render["errors"] == [], path
    assert renders[""]["charts"] >= 3  # the overview's charts were waited for
    for path, interaction in interactions.items():
        assert interaction["best_ms"] > 0, path
        assert interaction["ratio"] > 0, path
    assert "| reference (15) | indicators |" in pages.report(results)
    assert "Floor of a page with a chart (one three-bar Plotly chart):" in pages.report(results)
    assert set(navigation) == {"budget"}  # the overview is where the links are pressed
    assert navigation["budget"]["errors"] == [] and navigation["budget"]["best_ms"] > 0
    assert navigation["budget"]["charts"] == 3
    assert "| reference (15) | budget |" in pages.report(results).split("Inside the app")[1]


@pytest.mark.browser
def test_memory_benchmark_on_a_small_corpus(browser, tmp_path) -> None:
    result = memory.measure(30, root=tmp_path, restart=False, browser=browser)
    assert result["files"] == 2
    assert result["idle_rss_mb"] > 0
    assert result["peak_rss_mb"] >= result["first_rss_mb"] > 0
    assert result["first_load_s"] > 0
    assert result["second_load_s"] > 0
    assert "| server RSS peak" in memory.report(result)
