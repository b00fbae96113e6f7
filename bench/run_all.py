#!/usr/bin/env python3
"""Every benchmark in one command, and one table of results against their targets.

Runs, each in its own process (each prints its own table as well):

* ``bench/parse.py --quick`` (15 and 1,000 projects; ``--full``: up to 100,000);
* ``bench/pages.py`` (every page for the reference document and 10,000
  projects, and the type filter on two pages);
* ``bench/memory.py --projects 20000`` (``--full``: 100,000);

then prints one Markdown table: measurement, value, target, PASS or MISS.
Raw results land in ``bench/out/{parse,pages,memory}.json``.

    .venv/bin/python bench/run_all.py            # about 6 minutes on 2 cores
    .venv/bin/python bench/run_all.py --full     # about 8 minutes
    .venv/bin/python bench/run_all.py --only pages,memory

The exit status is 1 when a benchmark failed to run; a missed target is a
result, not a failure (``--strict`` makes it one).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
BENCHMARKS = ("parse", "pages", "memory")
#: Time ∝ size^b over sizes ≥ 1,000: above this, something grows faster than the input.
SCALING_TARGET = 1.1


def _run(name: str, args: list[str]) -> tuple[dict | list | None, str]:
    """Run ``bench/{name}.py`` with ``--json``; its results (None on failure) and what it printed."""
    out = OUT / f"{name}.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(BENCH / f"{name}.py"), *args, "--json", str(out)]
    print(f"$ {' '.join(command[1:])}", file=sys.stderr, flush=True)
    start = time.perf_counter()
    # stderr (progress) goes straight through; stdout is the benchmark's own table.
    proc = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    print(
        f"  {name}: {time.perf_counter() - start:,.0f} s, exit {proc.returncode}",
        file=sys.stderr,
        flush=True,
    )
    results = json.loads(out.read_text()) if out.is_file() else None
    if proc.returncode != 0 and name != "parse":
        results = None
    return results, proc.stdout


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("PASS" if ok else "MISS")


def _slope(points: list[tuple[float, float]]) -> float | None:
    from bench.parse import _slope as slope

    return slope(points)


def parse_rows(results: list[dict]) -> list[tuple[str, str, str, bool | None]]:
    """Rows for the parse benchmark: per size, time and ratio to the floor; counts; scaling."""
    rows = []
    for r in results:
        n, floor, parse = r["n_projects"], r["floor"], r["parse"]
        if "error" in parse or "best" not in floor:
            rows.append(
                (
                    f"parse {n:,} projects",
                    parse.get("error", floor.get("error", "error"))[:80],
                    "runs",
                    False,
                )
            )
            continue
        mb = r["bytes"] / 1e6
        manifest = OUT / f"corpus-{n}-seed0" / "manifest.json"
        truth = json.loads(manifest.read_text()).get("indicators") if manifest.is_file() else None
        counts_ok = parse["projects"] == n and (truth is None or parse["indicators"] == truth)
        rows.append(
            (
                f"parse {n:,} projects ({mb:,.2f} MB)",
                (
                    f"{parse['best']:,.3f} s = {parse['best'] / floor['best']:,.0f}× floor "
                    f"({floor['best'] * 1000:,.2f} ms), {mb / parse['best']:,.1f} MB/s, "
                    f"peak RSS {parse['rss_peak_mb']:,.0f} MB"
                ),
                "≤ 10× floor; projects and indicators = generator's truth",
                counts_ok and parse["best"] <= 10 * floor["best"],
            )
        )
    points = [
        (r["n_projects"], r["parse"]["best"]) for r in results if "best" in r["parse"] and r["n_projects"] >= 1_000
    ]
    if len(points) >= 2:
        b = _slope(points)
        rows.append(
            (
                "parse scaling, sizes ≥ 1,000",
                f"time ∝ size^{b:.2f}",
                f"≤ {SCALING_TARGET}",
                b <= SCALING_TARGET,
            )
        )
    return rows


def pages_rows(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """Rows for the page benchmark: each render against the empty page, each interaction against its render."""
    empty = results["empty"]["best_ms"]
    rows: list[tuple[str, str, str, bool | None]] = [("empty Streamlit page", f"{empty:,.0f} ms", "(the floor)", None)]
    for floor in results.get("floors", {}).values():
        rows.append(
            (
                f"floor: {floor['label'].removeprefix('Floor of ')}",
                f"{floor['best_ms']:,.0f} ms = {floor['ratio']:.1f}× empty",
                "(a floor)",
                None,
            )
        )
    for corpus in results["corpora"]:
        where = f"{corpus['projects']:,} projects"
        for path, r in corpus["renders"].items():
            rows.append(
                (
                    f"render {path or 'overview'}, {where}",
                    f"{r['best_ms']:,.0f} ms = {r['ratio']:.1f}× empty",
                    f"≤ {r['target']:g}× empty",
                    r["pass"],
                )
            )
    for corpus in results["corpora"]:
        where = f"{corpus['projects']:,} projects"
        for path, r in corpus.get("navigation", {}).items():
            full = corpus["renders"].get(path, {}).get("best_ms")
            value = "failed" if r["best_ms"] is None else f"{r['best_ms']:,.0f} ms"
            if full is not None:
                value += f" (full load {full:,.0f} ms)"
            rows.append((f"sidebar link to {path}, {where}", value, "(information)", None))
    for corpus in results["corpora"]:
        where = f"{corpus['projects']:,} projects"
        for path, r in corpus["interactions"].items():
            ratio = "–" if r["ratio"] is None else f"{r['ratio']:.2f}× render"
            rows.append(
                (
                    f"type filter on {path or 'overview'}, {where}",
                    f"{r['best_ms']:,.0f} ms = {ratio}",
                    f"≤ {r['target']:g}× render",
                    r["pass"],
                )
            )
    return rows


def memory_rows(r: dict) -> list[tuple[str, str, str, bool | None]]:
    """Rows for the memory benchmark: peak server RSS against the target; load times."""
    where = f"{r['projects']:,} projects"
    rows: list[tuple[str, str, str, bool | None]] = [
        (
            f"server memory, {where}",
            (
                f"peak {r['peak_rss_mb']:,.0f} MB RSS for {r['corpus_mb']:,.0f} MB of text "
                f"({r['peak_rss_mb'] / r['corpus_mb']:.1f}×); {r['second_rss_mb']:,.0f} MB after"
            ),
            f"< {r['target_mb']:,} MB",
            r["pass"],
        ),
        (f"overview first load, {where}", f"{r['first_load_s']:,.1f} s (parses)", "", None),
        (
            f"overview second load, {where}",
            f"{r['second_load_s']:,.1f} s (st.cache_data)",
            "",
            None,
        ),
    ]
    if "restart_load_s" in r:
        rows.append(
            (
                f"overview after a restart, {where}",
                f"{r['restart_load_s']:,.1f} s (Parquet cache)",
                "",
                None,
            )
        )
    return rows


def table(rows: list[tuple[str, str, str, bool | None]]) -> str:
    """The combined Markdown table and a count of the targets met."""
    out = ["| measurement | value | target | result |", "|---|---|---|---|"]
    out += [f"| {name} | {value} | {target or '–'} | {_verdict(ok)} |" for name, value, target, ok in rows]
    judged = [ok for *_, ok in rows if ok is not None]
    out.append(f"\n{sum(judged)} of {len(judged)} targets met.")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="parse all sizes; memory at 100,000 projects")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument("--memory-projects", type=int, help="memory corpus size (default 20,000; --full 100,000)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    only = set(args.only.split(",")) if args.only else set(BENCHMARKS)
    unknown = only - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    OUT.mkdir(parents=True, exist_ok=True)
    from bench.pages import environment

    started = environment()  # the load average before the benchmarks ran

    rows: list[tuple[str, str, str, bool | None]] = []
    printed, failed = [], []
    if "parse" in only:
        results, text = _run("parse", [] if args.full else ["--quick"])
        printed.append(text)
        if results is None:
            failed.append("parse")
        else:
            rows += parse_rows(results)
    if "pages" in only:
        results, text = _run("pages", [])
        printed.append(text)
        if results is None:
            failed.append("pages")
        else:
            rows += pages_rows(results)
    if "memory" in only:
        projects = args.memory_projects or (100_000 if args.full else 20_000)
        results, text = _run("memory", ["--projects", str(projects)])
        printed.append(text)
        if results is None:
            failed.append("memory")
        else:
            rows += memory_rows(results)

    print("\n\n".join(t.strip() for t in printed if t.strip()))
    print(f"\n## All benchmarks ({'full' if args.full else 'default'}); {started}\n")
    print(table(rows))
    for name in failed:
        print(f"\n{name}: did not run to the end; its output is above.")
    missed = any(ok is False for *_, ok in rows)
    return 1 if failed or (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
