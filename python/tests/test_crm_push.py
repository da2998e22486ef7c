"""The push into the CRMs' records (python -m lead_scoring.export --push), against the fake CRM
(fake_crm.py: HTTPS on 127.0.0.1, HubSpot's and Salesforce's documented answers) through the real
clients (hubspot-api-client, simple-salesforce).

The warehouses are small and made here: the sync seeds from seeds/activation, and the sync table and
journal with the columns and types dbt gives them (read from the messy fixture's build), holding the
records each test needs. The routing of people and accounts to CRM records is the dbt model's, unit
tested in models/marts/activation/_activation__models.yml; the fixture's own sync table is checked
here too (leads from files: everyone by our own id).
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import REPO
from fake_crm import FakeCrm, Fault
from lead_scoring.export import cli
from lead_scoring.export.push.objects import LOG_COLUMNS, VALUE_COLUMNS

SEEDS = REPO / "seeds" / "activation"
SYNC_SEEDS = ("crm_sync_objects", "crm_sync_object_fields")
RECORD_TABLE = "marts.fct_crm_sync_records"
LOG_TABLE = "marts.fct_crm_push_log"
SCORE_DATE = dt.date(2026, 6, 30)
HUBSPOT_PERSON_FIELDS = {
    "lead_score": "total_score",
    "lead_fit_score": "fit_score",
    "lead_engagement_score": "engagement_score",
    "lead_score_tier": "tier",
    "lead_score_is_mql": "is_mql",
}


# ---- the warehouse ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def table_columns(messy_warehouse: Path) -> dict[str, list[tuple[str, str]]]:
    """(column, type) of the sync table and the journal as dbt builds them."""
    with duckdb.connect(str(messy_warehouse), read_only=True) as connection:
        return {
            table: connection.sql(f"select column_name, column_type from (describe {table})").fetchall()
            for table in (RECORD_TABLE, LOG_TABLE)
        }


def person(
    sync_object: str, record_id: str, lead_id: str, total: float = 50, match_by: str = "crm_id", **values: Any
) -> dict[str, Any]:
    crm, crm_object = {
        "hubspot_contact": ("hubspot", "contacts"),
        "salesforce_lead": ("salesforce", "Lead"),
        "salesforce_contact": ("salesforce", "Contact"),
    }[sync_object]
    return {
        "sync_object": sync_object,
        "crm": crm,
        "crm_object": crm_object,
        "crm_record_id": record_id,
        "match_by": match_by,
        "scoring_model": "default",
        "lead_id": lead_id,
        "account_id": "acme.com",
        "total_score": Decimal(str(total)),
        "fit_score": Decimal("30"),
        "engagement_score": Decimal(str(total)) - 30,
        "fit_grade": "B",
        "engagement_level": 2,
        "tier": "sales_ready" if total >= 60 else "nurture",
        "is_mql": total >= 60,
        "priority": "high",
        "conversion_probability": 0.125,
        "top_reasons": "demo request; senior title",
        "score_as_of": SCORE_DATE,
        **values,
    }


def account(sync_object: str, record_id: str, account_id: str, score: float) -> dict[str, Any]:
    crm, crm_object = {
        "hubspot_company": ("hubspot", "companies"),
        "salesforce_account": ("salesforce", "Account"),
    }[sync_object]
    return {
        "sync_object": sync_object,
        "crm": crm,
        "crm_object": crm_object,
        "crm_record_id": record_id,
        "match_by": "crm_id",
        "scoring_model": "default",
        "account_id": account_id,
        "account_score": Decimal(str(score)),
        "account_tier": "hot" if score >= 70 else "warm",
        "is_mqa": score >= 70,
        "score_as_of": SCORE_DATE,
        "account_leads_naming_record": 2,
        "account_records_named": 1,
    }


def make_warehouse(
    path: Path, columns: dict[str, list[tuple[str, str]]], records: list[dict[str, Any]]
) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema seeds; create schema marts")
        for seed in SYNC_SEEDS:
            connection.execute(
                f"create table seeds.{seed} as "
                f"select * from read_csv('{SEEDS / seed}.csv', all_varchar = true)"
            )
        for table, table_columns in columns.items():
            definition = ", ".join(f"{name} {kind}" for name, kind in table_columns)
            connection.execute(f"create table {table} ({definition})")
        set_records(connection, columns[RECORD_TABLE], records)
    return path


def set_records(
    connection: duckdb.DuckDBPyConnection, columns: list[tuple[str, str]], records: list[dict]
) -> None:
    names = [name for name, _ in columns]
    connection.execute(f"delete from {RECORD_TABLE}")
    connection.executemany(
        f"insert into {RECORD_TABLE} values ({', '.join('?' for _ in names)})",
        [[record.get(name) for name in names] for record in records],
    )


def journal(database: Path) -> list[dict[str, Any]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.sql(
            f"select {', '.join(LOG_COLUMNS)} from {LOG_TABLE} order by logged_at"
        ).fetchall()
    return [dict(zip(LOG_COLUMNS, row, strict=True)) for row in rows]


def last_status(database: Path) -> dict[tuple[str, str], str]:
    latest: dict[tuple[str, str], str] = {}
    for row in journal(database):
        latest[(row["sync_object"], row["crm_record_id"])] = row["push_status"]
    return latest


@pytest.fixture()
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "crm").mkdir()
    crm = FakeCrm(tmp_path / "crm", token=f"pat-na1-SECRET-{random.getrandbits(64):016x}")
    for name, value in crm.environment().items():
        monkeypatch.setenv(name, value)
    yield crm
    crm.close()


def push(database: Path, crm: str, *flags: str) -> int:
    return cli.main(["--duckdb", str(database), "--push", crm, "--retry-seconds", "20", *flags])


def hubspot_people(count: int, total: float = 50) -> list[dict[str, Any]]:
    return [person("hubspot_contact", f"{5000 + n}", f"L{n:03d}", total + n % 7) for n in range(count)]


def seed_hubspot(crm: FakeCrm, records: list[dict[str, Any]]) -> None:
    for record in records:
        crm.hubspot["contacts"][record["crm_record_id"]] = {"email": f"{record['lead_id']}@acme.com"}


# ---- the fixture's sync table ----------------------------------------------------------------------------


def test_people_known_by_no_crm_id_go_by_our_own_id(messy: duckdb.DuckDBPyConnection) -> None:
    """The fixture's leads come from files: no CRM knows them, so each scored lead is one record of
    the Salesforce Lead and of the HubSpot contacts, matched on our id; no contact, no account."""
    scored = {
        row[0]
        for row in messy.sql(
            "select lead_id from marts.fct_lead_scores where scoring_model = 'default'"
        ).fetchall()
    }
    rows = messy.sql(f"select sync_object, crm_record_id, match_by, lead_id from {RECORD_TABLE}").fetchall()
    assert {(row[0], row[2]) for row in rows} == {
        ("salesforce_lead", "external_id"),
        ("hubspot_contact", "external_id"),
    }
    for sync_object in ("salesforce_lead", "hubspot_contact"):
        assert sorted(row[3] for row in rows if row[0] == sync_object) == sorted(scored)
    assert all(row[1] == row[3] for row in rows)  # crm_external_id_column: lead_id
    assert messy.sql(f"select count(*) from {LOG_TABLE}").fetchone() == (0,)


def removal(sync_object: str, record_id: str, lead_id: str, match_by: str = "crm_id") -> dict[str, Any]:
    """A record of a lead that left the input (fct_crm_sync_records.is_removal): its values null."""
    record = person(sync_object, record_id, lead_id, match_by=match_by)
    record.update({column: None for column in VALUE_COLUMNS}, is_removal=True)
    return record


def test_a_lead_that_left_the_input_is_cleared_once_and_never_created_again(
    fake: FakeCrm, tmp_path: Path, table_columns: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    """Removals clear the score fields by an update of the records the CRM still has: by its id, or
    by our id read back first (an upsert would create the record again). A record the CRM no longer
    has is journaled `gone`: a HubSpot id merged into another reads back as the survivor, whose score
    is left alone; a Salesforce lead deleted there; our id that no record holds any more. The next
    push sends nothing."""
    survivor = person("hubspot_contact", "7003", "P3", 70)
    hubspot_records = [
        removal("hubspot_contact", "7001", "P1"),
        removal("hubspot_contact", "7002", "P2"),  # merged into 7003 in HubSpot
        survivor,
        removal("hubspot_contact", "L050", "L050", match_by="external_id"),
        removal("hubspot_contact", "L051", "L051", match_by="external_id"),  # no contact holds it
    ]
    scored = {"lead_score": "44", "lead_score_tier": "nurture", "lead_score_is_mql": "false"}
    fake.hubspot["contacts"].update(
        {
            "7001": {"email": "p1@acme.com", **scored},
            "7003": {"email": "p3@acme.com", **scored},
            "7050": {"email": "l050@acme.com", "lead_scoring_id": "L050", **scored},
        }
    )
    fake.hubspot_merged["7002"] = "7003"
    database = make_warehouse(tmp_path / "h.duckdb", table_columns, hubspot_records)

    assert push(database, "hubspot") == 0

    contacts = fake.hubspot["contacts"]
    assert sorted(contacts) == ["7001", "7003", "7050"]  # nothing created
    assert {field: contacts["7001"][field] for field in HUBSPOT_PERSON_FIELDS} == dict.fromkeys(
        HUBSPOT_PERSON_FIELDS, ""
    )
    assert contacts["7001"]["email"] == "p1@acme.com"
    assert contacts["7050"]["lead_score"] == "" and contacts["7050"]["lead_scoring_id"] == "L050"
    assert contacts["7003"]["lead_score"] == "70"  # the survivor keeps its own score
    assert not any(write.created for write in fake.writes)
    assert "/crm/v3/objects/contacts/batch/upsert" not in [path for _, path, _ in fake.requests]
    assert last_status(database) == {
        ("hubspot_contact", "7001"): "sent",
        ("hubspot_contact", "7002"): "gone",
        ("hubspot_contact", "7003"): "sent",
        ("hubspot_contact", "L050"): "sent",
        ("hubspot_contact", "L051"): "gone",
    }
    cleared = {row["crm_record_id"]: row for row in journal(database) if row["push_status"] == "sent"}
    assert cleared["L050"]["crm_assigned_id"] == "7050" and cleared["L050"]["total_score"] is None
    assert "cleared (lead left the input) 2, already gone from the CRM 2" in capsys.readouterr().out

    writes = len(fake.writes)
    assert push(database, "hubspot") == 0  # each removal is done: nothing is sent again
    assert len(fake.writes) == writes

    salesforce_records = [
        removal("salesforce_lead", "00QX", "P4"),
        removal("salesforce_lead", "00QDEL", "P5"),  # deleted in Salesforce
        removal("salesforce_lead", "L060", "L060", match_by="external_id"),
    ]
    fake.salesforce["Lead"].update(
        {
            "00QX": {"LastName": "X", "Lead_Score__c": 44},
            "00QL060": {"LastName": "Y", "Lead_Scoring_Id__c": "L060", "Lead_Score__c": 44},
        }
    )
    database = make_warehouse(tmp_path / "s.duckdb", table_columns, salesforce_records)

    assert push(database, "salesforce") == 0

    leads = fake.salesforce["Lead"]
    assert sorted(leads) == ["00QL060", "00QX"]
    assert leads["00QX"]["Lead_Score__c"] is None and leads["00QX"]["LastName"] == "X"
    assert leads["00QL060"]["Lead_Score__c"] is None
    assert last_status(database) == {
        ("salesforce_lead", "00QX"): "sent",
        ("salesforce_lead", "00QDEL"): "gone",
        ("salesforce_lead", "L060"): "sent",
    }
    writes = len(fake.writes)
    assert push(database, "salesforce") == 0
    assert len(fake.writes) == writes


# ---- first sync, the objects, refusals ---------------------------------------------------------------------


def test_first_push_to_a_crm_holding_the_records_updates_them_and_creates_nothing(
    fake: FakeCrm, tmp_path: Path, table_columns: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    people = hubspot_people(250)
    seed_hubspot(fake, people)
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, people)

    assert push(database, "hubspot") == 0

    assert len(fake.hubspot["contacts"]) == 250  # nothing created
    assert [write.created for write in fake.writes].count(True) == 0
    assert sorted(write.record_id for write in fake.writes) == sorted(p["crm_record_id"] for p in people)
    assert [path for _, path, _ in fake.requests].count(
        "/crm/v3/objects/contacts/batch/update"
    ) == 3  # 100+100+50
    first = fake.hubspot["contacts"]["5000"]
    assert first["email"] == "L000@acme.com"  # the CRM's own properties are left alone
    assert {field: first[field] for field in HUBSPOT_PERSON_FIELDS} == {
        "lead_score": "50",
        "lead_fit_score": "30",
        "lead_engagement_score": "20",
        "lead_score_tier": "nurture",
        "lead_score_is_mql": "false",
    }
    assert first["lead_conversion_probability"] == "0.125" and first["lead_score_date"] == "2026-06-30"
    assert set(last_status(database).values()) == {"sent"}
    printed = capsys.readouterr().out
    assert "hubspot_contact      sent 250 (updated 250, created 0), failed 0, unchanged 0" in printed

    writes = len(fake.writes)
    assert push(database, "hubspot") == 0  # nothing changed: nothing sent
    assert len(fake.writes) == writes
    assert "sent 0 (updated 0, created 0), failed 0, unchanged 250" in capsys.readouterr().out


def test_a_person_known_by_no_crm_id_is_created_once_then_updated(
    fake: FakeCrm, tmp_path: Path, table_columns: dict
) -> None:
    """Leads from files: an upsert on the external id field creates the record the first time, and the
    next push updates that record (no duplicate)."""
    records = [
        person("salesforce_lead", "L001", "L001", 40, match_by="external_id"),
        person("hubspot_contact", "L001", "L001", 40, match_by="external_id"),
    ]
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, records)
    assert push(database, "salesforce") == 0 and push(database, "hubspot") == 0
    assert [(w.crm, w.created) for w in fake.writes] == [("salesforce", True), ("hubspot", True)]
    (lead_id,) = fake.salesforce["Lead"]
    assert fake.salesforce["Lead"][lead_id]["Lead_Scoring_Id__c"] == "L001"

    with duckdb.connect(str(database)) as connection:
        connection.execute(f"update {RECORD_TABLE} set total_score = 62, tier = 'sales_ready', is_mql = true")
    assert push(database, "salesforce") == 0 and push(database, "hubspot") == 0
    assert [(w.crm, w.created) for w in fake.writes[2:]] == [("salesforce", False), ("hubspot", False)]
    assert list(fake.salesforce["Lead"]) == [lead_id] and len(fake.hubspot["contacts"]) == 1
    assert fake.salesforce["Lead"][lead_id]["Lead_Score__c"] == 62
    assert fake.salesforce["Lead"][lead_id]["Lead_Score_MQL__c"] is True
    sent = [row for row in journal(database) if row["push_status"] == "sent"]
    assert [row["is_created"] for row in sent] == [True, True, False, False]
    assert sent[0]["crm_assigned_id"] == lead_id


def test_converted_leads_go_to_contacts_accounts_to_accounts_and_refusals_stay_unsent(
    fake: FakeCrm, tmp_path: Path, table_columns: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    """Salesforce: a converted lead's score goes to its Contact and an account's to its Account. A lead
    converted since the warehouse last read Salesforce is refused (CANNOT_UPDATE_CONVERTED_LEAD), a
    deleted contact too (ENTITY_IS_DELETED), a validation rule refuses another: each stays unsent
    with the CRM's message, the rest of the batch goes on, and the next push tries them again."""
    records = [
        person("salesforce_contact", "003A", "P1", 65),  # a converted lead: its contact
        person("salesforce_contact", "003B", "P2", 30),
        person("salesforce_contact", "003GONE", "P3", 30),
        person("salesforce_lead", "00QA", "P4", 45),
        person("salesforce_lead", "00QCONV", "P5", 45),
        person("salesforce_lead", "00QRULE", "P6", 45),
        account("salesforce_account", "001A", "acme.com", 72),
    ]
    fake.salesforce["Contact"].update({"003A": {}, "003B": {}})
    fake.salesforce["Lead"].update({"00QA": {}, "00QCONV": {}, "00QRULE": {}})
    fake.salesforce["Account"]["001A"] = {"Name": "Acme"}
    fake.converted_leads.add("00QCONV")
    fake.refused["00QRULE"] = "Lead Source is required before a lead is scored"
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, records)

    assert push(database, "salesforce") == 0

    assert fake.salesforce["Contact"]["003A"]["Lead_Score__c"] == 65
    assert fake.salesforce["Contact"]["003A"]["Lead_Score_MQL__c"] is True
    assert fake.salesforce["Account"]["001A"] == {
        "Name": "Acme",
        "Account_Score__c": 72,
        "Account_Score_Tier__c": "hot",
        "Account_Score_MQA__c": True,
        "Account_Score_Date__c": "2026-06-30",
    }
    assert fake.salesforce["Lead"]["00QA"]["Lead_Score__c"] == 45
    assert "Lead_Score__c" not in fake.salesforce["Lead"]["00QCONV"]
    failed = {row["crm_record_id"]: row for row in journal(database) if row["push_status"] == "failed"}
    assert {key: (row["crm_error_code"], row["crm_error_message"]) for key, row in failed.items()} == {
        "003GONE": ("ENTITY_IS_DELETED", "entity is deleted"),
        "00QCONV": ("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead"),
        "00QRULE": ("FIELD_CUSTOM_VALIDATION_EXCEPTION", "Lead Source is required before a lead is scored"),
    }
    printed = capsys.readouterr().out
    assert "salesforce_lead      sent 1 (updated 1, created 0), failed 2" in printed
    assert "failed CANNOT_UPDATE_CONVERTED_LEAD: 1 (e.g. cannot reference converted lead)" in printed

    writes, requests = len(fake.writes), len(fake.requests)
    assert push(database, "salesforce") == 0  # the refused records are tried again, nothing else
    retried = [path for method, path, _ in fake.requests[requests:] if method == "PATCH"]
    assert len(fake.writes) == writes and retried == ["/services/data/v62.0/composite/sobjects"] * 2
    assert (
        "salesforce_lead      sent 0 (updated 0, created 0), failed 2, unchanged 1" in capsys.readouterr().out
    )


