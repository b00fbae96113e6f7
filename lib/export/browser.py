"""One headless Chromium per server process, started on first use and kept for every PNG after it.

Starting Chromium is most of a PNG's cost (about three seconds; a render in a
running browser takes a fraction of one), so :func:`render` keeps one kaleido
session open on a thread of its own and hands it every figure. It starts on
the first request, not when the app starts, since most visits export nothing.
Requests from several sessions take turns (kaleido renders in one tab), and
a session that fails is closed, so the next request starts a fresh one;
:func:`render` then renders through a session of its own (the way every
PNG was made before), so a broken long-lived browser never costs an export.

kaleido's own persistent server (``kaleido.start_sync_server``) is not used:
when Chromium fails to start, its callers wait forever, and two threads
calling it at once can receive each other's images.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

__all__ = ["RENDER_TIMEOUT_S", "close", "is_running", "render"]

_log = logging.getLogger(__name__)

#: Longest wait for one image, in seconds (kaleido's own limit per render too).
RENDER_TIMEOUT_S = 90
# Longest wait for Chromium to start and load plotly.js.
_START_TIMEOUT_S = 60


class _Browser:
    """A kaleido session on an event loop of its own thread; every use holds the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._session: Any = None
        self._exit_registered = False

    def running(self) -> bool:
        return self._session is not None

    def render(self, jobs: Sequence[tuple[dict, dict]]) -> list[bytes]:
        """PNG bytes of each (figure, options) job, in this process' browser (started if need be)."""
        with self._lock:
            if self._session is None:
                self._open()
            future = asyncio.run_coroutine_threadsafe(_calc_all(self._session, jobs), self._loop)
            try:
                return future.result(timeout=RENDER_TIMEOUT_S * max(len(jobs), 1))
            except BaseException:
                # A browser that failed once (crashed, timed out, lost its tab) is not trusted again.
                future.cancel()
                self._close()
                raise

    def close(self) -> None:
        with self._lock:
            self._close()

    def _open(self) -> None:
        import kaleido  # imported here: starting pages need not load it

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido-browser", daemon=True)
        thread.start()

        async def start() -> Any:
            # mathjax=False: no formulas here, and no request to a CDN from the server.
            session = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT_S, mathjax=False)
            await session.open()
            return session

        self._loop, self._thread = loop, thread
        try:
            self._session = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=_START_TIMEOUT_S)
        except BaseException:
            self._close()
            raise
        if not self._exit_registered:
            # Chromium is a child process: close it when the server stops, not leave it running.
            atexit.register(self.close)
            self._exit_registered = True

    def _close(self) -> None:
        session, loop, thread = self._session, self._loop, self._thread
        self._session = self._loop = self._thread = None
        if loop is None:
            return
        if session is not None:
            try:
                asyncio.run_coroutine_threadsafe(session.close(), loop).result(timeout=10)
            except (FutureTimeout, OSError, RuntimeError) as exc:
                # Closing a browser that already died: nothing is left to close.
                _log.warning("closing the kaleido browser failed: %s", exc)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=10)
        if not loop.is_running():
            loop.close()


async def _calc_all(session: Any, jobs: Sequence[tuple[dict, dict]]) -> list[bytes]:
    return [await session.calc_fig(figure, opts=opts) for figure, opts in jobs]


_BROWSER = _Browser()


def render(jobs: Sequence[tuple[dict, dict]]) -> list[bytes]:
    """PNG bytes of each ``(figure dict, kaleido options)`` job, rendered in this process' one browser.

    The browser starts on the first call (a few seconds) and is reused by
    every later one; concurrent callers take turns. Raises what kaleido
    raised (``ChromeNotFoundError`` when there is no Chromium) after closing
    the browser, so the next call starts afresh.
    """
    return _BROWSER.render(jobs)


def is_running() -> bool:
    """Whether this process' browser is open (it opens on the first :func:`render`)."""
    return _BROWSER.running()


def close() -> None:
    """Close this process' browser (it opens again on the next :func:`render`); a no-op when closed."""
    _BROWSER.close()
