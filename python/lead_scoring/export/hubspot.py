"""HubSpot contacts batch upsert: JSON request bodies for POST /crm/v3/objects/contacts/batch/upsert,
and batch update bodies for the removals.

Each file is one request body, ``{"inputs": [...]}`` with at most ``BATCH_LIMIT`` inputs (HubSpot's
limit for batch endpoints), each ``{"id": <external id>, "idProperty": <unique property>,
"properties": {<property>: <string value>, ...}}``. Values are strings, as HubSpot's API returns
and accepts them: numbers without trailing zeros (``"61"``, ``"61.5"``), booleans ``"true"`` /
``"false"``, dates ``YYYY-MM-DD``, and an empty string for an unknown value (which clears it).

A removal (``changed_fields = 'removed'``: the lead left the input) clears every mapped property,
in bodies for ``POST /crm/v3/objects/contacts/batch/update`` with the same ``id`` / ``idProperty``
inputs: an update never creates a contact (an upsert would make one for a contact HubSpot no longer
has, or for a merged id), and a contact HubSpot no longer has is an error of that request.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from lead_scoring.export.changes import Target, pending_sql

BATCH_LIMIT = 100


def sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def value_as_text(field: str) -> str:
    """SQL for a synced field as the text a CRM import expects (null stays null)."""
    if field == "total_score":
        # decimal(18, 2) as text without trailing zeros: 61.00 -> 61, 61.50 -> 61.5
        return f"regexp_replace(regexp_replace(cast({field} as varchar), '0+$', ''), '[.]$', '')"
    if field == "is_mql":
        return f"case when {field} then 'true' when not {field} then 'false' end"
    if field == "score_as_of":
        return f"strftime({field}, '%Y-%m-%d')"
    return f"cast({field} as varchar)"


def write(connection: duckdb.DuckDBPyConnection, target: Target, folder: Path) -> list[Path]:
    """Write the target's pending rows as request bodies of at most BATCH_LIMIT inputs; the files."""
    properties = ", ".join(
        f"{sql_string(crm_field)}, "
        f"case when changed_fields = 'removed' then '' else coalesce({value_as_text(source)}, '') end"
        for source, crm_field in target.fields
    )
    bodies = connection.execute(f"""
        with pending as ({pending_sql(target.name)}),
        inputs as (
            select
                changed_fields = 'removed' as is_removal,
                (
                    row_number() over (partition by changed_fields = 'removed' order by crm_external_id) - 1
                ) // {BATCH_LIMIT} as batch_number,
                crm_external_id,
                json_object(
                    'id', crm_external_id,
                    'idProperty', {sql_string(target.id_field)},
                    'properties', json_object({properties})
                ) as input
            from pending
        )
        select is_removal, batch_number, json_object('inputs', to_json(list(input order by crm_external_id)))
        from inputs
        group by is_removal, batch_number
        order by is_removal, batch_number
    """).fetchall()
    if not bodies:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for is_removal, batch_number, body in bodies:
        action = "update" if is_removal else "upsert"
        path = folder / f"{target.crm_object}_batch_{action}_{batch_number + 1:05d}.json"
        path.write_text(str(body) + "\n", encoding="utf-8")
        files.append(path)
    return files
