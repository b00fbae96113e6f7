#!/usr/bin/env python3
"""A bounded load test: N concurrent browser sessions against the dashboard on 127.0.0.1.

The app is started the way ``scripts/run-app.sh`` starts it (``scripts/serve.py``)
on a free local port, with a copy of ``data/`` as its library
(``$BUDGET_DATA_DIR``) and a fresh disk cache (``$BUDGET_CACHE_DIR``), so the
first sessions parse the documents under load, as after a deploy. Then one
headless Chromium (Debian's ``/usr/bin/chromium``) opens ``--sessions``
browser contexts at once (a user each), each a separate
Streamlit session, and each session,
``--iterations`` times:

1. opens the overview and checks the total budget (1,088.25 万元, no filter);
2. goes to 预算分配, 指标体系 and 项目卡片 through the sidebar navigation;
3. back on the overview, picks 其他运转类（信息化运维类） in the 项目类型 filter
   and checks 3 of 15 projects and 65.92 万元, then resets the filters and
   checks 1,088.25 again;
4. opens 审核发现, builds the findings workbook and downloads it
   (``expect_download``): an .xlsx with a 审核发现 sheet.

After every step no ``stException`` and no error alert may be on the page.
Each step is timed from the click (or ``goto``) until the URL and heading
are the new page's, Streamlit's script has finished and the page's charts
are drawn. The server's resident memory (``VmRSS`` of the server process
and all its children, from ``/proc``) is sampled every half second: before
the sessions, at its peak, 5 s after each wave of sessions closes
(``--waves``: memory growing wave after wave is a leak) and ``--settle``
seconds after the last (Streamlit keeps a closed session for 120 s).
Everything is bounded: sessions × iterations × waves steps, and a hard
``--time-limit`` per wave, after which the sessions are cancelled and the
run fails.

Prints a Markdown table (per step: count, p50, p95, max seconds) and a
summary; exit status 0 only if every session saw the right totals, downloaded
its workbook, met no error and finished in time.

    .venv/bin/python bench/load.py                      # 20 sessions, 1 iteration, 300 s limit
    .venv/bin/python bench/load.py --warm-up --waves 3 --step-timeout 300 --time-limit 900   # as in bench/README.md
    .venv/bin/python bench/load.py --sessions 5 --iterations 2
    .venv/bin/python bench/load.py --json bench/out/load.json
    .venv/bin/python bench/load.py --warm-up            # steady state: one session first, then the load
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# The browser tests' server and browser settings.
if str(ROOT / "tests") not in sys.path:
    sys.path.append(str(ROOT / "tests"))
from browser_support import CHROMIUM, VIEWPORT, RunningServer, running_streamlit  # noqa: E402
from browser_support import CHROMIUM_ARGS as _TEST_ARGS  # noqa: E402

CHROMIUM_ARGS = [
    *_TEST_ARGS,
    # Many pages in one browser on a small machine: keep background ones rendering.
    "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
]  # fmt: skip

TOTAL = "1,088.25"
IT_TYPE = "其他运转类（信息化运维类）"
IT_TOTAL = "65.92"
STEPS = ("overview", "budget", "indicators", "card", "filter", "reset", "review", "download")
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
# Streamlit marks each keyed widget's container with the class st-key-<key>.
RESET_BUTTON = ".st-key-reset button"
BUILD_BUTTON = ".st-key-review_download_build button"
DOWNLOAD_BUTTON = ".st-key-review_download button"
OUT = ROOT / "bench" / "out"


# ---------------------------------------------------------------- the server's memory and CPU


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces; ppid follows it.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children[ppid].append(int(entry.name))
    return children


def _tree(pid: int) -> list[int]:
    children, found, stack = _children(), [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its descendants (and their reaped children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for current in _tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # Fields after the name: utime, stime, cutime, cstime are the 12th to 15th.
        total += sum(int(v) for v in fields[11:15])
    return total / ticks


def tree_rss_mib(pid: int) -> float:
    """VmRSS of ``pid`` and all its descendants, in MiB (0 once it is gone)."""
    children = _children()
    total_kib, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
                    break
        except OSError:
            continue
    return total_kib / 1024


class RssSampler(threading.Thread):
    """Samples the server tree's RSS every ``interval`` seconds; ``peak`` is the largest seen."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss_mib(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)


