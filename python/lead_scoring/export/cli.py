"""Command line of ``lead-scoring export`` (see the package docstring)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from lead_scoring.atomic.lock import WarehouseBusy, connect_waiting, writer_lock
from lead_scoring.export import batch, changes, state
from lead_scoring.export.push import cli as push_cli


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="lead-scoring export",
        description="Write the CRM change set (marts.fct_crm_sync_changes) as HubSpot and Salesforce "
        "import files, or mark a written batch as sent (files only: nothing is sent anywhere); or, "
        "with --push, write the sync tables into a CRM's records through its API.",
    )
    parser.add_argument(
        "--duckdb",
        type=Path,
        default=None,
        help="the built DuckDB warehouse (for files; --push without it reads the dbt profile's target)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("exports/crm"), help="folder of the batches (default %(default)s)"
    )
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        help="only this sync target (seed crm_sync_targets); repeat for several (default: all)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print what would be written, write nothing")
    parser.add_argument("--batch-id", default=None, help="name of the batch folder (default: UTC time)")
    parser.add_argument(
        "--mark-sent",
        type=Path,
        default=None,
        metavar="BATCH_FOLDER",
        help="record this written batch (its targets, or the --target ones) as sent in the sync log",
    )
    push_cli.add_arguments(parser)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.push is None and args.duckdb is None:
        raise SystemExit("--duckdb is required to write files or mark them sent")
    if args.duckdb is not None and not args.duckdb.is_file():
        raise SystemExit(f"{args.duckdb} does not exist: run `make build` first")
    try:
        if args.push is not None:
            return push_cli.run(args)
        return mark_sent(args) if args.mark_sent is not None else export(args)
    except WarehouseBusy as busy:
        print(busy, file=sys.stderr)
        return busy.exit_code


def mark_sent(args: argparse.Namespace) -> int:
    added = state.mark_sent(args.duckdb, args.mark_sent, tuple(args.target))
    for name, count in added.items():
        note = "" if count else " (already marked)"
        print(f"{name:<12} {count:>8,} rows marked as sent{note}")
    return 0


def export(args: argparse.Namespace) -> int:
    """Write a batch under the writer lock: one export at a time, never beside a build, backfill or
    mark (a dry run writes nothing and takes no lock)."""
    wanted = tuple(args.target)
    lock = contextlib.nullcontext() if args.dry_run else writer_lock(args.duckdb, "export")
    with lock, connect_waiting(args.duckdb, "export", read_only=True) as connection:
        targets = changes.targets(connection, wanted)
        for target in targets:
            counts = changes.pending_counts(connection, target.name)
            detail = (
                ", ".join(f"{reason}: {count:,}" for reason, count in counts.items()) or "nothing changed"
            )
            print(f"{target.name:<12} {sum(counts.values()):>8,} records to upsert ({detail})")
        if args.dry_run:
            print("dry run: no files written")
            return 0
        batch_id = args.batch_id or batch.unused_batch_id(args.out)
        folder = batch.write_batch(connection, targets, args.out, batch_id)
    if folder is None:
        print("nothing to send: no batch written")
        return 0
    print(f"wrote batch {folder}; once its files are imported, mark it as sent:")
    print(f"  lead-scoring export --duckdb {args.duckdb} --mark-sent {folder}")
    return 0
