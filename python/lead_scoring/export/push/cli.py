"""``lead-scoring export --push hubspot|salesforce``: the options (added to the export's
command line) and the run: which warehouse, the dry run, the summary and the exit code.

Exit codes: 0 when every pending record got an answer (records the CRM refused are in the summary
and the journal, and are tried again by the next push); 1 when the push stopped (credentials
refused, the retry budget spent, a request the CRM cannot take); 75 when another writer holds the
warehouse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from lead_scoring.export.push import payloads
from lead_scoring.export.push.client import AccessRefused, Backoff, BudgetSpent, redact
from lead_scoring.export.push.journal import Journal
from lead_scoring.export.push.objects import BATCH_LIMITS, SyncObject, load_objects
from lead_scoring.export.push.progress import ObjectSummary
from lead_scoring.export.push.push import CrmClient, ObjectStopped, Options, print_summary, push_object
from lead_scoring.export.push.warehouse import (
    Target,
    Warehouse,
    duckdb_target,
    open_warehouse,
    target_from_profile,
)

CRMS = ("hubspot", "salesforce")
DEFAULT_RETRY_SECONDS = 900.0
DEFAULT_TIMEOUT_SECONDS = 60.0
DRY_RUN_EXAMPLES = 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "push to a CRM's API (README, Acting on scores)",
        "Write the changed rows of marts.fct_crm_sync_records into the CRM's records through its API, "
        "journaled in marts.fct_crm_push_log. Credentials only from the environment.",
    )
    group.add_argument("--push", choices=CRMS, default=None, help="push to this CRM instead of writing files")
    group.add_argument(
        "--object",
        action="append",
        default=[],
        help="only this sync object (seed crm_sync_objects, e.g. salesforce_contact); repeat for several",
    )
    group.add_argument(
        "--dbt-target", default=None, help="the profiles.yml target to read (default: the profile's, as dbt)"
    )
    group.add_argument("--profiles-dir", type=Path, default=None, help="folder of profiles.yml (as dbt)")
    group.add_argument("--project-dir", type=Path, default=Path("."), help="the dbt project (default: here)")
    group.add_argument(
        "--batch-size", type=int, default=None, help="records per request (default: the CRM's limit)"
    )
    group.add_argument(
        "--retry-seconds",
        type=float,
        default=DEFAULT_RETRY_SECONDS,
        help="how long a batch is retried (429, 5xx, timeouts) before the push stops (default %(default)s)",
    )
    group.add_argument(
        "--timeout-seconds",
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        help="how long one request may take (default %(default)s)",
    )


def new_push_id(now: dt.datetime | None = None) -> str:
    """The UTC time to the millisecond and the process id, e.g. 20260701T060000.123Z-4242."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%S") + f".{now.microsecond // 1000:03d}Z-{os.getpid()}"


def resolve_target(args: argparse.Namespace) -> Target:
    if args.duckdb is not None:
        return duckdb_target(args.duckdb)
    return target_from_profile(args.project_dir.resolve(), args.profiles_dir, args.dbt_target)


def make_client(crm: str, timeout_seconds: float) -> CrmClient:
    if crm == "hubspot":
        from lead_scoring.export.push.hubspot import HubSpotClient

        return HubSpotClient.from_environment(timeout_seconds)
    from lead_scoring.export.push.salesforce import SalesforceClient

    return SalesforceClient.from_environment(timeout_seconds)


def example_payload(sync_object: SyncObject, record: dict) -> dict:
    if sync_object.crm == "hubspot":
        values: dict = payloads.hubspot_properties(sync_object, record)
    else:
        values = payloads.salesforce_fields(sync_object, record)
    how = "update by id" if record["match_by"] == "crm_id" else f"upsert on {sync_object.external_id_field}"
    return {"record": record["crm_record_id"], "how": how, "values": values}