# ---------------------------------------------------------------- one session


@dataclass
class Session:
    number: int
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    totals_ok: int = 0
    downloads_ok: int = 0
    iterations_done: int = 0


async def wait_for_app(page, *, timeout_ms: int, charts: bool = False) -> None:
    """Streamlit connected, its script finished, nothing loading; with ``charts``, a Plotly chart drawn."""
    from playwright.async_api import expect

    await page.wait_for_timeout(200)  # let a click start its rerun first
    app = '[data-testid="stApp"]'
    await expect(page.locator(f'{app}[data-test-connection-state="CONNECTED"]')).to_be_attached(timeout=timeout_ms)
    await expect(page.locator(f'{app}[data-test-script-state="notRunning"]')).to_be_attached(timeout=timeout_ms)
    await expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=timeout_ms)
    await expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)
    if charts:
        await expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=timeout_ms)


async def run_session(
    browser,
    url: str,
    session: Session,
    *,
    iterations: int,
    timeout_ms: int,
    screenshots: Path | None,
    delay_s: float = 0.0,
) -> None:
    """One user's flow, in a browser context of its own."""
    from playwright.async_api import expect

    await asyncio.sleep(delay_s)
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    nav = page.get_by_test_id("stSidebarNav")

    async def step(name: str, action, *, charts: bool = False, check=None) -> None:
        start = time.perf_counter()
        await action()
        await wait_for_app(page, timeout_ms=timeout_ms, charts=charts)
        errors = await page.locator(ERRORS).count()
        if errors:
            text = (await page.locator(ERRORS).first.inner_text())[:120]
            raise AssertionError(f"{errors} error element(s) on the page: {text}")
        if check is not None:
            await check()
        session.times[name].append(time.perf_counter() - start)

    async def total_is(value: str) -> None:
        await expect(page.get_by_test_id("stMetricValue").first).to_have_text(value, timeout=timeout_ms)

    async def open_type_filter() -> None:
        await page.locator(".st-key-f_type").get_by_role("combobox").click()
        await page.get_by_role("option", name=IT_TYPE, exact=True).click()
        await url_has_type(True)
        await page.keyboard.press("Escape")

    async def reset() -> None:
        await page.locator(RESET_BUTTON).click()
        await url_has_type(False)

    async def filtered() -> None:
        await expect(page.get_by_text("显示 3 / 15 个项目")).to_be_visible(timeout=timeout_ms)
        await total_is(IT_TOTAL)

    async def download() -> None:
        # Two presses, as a user does: build the workbook, then save it.
        await page.locator(BUILD_BUTTON).click()
        await expect(page.locator(DOWNLOAD_BUTTON)).to_be_visible(timeout=timeout_ms)
        async with page.expect_download(timeout=timeout_ms) as info:
            await page.locator(DOWNLOAD_BUTTON).click()
        data = Path(await (await info.value).path()).read_bytes()
        check_workbook(data)
        session.downloads_ok += 1

    async def arrived(path: str, title: str) -> None:
        # The click's rerun must have started and ended: the URL and the heading are the new page's.
        await page.wait_for_url(lambda u: urlsplit(u).path.rstrip("/") == path, timeout=timeout_ms)
        await expect(page.locator("h1").filter(has_text=title).first).to_be_visible(timeout=timeout_ms)

    def go(label: str, path: str):
        async def action() -> None:
            await nav.get_by_text(label, exact=True).click()
            await arrived(path, label)

        return action

    async def url_has_type(present: bool) -> None:
        await page.wait_for_url(lambda u: ("type=" in u) == present, timeout=timeout_ms)

    try:
        for _ in range(iterations):
            await step("overview", lambda: page.goto(url), charts=True, check=lambda: total_is(TOTAL))
            session.totals_ok += 1
            await step("budget", go("预算分配", "/budget"), charts=True)
            await step("indicators", go("指标体系", "/indicators"), charts=True)
            await step(
                "card",
                go("项目卡片", "/card"),
                check=lambda: expect(page.get_by_text("实施周期总目标").first).to_be_visible(timeout=timeout_ms),
            )
            await go("总览", "")()
            await wait_for_app(page, timeout_ms=timeout_ms, charts=True)
            await step("filter", open_type_filter, charts=True, check=filtered)
            await step("reset", reset, charts=True, check=lambda: total_is(TOTAL))
            session.totals_ok += 1
            await step("review", go("审核发现", "/review"), charts=True)
            await step("download", download)
            session.iterations_done += 1
    except asyncio.CancelledError:
        session.errors.append("cancelled at the time limit")
        raise
    except Exception as exc:  # noqa: BLE001 - recorded per session and reported; the others go on
        where = next((name for name in STEPS if len(session.times.get(name, [])) <= session.iterations_done), "?")
        app = page.get_by_test_id("stApp")
        state = (
            f"connection {await app.get_attribute('data-test-connection-state', timeout=5000)}, "
            f"script {await app.get_attribute('data-test-script-state', timeout=5000)}, url {page.url}"
        )
        session.errors.append(f"step {where}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]} ({state})")
        if screenshots is not None:
            screenshots.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(screenshots / f"load-session-{session.number}.png"))
    finally:
        await context.close()


