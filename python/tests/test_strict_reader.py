"""The strict raw reader and the staging value rules, on hostile copies of the messy fixture.

Each hostile line reproduces a defect of issue 9: before the strict reader a stray quote changed how
the whole file was read, an extra field shifted values, large numbers crashed the build, a quoted
line break crashed it, decimal commas became thousands separators, ids differing in case were
counted twice, NUL / CR / Latin-1 bytes crashed the PostgreSQL load. The raw row counts are checked
against Python's csv module, an independent parser.

The same hostile files are built on Spark (one staging build, in splits of a few hundred bytes, and
one run of the raw registration on the unrecoverable quote) and must give DuckDB's raw rows, line
numbers, read errors, staged rows and rejects, row for row: every warehouse reads raw files alike.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from conftest import FIXTURES, run_dbt
from hostile_raw import hostile_copy, unrecoverable_copy
from lead_scoring import load
from lead_scoring.common.contract import raw_contract
from test_warehouses import Table, differences, read_duckdb

STAGING = [
    "build",
    "--select",
    "resource_type:seed",
    "path:models/staging",
    "path:tests/staging",
    "--indirect-selection",
    "cautious",
]


def _csv_record_count(path: Path) -> int:
    """Data records of a CSV file by Python's csv module (blank lines skipped, header excluded)."""
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as handle:
        return sum(1 for row in csv.reader(handle) if row) - 1


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile")
    raw = hostile_copy(folder)
    database = folder / "hostile.duckdb"
    run_dbt(STAGING, database, raw)  # the reconcile tests of tests/staging run and pass
    with duckdb.connect(str(database), read_only=True) as connection:
        yield raw, connection


