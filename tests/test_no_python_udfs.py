"""No Python callbacks inside polars in the app: they can hang the whole server.

Found by the load test (bench/load.py, 20 sessions): the card page translated
categories with ``map_elements``. Polars ran the lambda on its worker threads,
which wait for the GIL; another session's polars call (``to_pandas``) held the
GIL while waiting for those same workers. Every session froze, and so did the
server's event loop (starting the next script thread needs the GIL too).
py-spy showed the threads parked in rayon's ``LockLatch::wait_and_reset``.

The rule: translate with ``replace``/``replace_strict`` and a dict, or compute
in Python on ``iter_rows()``/``to_list()`` outside polars. This test reads the
source with ``ast``, so it also catches a callback added in a new page.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: polars methods that call back into Python from polars' thread pool.
CALLBACKS = frozenset({"map_elements", "map_batches", "map_rows", "map_groups", "pipe_with_schema"})


def callback_calls(source: str, *, filename: str = "<string>") -> list[str]:
    """``file:line: .method(...)`` for every call of a polars Python-callback method.

    >>> callback_calls("df.select(pl.col('a').map_elements(str))\\nx.replace({})\\n")
    ['<string>:1: .map_elements(...)']
    """
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CALLBACKS:
            found.append(f"{filename}:{node.lineno}: .{node.func.attr}(...)")
    return found


def _sources() -> list[Path]:
    return sorted([*ROOT.glob("lib/**/*.py"), *ROOT.glob("views/**/*.py"), ROOT / "app.py"])


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_polars_python_callbacks(path: Path) -> None:
    assert callback_calls(path.read_text(encoding="utf-8"), filename=str(path.relative_to(ROOT))) == []


def test_the_check_finds_a_callback() -> None:
    source = "frame.with_columns(pl.struct('a').map_elements(lambda r: r, return_dtype=pl.String))\n"
    assert callback_calls(source, filename="page.py") == ["page.py:1: .map_elements(...)"]