def dry_run(warehouse: Warehouse, crm: str, objects: list[SyncObject]) -> int:
    journal = Journal(warehouse, "dry-run")
    for sync_object in objects:
        counts = journal.counts(sync_object)
        in_flight = len(journal.in_flight(sync_object))
        line = (
            f"{sync_object.name:<20} {counts.pending:>8,} records to send (new {counts.new:,}, changed "
            f"{counts.changed:,}), unchanged {counts.unchanged:,}"
        )
        if counts.not_matchable:
            line += f", not sendable (known by no CRM id, no external id field) {counts.not_matchable:,}"
        if in_flight:
            line += f"; {in_flight:,} of an interrupted push to read back first"
        print(line)
        kept = journal.keep_pending(sync_object)
        for record in journal.page(kept, None, DRY_RUN_EXAMPLES):
            print("  " + json.dumps(example_payload(sync_object, record), sort_keys=True))
    print(f"dry run: nothing sent to {crm}, nothing written")
    return 0


def check_arguments(args: argparse.Namespace) -> None:
    if args.target:
        raise SystemExit(
            "--target names the file export's targets: with --push, name sync objects with --object"
        )
    if args.mark_sent is not None:
        raise SystemExit(
            "--mark-sent is for file batches: the push journals what the CRM acknowledged itself"
        )
    if args.batch_size is not None and args.batch_size < 1:
        raise SystemExit("--batch-size must be 1 or more")


def check_tables(warehouse: Warehouse) -> None:
    for layer, name in (
        ("seeds", "crm_sync_objects"),
        ("marts", "fct_crm_sync_records"),
        ("marts", "fct_crm_push_log"),
    ):
        relation = warehouse.relation(layer, name)
        try:
            warehouse.rows(f"select 1 as found from {relation} where 1 = 0")
        except Exception as error:  # each warehouse's driver says it its own way
            raise SystemExit(
                f"{relation} cannot be read on {warehouse.target.describe()}: run `make build` (dbt build "
                f"creates the sync tables and the push journal). {type(error).__name__}: {error}"
            ) from None


def run(args: argparse.Namespace) -> int:
    check_arguments(args)
    target = resolve_target(args)
    if args.dry_run:
        with open_warehouse(target, "push", write=False) as warehouse:
            check_tables(warehouse)
            return dry_run(warehouse, args.push, load_objects(warehouse, args.push, tuple(args.object)))
    try:
        client = make_client(args.push, args.timeout_seconds)
    except AccessRefused as refused:
        print(f"push not started: {refused.message}", file=sys.stderr)
        return 1
    push_id = new_push_id()
    backoff = Backoff(args.retry_seconds)
    options = Options(batch_size=args.batch_size)
    summaries: list[ObjectSummary] = []
    status = 0
    with open_warehouse(target, "push", write=True) as warehouse:
        check_tables(warehouse)
        objects = load_objects(warehouse, args.push, tuple(args.object))
        journal = Journal(warehouse, push_id)
        size = min(args.batch_size or BATCH_LIMITS[args.push], BATCH_LIMITS[args.push])
        print(f"push {push_id} to {args.push} from {target.describe()} ({size} records a request)")
        try:
            if objects:
                client.check_access(objects[0])
            for sync_object in objects:
                summary = ObjectSummary(sync_object.name)
                summaries.append(summary)
                try:
                    push_object(journal, client, sync_object, options, backoff, summary)
                except ObjectStopped as stopped:
                    print(f"{sync_object.name}: stopped: {stopped}", file=sys.stderr)
                    status = 1
        except (AccessRefused, BudgetSpent) as error:
            print(
                f"push stopped: {redact(error.message)}. What was acknowledged is journaled; run it again.",
                file=sys.stderr,
            )
            status = 1
        finally:
            print_summary(summaries)
            print(
                f"journal: select * from {journal.log} where push_id = '{push_id}' "
                "(failed rows carry the CRM's message)"
            )
    return status
