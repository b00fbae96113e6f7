#!/usr/bin/env python3
"""How long does a PNG take: the first of a server process, and every one after it?

Renders the reference document's charts and project card the way the app's
download buttons do (``lib.export.images``) and reports, in one process:

* **cold**: the first chart PNG, which starts the process' headless Chromium;
* **warm**: each later chart PNG (best and median of ``--repeats``), in the
  browser the first one started. Target: ≤ 1 s;
* **card**: the project card's images (``lib.pages.card.images``), warm;
* **zip**: a page's charts as one zip (``charts_zip``), tall charts as parts;
* **one-shot**: with ``--one-shot``, a PNG in a browser started for it alone,
  the way every PNG was made before the browser was kept (about 3–4 s).

    .venv/bin/python bench/png.py
    .venv/bin/python bench/png.py --repeats 10 --one-shot --json bench/out/png.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script (python bench/png.py), the repo root is not on sys.path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import environment, warn_if_busy
from lib import charts, export, review
from lib.export import browser, images
from lib.loader import load_documents
from lib.pages import Scope, card

#: A warm PNG (the browser already running) takes at most this long.
TARGET_WARM_S = 1.0


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def measure(*, repeats: int, one_shot: bool) -> dict:
    """Seconds per PNG: cold, warm (each chart ``repeats`` times), the card, a zip and optionally one-shot."""
    corpus = load_documents()
    caption = export.caption(corpus, filters_text="未筛选")
    figures = {
        "budget_by_project": charts.budget_by_project(corpus.projects),
        "budget_by_type": charts.budget_by_type(corpus.projects),
        "budget_vs_caps": charts.budget_vs_caps(corpus.projects, corpus.indicators),
        "level_sunburst": charts.level_sunburst(corpus.indicators),
    }
    browser.close()  # the first render below starts it, as a server's first download does
    cold, _ = _timed(lambda: export.chart_png(figures["budget_by_project"], caption=caption))
    warm: dict[str, list[float]] = {name: [] for name in figures}
    for _ in range(repeats):
        for name, figure in figures.items():
            seconds, _ = _timed(lambda figure=figure: export.chart_png(figure, caption=caption))
            warm[name].append(seconds)
    scope = Scope.of(corpus)
    page = card.page(scope, review.review(corpus), card.chosen_project(scope, None))
    card_s, pngs = _timed(lambda: export.figure_pngs(card.images(page)))
    zip_s, _ = _timed(lambda: export.charts_zip(list(figures.items()), caption=caption))
    parts = sum(len(images.presentation_parts(figure, caption=caption)) for figure in figures.values())
    result = {
        "cold_s": cold,
        "warm": {name: {"best_s": min(times), "median_s": statistics.median(times)} for name, times in warm.items()},
        "warm_median_s": statistics.median(t for times in warm.values() for t in times),
        "card_s": card_s,
        "card_images": len(pngs),
        "zip_s": zip_s,
        "zip_images": parts,
        "target_warm_s": TARGET_WARM_S,
    }
    if one_shot:
        browser.close()
        framed = images.presentation_figure(figures["budget_by_type"], caption=caption)
        jobs = [(framed.to_dict(), {"format": "png", "width": framed.layout.width, "height": framed.layout.height})]
        result["one_shot_s"], _ = _timed(lambda: images._render_once(jobs))
    return result


def table(result: dict) -> str:
    """The measurements as a Markdown table."""
    rows = [
        ("first PNG of the process (starts Chromium)", f"{result['cold_s']:.2f} s", ""),
        *(
            (f"warm PNG: {name} (best / median)", f"{m['best_s']:.2f} / {m['median_s']:.2f} s", "")
            for name, m in result["warm"].items()
        ),
        (
            "warm PNG, median of all",
            f"{result['warm_median_s']:.2f} s",
            f"≤ {result['target_warm_s']:.0f} s: {'PASS' if result['warm_median_s'] <= result['target_warm_s'] else 'MISS'}",
        ),
        (f"project card ({result['card_images']} images)", f"{result['card_s']:.2f} s", ""),
        (f"zip of 4 charts ({result['zip_images']} images)", f"{result['zip_s']:.2f} s", ""),
    ]
    if "one_shot_s" in result:
        rows.append(("PNG in a browser of its own (before)", f"{result['one_shot_s']:.2f} s", ""))
    lines = ["| measurement | time | target |", "| --- | --- | --- |"]
    lines += [f"| {what} | {value} | {target} |" for what, value, target in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="warm renders of each chart (default 5)")
    parser.add_argument("--one-shot", action="store_true", help="also time a PNG in a browser started for it")
    parser.add_argument("--json", type=Path, help="write the raw numbers here as well")
    args = parser.parse_args(argv)
    warn_if_busy()
    header = environment()
    result = measure(repeats=max(args.repeats, 1), one_shot=args.one_shot)
    print(f"PNG export — {header}\n")
    print(table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
