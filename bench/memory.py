#!/usr/bin/env python3
"""How much memory does the dashboard's server hold for a large corpus?

Serves a synthetic corpus (``lib.testing.synth``, 100,000 projects by default, about
175 MB of text) through ``$BUDGET_DATA_DIR``, opens the overview in headless
Chromium and reports:

* the server's resident memory (``VmRSS`` from ``/proc``, the server process
  and every process it started), idle before the first request, after the
  first load and after a second load, and the highest value sampled every
  0.2 s during the loads; against the corpus' size on disk. Target: < 2 GB;
* the time of the first load (parses every document), of a second load
  (frames from ``st.cache_data``) and of a first load after a restart (the
  loader's Parquet disk cache; skip with ``--no-restart``).

The corpus is cached under ``bench/out/`` as ``bench/parse.py`` caches its
corpora (the same folders, so the two scripts share them).

    .venv/bin/python bench/memory.py                    # 100,000 projects
    .venv/bin/python bench/memory.py --projects 20000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parent.parent
# Run as a script (python bench/memory.py), the repo root is not on sys.path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser

from bench.pages import APP, OUT, chromium, environment, load, recording_page, serve, warn_if_busy
from bench.parse import _ensure_corpus

#: Resident memory of the server and its children, at most.
TARGET_MB = 2_000
#: The first load parses the whole corpus: 100,000 projects take minutes.
LOAD_TIMEOUT_MS = 900_000


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants, from ``/proc/*/stat``."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # exited meanwhile
            continue
        # The command name, in parentheses, may itself hold spaces or parentheses.
        fields = text[text.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_mb(pid: int, *, field: str = "VmRSS") -> float:
    """Resident memory of ``pid`` and its descendants in MB (10^6 bytes).

    ``field="VmHWM"`` sums each process's own peak instead: an upper bound of
    the tree's peak, since the processes need not peak at the same moment.
    """
    return sum(_status_kb(p, field) for p in process_tree(pid)) * 1024 / 1e6


class PeakSampler:
    """The highest tree RSS of ``pid`` seen every ``interval_s`` while running."""

    def __init__(self, pid: int, *, interval_s: float = 0.2) -> None:
        self.pid, self.interval_s, self.peak_mb = pid, interval_s, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, rss_mb(self.pid))
            self._stop.wait(self.interval_s)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = max(self.peak_mb, rss_mb(self.pid))


def measure(
    projects: int,
    *,
    seed: int = 0,
    restart: bool = True,
    root: Path = OUT,
    browser: Browser | None = None,
) -> dict:
    """Serve ``projects`` synthetic projects, load the overview twice (and once after a restart).

    The corpus is written under ``root`` (cached there); ``browser`` is
    launched when not given.
    """
    warn_if_busy()
    print(f"[{projects:,} projects] corpus ...", file=sys.stderr, flush=True)
    corpus = _ensure_corpus(projects, seed=seed, root=root)
    if corpus.generated_s is not None:
        print(
            f"  generated {corpus.bytes / 1e6:,.1f} MB in {corpus.generated_s:.1f} s",
            file=sys.stderr,
        )
    result: dict = {
        "environment": environment(),
        "projects": projects,
        "files": corpus.files,
        "corpus_mb": corpus.bytes / 1e6,
        "target_mb": TARGET_MB,
    }
    with ExitStack() as stack:
        cache = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-memory-cache-"))
        browser = browser or stack.enter_context(chromium())
        print("  server ...", file=sys.stderr, flush=True)
        with serve(APP, data_dir=corpus.directory, cache_dir=Path(cache)) as server:
            result["idle_rss_mb"] = rss_mb(server.pid)
            with PeakSampler(server.pid) as sampler, recording_page(browser) as page:
                print("  first load (parses) ...", file=sys.stderr, flush=True)
                first = load(page, server.url, timeout_ms=LOAD_TIMEOUT_MS)
                result["first_load_s"] = first["ms"] / 1000
                result["first_rss_mb"] = rss_mb(server.pid)
                print("  second load ...", file=sys.stderr, flush=True)
                second = load(page, server.url, charts=first["charts"], timeout_ms=LOAD_TIMEOUT_MS)
                result["second_load_s"] = second["ms"] / 1000
                result["second_rss_mb"] = rss_mb(server.pid)
                result["charts"] = first["charts"]
                result["errors"] = list(page.page_errors)  # type: ignore[attr-defined]
            result["peak_rss_mb"] = sampler.peak_mb
            result["hwm_sum_mb"] = rss_mb(server.pid, field="VmHWM")
            result["processes"] = len(process_tree(server.pid))
        if restart:
            print("  restart, first load (Parquet cache) ...", file=sys.stderr, flush=True)
            with (
                serve(APP, data_dir=corpus.directory, cache_dir=Path(cache)) as server,
                recording_page(browser) as page,
            ):
                again = load(page, server.url, timeout_ms=LOAD_TIMEOUT_MS)
                result["restart_load_s"] = again["ms"] / 1000
                result["restart_rss_mb"] = rss_mb(server.pid)
    result["pass"] = result["peak_rss_mb"] < TARGET_MB
    return result


def report(r: dict) -> str:
    """A Markdown table of one :func:`measure` result."""

    def mb(x: float) -> str:
        return f"{x:,.0f} MB ({x / r['corpus_mb']:.1f}× corpus)"

    rows = [
        (
            "corpus on disk",
            f"{r['corpus_mb']:,.1f} MB, {r['files']:,} files, {r['projects']:,} projects",
            "",
            "",
        ),
        ("server RSS idle", mb(r["idle_rss_mb"]), "", ""),
        (
            "server RSS after first load",
            mb(r["first_rss_mb"]),
            f"< {TARGET_MB:,} MB",
            _verdict(r["first_rss_mb"]),
        ),
        (
            "server RSS after second load",
            mb(r["second_rss_mb"]),
            f"< {TARGET_MB:,} MB",
            _verdict(r["second_rss_mb"]),
        ),
        (
            "server RSS peak (sampled every 0.2 s)",
            mb(r["peak_rss_mb"]),
            f"< {TARGET_MB:,} MB",
            _verdict(r["peak_rss_mb"]),
        ),
        ("sum of each process's own peak (VmHWM)", mb(r["hwm_sum_mb"]), "", ""),
        ("first load (parse)", f"{r['first_load_s']:,.1f} s", "", ""),
        ("second load (st.cache_data)", f"{r['second_load_s']:,.1f} s", "", ""),
    ]
    if "restart_load_s" in r:
        rows.append(("first load after a restart (Parquet cache)", f"{r['restart_load_s']:,.1f} s", "", ""))
        rows.append(
            (
                "server RSS after it",
                mb(r["restart_rss_mb"]),
                f"< {TARGET_MB:,} MB",
                _verdict(r["restart_rss_mb"]),
            )
        )
    out = ["| measurement | value | target | result |", "|---|---:|---:|---|"]
    out += [f"| {name} | {value} | {target} | {verdict} |" for name, value, target, verdict in rows]
    if r["errors"]:
        out += ["", "Uncaught errors in the browser:", *(f"- {e}" for e in r["errors"])]
    return "\n".join(out)


def _verdict(value_mb: float) -> str:
    return "PASS" if value_mb < TARGET_MB else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000, help="synthetic corpus size (default 100,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-restart", action="store_true", help="skip the load after a restart")
    parser.add_argument(
        "--json",
        type=Path,
        default=OUT / "memory.json",
        help="raw results (default bench/out/memory.json)",
    )
    args = parser.parse_args(argv)

    result = measure(args.projects, seed=args.seed, restart=not args.no_restart)
    print(f"Memory benchmark, overview page; {result['environment']}\n")
    print(report(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
