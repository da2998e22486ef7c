"""The push of one CRM's sync objects: read back what an interrupted push left unanswered, then send
what changed, batch by batch, journaling each batch before it goes out and each answer after.

Why each change reaches the CRM once: a batch's records are written to the journal as `sending`
before the request, and as `sent` / `failed` once the CRM answered. When the answer is lost (a kill,
a timeout, a 5xx) the records stay `sending`; before sending anything, the next push (or, for a
timeout, the same push) reads them back from the CRM: those holding the values sent are `sent`
without being sent again, the others `interrupted` and sent again. A 429 means nothing was applied:
the batch waits (Retry-After) and goes again. Every retry of a batch happens within --retry-seconds.

A removal (a record of a lead that left the input) clears the record's fields: the push reads the
records from the CRM first and updates by the CRM's id only those it still has. Never an upsert,
which would create the record again; a record the CRM no longer has (deleted, or a merged id that
reads back as another record) is journaled `gone`, with nothing sent.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TextIO

from lead_scoring.export.push import payloads
from lead_scoring.export.push.client import (
    AccessRefused,
    Attempts,
    Backoff,
    BatchRejected,
    Outcome,
    OutcomeUnknown,
    RateLimited,
)
from lead_scoring.export.push.journal import Journal
from lead_scoring.export.push.objects import BATCH_LIMITS, SyncObject
from lead_scoring.export.push.progress import ObjectSummary, Progress

MATCH_ORDER = ("crm_id", "external_id")


class CrmClient(Protocol):
    crm: str

    def check_access(self, sync_object: SyncObject) -> None: ...

    def write(
        self, sync_object: SyncObject, records: list[dict[str, Any]], match_by: str
    ) -> dict[str, Outcome]: ...

    def read(
        self, sync_object: SyncObject, records: list[dict[str, Any]], match_by: str
    ) -> dict[str, tuple[str, dict[str, Any]]]: ...


class ObjectStopped(Exception):
    """The CRM refused a whole batch (a request it cannot take, e.g. a field that does not exist): the
    batch is recorded as failed and the object's other records are left for the next push."""


@dataclass(frozen=True)
class Options:
    batch_size: int | None = None
    progress_stream: TextIO | None = None


