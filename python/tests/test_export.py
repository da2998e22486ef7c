"""The export files have the documented shapes (HubSpot batch upsert JSON, Salesforce Bulk API 2.0
upsert CSV), checked on a small warehouse made here: the seeds' real field mappings and a change
set of 250 leads, enough for three HubSpot batches (100, 100, 50).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from conftest import REPO
from lead_scoring.export import cli

SEEDS = REPO / "seeds" / "activation"
LEADS = 250
HUBSPOT_INPUT_KEYS = {"id", "idProperty", "properties"}


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "w.duckdb")


def make_warehouse(database: Path) -> Path:
    """A warehouse holding only what the export reads: the sync seeds, a change set, an empty log."""
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema seeds; create schema marts")
        for seed in ("crm_sync_targets", "crm_sync_field_mappings"):
            connection.execute(
                f"create table seeds.{seed} as "
                f"select * from read_csv('{SEEDS / seed}.csv', all_varchar = true)"
            )
        # lead 1 has no reasons (null) and a fractional score; odd leads are MQLs
        connection.execute(f"""
            create table marts.fct_crm_sync_changes as
            select
                target.sync_target, target.crm,
                'X-' || lpad(n::varchar, 4, '0') as crm_external_id, 'default' as scoring_model,
                'L' || lpad(n::varchar, 4, '0') as lead_id,
                case when n = 1 then 61.5 else n % 90 end::decimal(18, 2) as total_score,
                case when n % 2 = 1 then 'sales_ready' else 'low' end as tier,
                n % 2 = 1 as is_mql,
                case when n = 1 then null else 'demo request; senior title, "VP"' end as top_reasons,
                date '2026-06-30' as score_as_of, 'new' as changed_fields,
                null::varchar as last_sent_batch_id, null::timestamp as last_sent_at,
                null::decimal(18, 2) as last_sent_total_score, null::varchar as last_sent_tier,
                null::boolean as last_sent_is_mql, null::varchar as last_sent_top_reasons
            from range(1, {LEADS + 1}) as numbers(n)
            cross join seeds.crm_sync_targets as target
        """)
        connection.execute("""
            create table marts.fct_crm_sync_log as
            select sync_target, crm_external_id, scoring_model, lead_id, total_score, tier, is_mql,
                top_reasons, score_as_of, ''::varchar as batch_id, now()::timestamp as marked_sent_at
            from marts.fct_crm_sync_changes limit 0
        """)
    return database


def mappings(target: str) -> dict[str, str]:
    with (SEEDS / "crm_sync_field_mappings.csv").open(newline="") as handle:
        return {
            row["source_field"]: row["crm_field"]
            for row in csv.DictReader(handle)
            if row["sync_target"] == target
        }


def test_dry_run_prints_counts_and_writes_nothing(warehouse: Path, tmp_path: Path, capsys) -> None:
    assert cli.main(["--duckdb", str(warehouse), "--out", str(tmp_path / "out"), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "hubspot" in printed and "250 records to upsert (new: 250)" in printed
    assert not (tmp_path / "out").exists()


def test_hubspot_batches_have_the_batch_upsert_shape(warehouse: Path, tmp_path: Path) -> None:
    assert cli.main(["--duckdb", str(warehouse), "--out", str(tmp_path), "--batch-id", "b"]) == 0
    files = sorted((tmp_path / "b" / "hubspot").glob("*.json"))
    assert [path.name for path in files] == [f"contacts_batch_upsert_0000{i}.json" for i in (1, 2, 3)]
    mapping = mappings("hubspot")
    properties = {crm for source, crm in mapping.items() if source != "crm_external_id"}
    inputs = []
    for path in files:
        body = json.loads(path.read_text())
        assert set(body) == {"inputs"}
        assert 1 <= len(body["inputs"]) <= 100
        inputs += body["inputs"]
    assert [len(json.loads(path.read_text())["inputs"]) for path in files] == [100, 100, 50]
    assert len(inputs) == LEADS and len({item["id"] for item in inputs}) == LEADS
    for item in inputs:
        assert set(item) == HUBSPOT_INPUT_KEYS
        assert item["idProperty"] == mapping["crm_external_id"] == "lead_scoring_id"
        assert set(item["properties"]) == properties
        assert all(isinstance(value, str) for value in item["properties"].values())
    first, second = inputs[0], inputs[1]
    assert first["id"] == "X-0001"
    assert first["properties"] == {
        "lead_score": "61.5",
        "lead_score_tier": "sales_ready",
        "lead_score_is_mql": "true",
        "lead_score_reasons": "",  # unknown: an empty string clears the property
        "lead_score_date": "2026-06-30",
    }
    assert second["properties"]["lead_score"] == "2"
    assert second["properties"]["lead_score_is_mql"] == "false"
    assert second["properties"]["lead_score_reasons"] == 'demo request; senior title, "VP"'


def test_salesforce_csv_has_the_bulk_api_upsert_shape(warehouse: Path, tmp_path: Path) -> None:
    assert cli.main(["--duckdb", str(warehouse), "--out", str(tmp_path), "--batch-id", "b"]) == 0
    folder = tmp_path / "b" / "salesforce"
    mapping = mappings("salesforce")
    raw = (folder / "Lead_upsert.csv").read_bytes()
    assert b"\r\n" not in raw  # lineEnding LF, as job.json says
    with (folder / "Lead_upsert.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    assert header[0] == mapping["crm_external_id"] == "Lead_Scoring_Id__c"
    assert sorted(header) == sorted(mapping.values())
    assert all(name.replace("_", "").isalnum() for name in header)  # field API names
    assert len(rows) == LEADS and all(len(row) == len(header) for row in rows)
    record = dict(zip(header, rows[0], strict=True))
    assert record == {
        "Lead_Scoring_Id__c": "X-0001",
        "Lead_Score__c": "61.5",
        "Lead_Score_Tier__c": "sales_ready",
        "Lead_Score_MQL__c": "true",
        "Lead_Score_Reasons__c": "#N/A",  # Bulk API 2.0: #N/A sets null, an empty cell changes nothing
        "Lead_Score_Date__c": "2026-06-30",
    }
    assert (
        dict(zip(header, rows[1], strict=True))["Lead_Score_Reasons__c"] == 'demo request; senior title, "VP"'
    )
    job = json.loads((folder / "job.json").read_text())
    assert job == {
        "object": "Lead",
        "operation": "upsert",
        "externalIdFieldName": "Lead_Scoring_Id__c",
        "contentType": "CSV",
        "columnDelimiter": "COMMA",
        "lineEnding": "LF",
    }


def test_manifest_and_mark_sent_of_one_target(warehouse: Path, tmp_path: Path) -> None:
    assert cli.main(["--duckdb", str(warehouse), "--out", str(tmp_path), "--batch-id", "b"]) == 0
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["batch_id"] == "b" and manifest["score_as_of"] == "2026-06-30"
    assert {name: (t["records"], t["changes"]) for name, t in manifest["targets"].items()} == {
        "hubspot": (LEADS, {"new": LEADS}),
        "salesforce": (LEADS, {"new": LEADS}),
    }
    # HubSpot accepted the batch, Salesforce's job failed: only HubSpot is marked
    assert (
        cli.main(["--duckdb", str(warehouse), "--mark-sent", str(tmp_path / "b"), "--target", "hubspot"]) == 0
    )
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        logged = connection.sql(
            "select sync_target, count(*) from marts.fct_crm_sync_log group by all"
        ).fetchall()
    assert logged == [("hubspot", LEADS)]
    assert cli.main(["--duckdb", str(warehouse), "--out", str(tmp_path), "--batch-id", "c"]) == 0
    assert not (tmp_path / "c" / "hubspot").exists()
    with (tmp_path / "c" / "salesforce" / "Lead_upsert.csv").open() as handle:
        assert sum(1 for _ in handle) == LEADS + 1


def test_a_removal_clears_the_fields_by_update_and_is_sent_once(warehouse: Path, tmp_path: Path) -> None:
    """Two leads left the input (changed_fields 'removed', values null): HubSpot gets them in a batch
    update body (never an upsert, which would create a contact HubSpot no longer has), every mapped
    property an empty string; Salesforce #N/A in every field. Once marked as sent, the log holds the
    nulls and the next export has nothing for them."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("""
            update marts.fct_crm_sync_changes
            set changed_fields = 'removed', total_score = null, tier = null, is_mql = null,
                top_reasons = null, last_sent_total_score = 40
            where lead_id in ('L0003', 'L0004')
        """)
        # the removed leads were last sent with values (what the change set's removal compares with)
        connection.execute("""
            insert into marts.fct_crm_sync_log
            select sync_target, crm_external_id, scoring_model, lead_id, 40, 'nurture', false, 'webinar',
                date '2026-06-29', 'a', timestamp '2026-06-29 06:00:00'
            from marts.fct_crm_sync_changes where changed_fields = 'removed'
        """)
    assert cli.main(["--duckdb", str(warehouse), "--out", str(tmp_path), "--batch-id", "b"]) == 0
    folder = tmp_path / "b" / "hubspot"
    assert sorted(path.name for path in folder.glob("*.json")) == [
        "contacts_batch_update_00001.json",
        *(f"contacts_batch_upsert_0000{i}.json" for i in (1, 2, 3)),
    ]
    updates = json.loads((folder / "contacts_batch_update_00001.json").read_text())["inputs"]
    properties = {crm for source, crm in mappings("hubspot").items() if source != "crm_external_id"}
    assert updates == [
        {"id": lead, "idProperty": "lead_scoring_id", "properties": dict.fromkeys(properties, "")}
        for lead in ("X-0003", "X-0004")
    ]
    upserts = [
        item["id"]
        for i in (1, 2, 3)
        for item in json.loads((folder / f"contacts_batch_upsert_0000{i}.json").read_text())["inputs"]
    ]
    assert len(upserts) == LEADS - 2 and "X-0003" not in upserts
    with (tmp_path / "b" / "salesforce" / "Lead_upsert.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["Lead_Scoring_Id__c"]: row for row in csv.DictReader(handle)}
    assert len(rows) == LEADS
    assert set(rows["X-0003"].values()) == {"X-0003", "#N/A"}
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["targets"]["hubspot"]["changes"] == {"new": LEADS - 2, "removed": 2}

    assert cli.main(["--duckdb", str(warehouse), "--mark-sent", str(tmp_path / "b")]) == 0
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        last = connection.sql("""
            select total_score, tier, is_mql, top_reasons from marts.fct_crm_sync_log
            where crm_external_id = 'X-0003' and sync_target = 'hubspot'
            order by marked_sent_at desc limit 1
        """).fetchone()
    assert last == (None, None, None, None)
    assert cli.main(["--duckdb", str(warehouse), "--out", str(tmp_path), "--batch-id", "c"]) == 0
    assert not (tmp_path / "c").exists() or not any((tmp_path / "c").rglob("*.json*"))


def test_mark_sent_waits_for_the_build_lock(warehouse: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    import fcntl

    assert cli.main(["--duckdb", str(warehouse), "--out", str(tmp_path), "--batch-id", "b"]) == 0
    monkeypatch.setenv("LEAD_SCORING_BUILD_LOCK_WAIT", "0")
    with open(f"{warehouse}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert cli.main(["--duckdb", str(warehouse), "--mark-sent", str(tmp_path / "b")]) == 75
    refused = capsys.readouterr().err
    assert refused.startswith(f"mark-sent: {warehouse} is being written by another writer; lock {lock.name}")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.sql("select count(*) from marts.fct_crm_sync_log").fetchone() == (0,)
