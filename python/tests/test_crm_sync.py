"""The CRM sync cycle on the messy fixture: change set, export files, mark as sent, rebuilds.

One warehouse goes through the life of a daily sync (each step builds the models with dbt, as the
main job does):

1. first build: every scored lead is new to both targets (7 leads x 2 targets);
2. export and mark the batch as sent, rebuild with nothing changed: the change set is empty and the
   export writes nothing; the log survives `make build`'s copy-and-swap and `--full-refresh`;
3. a new demo request for L003 on the scoring date: L003 (and only L003) appears once per target,
   with its new score, tier and reasons;
4. that batch is written but never marked (the upload failed): the next build and export send
   L003 again; once marked, nothing is left;
5. L004 is dropped from the lead export: the next build's change set has it `removed` from both
   targets, values null; the export clears it (a HubSpot batch update, not an upsert) and, once
   marked, it is not sent again.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import dbt_runner
import duckdb
import pytest
from conftest import REPO, copy_fixture, run_dbt
from lead_scoring.export import cli

SCORE_AS_OF = "2026-06-30"
SYNC_MODELS = ["--select", "+fct_crm_sync_changes"]
# with the fingerprints a run keeps for the next one to see which leads left (the main job builds all)
SYNC_AND_INPUT_MODELS = ["--select", "+fct_crm_sync_changes", "int_score_history_inputs"]


def change_set(database: Path) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(
            "select sync_target, crm_external_id, total_score::varchar, tier, is_mql, top_reasons, "
            "changed_fields "
            "from marts.fct_crm_sync_changes order by all"
        ).fetchall()


def log_rows(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql("select count(*) from marts.fct_crm_sync_log").fetchone()[0]


def export(database: Path, out: Path, batch_id: str) -> Path | None:
    assert cli.main(["--duckdb", str(database), "--out", str(out), "--batch-id", batch_id]) == 0
    folder = out / batch_id
    return folder if folder.exists() else None


def mark_sent(database: Path, folder: Path) -> None:
    assert cli.main(["--duckdb", str(database), "--mark-sent", str(folder)]) == 0


def build_and_send(
    database: Path, raw: Path, out: Path, batch_id: str, models: list[str]
) -> tuple[list[tuple], Path]:
    """Build the models, export the change set as a batch and mark it as sent: (change set, batch)."""
    run_dbt(["run", *models], database, raw)
    changes = change_set(database)
    batch = export(database, out, batch_id)
    assert batch is not None
    mark_sent(database, batch)
    return changes, batch


def atomic_build(database: Path, raw: Path) -> None:
    """The main job's way: scripts/build_duckdb_atomically.sh (a copy of the file, swapped in)."""
    dbt_vars = json.dumps({"raw_data_path": str(raw), "score_as_of": SCORE_AS_OF})
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(database.parent / "target"),
        "DBT_LOG_PATH": str(database.parent / "logs"),
        "LEAD_SCORING_TARGET": "duckdb",
        "LEAD_SCORING_DUCKDB_PATH": str(database),
    }
    command = [
        str(REPO / "scripts" / "build_duckdb_atomically.sh"),
        dbt_runner.dbt_executable(),
        *SYNC_MODELS,
        "--indirect-selection",
        "cautious",
        "--exclude-resource-type",
        "unit_test",
        "--vars",
        dbt_vars,
    ]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, dbt_runner.output_tail(result)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Runs the whole cycle once and records what each step saw."""
    folder = tmp_path_factory.mktemp("crm_sync")
    raw = copy_fixture("messy", folder)
    database = folder / "warehouse.duckdb"
    out = folder / "exports"
    seen: dict[str, object] = {}

    run_dbt(["seed"], database, raw)
    seen["first"], seen["first_batch"] = build_and_send(database, raw, out, "b1", SYNC_MODELS)
    seen["logged_after_first"] = log_rows(database)
    seen["export_right_after_marking"] = export(database, out, "b1-again")

    atomic_build(database, raw)
    seen["after_rebuild"] = change_set(database)
    run_dbt(["run", "--full-refresh", *SYNC_MODELS], database, raw)
    seen["logged_after_full_refresh"] = log_rows(database)
    seen["after_full_refresh"] = change_set(database)
    seen["export_without_change"] = export(database, out, "b2")

    with (raw / "events.csv").open("a") as events:
        events.write("E900,L003,demo_request,2026-06-30T11:00:00Z,,\n")
    run_dbt(["run", *SYNC_MODELS], database, raw)
    seen["after_change"] = change_set(database)
    unmarked = export(database, out, "b3")
    seen["unmarked_batch"] = unmarked

    run_dbt(["run", *SYNC_MODELS], database, raw)
    seen["after_failed_sync"] = change_set(database)
    resent = export(database, out, "b4")
    seen["resent_batch"] = resent
    assert resent is not None
    mark_sent(database, resent)
    seen["export_after_resend_marked"] = export(database, out, "b5")
    # with the fingerprints the next run compares with, to see which leads left
    run_dbt(["run", *SYNC_AND_INPUT_MODELS], database, raw)
    seen["final"] = change_set(database)

    leads = (raw / "leads.csv").read_text().splitlines(keepends=True)
    (raw / "leads.csv").write_text("".join(line for line in leads if not line.startswith("L004,")))
    seen["after_removal"], seen["removal_batch"] = build_and_send(
        database, raw, out, "b6", SYNC_AND_INPUT_MODELS
    )
    run_dbt(["run", *SYNC_AND_INPUT_MODELS], database, raw)
    seen["after_removal_marked"] = change_set(database)
    return seen


def test_first_sync_sends_every_lead_to_every_target(synced: dict[str, object]) -> None:
    first = synced["first"]
    assert len(first) == 14
    assert {row[0] for row in first} == {"hubspot", "salesforce"}
    assert {row[6] for row in first} == {"new"}
    hubspot = {row[1]: row[2:6] for row in first if row[0] == "hubspot"}
    # rounded to whole points (var crm_sync_score_decimals 0); reasons without their points
    assert hubspot["L001"] == (
        "60.00",
        "sales_ready",
        True,
        "senior title; target industry; pricing page visits",
    )
    assert hubspot["L003"] == ("16.00", "low", False, "senior title; unsubscribed; target industry")
    assert synced["logged_after_first"] == 14


def test_second_sync_after_no_change_is_empty(synced: dict[str, object]) -> None:
    assert synced["export_right_after_marking"] is None  # the log is read even before a rebuild
    assert synced["after_rebuild"] == []
    assert synced["export_without_change"] is None


def test_the_sync_log_survives_rebuilds_and_full_refresh(synced: dict[str, object]) -> None:
    assert synced["logged_after_full_refresh"] == 14
    assert synced["after_full_refresh"] == []


def test_a_score_change_appears_exactly_once_per_target(synced: dict[str, object]) -> None:
    # L003: 16 + demo request 30 = 46, nurture; its top reasons now lead with the demo request
    assert synced["after_change"] == [
        ("hubspot", "L003", "46.00", "nurture", False, "demo request; senior title; unsubscribed",
         "total_score, tier, top_reasons"),
        ("salesforce", "L003", "46.00", "nurture", False, "demo request; senior title; unsubscribed",
         "total_score, tier, top_reasons"),
    ]  # fmt: skip


def test_a_failed_sync_is_sent_again(synced: dict[str, object]) -> None:
    assert synced["unmarked_batch"] is not None
    assert synced["after_failed_sync"] == synced["after_change"]
    resent = synced["resent_batch"]
    manifest = json.loads((resent / "manifest.json").read_text())
    assert {name: target["records"] for name, target in manifest["targets"].items()} == {
        "hubspot": 1,
        "salesforce": 1,
    }
    assert synced["export_after_resend_marked"] is None
    assert synced["final"] == []


def test_a_lead_dropped_from_the_export_is_cleared_once(synced: dict[str, object]) -> None:
    assert synced["after_removal"] == [
        ("hubspot", "L004", None, None, None, None, "removed"),
        ("salesforce", "L004", None, None, None, None, "removed"),
    ]
    batch = synced["removal_batch"]
    assert sorted(path.name for path in (batch / "hubspot").glob("*.json")) == [
        "contacts_batch_update_00001.json"
    ]
    body = json.loads((batch / "hubspot" / "contacts_batch_update_00001.json").read_text())
    assert [item["id"] for item in body["inputs"]] == ["L004"]
    assert set(body["inputs"][0]["properties"].values()) == {""}
    with (batch / "salesforce" / "Lead_upsert.csv").open(newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row.pop("Lead_Scoring_Id__c") == "L004" and set(row.values()) == {"#N/A"}
    assert synced["after_removal_marked"] == []
