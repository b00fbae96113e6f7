"""A diagnostic record: what the loader noticed about a file, where, and how serious, built in one place.

Every diagnostic the loader, the readers and the parser give is a dict in
the columns of :data:`lib.schema.DIAGNOSTICS`. Its ``message`` starts with
where it points (``file:line: `` or ``file: ``); the bare text is kept
beside it (``text``, dropped when the frame is made), so that when a row
number is turned into a place in the file (page, sheet, table) the message
is written again from its parts instead of being edited by string.

>>> record = diagnostic(document_id="d", source="x.txt", line=3, severity="warning", code="c", text="指标没有值")
>>> record["message"]
'x.txt:3: 指标没有值'
>>> relocate(record, source="x.pdf#第2页表1", line=5)["message"]
'x.pdf#第2页表1:5: 指标没有值'
"""

from __future__ import annotations


def located(source: str, line: int | None, text: str) -> str:
    """A message as the dashboard shows it: ``source:line: text``, or ``source: text`` for a whole file."""
    return f"{source}:{line}: {text}" if line else f"{source}: {text}"


def diagnostic(
    *,
    document_id: str | None,
    source: str,
    line: int | None,
    severity: str,
    code: str,
    text: str,
    project_id: str | None = None,
) -> dict:
    """One diagnostic record (``severity`` one of :data:`lib.schema.SEVERITIES`)."""
    return {
        "document_id": document_id,
        "source": source,
        "line": line,
        "severity": severity,
        "code": code,
        "message": located(source, line, text),
        "project_id": project_id,
        "text": text,
    }


def relocate(record: dict, *, source: str, line: int | None) -> dict:
    """Point a record at another place (the same file's page, sheet or table), in place; returns it."""
    record.update(source=source, line=line, message=located(source, line, record["text"]))
    return record
