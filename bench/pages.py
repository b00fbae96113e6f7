#!/usr/bin/env python3
"""How long do the dashboard's pages take to draw, next to an empty Streamlit page?

In one run, with one headless Chromium (Debian's ``/usr/bin/chromium``):

* **empty**: a Streamlit script that draws nothing, served the same way, the
  floor of any Streamlit page (websocket, session, one script run);
* **render**: every page of the dashboard, from the request (``page.goto``)
  to the last Plotly chart drawn and Streamlit's script state back to
  ``notRunning``, for the reference document (``data/``, 15 projects) and for
  a synthetic corpus (``lib.testing.synth``, 10,000 projects by default) served through
  ``$BUDGET_DATA_DIR``; as a multiple of the empty page;
* **interaction**: on the overview and 指标体系 pages, from pressing the first
  project type in the sidebar's 项目类型 dropdown to the updated charts drawn;
  as a multiple of that page's render.

Each is the best of ``--repeats`` loads after one warm-up load (the warm-up
parses the corpus; the app keeps parsed frames in ``st.cache_data``). Targets:
render ≤ 1.5× empty at 15 projects and ≤ 3× at 10,000; interaction ≤ 2× the
page's render. Prints a Markdown table and writes ``bench/out/pages.json``.

    .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --projects 1000 --repeats 5
    .venv/bin/python bench/pages.py --reference-only --pages ,indicators
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# Run as a script (python bench/pages.py), the repo root is not on sys.path.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "tests") not in sys.path:
    sys.path.append(str(ROOT / "tests"))

from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

# The browser tests' settings and server, so the benchmark sees what they see.
from browser_support import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, RunningServer, running_streamlit  # noqa: E402


APP = ROOT / "app.py"
OUT = ROOT / "bench" / "out"
REFERENCE = ROOT / "data"
#: URL path of every page; the overview, the default page, is at the root.
PAGES = ("", "budget", "indicators", "card", "review", "data", "library")
INTERACTION_PAGES = ("", "indicators")
#: Render as a multiple of the empty page: reference document / synthetic corpus.
RENDER_TARGET = {"reference": 1.5, "synthetic": 3.0}
#: Interaction as a multiple of the same page's render.
INTERACTION_TARGET = 2.0
#: Nothing may change on screen for this long before a page counts as drawn.
#: The quiet time itself is not measured: the time taken is that of the last change.
QUIET_MS = 750
EMPTY_APP = "import streamlit as st  # a page that draws nothing\n"
#: Floors below which no page of a kind can go, measured beside the empty
#: page (they are not targets; they say what a target can ask for):
#: ``one_chart``: one three-bar Plotly chart, the least any page with a chart
#: costs (Streamlit loads and evaluates its 4.7 MB Plotly bundle on every
#: full page load, then draws); ``subpage``: an empty page at ``/second`` of
#: a two-page app, the least any page but the first costs (Streamlit's
#: browser side first asks ``/second/_stcore/health``, gets a 404 and
#: retries at the root 100 ms later: streamlit/streamlit#7074);
#: ``subpage_chart``: both, the one chart on the second page.
FLOOR_APPS = {
    "one_chart": (
        "import plotly.graph_objects as go\n"
        "import streamlit as st\n"
        "st.plotly_chart(go.Figure(go.Bar(x=['a', 'b', 'c'], y=[3, 1, 2])))\n",
        "",
    ),
    "subpage": (
        "import streamlit as st\n"
        "def first():\n    pass\n"
        "def second():\n    pass\n"
        "st.navigation([st.Page(first, default=True), st.Page(second, url_path='second')]).run()\n",
        "second",
    ),
    "subpage_chart": (
        "import plotly.graph_objects as go\n"
        "import streamlit as st\n"
        "def first():\n    pass\n"
        "def second():\n    st.plotly_chart(go.Figure(go.Bar(x=['a', 'b', 'c'], y=[3, 1, 2])))\n"
        "st.navigation([st.Page(first, default=True), st.Page(second, url_path='second')]).run()\n",
        "second",
    ),
}


def page_name(path: str) -> str:
    """The page's name in tables: its URL path, ``overview`` for the root."""
    return path or "overview"


