"""A batch: one folder under the export's --out holding the files of every target and what they carry.

    <out>/<batch_id>/
        manifest.json                 batch id, when written, the scoring date, per target: CRM,
                                      object, id field, record count, files, counts by change
        batch_rows.parquet            the rows sent (sync target, external id, lead, the synced
                                      values): what --mark-sent records in the sync log
        hubspot/contacts_batch_upsert_00001.json ...
        salesforce/Lead_upsert.csv, salesforce/job.json

The folder is written under a temporary name and renamed when complete, so a batch folder is
never half-written; the temporary folder of an export that was killed is removed by the next one
(exports run one at a time, under the warehouse's writer lock: lead_scoring.export.cli).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import duckdb

from lead_scoring.atomic.lock import process_is_alive
from lead_scoring.export import hubspot, salesforce
from lead_scoring.export.changes import Target, pending_counts, pending_sql

MANIFEST = "manifest.json"
BATCH_ROWS = "batch_rows.parquet"
WRITERS = {"hubspot": hubspot.write, "salesforce": salesforce.write}


def new_batch_id(now: dt.datetime | None = None) -> str:
    """A sortable batch id from the UTC time, e.g. 20260701T060000Z."""
    return (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")


def unused_batch_id(out: Path, now: dt.datetime | None = None) -> str:
    """new_batch_id(), with -2, -3, ... when a batch of that second exists already (two exports in
    one second, the second having waited for the first's lock)."""
    batch_id = new_batch_id(now)
    suffix = 1
    while (out / (batch_id if suffix == 1 else f"{batch_id}-{suffix}")).exists():
        suffix += 1
    return batch_id if suffix == 1 else f"{batch_id}-{suffix}"


def remove_stale_building_folders(out: Path) -> None:
    """Temporary batch folders of exports that died (their pid is in the name)."""
    for folder in out.glob(".*.building-*"):
        pid = folder.name.rpartition("-")[2]
        if pid.isdigit() and not process_is_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def write_batch(
    connection: duckdb.DuckDBPyConnection, targets: list[Target], out: Path, batch_id: str
) -> Path | None:
    """Write the pending rows of `targets` as a batch folder; None (and nothing written) when none."""
    counts = {target.name: pending_counts(connection, target.name) for target in targets}
    if not any(sum(by_reason.values()) for by_reason in counts.values()):
        return None
    folder = out / batch_id
    if folder.exists():
        raise SystemExit(f"batch folder {folder} exists already: choose another --batch-id")
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_building_folders(out)
    building = out / f".{batch_id}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir()
    try:
        manifest_targets = {}
        for target in targets:
            files = WRITERS[target.crm](connection, target, building / target.name)
            manifest_targets[target.name] = {
                "crm": target.crm,
                "crm_object": target.crm_object,
                "id_field": target.id_field,
                "records": sum(counts[target.name].values()),
                "changes": counts[target.name],
                "files": [str(path.relative_to(building)) for path in files],
            }
        union = " union all ".join(f"({pending_sql(target.name)})" for target in targets)
        rows_path = str(building / BATCH_ROWS).replace("'", "''")
        connection.execute(f"copy ({union}) to '{rows_path}' (format parquet)")
        (score_as_of,) = connection.execute(
            "select max(score_as_of) from marts.fct_crm_sync_changes"
        ).fetchone()
        manifest = {
            "batch_id": batch_id,
            "written_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "score_as_of": score_as_of.isoformat() if score_as_of else None,
            "targets": manifest_targets,
        }
        (building / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        os.replace(building, folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return folder


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file() or not (folder / BATCH_ROWS).is_file():
        raise SystemExit(f"{folder} is not an export batch (no {MANIFEST} and {BATCH_ROWS})")
    return json.loads(path.read_text(encoding="utf-8"))
