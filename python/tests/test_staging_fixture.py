"""Staging on the messy fixture: every raw row lands in exactly one place, for the stated reason."""

from __future__ import annotations

from pathlib import Path

import duckdb
from conftest import FIXTURES, copy_fixture, run_dbt


def test_every_lead_row_is_staged_superseded_or_rejected_for_its_reason(messy: duckdb.DuckDBPyConnection):
    rows = messy.sql(
        "select coalesce(raw_lead_id, '<blank>'), record_status, coalesce(reject_reason, '') "
        "from staging.stg_crm__lead_versions order by all"
    ).fetchall()
    assert rows == [
        ("<blank>", "rejected", "missing lead_id"),
        ("L001", "staged", ""),
        ("L002", "staged", ""),
        ("L002", "superseded", ""),
        ("L002", "superseded", ""),
        ("L003", "staged", ""),
        ("L004", "staged", ""),
        ("L005", "staged", ""),
        ("L006", "staged", ""),
        ("L007", "rejected", "unparseable created_at"),
        ("L008", "rejected", "malformed email"),
        ("L009", "rejected", "invalid employee_count"),
        ("L010", "rejected", "unparseable updated_at"),
        ("L011", "rejected", "invalid annual_revenue"),
        ("L012", "rejected", "missing created_at"),
        ("L013", "rejected", "malformed email"),
        ("L013", "staged", ""),
    ]


def test_latest_valid_version_wins_and_values_are_normalised(messy: duckdb.DuckDBPyConnection):
    leads = {
        row[0]: row[1:]
        for row in messy.sql(
            "select lead_id, job_title, industry, employee_count, annual_revenue_usd, country_code, "
            "email, email_domain, updated_at::varchar from staging.stg_crm__leads"
        ).fetchall()
    }
    # the newest L002 version (updated 12:00+02:00 = 10:00 UTC) wins; its repeat is superseded
    assert leads["L002"] == (
        "vice-president of marketing",
        "Financial Services",
        85,
        5000000.0,
        "GB",
        "vic@northwind.io",
        "northwind.io",
        "2026-03-01 10:00:00",
    )
    # L013's newest version is malformed, so the older valid one is staged
    assert leads["L013"][-1] == "2026-02-01 00:00:00"
    assert leads["L001"][1:7] == (
        "Software",
        200,
        12000000.0,
        "US",
        "dana.director@acme-software.com",
        "acme-software.com",
    )
    assert leads["L003"][3] is None  # "n/a" revenue is unknown, not an error


def test_event_rejects_name_each_problem(messy: duckdb.DuckDBPyConnection):
    rows = messy.sql(
        "select coalesce(event_id, '<blank>'), reject_reason "
        "from staging.stg_marketing__event_rejects order by all"
    ).fetchall()
    assert rows == [
        ("<blank>", "missing event_id"),
        ("E009", "lead_id not found among staged leads"),
        ("E010", "lead_id not found among staged leads"),
        ("E012", "missing lead_id"),
        ("E013", "unparseable occurred_at"),
        ("E014", "occurred_at in the future"),
        ("E015", "invalid duration_seconds"),
        ("E016", "invalid duration_seconds"),
        ("E017", "missing event_type"),
        ("E018", "conflicting deliveries of the same event_id"),
        ("E018", "conflicting deliveries of the same event_id"),
        ("E019", "missing occurred_at"),
    ]


def test_events_are_folded_flagged_and_normalised(messy: duckdb.DuckDBPyConnection):
    events = {
        row[0]: row[1:]
        for row in messy.sql(
            "select event_id, event_type, is_known_event_type, page_path, delivery_count, "
            "occurred_at::varchar "
            "from staging.stg_marketing__events"
        ).fetchall()
    }
    assert events["E002"] == ("page_view", True, "/pricing", 2, "2026-06-30 09:05:00")
    assert events["E004"] == ("page_view", True, "/blog/lead-scoring", 1, "2026-06-01 08:00:00")
    assert events["E011"][:2] == ("chat_started", False)  # unknown types are kept and flagged
    assert events["E023"][:2] == ("sales_call", True)  # "Sales Call " is the sales touch type