def check_workbook(data: bytes) -> None:
    import openpyxl

    if not data.startswith(b"PK\x03\x04"):
        raise AssertionError("the findings download is not an .xlsx file")
    names = openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    if "审核发现" not in names:
        raise AssertionError(f"the findings workbook has no 审核发现 sheet: {names}")


def niced_chromium(folder: Path, niceness: int) -> Path:
    """A launcher that runs Chromium at lower CPU priority than the server.

    The browsers share this machine with the server; in production they run
    on the users' computers. Twenty renderers at normal priority starve the
    server's threads, and the page times would measure this machine's
    scheduler, not the app.
    """
    if niceness <= 0:
        return CHROMIUM
    launcher = folder / "chromium-niced"
    launcher.write_text(f'#!/bin/sh\nexec nice -n {niceness} {CHROMIUM} "$@"\n')
    launcher.chmod(0o755)
    return launcher


async def warm_up(url: str, *, timeout_ms: int, chromium: Path) -> None:
    """One session through every step first, so the measured ones find imports and caches done."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            session = Session(0)
            await run_session(browser, url, session, iterations=1, timeout_ms=timeout_ms, screenshots=None)
            if session.errors:
                raise RuntimeError(f"the warm-up session failed: {session.errors}")
        finally:
            await browser.close()


async def run_sessions(
    url: str,
    *,
    sessions: list[Session],
    iterations: int,
    timeout_ms: int,
    limit_s: float,
    screenshots: Path | None,
    chromium: Path = CHROMIUM,
    ramp_s: float = 0.0,
) -> bool:
    """All sessions at once in one browser; False when the time limit cut them short.

    Each session is a browser context of its own (a user), with a Streamlit
    session of its own (its own websocket and session state).
    """
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            tasks = [
                asyncio.create_task(
                    run_session(
                        browser,
                        url,
                        s,
                        iterations=iterations,
                        timeout_ms=timeout_ms,
                        screenshots=screenshots,
                        delay_s=ramp_s * i / len(sessions),
                    )
                )
                for i, s in enumerate(sessions)
            ]
            done, pending = await asyncio.wait(tasks, timeout=limit_s)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            return not pending
        finally:
            await browser.close()


# ---------------------------------------------------------------- report


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: a reported time is one that happened)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def report(sessions: list[Session], *, args, wall_s: float, in_time: bool, rss: dict[str, float]) -> tuple[str, dict]:
    lines = [
        f"Load test: {args.sessions} concurrent sessions × {args.iterations} iteration(s)"
        f"{f' × {args.waves} waves one after another' if args.waves > 1 else ''}, "
        "a browser context each in one Chromium, "
        f"{'after a warm-up session' if args.warm_up else 'cold start (fresh server and disk cache)'}, "
        f"browsers at nice {args.browser_nice}, sessions started over {args.ramp:g} s, "
        f"server on 127.0.0.1 ({platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()})",
        "",
        "| step | n | p50 s | p95 s | max s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    steps = {}
    for name in STEPS:
        values = [t for s in sessions for t in s.times.get(name, [])]
        if not values:
            lines.append(f"| {name} | 0 | — | — | — |")
            continue
        steps[name] = {
            "n": len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "max": max(values),
        }
        lines.append(
            f"| {name} | {len(values)} | {steps[name]['p50']:.2f} | {steps[name]['p95']:.2f} | {max(values):.2f} |"
        )
    ok = [s for s in sessions if not s.errors and s.iterations_done == args.iterations]
    expected_totals = 2 * args.iterations
    lines += [
        "",
        f"- sessions completed without error: {len(ok)} / {len(sessions)}",
        f"- sessions that saw {TOTAL} (twice an iteration) and downloaded the workbook every iteration: "
        f"{sum(1 for s in sessions if s.totals_ok == expected_totals and s.downloads_ok == args.iterations)} / {len(sessions)}",
        f"- wall time: {wall_s:.1f} s (limit {args.time_limit:.0f} s{'' if in_time else ', HIT'}); "
        f"server CPU {rss['server_cpu_s']:.0f} s of {wall_s * (os.cpu_count() or 1):.0f} core-seconds "
        "(the browsers take most of the rest: they share the machine), "
        f"{rss['server_cpu_s'] / max(1, sum(len(t) for s in sessions for t in s.times.values())):.2f} s a step",
        f"- server RSS (server + children): before {rss['before']:.0f} MiB, peak {rss['peak']:.0f} MiB, "
        f"after {rss['after']:.0f} MiB"
        + (
            f" (after each wave of {args.sessions}: {', '.join(f'{v:.0f}' for v in rss['waves'])} MiB)"
            if len(rss["waves"]) > 1
            else ""
        )
        + (f", {args.settle:.0f} s after {rss['settled']:.0f} MiB" if "settled" in rss else ""),
    ]
    for s in sessions:
        for error in s.errors:
            lines.append(f"- session {s.number}: {error}")
    data = {
        "sessions": args.sessions, "iterations": args.iterations, "wall_s": wall_s, "in_time": in_time,
        "steps": steps, "rss_mib": rss, "completed": len(ok),
        "errors": {s.number: s.errors for s in sessions if s.errors},
    }  # fmt: skip
    return "\n".join(lines), data


def errors_in_log(text: str) -> dict[str, int]:
    """The last line of each traceback in the server's log, counted."""
    counts: dict[str, int] = defaultdict(int)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):"):
            # The exception line is the first unindented line after the traceback's frames.
            end = next((lines[j] for j in range(i + 1, len(lines)) if lines[j] and not lines[j].startswith(" ")), "?")
            counts[end[:200]] += 1
    return dict(counts)


