"""The sync objects (seed crm_sync_objects) and the CRM field each value goes to (seed
crm_sync_object_fields), read from the warehouse the push works on."""

from __future__ import annotations

from dataclasses import dataclass

from lead_scoring.export.push.warehouse import Warehouse

EXTERNAL_ID = "crm_external_id"
# The values of fct_crm_sync_records a field mapping can name (score_as_of aside).
VALUE_COLUMNS = (
    "total_score",
    "fit_score",
    "engagement_score",
    "fit_grade",
    "engagement_level",
    "tier",
    "is_mql",
    "priority",
    "conversion_probability",
    "top_reasons",
    "account_score",
    "account_tier",
    "is_mqa",
)
# The date is sent with every change, but a new date alone is no change (scores are dated daily).
NOT_A_CHANGE = ("score_as_of",)
RECORD_COLUMNS = (
    "sync_object",
    "crm_record_id",
    "match_by",
    "scoring_model",
    "lead_id",
    "account_id",
    *VALUE_COLUMNS,
    "score_as_of",
)
LOG_COLUMNS = (
    "push_id",
    *RECORD_COLUMNS,
    "push_status",
    "crm_assigned_id",
    "is_created",
    "crm_error_code",
    "crm_error_message",
    "logged_at",
)
# The largest batch each CRM takes: HubSpot's batch endpoints 100 inputs, Salesforce's sObject
# Collections 200 records.
BATCH_LIMITS = {"hubspot": 100, "salesforce": 200}


@dataclass(frozen=True)
class SyncObject:
    name: str
    crm: str
    crm_object: str
    record_kind: str
    scoring_model: str
    fields: tuple[tuple[str, str], ...]  # (source value, CRM field), the external id left out
    external_id_field: str | None  # the unique CRM field a person known by no CRM id is matched on

    @property
    def compared(self) -> tuple[str, ...]:
        """The values whose change makes a record pending."""
        return tuple(source for source, _ in self.fields if source not in NOT_A_CHANGE)


def load_objects(warehouse: Warehouse, crm: str, names: tuple[str, ...] = ()) -> list[SyncObject]:
    """The sync objects of `crm` (all, or the ones named), with their field mappings."""
    objects_relation = warehouse.relation("seeds", "crm_sync_objects")
    fields_relation = warehouse.relation("seeds", "crm_sync_object_fields")
    rows = warehouse.rows(
        f"select sync_object, crm, crm_object, record_kind, scoring_model from {objects_relation} "
        f"where crm = {warehouse.literal(crm)} order by sync_object"
    )
    known = {row["sync_object"] for row in rows}
    unknown = sorted(set(names) - known)
    if unknown:
        raise SystemExit(
            f"unknown {crm} sync object(s) {', '.join(unknown)}; "
            f"the seed crm_sync_objects has {sorted(known)}"
        )
    mappings = warehouse.rows(
        f"select sync_object, source_field, crm_field from {fields_relation} "
        "order by sync_object, source_field"
    )
    result = []
    for row in rows:
        if names and row["sync_object"] not in names:
            continue
        mapped = [
            (m["source_field"], m["crm_field"]) for m in mappings if m["sync_object"] == row["sync_object"]
        ]
        external = [crm_field for source, crm_field in mapped if source == EXTERNAL_ID]
        result.append(
            SyncObject(
                name=row["sync_object"],
                crm=row["crm"],
                crm_object=row["crm_object"],
                record_kind=row["record_kind"],
                scoring_model=row["scoring_model"],
                fields=tuple((source, crm_field) for source, crm_field in mapped if source != EXTERNAL_ID),
                external_id_field=external[0] if external else None,
            )
        )
    return result
