"""Text laid out before a renderer draws it: its width in ems and its lines at a given width.

Widths are estimated from the characters alone (a CJK character is 1 em, a
Latin one about 0.55), which is close enough to lay text out before a
renderer draws it: :mod:`lib.export.images` wraps captions with it,
:mod:`lib.export.deck` fits slide text, :mod:`lib.export.workbook` sizes
columns.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["char_width", "text_width", "wrap_text"]


def char_width(char: str) -> float:
    """Width of a character in ems: CJK (and ambiguous, often drawn full-width) 1, else 0.55."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 0.55


def text_width(text: str) -> float:
    """Width of ``text`` in ems of its font size (a CJK character is 1, a Latin one about 0.55).

    Examples
    --------
    >>> text_width("人代会 2026")
    5.75
    """
    return round(sum(char_width(c) for c in text), 6)


def wrap_text(text: str, *, width: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` ems, keeping its own line breaks.

    Breaks fall between any two characters (Chinese has no spaces to wait
    for), but never inside a run of Latin letters or digits shorter than a
    line, so "2026" or "95%" stays whole.

    Examples
    --------
    >>> wrap_text("市人大常委会办公室“数字人大”运维项目", width=10)
    ['市人大常委会办公室“', '数字人大”运维项目']
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0.0
        for token in re.findall(r"[A-Za-z0-9.,%]+|.", paragraph):
            w = text_width(token)
            if line and used + w > width + 1e-9:
                lines.append(line.rstrip())
                line, used = "", 0.0
                if token.isspace():
                    continue
            line += token
            used += w
        lines.append(line.rstrip())
    return lines
