"""Salesforce Bulk API 2.0 upsert: the CSV job data and the job's settings.

The CSV (UTF-8, comma, LF line endings, a header row) has one column per mapped field, headed by
the field's API name, the external id field first. Values: numbers without trailing zeros,
``true`` / ``false``, dates ``YYYY-MM-DD``, and ``#N/A`` for an unknown value (Bulk API 2.0 leaves
a field unchanged when the cell is empty; ``#N/A`` sets it to null). ``job.json`` holds the body
of the create-job request (``POST /services/data/vXX.X/jobs/ingest``): object, operation
``upsert``, externalIdFieldName, contentType CSV, lineEnding LF, columnDelimiter COMMA.

A removal (``changed_fields = 'removed'``: the lead left the input) is a row of ``#N/A`` in every
mapped field, which clears them. It goes in the same upsert: it holds only the score fields, so
Salesforce cannot create a Lead or Contact from it (LastName, and a Lead's Company, are required),
and a record Salesforce no longer has is an error row of the job.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from lead_scoring.export.changes import Target, pending_sql
from lead_scoring.export.hubspot import value_as_text

NULL_VALUE = "#N/A"


def quoted_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write(connection: duckdb.DuckDBPyConnection, target: Target, folder: Path) -> list[Path]:
    """Write the target's pending rows as one upsert CSV plus job.json; the files (none when empty)."""
    (count,) = connection.execute(f"select count(*) from ({pending_sql(target.name)})").fetchone()
    if not count:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    columns = [f"crm_external_id as {quoted_identifier(target.id_field)}"] + [
        f"case when changed_fields = 'removed' then '{NULL_VALUE}' "
        f"else coalesce({value_as_text(source)}, '{NULL_VALUE}') end as {quoted_identifier(crm_field)}"
        for source, crm_field in target.fields
    ]
    csv_path = folder / f"{target.crm_object}_upsert.csv"
    escaped = str(csv_path).replace("'", "''")
    connection.execute(f"""
        copy (select {", ".join(columns)} from ({pending_sql(target.name)}) order by crm_external_id)
        to '{escaped}' (format csv, header true, delimiter ',', quote '"')
    """)
    job = {
        "object": target.crm_object,
        "operation": "upsert",
        "externalIdFieldName": target.id_field,
        "contentType": "CSV",
        "columnDelimiter": "COMMA",
        "lineEnding": "LF",
    }
    job_path = folder / "job.json"
    job_path.write_text(json.dumps(job, indent=2) + "\n", encoding="utf-8")
    return [csv_path, job_path]