# --------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------


#: A running server: ``url`` and ``pid`` (the process group's leader).
Server = RunningServer


@contextmanager
def serve(
    script: Path = APP,
    *,
    data_dir: Path | None = None,
    cache_dir: Path | None = None,
    options: Sequence[str] = (),
    timeout_s: float = 90.0,
) -> Iterator[Server]:
    """Run a Streamlit script on a free 127.0.0.1 port, as the browser tests do, and stop it after.

    ``data_dir`` becomes ``$BUDGET_DATA_DIR`` and ``cache_dir``
    ``$BUDGET_CACHE_DIR`` (the loader's Parquet cache of parsed corpora), by
    default an empty temporary folder, so that a server's first load parses.
    ``options`` are more Streamlit options, to try a setting
    (``["--runner.postScriptGC", "false"]``).
    """
    env = dict(os.environ)
    if data_dir is not None:
        env["BUDGET_DATA_DIR"] = str(data_dir)
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as fresh:
        env["BUDGET_CACHE_DIR"] = str(cache_dir or fresh)
        with running_streamlit(script, cwd=ROOT, timeout_s=timeout_s, env=env, options=options) as server:
            yield server


# --------------------------------------------------------------------------
# Browser and the moment a page is drawn
# --------------------------------------------------------------------------

# Installed before any script of every document. It stamps, with the page's
# own clock (performance.now(), 0 = start of the navigation), the last change
# of Streamlit's script state and the last DOM change inside a Plotly chart,
# and the last pointerdown (the start of a click). Polling from Python could
# only say *when it noticed*; these stamps say when it happened.
_RECORDER = """
(() => {
  const bench = window.__bench = {state: null, stateAt: 0, plotAt: 0, runs: [], down: 0};
  const CHART = '[data-testid="stPlotlyChart"], .js-plotly-plot';
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      if (r.type === 'attributes' && r.attributeName === 'data-test-script-state') {
        const state = r.target.getAttribute('data-test-script-state');
        if (state !== bench.state) {
          bench.state = state; bench.stateAt = now; bench.runs.push([Math.round(now), state]);
        }
      } else if (bench.plotAt !== now) {
        const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        // A change inside a chart, or a whole chart added or removed (a remount).
        const moved = [...r.addedNodes, ...r.removedNodes].some(
          (n) => n.nodeType === 1 && (n.matches(CHART) || n.querySelector(CHART)));
        if ((node && node.closest(CHART)) || moved) bench.plotAt = now;
      }
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  document.addEventListener('pointerdown', () => { bench.down = performance.now(); }, true);
})();
"""

