"""The strict raw reader and the staging value rules, on hostile copies of the messy fixture.

Each hostile line reproduces a defect of issue 9: before the strict reader a stray quote changed how
the whole file was read, an extra field shifted values, large numbers crashed the build, a quoted
line break crashed it, decimal commas became thousands separators, ids differing in case were
counted twice, NUL / CR / Latin-1 bytes crashed the PostgreSQL load. The raw row counts are checked
against Python's csv module, an independent parser.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from conftest import copy_fixture, run_dbt
from lead_scoring import load
from lead_scoring.contract import raw_contract

STAGING = [
    "build",
    "--select",
    "resource_type:seed",
    "path:models/staging",
    "path:tests/staging",
    "--indirect-selection",
    "cautious",
]

GOOD_DATES = "2026-05-01T00:00:00Z,2026-05-01T00:00:00Z"
HOSTILE_LEADS = [
    f"L020,big@example.com,Big,Co,Analyst,Example,Retail,99999999999999999999999,,US,web,{GOOD_DATES}".encode(),
    f"L021,rich@example.com,Rich,Co,Analyst,Example,Retail,10,99999999999999999999999,US,web,{GOOD_DATES}".encode(),
    f'L022,dec@example.com,Dec,Comma,Analyst,Example,Retail,10,"1,5",US,web,{GOOD_DATES}'.encode(),
    f'L023,eu@example.com,Eu,Grouping,Analyst,Example,Retail,10,"1.500,50",US,web,{GOOD_DATES}'.encode(),
    f"L024,josé@exämple.com,José,Unicode,Analyst,Example,Retail,10,1200.5,US,web,{GOOD_DATES}".encode(),
    b"L025,future@example.com,Fu,Ture,Analyst,Example,Retail,10,,US,web,2099-01-01T00:00:00Z,",
    f"L026,upper@example.com,Up,Per,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}".encode(),
    f"l026,lower@example.com,Low,Er,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}".encode(),
    f"L027,nul@example.com,Nul\x00,Byte,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}".encode(),
    f"L028,latin@example.com,Jos\xe9,Latin,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}".encode("latin-1"),
    f'L029,sep@example.com,Sep,Arated,Analyst,Example,Retail,"1,200",,US,web,{GOOD_DATES}'.encode(),
    # the stray quote of the issue, last line of the file
    f'L050,stray@example.com,Stray,"Quote,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}'.encode(),
]
HOSTILE_EVENTS = [
    b"E240,L003,page_view,2026-06-29T10:00:00Z,/compare?ids=3,4,",
    b"E241,L003",
    b'E100,L001,page_view,2026-06-29T10:00:00Z,"/pricing\nsecond line",30',
    b"E221,L003,page_view,2026-06-29T10:00:00Z,/a,5",
    b"e221,L003,page_view,2026-06-29T10:00:00Z,/a,5",
    b"E230,L001,page_view,2026-01-01T00:00:00Z,/early,5",
    b"E231,L003,page_view,2026-06-29T10:00:00Z,/long,99999999",
    b"E232,L003,page_view,2026-06-29T10:00:00Z,/cr\rhere,5",
]


def _append(path: Path, lines: list[bytes]) -> None:
    with open(path, "ab") as handle:
        handle.write(b"\n".join(lines) + b"\n")


def _csv_record_count(path: Path) -> int:
    """Data records of a CSV file by Python's csv module (blank lines skipped, header excluded)."""
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as handle:
        return sum(1 for row in csv.reader(handle) if row) - 1


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile")
    raw = copy_fixture("messy", folder)
    _append(raw / "leads.csv", HOSTILE_LEADS)
    _append(raw / "events.csv", HOSTILE_EVENTS)
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
        "where line_number > 24 order by line_number"
    ).fetchall()
    assert rows == [
        ("E240", "more fields than the header", 25),
        ("E241", "fewer fields than the header", 26),
        # E100 spans lines 27 and 28 (a quoted line break)
        ("E221", "event_id differs from another only in letter case", 29),
        ("e221", "event_id differs from another only in letter case", 30),
        ("E231", "duration_seconds out of range", 32),
        ("E232", "control character", 33),
    ]


def test_quoted_line_break_is_read(hostile):
    _, connection = hostile
    assert connection.sql(
        "select page_url, duration_seconds from staging.stg_marketing__events where event_id = 'E100'"
    ).fetchall() == [("/pricing\nsecond line", 30.0)]


def test_values_out_of_range_ambiguous_numbers_and_bad_bytes_are_rejected(hostile):
    _, connection = hostile
    outcomes = _lead_outcomes(connection)
    assert outcomes["L020"] == ("rejected", "employee_count out of range", 19)
    assert outcomes["L021"] == ("rejected", "annual_revenue out of range", 20)
    assert outcomes["L022"] == ("rejected", "invalid annual_revenue", 21)  # "1,5"
    assert outcomes["L023"] == ("rejected", "invalid annual_revenue", 22)  # "1.500,50"
    assert outcomes["L025"] == ("rejected", "created_at in the future", 24)
    assert outcomes["L026"] == ("rejected", "lead_id differs from another only in letter case", 25)
    assert outcomes["l026"] == ("rejected", "lead_id differs from another only in letter case", 26)
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
        columns = load.export_csv(load.find_raw_file(raw, name), raw_contract()[name], out)
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
    raw = copy_fixture("messy", tmp_path)
    lines = (raw / "leads.csv").read_bytes().split(b"\n")
    lines.insert(
        3, f'L050,stray@example.com,Stray,"Quote,Analyst,Example,Retail,10,,US,web,{GOOD_DATES}'.encode()
    )
    (raw / "leads.csv").write_bytes(b"\n".join(lines))
    completed = run_dbt(STAGING, tmp_path / "w.duckdb", raw, check=False)
    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    assert f"Raw file {raw}/leads.csv, line 4:" in output
    with pytest.raises(load.LoadError, match="leads.csv, line 4:"):
        load.export_csv(load.find_raw_file(raw, "leads"), raw_contract()["leads"], tmp_path / "x.csv")
