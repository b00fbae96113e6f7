"""The corpus: the four frames of a set of documents, as every part of the dashboard receives them.

:func:`lib.loader.load_documents` makes one; filters, the review, charts,
pages and exports take one. The frames' columns are declared in
:mod:`lib.schema`.

>>> from lib import schema
>>> empty = Corpus(*(schema.frame([], columns) for columns in (schema.DOCUMENTS, schema.PROJECTS, schema.INDICATORS, schema.DIAGNOSTICS)))
>>> list(empty.frames()), empty.projects.height
(['documents', 'projects', 'indicators', 'diagnostics'], 0)
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Corpus:
    """The four frames of a set of documents, in the schemas of :mod:`lib.schema`."""

    documents: pl.DataFrame
    projects: pl.DataFrame
    indicators: pl.DataFrame
    diagnostics: pl.DataFrame

    def frames(self) -> dict[str, pl.DataFrame]:
        """The frames by name, in a fixed order (for exports and the CLI)."""
        return {
            "documents": self.documents,
            "projects": self.projects,
            "indicators": self.indicators,
            "diagnostics": self.diagnostics,
        }