# What tests/browser_support.wait_for_app waits for (connected, script state
# notRunning, no running icon, no skeleton), plus: the script state changed
# after `since`, every chart holds a drawn Plotly figure (at least `charts`
# of them) and nothing changed for `quiet` ms. wait_for_app itself cannot be
# reused for timing: Playwright's expect() polls with a growing back-off (up
# to 1 s) and it first sleeps settle_ms.
_DRAWN = """
([since, charts, quiet]) => {
  const b = window.__bench;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!b || !app) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!(b.stateAt > since)) return false;
  const busy = '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stSkeleton"]';
  if (document.querySelector(busy)) return false;
  const boxes = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  const svg = '[data-testid="stPlotlyChart"] .js-plotly-plot .main-svg';
  const drawn = document.querySelectorAll(svg);
  const plots = new Set([...drawn].map((svg) => svg.closest('.js-plotly-plot')));
  if (plots.size < Math.max(charts, boxes.length)) return false;
  const last = Math.max(b.stateAt, b.plotAt);
  if (performance.now() - last < quiet) return false;
  const nav = performance.getEntriesByType('navigation')[0] || {};
  const started = b.runs.filter(([t, s]) => s === 'running' && t > since);
  return {
    last: last, charts: plots.size, runs: b.runs.length,
    html: nav.responseEnd || 0, dom_ready: nav.domContentLoadedEventEnd || 0,
    script_start: started.length ? started[0][0] : null, script_end: b.stateAt,
    charts_drawn: b.plotAt > since ? b.plotAt : null,
  };
}
"""


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's headless Chromium with the browser tests' flags."""
    if not CHROMIUM.exists():
        msg = f"{CHROMIUM} is missing: `bash scripts/test.sh` installs Debian's chromium"
        raise FileNotFoundError(msg)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def recording_page(browser: Browser) -> Iterator[Page]:
    """A 1600x900 page (one context: its HTTP cache persists across loads) with the recorder."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.add_init_script(_RECORDER)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def wait_drawn(page: Page, *, since: float = 0.0, charts: int = 0, timeout_ms: float = 120_000) -> dict:
    """Wait until the page is drawn (see ``_DRAWN``); its ``last`` change in page milliseconds."""
    handle = page.wait_for_function(_DRAWN, arg=[since, charts, QUIET_MS], polling=50, timeout=timeout_ms)
    return handle.json_value()


def load(page: Page, url: str, *, charts: int = 0, timeout_ms: float = 120_000) -> dict:
    """Open ``url`` and return ``{"ms": request to drawn, "charts": n}``.

    The page's clock starts with the navigation, so ``last`` is the time from
    the request to the last change on screen.
    """
    page.goto(url, wait_until="commit", timeout=timeout_ms)
    drawn = wait_drawn(page, charts=charts, timeout_ms=timeout_ms)
    return {"ms": drawn["last"], "charts": drawn["charts"], "phases": _phases(drawn, 0.0)}


def _phases(drawn: dict, start: float) -> dict:
    """Milestones of one load or interaction, in ms from its start: where the time goes.

    ``html``/``dom_ready``: the page's HTML received / parsed (loads only);
    ``script_start``: Streamlit's script state first ``running``;
    ``script_end``: its last change (``notRunning``); ``charts_drawn``: the
    last DOM change inside a Plotly chart.
    """
    keys = ("script_start", "script_end", "charts_drawn") + (("html", "dom_ready") if start == 0 else ())
    return {k: None if drawn.get(k) is None else round(drawn[k] - start, 1) for k in keys}


def press_page_link(page: Page, path: str, *, timeout_ms: float = 120_000) -> dict:
    """Press the sidebar's link to ``path``, as a person moves between pages.

    Returns ``{"ms": press to drawn, "charts": n}``: the app stays loaded
    (no new HTML, JavaScript or websocket), only the page's script runs and
    its elements are drawn.
    """
    from lib.i18n import t

    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=t(f"page_{page_name(path)}", "zh"), exact=True)
    armed = page.evaluate("performance.now()")
    link.click()
    pressed = page.evaluate("window.__bench.down")
    if pressed < armed:
        msg = f"no pointerdown recorded on the link to {page_name(path)}"
        raise RuntimeError(msg)
    drawn = wait_drawn(page, since=pressed, charts=0, timeout_ms=timeout_ms)
    if urlsplit(page.url).path.rstrip("/") != f"/{path}":
        msg = f"the link did not open /{path}: {page.url}"
        raise RuntimeError(msg)
    return {"ms": drawn["last"] - pressed, "charts": drawn["charts"], "phases": _phases(drawn, pressed)}