# ---------------------------------------------------------------- main


def load(server: RunningServer, args, chromium: Path) -> tuple[list[Session], float, bool, dict]:
    """The sessions, in ``args.waves`` waves, against ``server``: sessions, wall time, in time, memory and CPU."""
    time.sleep(1)
    if args.warm_up:
        asyncio.run(warm_up(server.url, timeout_ms=int(args.step_timeout * 1000), chromium=chromium))
    rss: dict = {"before": tree_rss_mib(server.pid), "waves": []}
    cpu_before = tree_cpu_s(server.pid)
    sampler = RssSampler(server.pid)
    sampler.start()
    sessions: list[Session] = []
    start = time.perf_counter()
    in_time = True
    try:
        for _ in range(args.waves):
            wave = [Session(len(sessions) + number) for number in range(1, args.sessions + 1)]
            sessions += wave
            in_time = asyncio.run(
                run_sessions(
                    server.url, sessions=wave, iterations=args.iterations,
                    timeout_ms=int(args.step_timeout * 1000), limit_s=args.time_limit,
                    screenshots=args.screenshots, chromium=chromium, ramp_s=args.ramp,
                )
            ) and in_time  # fmt: skip
            # The sessions' websockets are closed; give the server a moment to drop them.
            time.sleep(5)
            rss["waves"].append(tree_rss_mib(server.pid))
    finally:
        sampler.stop()
    wall = time.perf_counter() - start
    rss["server_cpu_s"] = tree_cpu_s(server.pid) - cpu_before
    rss.update(peak=max(sampler.peak, rss["before"]), after=rss["waves"][-1])
    # Streamlit keeps a disconnected session (for a reconnect) for
    # server.disconnectedSessionTTL, 120 s by default: look again after it.
    if args.settle > 5:
        time.sleep(args.settle - 5)
        rss["settled"] = tree_rss_mib(server.pid)
    return sessions, wall, in_time, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    parser.add_argument("--iterations", type=int, default=1, help="times each session runs the flow (default 1)")
    parser.add_argument(
        "--time-limit", type=float, default=300, help="hard limit for all sessions, seconds (default 300)"
    )
    parser.add_argument(
        "--step-timeout", type=float, default=120, help="longest wait for one step, seconds (default 120)"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--screenshots", type=Path, help="save a screenshot of each failed session here")
    parser.add_argument(
        "--ramp",
        type=float,
        default=10,
        help="start the sessions evenly over this many seconds, as users arrive (default 10; 0: all at once)",
    )
    parser.add_argument(
        "--browser-nice",
        type=int,
        default=10,
        help="CPU niceness of the browsers, so they do not starve the server they load (default 10; 0: same priority)",
    )
    parser.add_argument(
        "--waves",
        type=int,
        default=1,
        help="run the sessions this many times one after another on the same server: memory that "
        "keeps growing wave after wave is a leak (default 1)",
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=130,
        help="seconds after the sessions close to measure memory again; Streamlit drops a closed "
        "session's state after server.disconnectedSessionTTL (120 s) (default 130; ≤5: skip)",
    )
    parser.add_argument(
        "--warm-up",
        action="store_true",
        help="run one session through every step before the measured ones (steady state instead of a cold start)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 50 or not 1 <= args.iterations <= 10 or not 1 <= args.waves <= 5:
        parser.error("keep it bounded: 1-50 sessions, 1-10 iterations, 1-5 waves")
    if not CHROMIUM.exists():
        print(f"error: {CHROMIUM} is missing (bash scripts/test.sh installs it)", file=sys.stderr)
        return 2

    # A watchdog past the time limit: whatever hangs, the run ends.
    signal.signal(signal.SIGALRM, lambda *_: os._exit(3))
    signal.alarm(int(args.waves * (args.time_limit + 10) + 120 + max(0, args.settle)))

    with tempfile.TemporaryDirectory(prefix="budget-load-") as folder:
        library, log_path = Path(folder) / "data", Path(folder) / "server.log"
        shutil.copytree(ROOT / "data", library)
        chromium = niced_chromium(Path(folder), args.browser_nice)
        # A fresh disk cache: the first sessions parse under load, as after a deploy.
        env = {**os.environ, "BUDGET_DATA_DIR": str(library), "BUDGET_CACHE_DIR": str(Path(folder) / "cache")}
        with (
            log_path.open("w+", encoding="utf-8", errors="replace") as log,
            running_streamlit(ROOT / "app.py", env=env, log=log) as server,
        ):
            sessions, wall, in_time, rss = load(server, args, chromium)
        text, data = report(sessions, args=args, wall_s=wall, in_time=in_time, rss=rss)
        print(text)
        shutil.copy(log_path, OUT / "load-server.log")
        server_errors = errors_in_log(log_path.read_text(errors="replace"))
        data["server_errors"] = server_errors
        if server_errors:
            # The pages show a redacted error (showErrorDetails = "none"): the server log has it.
            print("\nUncaught exceptions in the server log:")
            for line, count in server_errors.items():
                print(f"- {count} × {line}")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    signal.alarm(0)
    good = in_time and all(not s.errors and s.iterations_done == args.iterations for s in sessions)
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
