"""The corpus: the frames of a set of documents, as every part of the dashboard receives them.

:func:`lib.loader.load_documents` makes one; filters, the review, charts,
pages and exports take one. The frames' columns are declared in
:mod:`lib.schema`. The four target frames come first and are what
:meth:`Corpus.frames` gives the exports; a self-evaluation's two frames
(``results``, ``execution``) default to empty, so code that builds a corpus
of targets alone need not name them.

>>> from lib import schema
>>> empty = Corpus(*(schema.frame([], columns) for columns in (schema.DOCUMENTS, schema.PROJECTS, schema.INDICATORS, schema.DIAGNOSTICS)))
>>> list(empty.frames()), empty.projects.height, list(empty.all_frames())[4:], empty.results.height
(['documents', 'projects', 'indicators', 'diagnostics'], 0, ['results', 'execution'], 0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from lib import schema


@dataclass(frozen=True)
class Corpus:
    """The frames of a set of documents, in the schemas of :mod:`lib.schema`."""

    documents: pl.DataFrame
    projects: pl.DataFrame
    indicators: pl.DataFrame
    diagnostics: pl.DataFrame
    #: Self-evaluation tables (绩效自评表): one row per indicator, and one per project.
    results: pl.DataFrame = field(default_factory=lambda: schema.empty(schema.RESULTS))
    execution: pl.DataFrame = field(default_factory=lambda: schema.empty(schema.EXECUTION))

    def frames(self) -> dict[str, pl.DataFrame]:
        """The target frames by name, in a fixed order (for the exports)."""
        return {
            "documents": self.documents,
            "projects": self.projects,
            "indicators": self.indicators,
            "diagnostics": self.diagnostics,
        }

    def all_frames(self) -> dict[str, pl.DataFrame]:
        """Every frame by name, the target frames first (for the cache and ``--json``)."""
        return {**self.frames(), "results": self.results, "execution": self.execution}
