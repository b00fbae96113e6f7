"""One frame as a file: CSV for Excel (UTF-8 with BOM, formula-safe) or Parquet.

Both return ``bytes``: a page hands them to a download button, the command
line writes them to a file. CSV is UTF-8 with a BOM so that Excel opens
Chinese text correctly.

Document text is data, never code: a text cell that starts with ``=``,
``+``, ``-`` or ``@`` is prefixed with ``'`` in a CSV file, so a crafted
project name cannot run as a formula (CSV/formula injection).
"""

from __future__ import annotations

import io

import polars as pl

from lib.export.naming import column_header, translate_values, unique_headers

__all__ = ["csv_bytes", "parquet_bytes"]

# Leading characters that make Excel (or LibreOffice) read a cell as a formula;
# tab and carriage return as well, per OWASP's CSV-injection advice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"


def csv_bytes(frame: pl.DataFrame, *, lang: str | None = "zh") -> bytes:
    """``frame`` as CSV for Excel: UTF-8 with BOM, headers in ``lang``, formula-safe text.

    Headers and category values (value kinds, severities) are translated with
    :mod:`lib.i18n`; ``lang=None`` keeps the schema's column names and raw
    values. A text cell starting with ``= + - @`` (or tab, CR) gets a leading
    ``'`` so that a spreadsheet shows it instead of evaluating it.

    Examples
    --------
    >>> data = csv_bytes(pl.DataFrame({"name": ["=1+1"], "budget_yuan": [5.0]}))
    >>> data.decode("utf-8-sig").splitlines()
    ['项目名称,预算（元）', "'=1+1,5.0"]
    """
    indicators = "indicator_id" in frame.columns
    shown = translate_values(frame, lang)
    text_columns = [name for name, dtype in shown.schema.items() if dtype == pl.String]
    risky = pl.col(text_columns).str.contains(_FORMULA_PATTERN) & (pl.col(text_columns).str.len_chars() > 1)
    shown = shown.with_columns(
        pl.when(risky).then(pl.lit("'") + pl.col(text_columns)).otherwise(pl.col(text_columns)).name.keep()
    )
    headers = unique_headers([column_header(name, lang, indicators=indicators) for name in shown.columns])
    shown = shown.rename(dict(zip(shown.columns, headers)))
    # Nested values (lists, structs) have no CSV form; their text does.
    nested = [name for name, dtype in shown.schema.items() if dtype.is_nested()]
    if nested:
        shown = shown.with_columns(
            pl.Series(
                name, [None if v is None else _neutralised(str(v)) for v in shown[name].to_list()], dtype=pl.String
            )
            for name in nested
        )
    return b"\xef\xbb\xbf" + shown.write_csv().encode("utf-8")


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    """``frame`` as Parquet, dtypes (enums included) as they are.

    Examples
    --------
    >>> pl.read_parquet(io.BytesIO(parquet_bytes(pl.DataFrame({"a": [1]})))).item()
    1
    """
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def _neutralised(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text, never evaluates.

    A lone "=" or "-" (a comparator, an empty mark) cannot be a formula and
    stays as written.
    """
    return "'" + value if len(value) > 1 and value.startswith(_FORMULA_START) else value