def pick_first_type(page: Page, *, charts: int, timeout_ms: float = 120_000) -> dict:
    """Open the sidebar's 项目类型 dropdown and press its first type, like a person.

    Returns ``{"ms": press to drawn, "charts": n}``. The first row of the
    list is Streamlit's "Select all", which would select every type; the
    first real option is the one after it.
    """
    combo = page.locator(".st-key-f_type").get_by_role("combobox")
    combo.click()
    option = page.locator('[role="option"]:not([data-key="__select_all__"])').first
    option.wait_for(state="visible", timeout=timeout_ms)
    armed = page.evaluate("performance.now()")
    option.click()
    pressed = page.evaluate("window.__bench.down")
    if pressed < armed:
        msg = "no pointerdown recorded on the option"
        raise RuntimeError(msg)
    drawn = wait_drawn(page, since=pressed, charts=0, timeout_ms=timeout_ms)
    if "type=" not in page.url:
        msg = f"the type filter did not reach the URL: {page.url}"
        raise RuntimeError(msg)
    return {
        "ms": drawn["last"] - pressed,
        "charts": drawn["charts"],
        "phases": _phases(drawn, pressed),
    }


# --------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------


def measure_renders(
    browser: Browser,
    url: str,
    paths: Sequence[str],
    *,
    repeats: int = 3,
    timeout_ms: float = 300_000,
) -> dict[str, dict]:
    """For each page path: warm-up load, then ``repeats`` timed loads.

    Returns ``{path: {"best_ms", "times_ms", "phases", "warmup_ms",
    "warmup_phases", "charts", "errors"}}`` (``phases``: see :func:`_phases`,
    of the best load).
    The warm-up's chart count is the number every timed load must draw.
    """
    results = {}
    with recording_page(browser) as page:
        for path in paths:
            target = f"{url}/{path}"
            warm = load(page, target, timeout_ms=timeout_ms)
            runs = [load(page, target, charts=warm["charts"], timeout_ms=timeout_ms) for _ in range(repeats)]
            best = min(runs, key=lambda r: r["ms"])
            results[path] = {
                "best_ms": best["ms"],
                "times_ms": [r["ms"] for r in runs],
                "phases": best["phases"],
                "warmup_ms": warm["ms"],
                "warmup_phases": warm["phases"],
                "charts": warm["charts"],
                "errors": list(page.page_errors),  # type: ignore[attr-defined]
            }
            page.page_errors.clear()  # type: ignore[attr-defined]
    return results


def measure_interactions(
    browser: Browser,
    url: str,
    paths: Sequence[str],
    *,
    repeats: int = 3,
    timeout_ms: float = 300_000,
) -> dict[str, dict]:
    """For each page path: pick the first project type, one warm-up and ``repeats`` timed.

    Each try starts from a fresh load of the page without filters (a new
    session: the URL holds the filters). Returns
    ``{path: {"best_ms", "times_ms", "phases", "warmup_ms", "charts"}}``.
    """
    results = {}
    with recording_page(browser) as page:
        for path in paths:
            target = f"{url}/{path}"
            runs, charts = [], 0
            for _ in range(repeats + 1):
                charts = load(page, target, charts=charts, timeout_ms=timeout_ms)["charts"]
                runs.append(pick_first_type(page, charts=charts, timeout_ms=timeout_ms))
            best = min(runs[1:], key=lambda r: r["ms"])
            results[path] = {
                "best_ms": best["ms"],
                "times_ms": [r["ms"] for r in runs[1:]],
                "phases": best["phases"],
                "warmup_ms": runs[0]["ms"],
                "charts": best["charts"],
            }
    return results


