"""The push's journal (marts.fct_crm_push_log) and what it says is left to send.

A record is pending while its compared values (objects.SyncObject.compared) differ from those of
its last `sent` row, or when it has none. A removal (is_removal: the lead left the input) is done
once its null values are `sent`, or when the CRM no longer has the record (`gone`).
A record whose last row is `sending` was in a batch whose
answer was lost (the push was killed, or the CRM's answer never came): the push reads it back from
the CRM before sending anything (push.confirm_in_flight). The journal is append-only: a record's
rows are read in `logged_at` order, and this process writes increasing times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lead_scoring.export.push.objects import LOG_COLUMNS, RECORD_COLUMNS, SyncObject
from lead_scoring.export.push.warehouse import Warehouse

RECORDS = "fct_crm_sync_records"
LOG = "fct_crm_push_log"


@dataclass(frozen=True)
class Counts:
    records: int  # rows of the sync table for the object
    new: int  # pending, never sent
    changed: int  # pending, sent before with other values
    not_matchable: int  # people known by no CRM id, when the object maps no external id field

    @property
    def pending(self) -> int:
        return self.new + self.changed

    @property
    def unchanged(self) -> int:
        return self.records - self.pending - self.not_matchable


class Journal:
    def __init__(self, warehouse: Warehouse, push_id: str) -> None:
        self.warehouse = warehouse
        self.push_id = push_id
        self.records = warehouse.relation("marts", RECORDS)
        self.log = warehouse.relation("marts", LOG)
        self._last_logged_at: dt.datetime | None = None

    # ---- reading ---------------------------------------------------------------------------------------

    def _records_of(self, sync_object: SyncObject) -> str:
        where = f"sync_object = {self.warehouse.literal(sync_object.name)}"
        if sync_object.external_id_field is None:
            where += " and match_by = 'crm_id'"
        return f"select * from {self.records} where {where}"

    def pending_sql(self, sync_object: SyncObject) -> str:
        """The object's records to send, with is_new (never sent), in crm_record_id order."""
        differ = " or ".join(
            self.warehouse.differ(f"records.{column}", f"sent.{column}") for column in sync_object.compared
        )
        columns = ", ".join(f"records.{column}" for column in (*RECORD_COLUMNS, "is_removal"))
        return f"""
            with records as ({self._records_of(sync_object)}),
            sent as (
                select
                    journal_rows.*,
                    row_number() over (
                        partition by journal_rows.crm_record_id order by journal_rows.logged_at desc
                    ) as recency
                from {self.log} as journal_rows
                where journal_rows.sync_object = {self.warehouse.literal(sync_object.name)}
                    and journal_rows.push_status in ('sent', 'gone')
            )
            select {columns}, sent.crm_record_id is null as is_new
            from records
            left join sent
                on records.crm_record_id = sent.crm_record_id
                and sent.recency = 1
            where sent.crm_record_id is null{f" or {differ}" if differ else ""}
        """

    def counts(self, sync_object: SyncObject) -> Counts:
        (totals,) = self.warehouse.rows(
            f"select count(*) as records, "
            f"coalesce(sum(case when match_by = 'external_id' then 1 else 0 end), 0) as external "
            f"from {self.records} where sync_object = {self.warehouse.literal(sync_object.name)}"
        )
        (pending,) = self.warehouse.rows(
            f"select coalesce(sum(case when is_new then 1 else 0 end), 0) as new, "
            f"coalesce(sum(case when is_new then 0 else 1 end), 0) as changed "
            f"from ({self.pending_sql(sync_object)}) as pending"
        )
        not_matchable = int(totals["external"]) if sync_object.external_id_field is None else 0
        return Counts(int(totals["records"]), int(pending["new"]), int(pending["changed"]), not_matchable)

    def keep_pending(self, sync_object: SyncObject) -> str:
        """The pending records, kept in a temporary relation as they are now (the journal grows while
        they are sent); read them with page()."""
        return self.warehouse.keep(f"pending_{sync_object.name}", self.pending_sql(sync_object))

    def page(self, relation: str, after: str | None, size: int) -> list[dict[str, Any]]:
        """The next `size` records of a kept relation after crm_record_id `after`."""
        where = "" if after is None else f"where crm_record_id > {self.warehouse.literal(after)}"
        return self.warehouse.rows(
            f"select * from {relation} {where} order by crm_record_id limit {int(size)}"
        )

    def in_flight(self, sync_object: SyncObject) -> list[dict[str, Any]]:
        """The object's records whose last journal row is `sending`: their batch's answer was lost."""
        columns = ", ".join(f"latest.{column}" for column in LOG_COLUMNS)
        return self.warehouse.rows(f"""
            with latest as (
                select
                    journal_rows.*,
                    row_number() over (
                        partition by journal_rows.crm_record_id
                        order by
                            journal_rows.logged_at desc,
                            case when journal_rows.push_status = 'sending' then 0 else 1 end desc
                    ) as recency
                from {self.log} as journal_rows
                where journal_rows.sync_object = {self.warehouse.literal(sync_object.name)}
            )
            select {columns} from latest
            where latest.recency = 1 and latest.push_status = 'sending'
            order by latest.crm_record_id
        """)

    # ---- writing ---------------------------------------------------------------------------------------

    def _logged_at(self) -> dt.datetime:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if self._last_logged_at is not None and now <= self._last_logged_at:
            now = self._last_logged_at + dt.timedelta(microseconds=1)
        self._last_logged_at = now
        return now

    def write(
        self, records: Sequence[dict[str, Any]], status: str, outcomes: dict[str, dict] | None = None
    ) -> None:
        """Append one row per record with `status`; `outcomes` (by crm_record_id) adds the CRM's answer
        (crm_assigned_id, is_created, crm_error_code, crm_error_message) and may override push_id."""
        if not records:
            return
        logged_at = self._logged_at()
        rows = []
        for record in records:
            outcome = (outcomes or {}).get(record["crm_record_id"], {})
            row = {column: record.get(column) for column in RECORD_COLUMNS}
            row.update(
                push_id=outcome.get("push_id") or record.get("push_id") or self.push_id,
                push_status=status,
                crm_assigned_id=outcome.get("crm_assigned_id"),
                is_created=outcome.get("is_created"),
                crm_error_code=outcome.get("crm_error_code"),
                crm_error_message=outcome.get("crm_error_message"),
                logged_at=logged_at,
            )
            rows.append(tuple(row[column] for column in LOG_COLUMNS))
        self.warehouse.append(self.log, LOG_COLUMNS, rows)
