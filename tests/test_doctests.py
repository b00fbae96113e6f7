"""The examples in every lib module's docstrings run and hold (the README's test command runs them here)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[1] / "lib"
#: Every module of lib/ that gives examples, found anew on each run: a new module's examples run without a list to edit.
MODULES = sorted(
    ".".join(("lib", *path.relative_to(LIB).with_suffix("").parts))
    for path in LIB.rglob("*.py")
    if ">>> " in path.read_text(encoding="utf-8")
)


def test_the_modules_with_examples_are_found():
    assert {"lib.loader", "lib.library", "lib.filters", "lib.ingest.document", "lib.values"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