def measure_navigation(
    browser: Browser,
    url: str,
    paths: Sequence[str],
    *,
    repeats: int = 3,
    timeout_ms: float = 60_000,
) -> dict[str, dict]:
    """For each page but the overview: from a fresh overview, press its sidebar link.

    Information, not a target: how long a page takes when reached the way
    people move inside the app, with nothing loaded again. One warm-up and
    ``repeats`` timed tries; a try that times out is recorded in
    ``errors`` and the others still count. Returns ``{path: {"best_ms",
    "times_ms", "phases", "charts", "errors"}}``.
    """
    results = {}
    with recording_page(browser) as page:
        for path in [p for p in paths if p]:
            timed, errors = [], []
            for attempt in range(repeats + 1):  # the first is the warm-up
                load(page, f"{url}/", timeout_ms=timeout_ms)
                try:
                    run = press_page_link(page, path, timeout_ms=timeout_ms)
                except PlaywrightError as exc:
                    errors.append(str(exc).splitlines()[0])
                    continue
                if attempt:
                    timed.append(run)
            best = min(timed, key=lambda r: r["ms"]) if timed else None
            results[path] = {
                "best_ms": best["ms"] if best else None,
                "times_ms": [r["ms"] for r in timed],
                "phases": best["phases"] if best else {},
                "charts": best["charts"] if best else None,
                "errors": errors,
            }
    return results


def measure_empty(browser: Browser, *, repeats: int = 3) -> dict:
    """An empty Streamlit page, served like the app: the floor of any page."""
    with tempfile.TemporaryDirectory(prefix="bench-empty-") as tmp:
        script = Path(tmp) / "empty.py"
        script.write_text(EMPTY_APP, encoding="utf-8")
        with serve(script) as server:
            return measure_renders(browser, server.url, [""], repeats=repeats)[""]


FLOOR_LABELS = {
    "one_chart": "Floor of a page with a chart (one three-bar Plotly chart)",
    "subpage": "Floor of a page other than the first (an empty second page, streamlit#7074)",
    "subpage_chart": "Floor of a page other than the first with a chart (the same chart on a second page)",
}


def measure_floors(browser: Browser, *, repeats: int = 3) -> dict:
    """The pages of :data:`FLOOR_APPS`, each served on its own like the empty page."""
    floors = {}
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        for name, (source, path) in FLOOR_APPS.items():
            script = Path(tmp) / f"{name}.py"
            script.write_text(source, encoding="utf-8")
            with serve(script) as server:
                floors[name] = measure_renders(browser, server.url, [path], repeats=repeats)[path]
                floors[name]["label"] = FLOOR_LABELS[name]
    return floors


def measure_corpus(
    browser: Browser,
    *,
    label: str,
    data_dir: Path,
    projects: int,
    paths: Sequence[str] = PAGES,
    interaction_paths: Sequence[str] = INTERACTION_PAGES,
    repeats: int = 3,
) -> dict:
    """Renders and interactions of the app serving ``data_dir``."""
    print(f"[{label}, {projects:,} projects] server ...", file=sys.stderr, flush=True)
    with serve(APP, data_dir=data_dir) as server:
        print("  renders ...", file=sys.stderr, flush=True)
        renders = measure_renders(browser, server.url, paths, repeats=repeats)
        print("  interactions ...", file=sys.stderr, flush=True)
        interactions = measure_interactions(browser, server.url, interaction_paths, repeats=repeats)
        print("  navigation ...", file=sys.stderr, flush=True)
        navigation = measure_navigation(browser, server.url, paths, repeats=repeats)
    return {
        "label": label, "projects": projects, "renders": renders,
        "interactions": interactions, "navigation": navigation,
    }  # fmt: skip