def test_hubspot_companies_get_account_scores_and_missing_records_are_reported(
    fake: FakeCrm, tmp_path: Path, table_columns: dict
) -> None:
    records = [
        account("hubspot_company", "801", "acme.com", 35),
        account("hubspot_company", "802", "globex.com", 80),
        person("hubspot_contact", "901", "P1", 61),
        person("hubspot_contact", "999", "P2", 20),  # deleted in HubSpot since
        person("hubspot_contact", "903", "P3", 20),
    ]
    fake.hubspot["companies"].update({"801": {"name": "Acme"}, "802": {"name": "Globex"}})
    fake.hubspot["contacts"].update({"901": {}, "903": {}})
    fake.refused["903"] = 'Property values were not valid: lead_score_tier "nurture" is not an option'
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, records)

    assert push(database, "hubspot") == 0

    assert fake.hubspot["companies"]["802"] == {
        "name": "Globex",
        "account_score": "80",
        "account_score_tier": "hot",
        "account_score_is_mqa": "true",
        "account_score_date": "2026-06-30",
    }
    assert fake.hubspot["contacts"]["901"]["lead_score"] == "61"
    failed = {
        row["crm_record_id"]: row["crm_error_code"]
        for row in journal(database)
        if row["push_status"] == "failed"
    }
    assert failed == {"999": "OBJECT_NOT_FOUND", "903": "VALIDATION_ERROR"}