def batches(records: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [records[start : start + size] for start in range(0, len(records), size)]


def by_match(records: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    groups = [(match_by, [r for r in records if r["match_by"] == match_by]) for match_by in MATCH_ORDER]
    return [(match_by, group) for match_by, group in groups if group]


def read_records(
    client: CrmClient,
    sync_object: SyncObject,
    records: list[dict[str, Any]],
    match_by: str,
    attempts: Attempts,
) -> dict[str, tuple[str, dict[str, Any]]]:
    """The records the CRM has: crm_record_id -> (the CRM's id, its values by CRM field)."""
    while True:
        try:
            return client.read(sync_object, records, match_by)
        except RateLimited as error:
            attempts.wait(error, error.retry_after)
        except OutcomeUnknown as error:
            attempts.wait(error)


def held(
    sync_object: SyncObject, records: list[dict[str, Any]], found: dict[str, tuple[str, dict[str, Any]]]
) -> dict[str, str]:
    """The records whose values the CRM holds, of those it has (`found`, read_records'): crm_record_id
    -> the CRM's id of it."""
    return {
        record["crm_record_id"]: found[record["crm_record_id"]][0]
        for record in records
        if record["crm_record_id"] in found
        and payloads.holds(sync_object, record, found[record["crm_record_id"]][1])
    }


def send(
    client: CrmClient,
    sync_object: SyncObject,
    records: list[dict[str, Any]],
    match_by: str,
    attempts: Attempts,
) -> dict[str, Outcome]:
    """Send a batch until the CRM has answered for every record (within the retry budget)."""
    outcomes: dict[str, Outcome] = {}
    remaining = records
    while remaining:
        try:
            outcomes.update(client.write(sync_object, remaining, match_by))
            return outcomes
        except RateLimited as error:
            attempts.wait(error, error.retry_after)
        except OutcomeUnknown as error:
            attempts.wait(error)
            applied = held(
                sync_object, remaining, read_records(client, sync_object, remaining, match_by, attempts)
            )
            outcomes.update({record_id: Outcome(True, crm_id) for record_id, crm_id in applied.items()})
            remaining = [record for record in remaining if record["crm_record_id"] not in applied]
    return outcomes


def clear(
    records: list[dict[str, Any]],
    found: dict[str, tuple[str, dict[str, Any]]],
    update: Callable[[list[dict[str, Any]]], dict[str, Outcome]],
) -> dict[str, Outcome]:
    """Clear the fields of removal records: `update` (by the CRM's id) each record the CRM still has
    (`found`, read first so that nothing is created); the others are gone."""
    outcomes = {
        record["crm_record_id"]: Outcome(True, is_gone=True)
        for record in records
        if record["crm_record_id"] not in found
    }
    present = [record for record in records if record["crm_record_id"] in found]
    if present:
        by_crm_id = {found[record["crm_record_id"]][0]: record["crm_record_id"] for record in present}
        updates = [{**record, "crm_record_id": found[record["crm_record_id"]][0]} for record in present]
        for crm_id, outcome in update(updates).items():
            outcomes[by_crm_id[crm_id]] = outcome
    return outcomes


def confirm_in_flight(
    journal: Journal,
    client: CrmClient,
    sync_object: SyncObject,
    size: int,
    attempts: Callable[[str], Attempts],
    summary: ObjectSummary,
) -> None:
    """Read back the records an earlier push left `sending`: `sent` when the CRM holds their values,
    else `interrupted` (they are pending again)."""
    for match_by, group in by_match(journal.in_flight(sync_object)):
        for batch in batches(group, size):
            reading = attempts(f"{sync_object.name}: reading back")
            applied = held(sync_object, batch, read_records(client, sync_object, batch, match_by, reading))
            confirmed = [record for record in batch if record["crm_record_id"] in applied]
            journal.write(
                confirmed,
                "sent",
                {record_id: {"crm_assigned_id": crm_id} for record_id, crm_id in applied.items()},
            )
            journal.write(
                [record for record in batch if record["crm_record_id"] not in applied], "interrupted"
            )
            summary.confirmed += len(confirmed)


def record_outcomes(
    journal: Journal, records: list[dict[str, Any]], outcomes: dict[str, Outcome], summary: ObjectSummary
) -> None:
    gone = [record for record in records if outcomes[record["crm_record_id"]].is_gone]
    sent = [
        record
        for record in records
        if outcomes[record["crm_record_id"]].ok and not outcomes[record["crm_record_id"]].is_gone
    ]
    failed = [record for record in records if not outcomes[record["crm_record_id"]].ok]
    journal.write(gone, "gone")
    summary.gone += len(gone)
    journal.write(
        sent,
        "sent",
        {
            record["crm_record_id"]: {
                "crm_assigned_id": outcomes[record["crm_record_id"]].crm_assigned_id,
                "is_created": outcomes[record["crm_record_id"]].is_created,
            }
            for record in sent
        },
    )
    journal.write(
        failed,
        "failed",
        {
            record["crm_record_id"]: {
                "crm_error_code": outcomes[record["crm_record_id"]].error_code,
                "crm_error_message": outcomes[record["crm_record_id"]].error_message or "",
            }
            for record in failed
        },
    )
    for record in sent:
        if outcomes[record["crm_record_id"]].is_created:
            summary.created += 1
        else:
            summary.updated += 1
        if record.get("is_removal"):
            summary.cleared += 1
    for record in failed:
        outcome = outcomes[record["crm_record_id"]]
        code = outcome.error_code or "error"
        summary.failed[code] += 1
        summary.examples.setdefault(code, outcome.error_message or "")


def push_object(
    journal: Journal,
    client: CrmClient,
    sync_object: SyncObject,
    options: Options,
    backoff: Backoff,
    summary: ObjectSummary,
) -> None:
    """Push one object's changes, counting them in `summary`."""
    limit = BATCH_LIMITS[sync_object.crm]
    size = min(options.batch_size or limit, limit)
    try:
        confirm_in_flight(journal, client, sync_object, size, backoff.attempts, summary)
    except BatchRejected as error:
        raise ObjectStopped(f"reading back the records of an interrupted push: {error.message}") from None
    counts = journal.counts(sync_object)
    summary.records, summary.pending = counts.records, counts.pending
    summary.unchanged, summary.not_matchable = counts.unchanged, counts.not_matchable
    pending = journal.keep_pending(sync_object)
    progress = Progress(sync_object.name, counts.pending, size, options.progress_stream)
    after: str | None = None
    try:
        while page := journal.page(pending, after, size):
            after = page[-1]["crm_record_id"]
            for match_by, group in by_match(page):
                journal.write(group, "sending")
                attempts = backoff.attempts(f"{sync_object.name}: batch after {group[0]['crm_record_id']}")
                try:
                    writes = [record for record in group if not record.get("is_removal")]
                    removals = [record for record in group if record.get("is_removal")]
                    outcomes = send(client, sync_object, writes, match_by, attempts)
                    if removals:
                        found = read_records(client, sync_object, removals, match_by, attempts)
                        outcomes.update(
                            clear(
                                removals,
                                found,
                                partial(send, client, sync_object, attempts=attempts, match_by="crm_id"),
                            )
                        )
                except AccessRefused:
                    journal.write(group, "interrupted")  # refused before anything was applied
                    raise
                except BatchRejected as error:
                    refused = Outcome(False, error_code=error.code, error_message=error.message)
                    record_outcomes(journal, group, {r["crm_record_id"]: refused for r in group}, summary)
                    raise ObjectStopped(error.message) from None
                record_outcomes(journal, group, outcomes, summary)
            progress.advance(len(page))
    finally:
        progress.close()


def print_summary(summaries: list[ObjectSummary], stream: TextIO | None = None) -> None:
    for summary in summaries:
        for line in summary.lines():
            print(line, file=stream or sys.stdout)
