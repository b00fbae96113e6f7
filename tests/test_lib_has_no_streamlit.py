"""STYLE.md rule 1: ``lib/`` never imports streamlit.

ruff's banned-api rule (pyproject.toml, run by scripts/test.sh) says the same;
this test says it too, for a pytest run without the script. It reads the
source with ``ast`` rather than importing it, so an import hidden inside a
function is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parent.parent / "lib"


def _is_streamlit(module: str | None) -> bool:
    return module is not None and (module == "streamlit" or module.startswith("streamlit."))


def streamlit_imports(source: str, *, filename: str = "<string>") -> list[str]:
    """Return ``file:line: statement`` for every import of streamlit in *source*.

    >>> streamlit_imports("import os\\nfrom streamlit import cache_data\\n")
    ['<string>:2: from streamlit import ...']
    """
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            hits = [f"import {alias.name}" for alias in node.names if _is_streamlit(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_streamlit(node.module):
            hits = [f"from {node.module} import ..."]
        else:
            continue
        found.extend(f"{filename}:{node.lineno}: {hit}" for hit in hits)
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import streamlit as st", ["<string>:1: import streamlit"]),
        ("import os, streamlit.components.v1", ["<string>:1: import streamlit.components.v1"]),
        (
            "def f():\n    from streamlit import cache_data",
            ["<string>:2: from streamlit import ..."],
        ),
        ("import streamlit_extras\nfrom .streamlit import x\nimport polars", []),
    ],
)
def test_streamlit_imports_finds_every_form(source: str, expected: list[str]) -> None:
    assert streamlit_imports(source) == expected


def test_lib_has_no_streamlit() -> None:
    files = sorted(LIB.rglob("*.py"))
    assert files, f"no Python files under {LIB}"
    offenders = [
        hit for path in files for hit in streamlit_imports(path.read_text(encoding="utf-8"), filename=str(path))
    ]
    assert not offenders, "lib/ must not import streamlit (STYLE.md rule 1):\n" + "\n".join(offenders)
