"""Helpers shared by tests: the reference document and the nothing-lost audit."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from lib import taxonomy
from lib.ingest.families import is_header_label
from lib.loader import Corpus
from lib.ingest.parser import STRUCTURAL, plain_text
from lib.ingest.text import split_rows

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


def _haystack(corpus: Corpus) -> str:
    parts: list[str] = []
    for frame in corpus.frames().values():
        for column in frame.columns:
            series = frame[column].drop_nulls()
            if series.dtype == pl.Float64:
                parts.extend(f"{v:g}" for v in series.to_list())
                parts.extend(f"{v:.0f}" for v in series.to_list())
            else:
                parts.extend(str(v) for v in series.to_list())
    return "\n".join(parts)


def unaccounted_cells(text: str, corpus: Corpus) -> list[tuple[int, str]]:
    """Non-empty cells of ``text`` found in no frame field and no diagnostic."""
    haystack = _haystack(corpus)
    missing = []
    for row in split_rows(text):
        for cell in row.cells:
            if not cell:
                continue
            bare = cell.lstrip("#").strip()
            if (
                bare in STRUCTURAL
                or _STRUCTURAL_PATTERNS.match(bare)
                or taxonomy.level1_of(bare)
                or taxonomy.level2_of(bare)
                or is_header_label(bare)
                or re.fullmatch(r":?-{3,}:?", bare)
            ):
                continue
            if bare in haystack or plain_text(bare) in haystack:
                continue
            missing.append((row.line, cell))
    return missing