def test_opportunity_rejects_name_each_problem(messy: duckdb.DuckDBPyConnection):
    rows = messy.sql(
        "select coalesce(raw_opportunity_id, '<blank>'), record_status, coalesce(reject_reason, ''), stage "
        "from staging.stg_crm__opportunity_versions order by all"
    ).fetchall()
    assert rows == [
        ("<blank>", "rejected", "missing opportunity_id", "prospecting"),
        ("O001", "staged", "", "proposal"),
        ("O002", "staged", "", "closed_won"),
        ("O002", "superseded", "", "prospecting"),
        ("O003", "rejected", "lead_id not found among staged leads", "prospecting"),
        ("O004", "rejected", "unparseable created_at", "prospecting"),
        ("O005", "rejected", "invalid amount", "prospecting"),
        ("O006", "rejected", "unknown stage", "won?"),
        ("O007", "rejected", "unparseable closed_at", "closed_lost"),
        ("O008", "rejected", "missing lead_id", "prospecting"),
        ("O009", "staged", "", "closed_lost"),
    ]


def test_reconciliation_counts(messy: duckdb.DuckDBPyConnection):
    counts = messy.sql(
        """
        select
            (select count(*) from raw.leads),
            (select count(*) from staging.stg_crm__leads),
            (select count(*) from staging.stg_crm__lead_rejects),
            (select count(*) from raw.events),
            (select count(*) from staging.stg_marketing__events),
            (select sum(delivery_count - 1) from staging.stg_marketing__events),
            (select count(*) from staging.stg_marketing__event_rejects)
        """
    ).fetchone()
    # 38 raw event rows: 23 of the original fixture, 4 sales touches (E021-E024) and 11 product
    # events (P001-P011), all touches and product events staged
    assert counts == (17, 7, 8, 38, 25, 1, 12)


def test_missing_raw_file_stops_the_build_naming_file_and_columns(tmp_path: Path):
    empty = tmp_path / "raw"
    empty.mkdir()
    completed = run_dbt(["build"], tmp_path / "w.duckdb", empty, check=False)
    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    assert "Raw source 'events' not found" in output
    assert f"{empty}/events.csv" in output
    assert "event_id, lead_id, event_type, occurred_at, page_url, duration_seconds" in output
    assert not (tmp_path / "w.duckdb").exists() or _has_no_marts(tmp_path / "w.duckdb")


def test_raw_file_missing_a_column_is_named(tmp_path: Path):
    raw = copy_fixture("messy", tmp_path)
    lines = (raw / "opportunities.csv").read_text().splitlines()
    (raw / "opportunities.csv").write_text(
        "\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n"  # drop closed_at
    )
    completed = run_dbt(["build"], tmp_path / "w.duckdb", raw, check=False)
    assert completed.returncode != 0
    assert "is missing the columns: closed_at" in completed.stdout + completed.stderr


def test_parquet_raw_files_stage_like_csv(tmp_path: Path, messy: duckdb.DuckDBPyConnection):
    raw = tmp_path / "parquet"
    with duckdb.connect() as connection:
        for name in ("leads", "events", "opportunities"):
            (raw / name).mkdir(parents=True)
            connection.sql(
                f"copy (select * from read_csv('{FIXTURES / 'messy' / name}.csv', all_varchar = true)) "
                f"to '{raw / name / 'part-0.parquet'}' (format parquet)"
            )
    database = tmp_path / "parquet.duckdb"
    run_dbt(
        [
            "build",
            "--select",
            "resource_type:seed",
            "path:models/staging",
            "--indirect-selection",
            "cautious",
        ],
        database,
        raw,
    )
    query = "select record_status, count(*) from staging.stg_crm__lead_versions group by all order by all"
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.sql(query).fetchall() == messy.sql(query).fetchall()
        assert connection.sql("select count(*) from staging.stg_marketing__events").fetchone() == (25,)


def _has_no_marts(database: Path) -> bool:
    with duckdb.connect(str(database), read_only=True) as connection:
        found = connection.sql(
            "select count(*) from information_schema.tables where table_schema in ('marts', 'reports')"
        ).fetchone()
    return found == (0,)
