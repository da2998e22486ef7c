"""Mark a batch as sent: append its rows to the sync log (marts.fct_crm_sync_log) in the warehouse.

The log lives in the warehouse file `make build` publishes. A build works on a copy of that file
and renames it over the original when it passed, so a row written while a build runs would be lost
with the old file: marking takes the writer lock every writer takes (`<warehouse>.lock`,
lead_scoring.atomic.lock) and waits for a running build, backfill or export to finish; it then
waits, as long, for another program (a BI tool, a notebook) to close its DuckDB connection to the
file. Either wait ends in one line naming the holder (exit code 75) and nothing marked. Marking the
same batch (and target) twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lead_scoring.atomic.lock import connect_waiting, writer_lock
from lead_scoring.export.batch import BATCH_ROWS, read_manifest
from lead_scoring.export.changes import SYNC_LOG


def mark_sent(warehouse: Path, batch_folder: Path, targets: tuple[str, ...] = ()) -> dict[str, int]:
    """Record the batch's rows (of all its targets, or the ones named) as sent; rows added per target."""
    manifest = read_manifest(batch_folder)
    batch_id = manifest["batch_id"]
    names = targets or tuple(manifest["targets"])
    unknown = sorted(set(names) - set(manifest["targets"]))
    if unknown:
        raise SystemExit(f"batch {batch_id} has no target(s) {', '.join(unknown)}")
    rows_path = str(batch_folder / BATCH_ROWS).replace("'", "''")
    added: dict[str, int] = {}
    with (
        writer_lock(warehouse, "mark-sent"),
        connect_waiting(warehouse, "mark-sent", read_only=False) as connection,
    ):
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for name in names:
            (already,) = connection.execute(
                f"select count(*) from {SYNC_LOG} where batch_id = ? and sync_target = ?", [batch_id, name]
            ).fetchone()
            if already:
                added[name] = 0
                continue
            (count,) = connection.execute(
                f"""
                insert into {SYNC_LOG} (
                    sync_target, crm_external_id, scoring_model, lead_id, total_score, tier, is_mql,
                    top_reasons, score_as_of, batch_id, marked_sent_at
                )
                select
                    sync_target, crm_external_id, scoring_model, lead_id, total_score, tier, is_mql,
                    top_reasons, score_as_of, ?, ?
                from read_parquet('{rows_path}')
                where sync_target = ?
                """,
                [batch_id, now, name],
            ).fetchone()
            added[name] = int(count)
        connection.execute("checkpoint")
    return added
