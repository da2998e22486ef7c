"""Connector tables read in place score exactly what the raw files score (issue 21).

One planted truth (the sample generator, small) is written as raw files and, by
``lead_scoring.generate.connectors``, as Salesforce + Segment, HubSpot + Segment and Segment (beside
the files' leads and opportunities) tables, with the connectors' quirks: history-mode versions,
deleted and merged records (a chain of three), converted leads whose later activity is on the
contact, contacts that never were leads, anonymous visits before identification, email-keyed
events, an opportunity reached by two paths. Each shape is built with only the vars that choose it
(``shape_vars``), with its unit tests (the adapters' and the identity step's) and every data test,
the nothing-lost reconciliations among them. Then the scores, the ledger, the history and the
backtests equal the files build person for person, after the id mapping the generator writes
(``lead_scoring_truth.person_ids``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import run_dbt
from lead_scoring.generate.connectors import shape_vars, write_connector_shape
from lead_scoring.generate.writer import generate

LEADS = 400
DAYS = 150
END = dt.date(2026, 6, 30)
SEED = 7
# Backtest cutoffs inside 150 days: a 30-day outcome window after 30 days of history.
BUILD_VARS = {"outcome_window_days": 30, "backtest_min_history_days": 30, "score_history_days": 7}
CONNECTOR_SHAPES = ("salesforce", "hubspot", "segment")

# The tables compared, and the columns left out of the comparison with the reason.
COMPARED: dict[str, dict[str, str]] = {
    "marts.fct_lead_scores": {
        # run records, not scores
        "computed_at": "when the build ran",
    },
    "marts.fct_lead_score_ledger": {
        # a Salesforce close_date is a date: the lost opportunity's time of day is not in the CRM
        "last_occurred_at": "Salesforce keeps an opportunity's close date, not its time",
        "computed_at": "when the build ran",
    },
    "marts.fct_lead_score_history": {"computed_at": "when the build ran"},
    "intermediate.int_backtest_scores": {"computed_at": "when the build ran"},
    "reports.rpt_model_performance": {},
}
# Columns that hold an opportunity id (a HubSpot deal id is a number: mapped back through
# lead_scoring_truth.opportunity_ids before comparing).
OPPORTUNITY_ID_COLUMNS = ("customer_opportunity_id", "opportunity_id")
# The ledger's closed-lost rows (seed scoring_closed_lost_rules) name the lost opportunity in
# matched_value; other rows' matched values are not ids.
CLOSED_LOST_RULE = "opportunity_lost"


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("connectors") / "raw"
    generate(raw, leads=LEADS, days=DAYS, seed=SEED, end_date=END, fmt="csv", threads=2)
    return raw


def _build(database: Path, raw: Path, extra_vars: dict[str, object], args: list[str]) -> None:
    run_dbt(
        ["build", *args], database, raw, score_as_of=END.isoformat(), extra_vars={**BUILD_VARS, **extra_vars}
    )


@pytest.fixture(scope="module")
def files_warehouse(truth: Path) -> Path:
    database = truth.parent / "files" / "files.duckdb"
    database.parent.mkdir()
    # the reference: models only (its tests run in make dbt-test and the other pytest files)
    _build(database, truth, {}, ["--exclude-resource-type", "test", "unit_test"])
    return database


@pytest.fixture(scope="module", params=CONNECTOR_SHAPES)
def shape_warehouse(request: pytest.FixtureRequest, truth: Path) -> Iterator[tuple[str, Path]]:
    shape = request.param
    # not <shape>.duckdb: a catalog named like the connector schema makes `segment.pages` ambiguous
    database = truth.parent / shape / "warehouse.duckdb"
    database.parent.mkdir()
    write_connector_shape(truth, database, shape, seed=SEED, end_date=END, threads=2)
    # with unit tests (the adapters' and the identity step's run only when their connector is on)
    # and every data test: the reconciliations count each input table's rows
    _build(database, truth, shape_vars(shape), [])
    yield shape, database


def _columns(connection: duckdb.DuckDBPyConnection, alias: str, table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".")
    return connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
        [alias, schema, name],
    ).fetchall()


def _select(alias: str, table: str, columns: list[tuple[str, str]], mapped: bool) -> str:
    """The table's rows with ids mapped back to the files' and doubles rounded to 6 decimals (a rolled
    sum of doubles may differ in its last bits)."""
    expressions = []
    for column, data_type in columns:
        value = f'source."{column}"'
        if mapped and column == "lead_id":
            value = "coalesce(people.lead_id, source.lead_id)"
        elif mapped and column in OPPORTUNITY_ID_COLUMNS:
            value = f'coalesce(opportunities.opportunity_id, source."{column}")'
        elif mapped and column == "matched_value" and "rule_id" in dict(columns):
            value = (
                f"case when source.rule_id = '{CLOSED_LOST_RULE}'"
                " then coalesce(lost_opportunities.opportunity_id, source.matched_value)"
                " else source.matched_value end"
            )
        if data_type in ("DOUBLE", "FLOAT") or data_type.startswith("DECIMAL"):
            value = f"round(cast({value} as double), 6)"
        expressions.append(f'{value} as "{column}"')
    sql = f"select {', '.join(expressions)} from {alias}.{table} as source"
    names = [column for column, _ in columns]
    if mapped and "lead_id" in names:
        sql += (
            f" left join {alias}.lead_scoring_truth.person_ids as people on source.lead_id = people.person_id"
        )
    if mapped:
        opportunity_column = next((column for column in OPPORTUNITY_ID_COLUMNS if column in names), None)
        if opportunity_column:
            sql += (
                f" left join {alias}.lead_scoring_truth.opportunity_ids as opportunities"
                f' on source."{opportunity_column}" = opportunities.connector_opportunity_id'
            )
        if "matched_value" in names and "rule_id" in names:
            sql += (
                f" left join {alias}.lead_scoring_truth.opportunity_ids as lost_opportunities"
                f" on source.rule_id = '{CLOSED_LOST_RULE}'"
                " and source.matched_value = lost_opportunities.connector_opportunity_id"
            )
    return sql


@pytest.mark.parametrize("table", sorted(COMPARED))
def test_a_connector_shape_scores_what_the_files_score(
    files_warehouse: Path, shape_warehouse: tuple[str, Path], table: str
) -> None:
    shape, database = shape_warehouse
    with duckdb.connect(":memory:") as connection:
        connection.execute(f"attach '{files_warehouse}' as files_build (read_only)")
        connection.execute(f"attach '{database}' as shape_build (read_only)")
        left_out = set(COMPARED[table])
        columns = [
            column for column in _columns(connection, "files_build", table) if column[0] not in left_out
        ]
        assert columns, f"{table} not built"
        assert [c for c in _columns(connection, "shape_build", table) if c[0] not in left_out] == columns
        files_rows = _select("files_build", table, columns, mapped=False)
        shape_rows = _select("shape_build", table, columns, mapped=True)
        counts = connection.execute(
            f"select (select count(*) from ({files_rows})), (select count(*) from ({shape_rows}))"
        ).fetchone()
        only_files = connection.execute(f"({files_rows}) except all ({shape_rows}) limit 5").fetchall()
        only_shape = connection.execute(f"({shape_rows}) except all ({files_rows}) limit 5").fetchall()
    assert counts[0] > 0, f"{table} is empty in the files build: the comparison would prove nothing"
    assert (only_files, only_shape) == ([], []), (
        f"{shape}: {table} differs from the files build ({counts[0]} vs {counts[1]} rows); "
        f"only in files: {only_files}; only in {shape}: {only_shape}"
    )


def test_every_connector_quirk_was_exercised(shape_warehouse: tuple[str, Path]) -> None:
    """The comparison above is only worth something if the quirks reached staging: merged and
    deleted records, rejected connector rows (deleted, unmapped, never identified) and, for the
    CRM shapes, persons whose events came through another record than their own."""
    shape, database = shape_warehouse
    with duckdb.connect(str(database), read_only=True) as connection:
        statuses = dict(
            connection.execute(
                "select record_status, count(*) from staging.stg_crm__lead_versions group by 1"
            ).fetchall()
        )
        reasons = {
            reason
            for (reason,) in connection.execute(
                "select distinct reject_reason from staging.stg_marketing__event_rejects"
            ).fetchall()
        }
        resolved = dict(
            connection.execute(
                "select identity_type, count(*) from staging.base_inputs__identities "
                "where identity_status = 'person' group by 1"
            ).fetchall()
        )
    assert "anonymous visitor never identified" in reasons
    assert resolved.get("segment_anonymous_id", 0) > 0
    if shape in ("salesforce", "hubspot"):
        assert statuses.get("merged", 0) > 0 and statuses.get("deleted", 0) > 0, statuses
        assert "the person's record was deleted in the connector" in reasons


# The CRM record each shape's accounts are synced to, and the connector column that names it.
ACCOUNT_RECORDS = {
    "salesforce": ("salesforce_account", "select id from salesforce.account"),
    "hubspot": ("hubspot_company", "select property_associatedcompanyid from hubspot.contact"),
}


def test_account_scores_go_to_the_connectors_own_account_records(shape_warehouse: tuple[str, Path]) -> None:
    """The CRM sync (issue 23) keys accounts by the CRM's ids, which only the CRM shapes give: every
    account row names a Salesforce Account / HubSpot company of the connector tables, and people go
    to their own contact or lead records, never by our id. The segment shape takes its leads from
    files: no CRM knows them, so every row goes by our id and no account is synced."""
    shape, database = shape_warehouse
    if shape not in ACCOUNT_RECORDS:
        with duckdb.connect(str(database), read_only=True) as connection:
            rows = dict(
                connection.execute(
                    "select match_by, count(*) from marts.fct_crm_sync_records group by 1"
                ).fetchall()
            )
            account_objects = ", ".join(f"'{sync_object}'" for sync_object, _ in ACCOUNT_RECORDS.values())
            accounts = connection.execute(
                f"select count(*) from marts.fct_crm_sync_records where sync_object in ({account_objects})"
            ).fetchone()[0]
        assert set(rows) == {"external_id"} and rows["external_id"] > 0, rows
        assert accounts == 0
        return
    sync_object, known_ids = ACCOUNT_RECORDS[shape]
    with duckdb.connect(str(database), read_only=True) as connection:
        accounts = connection.execute(
            f"""select count(*), count(*) filter (where crm_record_id not in (
                    select cast(id as varchar) from ({known_ids}) as known(id) where id is not null))
                from marts.fct_crm_sync_records where sync_object = '{sync_object}'"""
        ).fetchone()
        by_own_id = connection.execute(
            "select count(*) from marts.fct_crm_sync_records where match_by <> 'crm_id'"
        ).fetchone()[0]
    assert accounts[0] > 0 and accounts[1] == 0, (shape, accounts)
    assert by_own_id == 0


@pytest.mark.parametrize("shape_warehouse", ["salesforce"], indirect=True)
def test_leads_that_leave_salesforce_are_told_apart_and_only_a_dropped_one_is_cleared(
    shape_warehouse: tuple[str, Path], truth: Path, tmp_path: Path
) -> None:
    """After a daily run, Salesforce deletes one lead, merges a second into a third, and the
    connector's table loses a fourth row altogether. The next run (a copy of the warehouse) records
    the three in fct_lead_deletions with how they left; with the push having written all four, only
    the dropped lead becomes a removal of the sync table: the deleted and the merged records have
    nothing of their own to clear (a merged id now names the survivor)."""
    _, built = shape_warehouse
    database = tmp_path / "rerun.duckdb"
    database.write_bytes(built.read_bytes())
    with duckdb.connect(str(database)) as connection:
        # scored people who are one unconverted lead each (their lead_id is the lead's own id)
        deleted, merged, survivor, dropped = (
            row[0]
            for row in connection.execute("""
                select leads.lead_id from marts.dim_leads as leads
                inner join marts.fct_lead_scores as scores
                    on leads.lead_id = scores.lead_id and scores.scoring_model = 'default'
                where leads.salesforce_lead_id = leads.lead_id and leads.salesforce_contact_id is null
                order by leads.lead_id limit 4
            """).fetchall()
        )
        connection.execute("update salesforce.lead set is_deleted = true where id = ?", [deleted])
        connection.execute(
            "update salesforce.lead set is_deleted = true, master_record_id = ? where id = ?",
            [survivor, merged],
        )
        connection.execute("delete from salesforce.lead where id = ?", [dropped])
        connection.execute(
            """
            insert into marts.fct_crm_push_log
                (push_id, sync_object, crm_record_id, match_by, scoring_model, lead_id, total_score, tier,
                 push_status, logged_at)
            select 'p1', 'salesforce_lead', lead_id, 'crm_id', 'default', lead_id, 40, 'nurture', 'sent',
                timestamp '2026-06-30 06:00:00'
            from (values (?), (?), (?), (?)) as people(lead_id)
            """,
            [deleted, merged, survivor, dropped],
        )
    # models only: the data tests of a run after a deleted lead run in test_incremental_runs.py
    _build(database, truth, shape_vars("salesforce"), ["--exclude-resource-type", "test", "unit_test"])
    with duckdb.connect(str(database), read_only=True) as connection:
        deletions = {
            row[0]: row[1:]
            for row in connection.execute(
                "select lead_id, crm_disposition, deletion_reason from marts.fct_lead_deletions"
            ).fetchall()
        }
        removals = connection.execute(
            "select sync_object, crm_record_id, total_score from marts.fct_crm_sync_records where is_removal"
        ).fetchall()
        survivor_scored = connection.execute(
            "select count(*) from marts.fct_lead_scores where lead_id = ?", [survivor]
        ).fetchone()[0]
    assert deletions == {
        deleted: ("deleted", "the lead left the lead input: deleted in Salesforce (is_deleted)"),
        merged: ("merged", f"the lead left the lead input: merged into {survivor}"),
        dropped: (None, "the lead left the lead input"),
    }
    assert removals == [("salesforce_lead", dropped, None)]
    assert survivor_scored == 2  # both scoring models
