"""Escaping: document text made literal for widgets that render Markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)|@")


def md(text: str | None) -> str:
    """Document or URL text made literal for widgets that render Markdown (headers, alerts, help).

    Markdown characters are escaped, and a zero-width space goes inside
    "http", "www" and "@", which Markdown would otherwise turn into links
    even when escaped.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text or "")
    return _AUTOLINK.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:], escaped)
