"""Ingest: every published form of a document read into records, through one grid of cell rows.

A reader per form turns a file's bytes into a :class:`lib.ingest.grid.Grid`:
rows of cells, each row with the place it came from (page or sheet, table,
row). :func:`lib.ingest.forms.read_grid` picks the reader by content, never by
the file's name, and :func:`lib.ingest.document.parse_document` parses any
grid with the cell-row parser (:mod:`.parser`), whose header rows hand each
table to the reader of its family.

Forms: :mod:`.text` (text), :mod:`.xlsx` (.xlsx), :mod:`.html`, :mod:`.pdf`,
:mod:`.docx`, :mod:`.sheets` (.xls and .ods), with :mod:`.ole` for the OLE2
container of .xls and .doc. Families: :mod:`.families` (which family a header
names, and the vocabulary they share), :mod:`.columns` (value columns),
:mod:`.budget` (budgets), :mod:`.flat`, :mod:`.horizons`, :mod:`.two_level`,
:mod:`.department`, :mod:`.unknown`; the key/value family of the reference is
read by :mod:`.parser` itself. Self-evaluations (绩效自评表) are read by
:mod:`.results` from the same rows.
"""
