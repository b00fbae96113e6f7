"""Ingest: every published form of a document read into one grid of cell rows.

A reader per form (text, Excel, HTML, PDF, Word) turns a file's bytes into a
:class:`lib.ingest.grid.Grid`: rows of cells, each row with the place it came
from. :func:`lib.ingest.forms.read_grid` picks the reader by content, never by
the file's name, and the cell-row parser reads every grid the same way.
"""
