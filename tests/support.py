"""Helpers shared by tests: the reference document and the nothing-lost audit."""

from __future__ import annotations

import re

import polars as pl
from pathlib import Path

from lib import taxonomy
from lib.ingest import families
from lib.ingest.budget import SOURCE_LABEL
from lib.ingest.families import is_header_label
from lib.loader import load_cells
from lib.model.corpus import Corpus
from lib.ingest.parser import STRUCTURAL, is_goal_marker, plain_text
from lib.ingest.text import split_rows
from lib.model.diagnostics import located

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "000_a5ef52d3e8690c0f.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Labels of the table itself (titles, goal markers, budget and header labels):
# they name a field rather than carry data, so they need no home in a frame.
_STRUCTURAL_PATTERNS = re.compile(
    r"^(#*\s*(项目(支出)?)?绩效目标(申报|批复)?表"
    r"|((19|20)\d{2}年)?(年度)?预算金额\s*[(（](万?元)[)）]"
    r"|项目资金\s*[(（]万元[)）]|年度资金总额"
    r"|实施周期总?目标|中期目标|((19|20)\d{2})?年度(绩效)?目标"
    r"|((19|20)\d{2}年?[-~至]?)+"
    r"|[（(]?(19|20)\d{2}年度?[)）]?"
    r"|.*(指标值|目标值|实际值)|指标性质|度量单位|权重|指标方向)$"
)


def rows_with_text(text: str) -> list[tuple[int, tuple[str, ...]]]:
    """(line, cells) of the text's rows with text, trailing empty cells dropped: what a sheet reader gives."""
    rows = []
    for row in split_rows(text):
        cells = list(row.cells)
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append((row.line, tuple(cells)))
    return rows


def _structural(cell: str) -> bool:
    """A label of the table itself (a key, a header, a category name): it names a field rather than fills one."""
    bare = plain_text(cell.lstrip("#").strip())
    return bool(
        is_goal_marker(bare)
        or bare in STRUCTURAL
        or _STRUCTURAL_PATTERNS.match(bare)
        or taxonomy.level1_of(bare)
        or taxonomy.level2_of(bare)
        or is_header_label(bare)
        or SOURCE_LABEL.match(families.key(bare))
        or re.fullmatch(r":?-{3,}:?", bare)
    )


def unaccounted_cells(text: str, corpus: Corpus) -> list[tuple[int, str]]:
    """Non-empty cells of ``text`` that no field was read from and no diagnostic on their line keeps.

    By position: a cell counts as read only when :func:`lib.loader.load_cells`
    names its line and column, so a value read into the wrong field, or
    another cell with the same text, does not hide a lost one. The table's
    own labels need no home, the title and preamble are the document's, and a
    cell repeating the one above it (flat tables write merged cells out) is
    that cell.
    """
    read = set(load_cells([("audit.txt", text.encode("utf-8"))]).select("line", "column").iter_rows())
    kept: dict[int, list[str]] = {}
    for line, message in corpus.diagnostics.select("line", "message").iter_rows():
        kept.setdefault(line, []).append(message)
    document = "\n".join(str(value) for value in corpus.documents.select("title", "preamble").row(0) if value)
    missing = []
    above: tuple[str, ...] = ()
    for row in split_rows(text):
        for column, cell in enumerate(row.cells, start=1):
            if not cell or (row.line, column) in read or _structural(cell):
                continue
            if column <= len(above) and above[column - 1] == cell:
                continue
            bare = cell.lstrip("#").strip()
            if any(bare in message or plain_text(bare) in message for message in kept.get(row.line, ())):
                continue
            if bare in document:
                continue
            missing.append((row.line, cell))
        if any(row.cells):
            above = row.cells
    return missing


def shown(diagnostics: pl.DataFrame) -> list[str]:
    """Each diagnostic as the command line and the page's notice write it: ``source:line: message``."""
    return [located(*row) for row in diagnostics.select("source", "line", "message").iter_rows()]