def run(
    *,
    synthetic: int | None = 10_000,
    paths: Sequence[str] = PAGES,
    interaction_paths: Sequence[str] = INTERACTION_PAGES,
    repeats: int = 3,
    seed: int = 0,
) -> dict:
    """The whole benchmark: empty page, reference document, synthetic corpus (unless ``None``).

    Returns the results with ratios and targets; see :func:`report`.
    """
    from lib.loader import default_paths, load_documents

    warn_if_busy()
    reference_projects = load_documents(default_paths(REFERENCE)).projects.height
    started = environment()  # the load average before, not after, the measurements
    corpora = []
    with chromium() as browser:
        print("[empty page] ...", file=sys.stderr, flush=True)
        empty = measure_empty(browser, repeats=repeats)
        print("[floors: one chart, a second page] ...", file=sys.stderr, flush=True)
        floors = measure_floors(browser, repeats=repeats)
        corpora.append(
            measure_corpus(
                browser, label="reference", data_dir=REFERENCE, projects=reference_projects,
                paths=paths, interaction_paths=interaction_paths, repeats=repeats,
            )
        )  # fmt: skip
        if synthetic:
            from lib.testing.synth import write_corpus

            with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
                start = time.perf_counter()
                write_corpus(Path(tmp), synthetic, seed=seed)
                print(
                    f"  wrote {synthetic:,} projects in {time.perf_counter() - start:.1f} s",
                    file=sys.stderr,
                )
                corpora.append(
                    measure_corpus(
                        browser, label="synthetic", data_dir=Path(tmp), projects=synthetic,
                        paths=paths, interaction_paths=interaction_paths, repeats=repeats,
                    )
                )  # fmt: skip
    return _with_ratios(
        {
            "environment": started,
            "repeats": repeats,
            "quiet_ms": QUIET_MS,
            "empty": empty,
            "floors": floors,
            "corpora": corpora,
        }
    )


def _with_ratios(results: dict) -> dict:
    empty_ms = results["empty"]["best_ms"]
    for floor in results.get("floors", {}).values():
        floor["ratio"] = floor["best_ms"] / empty_ms
    for corpus in results["corpora"]:
        target = RENDER_TARGET["reference" if corpus["label"] == "reference" else "synthetic"]
        for render in corpus["renders"].values():
            render["ratio"] = render["best_ms"] / empty_ms
            render["target"] = target
            render["pass"] = render["ratio"] <= target
        for path, interaction in corpus["interactions"].items():
            render = corpus["renders"].get(path)
            interaction["render_ms"] = render["best_ms"] if render else None
            interaction["ratio"] = interaction["best_ms"] / render["best_ms"] if render else None
            interaction["target"] = INTERACTION_TARGET
            interaction["pass"] = None if render is None else interaction["ratio"] <= INTERACTION_TARGET
    return results


def warn_if_busy() -> None:
    """Say so on stderr when the machine is already busy: the timings would not be comparable."""
    load_1min, cores = os.getloadavg()[0], os.cpu_count() or 1
    if load_1min > cores:
        print(
            f"warning: load average {load_1min:.1f} on {cores} cores; other work will slow every timing",
            file=sys.stderr,
        )


def environment() -> str:
    """Commit, versions, processor count, load and date, for the table's header line.

    The load average says whether something else ran meanwhile: timings
    taken beside another busy process are not comparable.
    """
    from importlib.metadata import version

    return (
        f"commit {_commit()}, Python {platform.python_version()}, Streamlit {version('streamlit')}, "
        f"polars {version('polars')}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"load average {os.getloadavg()[0]:.1f} at {time.strftime('%Y-%m-%d %H:%M')}"
    )


