"""Mark a batch as sent: append its rows to the sync log (marts.fct_crm_sync_log) in the warehouse.

The log lives in the warehouse file `make build` publishes. A build works on a copy of that file
and renames it over the original when it passed, so a row written while a build runs would be lost
with the old file: marking takes the build's own lock (`<warehouse>.lock`, flock, as
scripts/build_duckdb_atomically.sh does) and waits for a running build to finish. Marking the same
batch (and target) twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from lead_scoring.export.batch import BATCH_ROWS, read_manifest
from lead_scoring.export.changes import SYNC_LOG

DEFAULT_LOCK_WAIT_SECONDS = 3600


@contextmanager
def build_lock(warehouse: Path, wait_seconds: float) -> Iterator[None]:
    """Hold the exclusive build lock of `warehouse`, waiting at most wait_seconds for it."""
    lock_path = Path(f"{warehouse}.lock")
    with lock_path.open("a") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SystemExit(
                        f"a build of {warehouse} holds {lock_path}; gave up after {wait_seconds:.0f}s "
                        "(LEAD_SCORING_BUILD_LOCK_WAIT). Nothing was marked: run --mark-sent again."
                    ) from None
                time.sleep(1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def mark_sent(warehouse: Path, batch_folder: Path, targets: tuple[str, ...] = ()) -> dict[str, int]:
    """Record the batch's rows (of all its targets, or the ones named) as sent; rows added per target."""
    manifest = read_manifest(batch_folder)
    batch_id = manifest["batch_id"]
    names = targets or tuple(manifest["targets"])
    unknown = sorted(set(names) - set(manifest["targets"]))
    if unknown:
        raise SystemExit(f"batch {batch_id} has no target(s) {', '.join(unknown)}")
    wait = float(os.environ.get("LEAD_SCORING_BUILD_LOCK_WAIT", DEFAULT_LOCK_WAIT_SECONDS))
    rows_path = str(batch_folder / BATCH_ROWS).replace("'", "''")
    added: dict[str, int] = {}
    with build_lock(warehouse, wait), duckdb.connect(str(warehouse)) as connection:
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
