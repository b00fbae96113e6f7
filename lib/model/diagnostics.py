"""A diagnostic record: what the loader noticed about a file, where, and how serious, built in one place.

Every diagnostic the loader, the readers and the parser give is a dict in
the columns of :data:`lib.schema.DIAGNOSTICS`. Where it points is in its
fields (``source``: the file, or the file's page, sheet or table as
``x.pdf#第2页表1``; ``line``: the row there, or null for the whole file);
``message`` says what was noticed and nothing else. :func:`located` writes
the three as one line where a place is shown as text (the command line,
the page's error notice), so pointing a record at another place
(:func:`relocate`) changes two fields and no string.

>>> record = diagnostic(document_id="d", source="x.txt", line=3, severity="warning", code="c", text="指标没有值")
>>> record["message"], located(record["source"], record["line"], record["message"])
('指标没有值', 'x.txt:3: 指标没有值')
>>> located(**{k: v for k, v in relocate(record, source="x.pdf#第2页表1", line=5).items() if k in ("source", "line")}, text=record["message"])
'x.pdf#第2页表1:5: 指标没有值'
"""

from __future__ import annotations


def located(source: str | None, line: int | None, text: str) -> str:
    """A message with its place, as one line of text: ``source:line: text``, or ``source: text`` for a whole file."""
    if not source:
        return text
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
    """One diagnostic record (``severity`` one of :data:`lib.schema.SEVERITIES`); ``text`` becomes its message."""
    return {
        "document_id": document_id,
        "source": source,
        "line": line,
        "severity": severity,
        "code": code,
        "message": text,
        "project_id": project_id,
    }


def relocate(record: dict, *, source: str, line: int | None) -> dict:
    """Point a record at another place (the same file's page, sheet or table), in place; returns it."""
    record.update(source=source, line=line)
    return record
