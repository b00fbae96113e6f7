"""Helpers for the browser tests: a Streamlit server, Chromium, and waiting.

Playwright cannot download its own browsers on our machines, so it drives
Debian's ``/usr/bin/chromium`` (installed by ``scripts/test.sh``). The fixtures
that use these helpers live in ``conftest.py``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from playwright.sync_api import Browser, BrowserType, ConsoleMessage, Page, expect

REPO = Path(__file__).resolve().parent.parent
#: Screenshots go here (git-ignored); CI keeps them for a person to look at.
ARTIFACTS = REPO / "test-artifacts"

CHROMIUM = Path("/usr/bin/chromium")
#: Without the networking flags Chromium keeps dialling Google's hosts, which
#: our closed network refuses; --no-sandbox because tests run as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1600, "height": 900}
SERVER_START_TIMEOUT_S = 60.0
APP_RUN_TIMEOUT_MS = 30_000


def in_ci() -> bool:
    """True when ``CI`` is set to a truthy value, as CI does with ``CI=true``."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def artifact(name: str) -> Path:
    """Path for a file under ``test-artifacts/``, creating the folder.

    >>> artifact("smoke.png").name
    'smoke.png'
    """
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """True when a Streamlit server at ``url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@dataclass(frozen=True)
class RunningServer:
    """A Streamlit server started by :func:`running_streamlit`."""

    url: str
    pid: int


@contextmanager
def running_streamlit(
    script: Path,
    *,
    cwd: Path = REPO,
    timeout_s: float = SERVER_START_TIMEOUT_S,
    env: dict[str, str] | None = None,
    options: Sequence[str] = (),
    log: IO[str] | None = None,
) -> Iterator[RunningServer]:
    """Run a Streamlit script on a free 127.0.0.1 port; stop it (and all it started) on exit.

    ``app.py`` starts through ``scripts/serve.py``, as ``scripts/run-app.sh``
    does; any other script through ``streamlit run``. The server is started
    from *cwd* (so ``.streamlit/config.toml`` there applies) with ``env`` as
    its environment (default: this process'), watches no files and gets
    ``options`` as more Streamlit options. Its output goes to ``log`` (default
    a temporary file); if it does not answer ``/_stcore/health`` within
    *timeout_s*, the error holds the end of that output.
    """
    if not script.is_file():
        msg = f"{script}: no such Streamlit script"
        raise FileNotFoundError(msg)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    launcher = (
        [str(REPO / "scripts" / "serve.py")] if script == REPO / "app.py" else ["-m", "streamlit", "run", str(script)]
    )
    command = [
        sys.executable, *launcher,
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        *options,
    ]  # fmt: skip
    with ExitStack() as stack:
        # A file, not a pipe: nobody reads the output until the end, and a full
        # pipe would block the server.
        if log is None:
            log = stack.enter_context(tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace"))
        # Own process group, so stopping it also stops anything it spawned
        # (kaleido starts Chromium for image export).
        server = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

        def output() -> str:
            log.flush()
            log.seek(0)
            return log.read()[-8000:]

        try:
            deadline = time.monotonic() + timeout_s
            while not healthy(url):
                if server.poll() is not None:
                    msg = (
                        f"streamlit exited with code {server.returncode} before serving "
                        f"{url}\n$ {' '.join(command)}\n{output()}"
                    )
                    raise RuntimeError(msg)
                if time.monotonic() > deadline:
                    msg = (
                        f"streamlit did not answer {url}/_stcore/health within "
                        f"{timeout_s:.0f} s\n$ {' '.join(command)}\n{output()}"
                    )
                    raise TimeoutError(msg)
                time.sleep(0.1)
            yield RunningServer(url, server.pid)
        finally:
            _stop(server)


@contextmanager
def streamlit_server(script: Path, *, cwd: Path = REPO, timeout_s: float = SERVER_START_TIMEOUT_S) -> Iterator[str]:
    """:func:`running_streamlit` for a test: yields the server's base URL.

    >>> with streamlit_server(REPO / "app.py") as url:  # doctest: +SKIP
    ...     url
    'http://127.0.0.1:41234'
    """
    with running_streamlit(script, cwd=cwd, timeout_s=timeout_s) as server:
        yield server.url


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


# Opened at a page path such as /overview, Streamlit's frontend first probes
# /overview/_stcore/health and host-config, gets 404, then uses the root: noise
# from the framework, not an error of the app.
_STREAMLIT_PROBE_404 = re.compile(r"status of 404.*/_stcore/(health|host-config)")


def launch_chromium(chromium: BrowserType) -> Browser:
    """Launch Debian's Chromium headless with the flags our network needs."""
    return chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def new_page(browser: Browser) -> Page:
    """A page in a fresh 1600x900 context that records console errors.

    Errors logged by the page and uncaught exceptions are appended, as text, to
    ``page.console_errors`` so a test can assert the list is empty.
    """
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not _STREAMLIT_PROBE_404.search(message.text + str(message.location)):
            where = message.location.get("url", "")
            errors.append(f"console.error: {message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.console_errors = errors  # type: ignore[attr-defined]
    return page


def wait_for_app(page: Page, *, timeout_ms: int = APP_RUN_TIMEOUT_MS, settle_ms: int = 200) -> None:
    """Wait until Streamlit is connected and has finished running the script.

    Streamlit publishes its state on the root element:
    ``<div data-testid="stApp" data-test-connection-state="CONNECTED"
    data-test-script-state="notRunning">``; the script state goes
    initial -> running -> notRunning on every run. *settle_ms* first gives a
    widget interaction time to start its rerun, so call this after every
    click or input as well as after ``page.goto``.
    """
    page.wait_for_timeout(settle_ms)
    app = '[data-testid="stApp"]'
    expect(page.locator(f'{app}[data-test-connection-state="CONNECTED"]')).to_be_attached(timeout=timeout_ms)
    expect(page.locator(f'{app}[data-test-script-state="notRunning"]')).to_be_attached(timeout=timeout_ms)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=timeout_ms)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)


def screenshot_name(nodeid: str) -> str:
    """A file name for a test's screenshot.

    >>> screenshot_name("tests/test_browser_smoke.py::test_root[a/b]")
    'tests_test_browser_smoke.py_test_root_a_b_.png'
    """
    return re.sub(r"[^\w.-]+", "_", nodeid) + ".png"
