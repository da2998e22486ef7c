"""What a sync sends: the rows of marts.fct_crm_sync_changes not already in the sync log.

dbt computes the change set at build time. A batch marked as sent after that build is in the log
but still in the mart until the next build, so the export leaves out every row whose values equal
the last ones logged for its target and external id: exporting again after marking sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

MARTS = "marts"
SEEDS = "seeds"
CHANGES = f"{MARTS}.fct_crm_sync_changes"
SYNC_LOG = f"{MARTS}.fct_crm_sync_log"
FIELD_MAPPINGS = f"{SEEDS}.crm_sync_field_mappings"
TARGETS = f"{SEEDS}.crm_sync_targets"

# The synced values, compared with the log, written to the batch and recorded when marked as sent.
SYNCED_FIELDS = ("total_score", "tier", "is_mql", "top_reasons")
# What a batch records per row (the sync log's columns but batch_id and marked_sent_at).
BATCH_COLUMNS = (
    "sync_target",
    "crm_external_id",
    "scoring_model",
    "lead_id",
    *SYNCED_FIELDS,
    "score_as_of",
    "changed_fields",
)


@dataclass(frozen=True)
class Target:
    """A sync target (seed crm_sync_targets) and its field mappings (seed crm_sync_field_mappings)."""

    name: str
    crm: str
    crm_object: str
    id_field: str  # the CRM field matched on: HubSpot's idProperty, Salesforce's external id field
    fields: tuple[tuple[str, str], ...]  # (source_field, crm_field) of the other mapped fields


def targets(connection: duckdb.DuckDBPyConnection, names: tuple[str, ...] = ()) -> list[Target]:
    """The sync targets (all, or the ones named), with their mappings in a stable order."""
    rows = connection.execute(
        f"select sync_target, crm, crm_object from {TARGETS} order by sync_target"
    ).fetchall()
    known = {row[0] for row in rows}
    unknown = sorted(set(names) - known)
    if unknown:
        raise SystemExit(
            f"unknown sync target(s) {', '.join(unknown)}; the seed crm_sync_targets has {sorted(known)}"
        )
    mappings = connection.execute(
        f"select sync_target, source_field, crm_field from {FIELD_MAPPINGS} order by sync_target, crm_field"
    ).fetchall()
    result = []
    for name, crm, crm_object in rows:
        if names and name not in names:
            continue
        mapped = [(source, crm_field) for target, source, crm_field in mappings if target == name]
        id_fields = [crm_field for source, crm_field in mapped if source == "crm_external_id"]
        if len(id_fields) != 1:
            raise SystemExit(f"sync target {name} needs one crm_external_id mapping, has {len(id_fields)}")
        fields = tuple((source, crm_field) for source, crm_field in mapped if source != "crm_external_id")
        result.append(Target(name, crm, crm_object, id_fields[0], fields))
    return result


def pending_sql(target: str) -> str:
    """Rows of the change set for `target` whose values differ from the last ones logged for it."""
    same = " and ".join(f"changes.{field} is not distinct from last_sent.{field}" for field in SYNCED_FIELDS)
    target_literal = "'" + target.replace("'", "''") + "'"
    return f"""
        with last_sent as (
            select *
            from {SYNC_LOG}
            where sync_target = {target_literal}
            qualify row_number() over (
                partition by crm_external_id order by marked_sent_at desc, batch_id desc
            ) = 1
        )
        select {", ".join(f"changes.{column}" for column in BATCH_COLUMNS)}
        from {CHANGES} as changes
        left join last_sent
            on changes.crm_external_id = last_sent.crm_external_id
        where changes.sync_target = {target_literal}
            and not (last_sent.crm_external_id is not null and {same})
        order by changes.crm_external_id
    """


def pending_counts(connection: duckdb.DuckDBPyConnection, target: str) -> dict[str, int]:
    """How many rows the target would get, by changed_fields (`new`, `total_score, tier`, ...)."""
    rows = connection.execute(
        f"select changed_fields, count(*) from ({pending_sql(target)}) group by all order by 1"
    ).fetchall()
    return {str(reason): int(count) for reason, count in rows}
