"""The examples in lib/ingest's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import lib.ingest

#: The package's modules that give examples.
MODULES = sorted(
    f"lib.ingest.{path.stem}" for path in Path(lib.ingest.__file__).parent.glob("*.py") if ">>> " in path.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