def _commit() -> str:
    """The checked-out commit, with ``+changes`` when the work tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("PASS" if ok else "MISS")


def _milestones(phases: dict, keys: Sequence[str]) -> str:
    return " / ".join("–" if phases.get(k) is None else f"{phases[k]:,.0f}" for k in keys)


_LOAD_KEYS = ("html", "script_start", "script_end", "charts_drawn")
_CLICK_KEYS = ("script_start", "script_end", "charts_drawn")


def report(results: dict) -> str:
    """Markdown tables: renders against the empty page, interactions against the render."""
    empty = results["empty"]
    times = ", ".join(f"{t:,.0f}" for t in empty["times_ms"])
    milestones = _milestones(empty["phases"], _LOAD_KEYS[:3])
    out = [
        (
            f"Empty Streamlit page: {empty['best_ms']:,.0f} ms (best of {results['repeats']}; "
            f"all {times}; HTML / script start / script end: {milestones} ms)"
        ),
        *(
            f"{floor['label']}: {floor['best_ms']:,.0f} ms = {floor['ratio']:.2f}× empty "
            f"(HTML / script start / script end / last chart: {_milestones(floor['phases'], _LOAD_KEYS)} ms)"
            for floor in results.get("floors", {}).values()
        ),
        "",
        (
            "| corpus | page | charts | render ms | × empty | target | result | warm-up ms "
            "| HTML / script start / script end / last chart ms |"
        ),
        "|---|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for corpus in results["corpora"]:
        for path, r in corpus["renders"].items():
            out.append(
                f"| {corpus['label']} ({corpus['projects']:,}) | {page_name(path)} | {r['charts']} "
                f"| {r['best_ms']:,.0f} | {r['ratio']:.2f}× | ≤ {r['target']:g}× | {_verdict(r['pass'])} "
                f"| {r['warmup_ms']:,.0f} | {_milestones(r['phases'], _LOAD_KEYS)} |"
            )
    out += [
        "",
        (
            "| corpus | page | interaction ms | page render ms | × render | target | result "
            "| script start / script end / last chart ms |"
        ),
        "|---|---|---:|---:|---:|---:|---|---:|",
    ]
    for corpus in results["corpora"]:
        for path, r in corpus["interactions"].items():
            ratio = "–" if r["ratio"] is None else f"{r['ratio']:.2f}×"
            render = "–" if r["render_ms"] is None else f"{r['render_ms']:,.0f}"
            out.append(
                f"| {corpus['label']} ({corpus['projects']:,}) | {page_name(path)} | {r['best_ms']:,.0f} "
                f"| {render} | {ratio} | ≤ {r['target']:g}× | {_verdict(r['pass'])} "
                f"| {_milestones(r['phases'], _CLICK_KEYS)} |"
            )
    if any(corpus.get("navigation") for corpus in results["corpora"]):
        out += [
            "",
            "Inside the app (information, no target): from the overview, press a page's sidebar link; "
            "nothing is loaded again, only the page's script runs and its elements are drawn.",
            "",
            "| corpus | page | link to drawn ms | full load ms | script start / script end / last chart ms | errors |",
            "|---|---|---:|---:|---:|---|",
        ]
        for corpus in results["corpora"]:
            for path, r in corpus.get("navigation", {}).items():
                best = "–" if r["best_ms"] is None else f"{r['best_ms']:,.0f}"
                full = corpus["renders"].get(path, {}).get("best_ms")
                out.append(
                    f"| {corpus['label']} ({corpus['projects']:,}) | {page_name(path)} | {best} "
                    f"| {'–' if full is None else f'{full:,.0f}'} | {_milestones(r['phases'], _CLICK_KEYS) if r['phases'] else '–'} "
                    f"| {len(r['errors'])} |"
                )
    errors = [
        f"- {corpus['label']} {page_name(path)}: {e}"
        for corpus in results["corpora"]
        for path, r in corpus["renders"].items()
        for e in r["errors"]
    ]
    if errors:
        out += ["", "Uncaught errors in the browser:", *errors]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000, help="synthetic corpus size (default 10,000)")
    parser.add_argument("--reference-only", action="store_true", help="only the reference document")
    parser.add_argument("--repeats", type=int, default=3, help="timed loads after the warm-up; the best counts")
    parser.add_argument("--pages", help="comma-separated URL paths (default: all; '' is the overview)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--json",
        type=Path,
        default=OUT / "pages.json",
        help="raw results (default bench/out/pages.json)",
    )
    args = parser.parse_args(argv)

    paths = tuple(args.pages.split(",")) if args.pages is not None else PAGES
    results = run(
        synthetic=None if args.reference_only else args.projects,
        paths=paths,
        interaction_paths=[p for p in INTERACTION_PAGES if p in paths],
        repeats=args.repeats,
        seed=args.seed,
    )
    print(f"Page benchmark: best of {args.repeats} after a warm-up; {results['environment']}\n")
    print(report(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
