"""The strict CSV reader for the loader, with the very SQL the DuckDB warehouse runs.

The reader itself is written once, in ``macros/raw/strict_csv.sql`` (plain Jinja, no dbt context):
``strict_csv_records_sql`` reads a file with the contract's fixed dialect into one row per record,
``strict_csv_rows_sql`` maps the header's columns. This module renders those macros with Jinja and
applies the same checks as ``strict_csv_source`` in ``macros/raw/register_raw_sources.sql``, so
PostgreSQL (loaded through DuckDB) gets exactly the raw rows and read errors DuckDB stages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

REPO = Path(__file__).resolve().parents[3]
MACROS = REPO / "macros" / "raw" / "strict_csv.sql"

# The read errors after which no later line of the file can be trusted: the build stops.
FATAL_MULTILINE_ERRORS = ("unterminated quoted value", "malformed quoting")


class StrictCsvError(Exception):
    """A raw CSV file that cannot be read reliably; the message names the file and the line."""


@cache
def _macros():
    return jinja2.Environment(autoescape=False).from_string(MACROS.read_text()).module


def records_sql(csv_path: Path | str) -> str:
    """The DuckDB query reading ``csv_path`` into (line_number, line_count, fields, read_error)."""
    return str(_macros().strict_csv_records_sql(str(csv_path)))


def rows_sql(records_relation: str, positions: dict[str, int], header_line: int, header_fields: int) -> str:
    """The DuckDB query of the data rows of a records relation, as the contract's columns."""
    return str(_macros().strict_csv_rows_sql(records_relation, positions, header_line, header_fields))


def read_into(con, csv_path: Path, name: str, expected: tuple[str, ...], table: str) -> list[str]:
    """Reads ``csv_path`` strictly into the DuckDB table ``table`` (the expected columns, then
    raw_line_number and raw_read_error); returns its column names. Raises StrictCsvError or
    ValueError (missing columns) naming the file."""
    records = f"{table}__records"
    con.execute(f"create or replace temp table {records} as {records_sql(csv_path)}")
    header = con.execute(
        f"select line_number, read_error, fields from {records} order by line_number limit 1"
    ).fetchone()
    if header is None:
        raise StrictCsvError(
            f"Raw file {csv_path} is empty: expected a header row with the columns {', '.join(expected)}"
        )
    header_line, header_error, header_fields = header
    if header_error is not None:
        raise StrictCsvError(f"Raw file {csv_path}, line {header_line} (the header): {header_error}")
    fatal = con.execute(
        f"select line_number, line_count, read_error from {records} "
        "where line_count > 1 and read_error in (?, ?) order by line_number limit 1",
        list(FATAL_MULTILINE_ERRORS),
    ).fetchone()
    if fatal is not None:
        line, count, error = fatal
        raise StrictCsvError(
            f"Raw file {csv_path}, line {line}: {error} "
            f"(a quote opened on line {line} runs over {count} lines), so the lines after it "
            f"cannot be read reliably. Fix the quote on line {line} "
            '(a quote inside a value is written "").'
        )
    names = [(field or "").strip().lower() for field in header_fields]
    missing = [column for column in expected if column.lower() not in names]
    if missing:
        raise ValueError(
            f"Raw source '{name}' ({csv_path}) is missing the columns: {', '.join(missing)}. "
            f"Expected columns: {', '.join(expected)}. Found: {', '.join(names)}."
        )
    duplicated = [column for column in expected if names.count(column.lower()) > 1]
    if duplicated:
        raise StrictCsvError(
            f"Raw file {csv_path}, line {header_line}: the column {duplicated[0]} appears twice in the header"
        )
    positions = {column: names.index(column.lower()) + 1 for column in expected}
    rows = rows_sql(records, positions, header_line, len(names))
    con.execute(f"create or replace temp table {table} as {rows}")
    return [*expected, "raw_line_number", "raw_read_error"]