def test_a_field_missing_in_the_crm_stops_that_object_with_the_crm_message(
    fake: FakeCrm, tmp_path: Path, table_columns: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    people = hubspot_people(3)
    seed_hubspot(fake, people)
    fake.hubspot_properties = {"contacts": {"lead_score", "lead_score_tier"}, "companies": set()}
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, people)
    assert push(database, "hubspot") == 1
    assert fake.writes == []
    codes = {row["crm_error_code"] for row in journal(database) if row["push_status"] == "failed"}
    assert codes == {"VALIDATION_ERROR"}
    assert "PROPERTY_DOESNT_EXIST" in capsys.readouterr().err


# ---- retries, timeouts, kills ------------------------------------------------------------------------------


def test_rate_limits_server_errors_and_timeouts_are_retried_without_applying_a_change_twice(
    fake: FakeCrm, tmp_path: Path, table_columns: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 429 (Retry-After: 1) is sent again; a 503 after the CRM applied the batch, and an answer slower
    than the client waits, are read back first: applied, so not sent again."""
    people = hubspot_people(30)
    seed_hubspot(fake, people)
    fake.fail(Fault(429, retry_after="1"))
    fake.fail(Fault(503, after_apply=True))
    fake.fail(Fault(None, after_apply=True, delay_seconds=3))
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, people)

    assert push(database, "hubspot", "--batch-size", "10", "--timeout-seconds", "1") == 0

    assert collections.Counter(write.record_id for write in fake.writes) == {
        p["crm_record_id"]: 1 for p in people
    }
    statuses = [status for _, path, status in fake.requests if path.endswith("/batch/update")]
    assert statuses[0] == 429 and 503 in statuses
    # read back after the 503 and after the timeout (more if a loaded machine answers later than 1 s)
    assert [path for _, path, _ in fake.requests].count("/crm/v3/objects/contacts/batch/read") >= 2
    assert set(last_status(database).values()) == {"sent"}
    err = capsys.readouterr().err
    assert "HTTP 429" in err and "HTTP 503" in err and "TimeoutError" in err


def test_the_retry_budget_stops_the_push_and_the_next_one_finishes(
    fake: FakeCrm, tmp_path: Path, table_columns: dict
) -> None:
    people = hubspot_people(5)
    seed_hubspot(fake, people)
    fake.fail(Fault(503, times=100))
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, people)
    assert cli.main(["--duckdb", str(database), "--push", "hubspot", "--retry-seconds", "2"]) == 1
    assert fake.writes == [] and set(last_status(database).values()) == {"sending"}
    fake.faults.clear()
    assert push(database, "hubspot") == 0
    assert len(fake.writes) == 5 and set(last_status(database).values()) == {"sent"}
    assert {row["push_status"] for row in journal(database)} == {"sending", "interrupted", "sent"}


def push_command(database: Path, crm: str) -> list[str]:
    command = [sys.executable, "-m", "lead_scoring.export", "--duckdb", str(database), "--push", crm]
    return [*command, "--batch-size", "5", "--retry-seconds", "20"]


def test_a_push_killed_after_the_crm_applied_a_batch_is_confirmed_by_reading_back_not_sent_again(
    fake: FakeCrm, tmp_path: Path, table_columns: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window a kill can hit between the CRM applying a batch and the journal hearing of it: the
    first batch is applied but its answer held back, and the push is killed while it waits."""
    people = hubspot_people(10)
    seed_hubspot(fake, people)
    fake.fail(Fault(None, after_apply=True, delay_seconds=3))
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, people)
    env = {**os.environ, "PYTHONPATH": str(REPO / "python")}
    process = subprocess.Popen(push_command(database, "hubspot"), env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(fake.writes) < 5:
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    fake.wait_idle()
    assert set(last_status(database).values()) == {"sending"}

    assert push(database, "hubspot") == 0
    assert collections.Counter(write.record_id for write in fake.writes) == {
        p["crm_record_id"]: 1 for p in people
    }
    assert [path for _, path, _ in fake.requests].count("/crm/v3/objects/contacts/batch/read") == 1
    assert "sent 5 (updated 5, created 0), failed 0, unchanged 5, confirmed after an interrupted push 5" in (
        capsys.readouterr().out
    )
    assert set(last_status(database).values()) == {"sent"}


@pytest.mark.parametrize("crm", ["hubspot", "salesforce"])
def test_a_push_killed_at_a_random_point_then_run_again_applies_every_change_once(
    crm: str, fake: FakeCrm, tmp_path: Path, table_columns: dict
) -> None:
    """SIGKILL after a random number of batches (and a random few milliseconds), twice, then a full
    run: every record is written exactly once, with its values, and the journal has it sent. The
    seed is printed on failure."""
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    sync_object = "hubspot_contact" if crm == "hubspot" else "salesforce_contact"
    people = [person(sync_object, f"R{n:04d}", f"L{n:04d}", 20 + n % 60) for n in range(120)]
    store = fake.hubspot["contacts"] if crm == "hubspot" else fake.salesforce["Contact"]
    store.update({p["crm_record_id"]: {} for p in people})
    fake.delay_seconds = 0.03
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, people)
    command = push_command(database, crm)
    env = {**os.environ, "PYTHONPATH": str(REPO / "python")}
    batches = len(people) // 5
    killed_after = []
    for _ in range(2):
        written_before = len(fake.writes)
        after = chance.randrange(1, batches // 3)
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while len(fake.writes) < written_before + after * 5 and process.poll() is None:
            assert time.monotonic() < deadline, f"seed {seed}: the push made no progress"
            time.sleep(0.005)
        time.sleep(chance.uniform(0, 0.05))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        killed_after.append(len(fake.writes) - written_before)
        fake.wait_idle()
    assert push(database, crm) == 0, f"seed {seed}"

    counts = collections.Counter(write.record_id for write in fake.writes)
    assert counts == {p["crm_record_id"]: 1 for p in people}, (
        f"seed {seed}, killed after {killed_after} writes"
    )
    field = "lead_score" if crm == "hubspot" else "Lead_Score__c"
    expected = {p["crm_record_id"]: int(p["total_score"]) for p in people}
    assert {key: int(values[field]) for key, values in store.items()} == expected, f"seed {seed}"
    assert set(last_status(database).values()) == {"sent"}
    assert 0 < sum(killed_after) < len(people), (
        f"seed {seed}: the kills did not land mid-push ({killed_after})"
    )
    written = len(fake.writes)
    assert push(database, crm) == 0 and len(fake.writes) == written


# ---- credentials, dry run, warehouses ---------------------------------------------------------------------


def test_a_refused_token_stops_the_push_and_no_credential_is_ever_printed_or_written(
    fake: FakeCrm, tmp_path: Path, table_columns: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = hubspot_people(3)
    seed_hubspot(fake, people)
    fake.salesforce["Contact"]["003A"] = {}
    database = make_warehouse(
        tmp_path / "w.duckdb", table_columns, [*people, person("salesforce_contact", "003A", "P9", 70)]
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "python")}
    command = [sys.executable, "-m", "lead_scoring.export", "--duckdb", str(database), "--retry-seconds", "5"]
    wrong = f"pat-na1-WRONG-{random.getrandbits(64):016x}"
    refused = subprocess.run(
        [*command, "--push", "hubspot"],
        env={**env, "LEAD_SCORING_HUBSPOT_TOKEN": wrong},
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 1
    assert "HTTP 401 INVALID_AUTHENTICATION" in refused.stderr
    assert fake.writes == [] and journal(database) == []
    fake.fail(Fault(503, after_apply=True))
    runs = [refused] + [
        subprocess.run([*command, "--push", crm], env=env, capture_output=True, text=True, check=False)
        for crm in ("hubspot", "salesforce")
    ]
    assert [run.returncode for run in runs] == [1, 0, 0]
    for secret in (fake.token, wrong):
        for run in runs:
            assert secret not in run.stdout + run.stderr
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
    assert "Bearer" not in "".join(run.stdout + run.stderr for run in runs)


def test_dry_run_reads_the_profile_target_needs_no_credentials_and_sends_nothing(
    fake: FakeCrm, tmp_path: Path, table_columns: dict, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    records = [*hubspot_people(2), person("hubspot_contact", "L9", "L9", 10, match_by="external_id")]
    database = make_warehouse(tmp_path / "w.duckdb", table_columns, records)
    monkeypatch.delenv("LEAD_SCORING_HUBSPOT_TOKEN")
    monkeypatch.setenv("LEAD_SCORING_TARGET", "duckdb")
    monkeypatch.setenv("LEAD_SCORING_DUCKDB_PATH", str(database))
    monkeypatch.setenv("DBT_PROFILES_DIR", str(REPO))
    assert cli.main(["--push", "hubspot", "--dry-run", "--project-dir", str(REPO)]) == 0
    printed = capsys.readouterr().out
    assert f"{'hubspot_contact':<20} {3:>8,} records to send (new 3, changed 0), unchanged 0" in printed
    assert '"how": "upsert on lead_scoring_id", "record": "L9"' in printed
    assert '"how": "update by id", "record": "5000"' in printed
    assert fake.requests == [] and journal(database) == []


def test_postgres_warehouse_is_read_from_the_profile_and_journals_there(
    fake: FakeCrm, tmp_path: Path, table_columns: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same push on PostgreSQL (a throw-away server, scripts/postgres.sh), its target read from
    profiles.yml (LEAD_SCORING_TARGET=postgres, LEAD_SCORING_PG_*), production schemas."""
    import psycopg2

    env_file = tmp_path / "postgres.env"
    server_env = {
        **os.environ,
        "LEAD_SCORING_PG_ENV_FILE": str(env_file),
    }
    subprocess.run(["bash", str(REPO / "scripts" / "postgres.sh"), "start"], env=server_env, check=True)
    try:
        settings = dict(
            re.findall(r"^export (LEAD_SCORING_PG_\w+)=(.*)$", env_file.read_text(), re.MULTILINE)
        )
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("LEAD_SCORING_TARGET", "postgres")
        monkeypatch.setenv("LEAD_SCORING_ENV", "prod")
        monkeypatch.setenv("DBT_PROFILES_DIR", str(REPO))
        people = hubspot_people(120)
        seed_hubspot(fake, people)
        connection = psycopg2.connect(
            host="127.0.0.1",
            port=int(settings["LEAD_SCORING_PG_PORT"]),
            user=settings["LEAD_SCORING_PG_USER"],
            dbname=settings["LEAD_SCORING_PG_DATABASE"],
        )
        postgres_tables(connection, table_columns, people)
        assert cli.main(["--push", "hubspot", "--project-dir", str(REPO), "--retry-seconds", "20"]) == 0
        assert len(fake.writes) == 120 and not any(write.created for write in fake.writes)
        with connection.cursor() as cursor:
            cursor.execute(f"select push_status, count(*) from {LOG_TABLE} group by 1 order by 1")
            assert cursor.fetchall() == [("sending", 120), ("sent", 120)]
            cursor.execute(f"update {RECORD_TABLE} set total_score = 99 where crm_record_id = '5000'")
        connection.commit()
        assert cli.main(["--push", "hubspot", "--project-dir", str(REPO)]) == 0
        assert [write.record_id for write in fake.writes[120:]] == ["5000"]
        connection.close()
    finally:
        subprocess.run(["bash", str(REPO / "scripts" / "postgres.sh"), "stop"], env=server_env, check=False)


POSTGRES_TYPES = {"VARCHAR": "text", "DOUBLE": "double precision", "BIGINT": "bigint", "INTEGER": "integer"}


def postgres_tables(connection: Any, columns: dict[str, list[tuple[str, str]]], records: list[dict]) -> None:
    from psycopg2.extras import execute_values

    with connection.cursor() as cursor:
        cursor.execute("create schema seeds; create schema marts")
        for seed in SYNC_SEEDS:
            lines = (SEEDS / f"{seed}.csv").read_text(encoding="utf-8")
            header = lines.splitlines()[0].split(",")
            cursor.execute(f"create table seeds.{seed} ({', '.join(f'{name} text' for name in header)})")
            with (SEEDS / f"{seed}.csv").open(encoding="utf-8") as handle:
                cursor.copy_expert(f"copy seeds.{seed} from stdin with (format csv, header true)", handle)
        for table, table_columns in columns.items():
            definition = ", ".join(f"{name} {POSTGRES_TYPES.get(kind, kind)}" for name, kind in table_columns)
            cursor.execute(f"create table {table} ({definition})")
        names = [name for name, _ in columns[RECORD_TABLE]]
        execute_values(
            cursor,
            f"insert into {RECORD_TABLE} ({', '.join(names)}) values %s",
            [[record.get(name) for name in names] for record in records],
        )
    connection.commit()


def test_spark_warehouse_is_read_from_the_profile_and_journals_there(
    fake: FakeCrm, tmp_path: Path, table_columns: dict
) -> None:
    """The same push on a local Spark session (the profile's spark target), in one process with the
    tables it reads (spark_push_run.py): records sent once, journaled in Spark, the second push idle."""
    people = hubspot_people(12)
    seed_hubspot(fake, people)
    setup = tmp_path / "setup.json"
    setup.write_text(json.dumps({"columns": table_columns, "records": people}, default=str), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "python"),
        "LEAD_SCORING_SPARK_DIR": str(tmp_path / "spark"),
        "LEAD_SCORING_ENV": "prod",
    }
    result = subprocess.run(
        [sys.executable, str(REPO / "python" / "tests" / "spark_push_run.py"), str(setup)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"codes": [0, 0], "statuses": {"sending": 12, "sent": 12}}
    assert collections.Counter(write.record_id for write in fake.writes) == {
        p["crm_record_id"]: 1 for p in people
    }
    assert not any(write.created for write in fake.writes)
