"""Ingest: every published form of a document read into one grid of cell rows.

A reader per form turns a file's bytes into a :class:`lib.ingest.grid.Grid`:
rows of cells, each row with the place it came from (page or sheet, table,
row). :func:`lib.ingest.forms.read_grid` picks the reader by content, never by
the file's name, and :func:`lib.ingest.document.parse_document` parses any
grid with the cell-row parser (:mod:`lib.parser`), whose header rows hand
each table to the reader of its family.

Forms: :mod:`lib.text` (text), :mod:`lib.excel` (.xlsx), :mod:`.html`,
:mod:`.pdf`, :mod:`.docx`, :mod:`.sheets` (.xls and .ods), with :mod:`.ole`
for the OLE2 container of .xls and .doc. Families: :mod:`.families` (which
family a header names, and their shared vocabulary), :mod:`.columns`,
:mod:`.flat`, :mod:`.horizons`, :mod:`.unknown`.
"""