def _lead_outcomes(connection) -> dict[str, tuple]:
    rows = connection.sql(
        "select raw_lead_id, record_status, coalesce(reject_reason, ''), raw_line_number "
        "from staging.stg_crm__lead_versions where raw_line_number > 18"
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


# The hostile event lines are appended after the messy fixture's own lines: their numbers count
# from there (E240 is the first appended line).
FIRST_HOSTILE_EVENT_LINE = len((FIXTURES / "messy" / "events.csv").read_bytes().splitlines()) + 1


def _event_line(offset: int) -> int:
    """The file line of the hostile event line `offset` (0 = the first appended one, E240)."""
    return FIRST_HOSTILE_EVENT_LINE + offset


def test_stray_quote_rejects_its_line_and_reads_the_others(hostile):
    _, connection = hostile
    outcomes = _lead_outcomes(connection)
    assert outcomes["L050"] == ("rejected", "unterminated quoted value", 30)
    # the quoted rows of the messy fixture are read as before
    staged = dict(connection.sql("select lead_id, job_title from staging.stg_crm__leads").fetchall())
    assert staged["L001"] == "Director of Operations"
    assert staged["L002"] == "vice-president of marketing"


def test_rows_with_too_many_or_too_few_fields_are_rejected(hostile):
    _, connection = hostile
    rows = connection.sql(
        "select event_id, reject_reason, line_number from staging.stg_marketing__event_rejects "
        f"where line_number >= {_event_line(0)} order by line_number"
    ).fetchall()
    variant = "event_id differs from another only in letter case, width or invisible characters"
    assert rows == [
        ("E240", "more fields than the header", _event_line(0)),
        ("E241", "fewer fields than the header", _event_line(1)),
        # E100 spans two lines (a quoted line break)
        ("E221", variant, _event_line(4)),
        ("e221", variant, _event_line(5)),
        ("E231", "duration_seconds out of range", _event_line(7)),
        ("E232", "control character", _event_line(8)),
    ]


def test_quoted_line_break_is_read(hostile):
    _, connection = hostile
    assert connection.sql(
        "select page_url, duration_seconds from staging.stg_marketing__events where event_id = 'E100'"
    ).fetchall() == [("/pricing\nsecond line", 30.0)]


def test_crlf_endings_and_empty_lines_keep_values_and_line_numbers(hostile):
    _, connection = hostile
    # the line after E232 is empty (no record), the next one ends with CRLF: its last value has no CR
    assert connection.sql(
        "select event_id, raw_page_url, raw_duration_seconds, reject_reason, raw_line_number "
        f"from staging.stg_marketing__event_deliveries where raw_line_number > {_event_line(8)}"
    ).fetchall() == [("E233", "/crlf", "5", None, _event_line(10))]


def test_values_out_of_range_ambiguous_numbers_and_bad_bytes_are_rejected(hostile):
    _, connection = hostile
    outcomes = _lead_outcomes(connection)
    assert outcomes["L020"] == ("rejected", "employee_count out of range", 19)
    assert outcomes["L021"] == ("rejected", "annual_revenue out of range", 20)
    assert outcomes["L022"] == ("rejected", "invalid annual_revenue", 21)  # "1,5"
    assert outcomes["L023"] == ("rejected", "invalid annual_revenue", 22)  # "1.500,50"
    assert outcomes["L025"] == ("rejected", "created_at in the future", 24)
    variant = "lead_id differs from another only in letter case, width or invisible characters"
    assert outcomes["L026"] == ("rejected", variant, 25)
    assert outcomes["l026"] == ("rejected", variant, 26)
    assert outcomes["L027"] == ("rejected", "control character", 27)
    assert outcomes["L028"] == ("rejected", "not valid UTF-8", 28)
    assert outcomes["L029"] == ("staged", "", 29)
    assert connection.sql(
        "select employee_count, annual_revenue_usd, email_domain from staging.stg_crm__leads "
        "where lead_id in ('L029', 'L024') order by lead_id"
    ).fetchall() == [(10, 1200.5, "exämple.com"), (1200, None, "example.com")]


def test_events_before_lead_creation_are_kept_and_flagged(hostile):
    _, connection = hostile
    flags = dict(
        connection.sql(
            "select event_id, is_before_lead_created from staging.stg_marketing__events "
            "where event_id in ('E230', 'E001')"
        ).fetchall()
    )
    assert flags == {"E230": True, "E001": False}


def test_raw_rows_match_an_independent_parser_and_reconcile(hostile):
    raw, connection = hostile
    counts = connection.sql(
        """
        select
            (select count(*) from raw.leads),
            (select count(*) from staging.stg_crm__lead_versions),
            (select count(*) from raw.events),
            (select count(*) from staging.stg_marketing__event_deliveries)
        """
    ).fetchone()
    # Python's csv reads the lone CR of E232 as a line break (two records); the strict reader keeps
    # the line whole and rejects it for the control character.
    assert counts == (
        _csv_record_count(raw / "leads.csv"),
        _csv_record_count(raw / "leads.csv"),
        _csv_record_count(raw / "events.csv") - 1,
        _csv_record_count(raw / "events.csv") - 1,
    )


def test_postgres_loader_reads_the_same_rows_as_duckdb(hostile, tmp_path: Path):
    raw, connection = hostile
    for name in ("leads", "events"):
        out = tmp_path / f"{name}.csv"
        columns = load.write_copy_csv(load.find_raw_file(raw, name), raw_contract()[name], out)
        assert columns[-3:] == ["raw_line_number", "raw_read_error", "raw_file_path"]
        with open(out, encoding="utf-8", newline="") as handle:
            loaded = [(row[0] or None, int(row[-3]), row[-2] or None, row[-1]) for row in csv.reader(handle)]
        first = raw_contract()[name][0]
        in_duckdb = connection.sql(
            f"select {first}, raw_line_number, raw_read_error, raw_file_path from raw.{name} "
            "order by raw_line_number"
        ).fetchall()
        assert loaded == in_duckdb
        assert "\x00" not in out.read_text(encoding="utf-8")  # PostgreSQL text cannot hold NUL


def test_unrecoverable_quote_stops_the_build_naming_file_and_line(tmp_path: Path):
    raw = unrecoverable_copy(tmp_path)
    completed = run_dbt(STAGING, tmp_path / "w.duckdb", raw, check=False)
    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    assert f"Raw file {raw}/leads.csv, line 4:" in output
    with pytest.raises(load.LoadError, match="leads.csv, line 4:"):
        load.write_copy_csv(load.find_raw_file(raw, "leads"), raw_contract()["leads"], tmp_path / "x.csv")


# ---- the same files on Spark --------------------------------------------------------------------------

# Spark reads the raw files in splits of this many bytes here (var spark_raw_csv_split_bytes; 128 MB
# by default), so that the hostile files (2-3 kB) are read in several parallel splits and the order
# of their lines is rebuilt from the splits (macros/raw/strict_csv.sql).
SPARK_SPLIT_BYTES = 256
# The staging models, the seeds they read and the tests on both (reconciliation included): the seeds
# of the scoring model play no part in reading raw files and cost a minute of Spark tests.
SPARK_STAGING = [
    "build",
    "--select",
    "+path:models/staging",
    "path:tests/staging",
    "--indirect-selection",
    "cautious",
]
RAW_RELATIONS = [f"raw.{name}" for name in ("leads", "events", "opportunities")]


def _spark_env(folder: Path) -> dict[str, str]:
    return {"LEAD_SCORING_SPARK_DIR": str(folder / "spark"), "LEAD_SCORING_ENV": "prod"}


@pytest.fixture(scope="module")
def spark_export(hostile, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile files built on Spark (seeds, staging models and tests), then the raw views and
    every staging model written out as Parquet (a local Spark session's metastore admits one process)."""
    raw, _ = hostile
    folder = tmp_path_factory.mktemp("hostile_spark")
    scratch = folder / "unused.duckdb"  # dbt's target/ and logs/ go beside it
    env = _spark_env(folder)
    split = {"spark_raw_csv_split_bytes": SPARK_SPLIT_BYTES}
    run_dbt([*SPARK_STAGING, "--target", "spark"], scratch, raw, extra_vars=split, extra_env=env)
    export = folder / "export"
    arguments = {"path": str(export), "schemas": ["staging"], "count_schemas": [], "relations": RAW_RELATIONS}
    run_dbt(
        ["run-operation", "export_relations", "--target", "spark", "--args", json.dumps(arguments)],
        scratch,
        raw,
        extra_env=env,
    )
    return export


def _read_export(export: Path, relation: str) -> Table:
    folder = export / relation
    assert folder.is_dir(), f"Spark did not export {relation}"
    with duckdb.connect() as connection:
        return read_duckdb(connection, f"select * from read_parquet('{folder}/*.parquet')")


def _compared_relations(connection) -> list[str]:
    """The raw views and every staging model."""
    staging = connection.sql(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema = 'staging' order by 1"
    ).fetchall()
    return RAW_RELATIONS + [name for (name,) in staging]


# what incremental staging records about its own runs, in each warehouse's own hash function and clock
# when and by which run a row was written, and hashes (each engine hashes its own way)
RUN_RECORDS = {
    "file_fingerprint",
    "content_fingerprint",
    "loaded_at",
    "last_loaded_at",
    "folded_at",
    "computed_at",
    "seed_fingerprint",
    "inputs_fingerprint",
}


def _without_run_records(table: Table) -> Table:
    keep = [index for index, column in enumerate(table.columns) if column not in RUN_RECORDS]
    return Table(
        tuple(table.columns[index] for index in keep),
        tuple(table.kinds[index] for index in keep),
        [tuple(row[index] for index in keep) for row in table.rows],
    )


def test_spark_reads_the_hostile_files_as_duckdb_does(hostile, spark_export: Path):
    _, connection = hostile
    relations = _compared_relations(connection)
    # the raw relations, the inputs step (base_inputs__leads, __events, __opportunities: on raw files
    # no connector reads base_inputs__identities, and it is not built) and the fifteen staging
    # relations that read it (the lead models' plan, base_crm__lead_inputs, among them)
    assert len(relations) == len(RAW_RELATIONS) + 3 + 15
    found = {}
    for relation in relations:
        reference = _without_run_records(read_duckdb(connection, f"select * from {relation}"))
        assert reference.rows, relation
        difference = differences(reference, _without_run_records(_read_export(spark_export, relation)))
        if difference:
            found[relation] = difference[:5]
    assert found == {}


def test_spark_rejects_each_hostile_line_with_its_number_and_reason(spark_export: Path):
    events = _read_export(spark_export, "raw.events")
    line, error = events.columns.index("raw_line_number"), events.columns.index("raw_read_error")
    assert sorted((row[line], row[error]) for row in events.rows if row[error] is not None) == [
        (_event_line(0), "more fields than the header"),
        (_event_line(1), "fewer fields than the header"),
        (_event_line(8), "control character"),
    ]
    assert None not in {row[line] for row in events.rows}
    leads = _read_export(spark_export, "raw.leads")
    line, error = leads.columns.index("raw_line_number"), leads.columns.index("raw_read_error")
    assert sorted((row[line], row[error]) for row in leads.rows if row[error] is not None) == [
        (27, "control character"),
        (28, "not valid UTF-8"),
        (30, "unterminated quoted value"),
    ]
    assert None not in {row[line] for row in leads.rows}


def test_spark_stops_on_an_unrecoverable_quote_naming_file_and_line(tmp_path: Path):
    raw = unrecoverable_copy(tmp_path)
    completed = run_dbt(
        ["run-operation", "register_raw_sources", "--target", "spark"],
        tmp_path / "unused.duckdb",
        raw,
        check=False,
        extra_env=_spark_env(tmp_path),
    )
    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    assert f"Raw file {raw}/leads.csv, line 4: unterminated quoted value (a quote opened on line 4" in output
