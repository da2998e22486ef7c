"""The generator's connector shapes (--shape salesforce|hubspot|segment): small runs, a few seconds.

Checks that every table and column of the connector interface is written with its stated type, that
each planted quirk is there, that the truth mapping covers every lead, that the events of the files
are all carried over (each once), and that the files of --out stay byte for byte what --shape files
writes. Whether the scores agree is the dbt equality test's job.
"""

from __future__ import annotations

import datetime as dt
import filecmp
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from lead_scoring.generate import cli, generate
from lead_scoring.generate.connectors import SHAPES, shape_vars, write_connector_shape
from lead_scoring.generate.vocabulary import DEFAULT_SEED

END = dt.date(2026, 3, 31)
LEADS = 200
DAYS = 60
ARGS = ["--leads", str(LEADS), "--days", str(DAYS), "--end-date", END.isoformat(), "--quiet"]

# The connector tables of the interface (issue 21, "The connector tables"), as stated there:
# column -> DuckDB type, or None where the interface states no type.
B, TS, DATE, DBL, INT, BIGINT = "BOOLEAN", "TIMESTAMP", "DATE", "DOUBLE", "INTEGER", "BIGINT"
HISTORY = {"_fivetran_active": B, "_fivetran_start": TS, "_fivetran_end": TS}
SPEC: dict[str, dict[str, dict[str, str | None]]] = {
    "salesforce": {
        "lead": {
            "id": None, "is_deleted": B, "master_record_id": None, "first_name": None, "last_name": None,
            "title": None, "company": None, "industry": None, "number_of_employees": INT,
            "annual_revenue": DBL, "country": None, "email": None, "lead_source": None, "status": None,
            "is_converted": B, "converted_date": DATE, "converted_contact_id": None,
            "converted_account_id": None, "converted_opportunity_id": None, "created_date": TS,
            "last_modified_date": TS, "system_modstamp": TS, "_fivetran_synced": TS, **HISTORY,
        },
        "contact": {
            "id": None, "is_deleted": None, "master_record_id": None, "account_id": None,
            "first_name": None, "last_name": None, "title": None, "email": None, "lead_source": None,
            "mailing_country": None, "created_date": None, "last_modified_date": None,
            "_fivetran_synced": None, **HISTORY,
        },
        "account": {
            "id": None, "is_deleted": None, "master_record_id": None, "name": None, "industry": None,
            "number_of_employees": None, "annual_revenue": None, "billing_country": None,
            "website": None, "created_date": None, "_fivetran_synced": None,
        },
        "opportunity": {
            "id": None, "is_deleted": None, "account_id": None, "contact_id": None, "name": None,
            "stage_name": None, "amount": DBL, "is_closed": B, "is_won": B, "close_date": DATE,
            "created_date": None, "last_modified_date": None, "_fivetran_synced": None,
        },
        "opportunity_contact_role": {
            "id": None, "opportunity_id": None, "contact_id": None, "role": None, "is_primary": B,
            "is_deleted": None, "created_date": None,
        },
        "task": {
            "id": None, "who_id": None, "what_id": None, "subject": None, "type": None,
            "task_subtype": None, "status": None, "activity_date": DATE, "created_date": TS,
            "is_deleted": None, "call_duration_in_seconds": INT,
        },
        "event": {
            "id": None, "who_id": None, "what_id": None, "subject": None, "type": None,
            "event_subtype": None, "start_date_time": TS, "activity_date_time": None,
            "created_date": None, "duration_in_minutes": INT, "is_deleted": None,
        },
        "campaign": {"id": None, "name": None, "type": None, "is_deleted": None},
        "campaign_member": {
            "id": None, "campaign_id": None, "lead_id": None, "contact_id": None, "status": None,
            "has_responded": B, "first_responded_date": DATE, "created_date": None, "is_deleted": None,
        },
    },
    "hubspot": {
        "contact": {
            "id": BIGINT, "property_email": None, "property_firstname": None, "property_lastname": None,
            "property_jobtitle": None, "property_company": None, "property_industry": None,
            "property_numemployees": "VARCHAR", "property_annualrevenue": None, "property_country": None,
            "property_hs_analytics_source": None, "property_createdate": TS,
            "property_lastmodifieddate": TS, "_fivetran_deleted": B, "property_associatedcompanyid": BIGINT,
            "_fivetran_synced": None,
        },
        "contact_merge_audit": {
            "contact_id": None, "canonical_vid": None, "vid_to_merge": None, "timestamp": None,
        },
        "contact_property_history": {"contact_id": None, "name": None, "value": None, "timestamp": None},
        "deal": {
            "deal_id": BIGINT, "property_dealname": None, "property_dealstage": None, "property_amount": None,
            "property_createdate": None, "property_closedate": None, "deal_pipeline_id": None,
            "deal_pipeline_stage_id": None, "is_deleted": B, "_fivetran_deleted": B,
        },
        "deal_contact": {"deal_id": None, "contact_id": None},
        "deal_pipeline_stage": {
            "stage_id": None, "pipeline_id": None, "label": None, "probability": DBL, "display_order": None,
            "is_active": None, "closed_won": B,
        },
        "email_event": {
            "id": None, "type": None, "created": TS, "recipient": None, "email_campaign_id": None,
            "_fivetran_synced": None,
        },
        "contact_form_submission": {
            "contact_id": None, "conversion_id": None, "form_id": None, "page_url": None, "timestamp": None,
            "title": None,
        },
        "engagement": {"id": None, "type": None, "timestamp": None, "created_at": None, "active": None},
        "engagement_contact": {"engagement_id": None, "contact_id": None},
    },
    "segment": {
        "identifies": {
            "id": None, "anonymous_id": None, "user_id": None, "email": None, "received_at": None,
            "sent_at": None, "timestamp": None,
        },
        "pages": {
            "id": None, "anonymous_id": None, "user_id": None, "received_at": None, "sent_at": None,
            "timestamp": None, "path": None, "url": None, "title": None, "referrer": None,
            "duration_seconds": None,
        },
        "tracks": {
            "id": None, "anonymous_id": None, "user_id": None, "event": None, "event_text": None,
            "received_at": None, "sent_at": None, "timestamp": None, "context_page_url": None,
        },
    },
}  # fmt: skip
SHAPE_SCHEMAS = {
    "salesforce": {"salesforce", "segment", "lead_scoring_truth"},
    "hubspot": {"hubspot", "segment", "lead_scoring_truth"},
    "segment": {"segment", "lead_scoring_truth"},
}
CONNECTOR_SHAPES = tuple(SHAPE_SCHEMAS)


@pytest.fixture(scope="module")
def files_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default shape: the files only."""
    out = tmp_path_factory.mktemp("files") / "raw"
    assert cli.main([*ARGS, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each connector shape written once: shape -> (--out folder, DuckDB file)."""
    written = {}
    for shape in CONNECTOR_SHAPES:
        folder = tmp_path_factory.mktemp(shape)
        database = folder / "warehouse.duckdb"
        # what must survive: a table of another schema, and nothing of a stale connector schema
        with duckdb.connect(str(database)) as con:
            con.execute("create table main.keep_me as select 1 as x")
            con.execute("create schema segment")
            con.execute("create table segment.stale_table as select 1 as x")
        assert (
            cli.main([*ARGS, "--out", str(folder / "raw"), "--shape", shape, "--duckdb", str(database)]) == 0
        )
        written[shape] = (folder / "raw", database)
    return written


def _connect(shapes: dict[str, tuple[Path, Path]], shape: str) -> duckdb.DuckDBPyConnection:
    folder, database = shapes[shape]
    con = duckdb.connect(str(database), read_only=True)
    for name in ("leads", "events", "opportunities"):
        con.execute(
            f"create temp view file_{name} as select * from read_csv('{folder / (name + '.csv')}', "
            "header = true, all_varchar = true, delim = ',')"
        )
    return con


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


@pytest.fixture(scope="module")
def sf(shapes):
    with _connect(shapes, "salesforce") as con:
        yield con


@pytest.fixture(scope="module")
def hs(shapes):
    with _connect(shapes, "hubspot") as con:
        yield con


@pytest.fixture(scope="module")
def seg(shapes):
    with _connect(shapes, "segment") as con:
        yield con


# -- the command line and the vars --------------------------------------------------------------------


def test_shape_vars():
    assert SHAPES == ("files", "salesforce", "hubspot", "segment")
    inputs = {shape: shape_vars(shape)["lead_scoring_inputs"] for shape in SHAPES}
    assert inputs["salesforce"] == {
        "leads": "salesforce",
        "events": ["salesforce", "segment"],
        "opportunities": "salesforce",
    }
    assert inputs["hubspot"] == {
        "leads": "hubspot",
        "events": ["hubspot", "segment"],
        "opportunities": "hubspot",
    }
    assert inputs["segment"] == {"leads": "files", "events": ["segment"], "opportunities": "files"}
    assert inputs["files"] == {"leads": "files", "events": ["files"], "opportunities": "files"}
    with pytest.raises(ValueError):
        shape_vars("marketo")


def test_connector_shape_needs_a_duckdb_file(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main([*ARGS, "--out", str(tmp_path / "raw"), "--shape", "hubspot"])
    assert "--duckdb" in capsys.readouterr().err


def test_files_are_the_same_in_every_shape(files_run, shapes):
    for shape, (folder, _) in shapes.items():
        for name in ("leads.csv", "events.csv", "opportunities.csv"):
            assert filecmp.cmp(files_run / name, folder / name, shallow=False), (shape, name)


def test_the_shape_records_its_vars(sf, hs, seg):
    for con, shape in ((sf, "salesforce"), (hs, "hubspot"), (seg, "segment")):
        assert _one(con, "select shape from lead_scoring_truth.shape") == shape
        dbt_vars = _one(con, "select dbt_vars from lead_scoring_truth.shape")
        assert isinstance(dbt_vars, str) and shape in dbt_vars


# -- tables, columns, types ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", CONNECTOR_SHAPES)
def test_every_table_and_column_of_the_interface_with_its_type(shapes, shape):
    _, database = shapes[shape]
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns"
        ).fetchall()
    written: dict[tuple[str, str], dict[str, str]] = {}
    for schema, table, column, kind in rows:
        written.setdefault((schema, table), {})[column] = kind
    for schema in SHAPE_SCHEMAS[shape] - {"lead_scoring_truth"}:
        for table, columns in SPEC[schema].items():
            assert (schema, table) in written, f"{schema}.{table} missing"
            for column, kind in columns.items():
                assert column in written[schema, table], f"{schema}.{table}.{column} missing"
                if kind is not None:
                    assert written[schema, table][column] == kind, f"{schema}.{table}.{column}"
            timestamps = [c for c, k in written[schema, table].items() if "TIME ZONE" in k]
            assert not timestamps, f"{schema}.{table}: timestamps are TIMESTAMP in UTC, not {timestamps}"
    assert {s for s, _ in written} == SHAPE_SCHEMAS[shape] | {"main"}


@pytest.mark.parametrize("shape", CONNECTOR_SHAPES)
def test_other_schemas_are_left_alone_and_connector_schemas_replaced(shapes, shape):
    _, database = shapes[shape]
    with duckdb.connect(str(database), read_only=True) as con:
        assert _one(con, "select x from main.keep_me") == 1
        assert not con.execute(
            "select 1 from information_schema.tables where table_name = 'stale_table'"
        ).fetchall()


def test_writing_a_shape_again_gives_the_same_tables(shapes, tmp_path):
    folder, database = shapes["hubspot"]
    again = tmp_path / "again.duckdb"
    write_connector_shape(folder, again, "hubspot", seed=DEFAULT_SEED, end_date=END)
    with (
        duckdb.connect(str(database), read_only=True) as one,
        duckdb.connect(str(again), read_only=True) as two,
    ):
        for table in SPEC["hubspot"]:
            query = f"select * from hubspot.{table}"
            assert one.execute(query).fetchall() == two.execute(query).fetchall(), table


def test_parquet_files_give_the_same_tables(shapes, tmp_path):
    folder, database = shapes["salesforce"]
    generate(tmp_path / "raw", leads=LEADS, days=DAYS, end_date=END, fmt="parquet")
    again = tmp_path / "parquet.duckdb"
    write_connector_shape(
        tmp_path / "raw", again, "salesforce", seed=DEFAULT_SEED, end_date=END, fmt="parquet"
    )
    with (
        duckdb.connect(str(database), read_only=True) as one,
        duckdb.connect(str(again), read_only=True) as two,
    ):
        for table in (*SPEC["salesforce"], "identifies", "pages", "tracks"):
            schema = "segment" if table in SPEC["segment"] else "salesforce"
            query = f"select * from {schema}.{table}"
            assert one.execute(query).fetchall() == two.execute(query).fetchall(), table


# -- the truth mapping --------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", CONNECTOR_SHAPES)
def test_truth_mapping_covers_every_lead_and_opportunity(shapes, shape):
    with _connect(shapes, shape) as con:
        leads = {
            r[0]
            for r in con.execute(
                "select distinct trim(lead_id) from file_leads where lead_id is not null"
            ).fetchall()
        }
        mapped = con.execute("select lead_id, person_id from lead_scoring_truth.person_ids").fetchall()
        assert {lead for lead, _ in mapped} == leads
        assert len({person for _, person in mapped}) == len(mapped), "one person id per lead"
        opportunities = con.execute("select opportunity_id from file_opportunities").fetchall()
        mapped_opportunities = con.execute(
            "select opportunity_id, connector_opportunity_id from lead_scoring_truth.opportunity_ids"
        ).fetchall()
        assert sorted(o for o, _ in mapped_opportunities) == sorted(o for (o,) in opportunities)
        assert len({c for _, c in mapped_opportunities}) == len(mapped_opportunities)


def test_salesforce_person_ids_are_lead_or_contact_ids(sf):
    assert _one(sf, "select count(*) from lead_scoring_truth.person_ids where person_id <> lead_id") == 0
    kinds = dict(
        sf.execute("select person_record, count(*) from lead_scoring_truth.person_ids group by 1").fetchall()
    )
    assert set(kinds) == {"salesforce.lead", "salesforce.contact"}
    # contact-only persons (~5%): a contact, no lead row
    assert 0.02 * LEADS <= kinds["salesforce.contact"] <= 0.1 * LEADS
    assert (
        _one(
            sf,
            """select count(*) from lead_scoring_truth.person_ids
               where person_record = 'salesforce.contact'
                 and (person_id not in (select id from salesforce.contact)
                      or person_id in (select id from salesforce.lead where id is not null))""",
        )
        == 0
    )


def test_hubspot_person_ids_are_live_contact_ids(hs):
    assert (
        _one(
            hs,
            """select count(*) from lead_scoring_truth.person_ids
               where person_id::bigint not in (select id from hubspot.contact where not _fivetran_deleted)""",
        )
        == 0
    )


# -- events: every event of the files, once ----------------------------------------------------------

SYNTHETIC = "(id like 'tch_del_%' or id like 'pg_del_%' or id like 'pg_anon_%')"


def _file_event_ids(con: duckdb.DuckDBPyConnection) -> Counter[str | None]:
    return Counter(r[0] for r in con.execute("select trim(event_id) from file_events").fetchall())


def test_salesforce_carries_every_event_once(sf):
    written = Counter(
        r[0]
        for r in sf.execute(f"""
            select id from salesforce.task where not {SYNTHETIC}
            union all select id from salesforce.event
            union all select id from segment.pages where not {SYNTHETIC} or id is null
            union all select id from segment.tracks""").fetchall()
    )
    assert written == _file_event_ids(sf)


def test_segment_carries_every_event_once(seg):
    written = Counter(
        r[0]
        for r in seg.execute(f"""
            select id from segment.pages where not {SYNTHETIC} or id is null
            union all select id from segment.tracks""").fetchall()
    )
    assert written == _file_event_ids(seg)


def test_hubspot_carries_every_event_once(hs):
    deleted = _one(hs, "select count(*) from hubspot.contact where _fivetran_deleted")
    notes = _one(hs, "select count(*) from hubspot.engagement where type = 'NOTE'")
    written = _one(
        hs,
        f"""select (select count(*) from hubspot.email_event)
                 + (select count(*) from hubspot.contact_form_submission)
                 + (select count(*) from hubspot.engagement)
                 + (select count(*) from segment.pages where not {SYNTHETIC} or id is null)
                 + (select count(*) from segment.tracks)""",
    )
    assert written - 3 * deleted - notes == _one(hs, "select count(*) from file_events")
    email_ids = Counter(
        r[0] for r in hs.execute("select id from hubspot.email_event where id like 'evt%'").fetchall()
    )
    form_ids = Counter(
        r[0] for r in hs.execute("select conversion_id from hubspot.contact_form_submission").fetchall()
    )
    files = _file_event_ids(hs)
    assert all(files[i] == n for i, n in (email_ids + form_ids).items() if i and i.startswith("evt"))


def test_redelivered_events_stay_redelivered(seg):
    files = {i: n for i, n in _file_event_ids(seg).items() if i and n > 1}
    assert files, "the files have re-delivered events"
    written = Counter(
        r[0]
        for r in seg.execute(
            "select id from segment.pages union all select id from segment.tracks"
        ).fetchall()
    )
    assert all(written[i] == n for i, n in files.items())


def test_track_names_match_the_seed(seg):
    seed = Path(__file__).resolve().parents[2] / "seeds" / "reference" / "connector_event_types.csv"
    if not seed.exists():
        pytest.skip("seed connector_event_types not there")
    mapped = {
        line.split(",")[2] for line in seed.read_text().splitlines()[1:] if line.startswith("segment,tracks,")
    }
    names = {r[0].lower() for r in seg.execute("select distinct event_text from segment.tracks").fetchall()}
    unknown = {"chat started", "video played", "ad impression", "social share", "page scroll"}
    sales = {"call logged", "sales email sent", "meeting booked"}  # the segment shape's sales touches
    assert names - unknown - sales <= mapped


# -- Salesforce quirks --------------------------------------------------------------------------------


def test_salesforce_history_mode_versions(sf):
    # one active version per lead, the others ended before the next one started
    assert (
        _one(
            sf,
            """select count(*) from (select id from salesforce.lead where id is not null
               group by id having count(*) filter (where _fivetran_active) <> 1)""",
        )
        == 0
    )
    assert _one(sf, "select count(distinct id) from salesforce.lead where not _fivetran_active") > 0
    assert (
        _one(
            sf,
            """select count(*) from salesforce.lead as older join salesforce.lead as newer using (id)
               where not older._fivetran_active and newer._fivetran_start > older._fivetran_start
                 and older._fivetran_end >= newer._fivetran_start""",
        )
        == 0
    )
    # a blank lead_id of the files is a lead row without id (rejected by staging as in the files)
    assert _one(sf, "select count(*) from salesforce.lead where id is null") == _one(
        sf, "select count(*) from file_leads where lead_id is null"
    )


def test_salesforce_merges_with_a_chain_and_touches_on_duplicates(sf):
    merged = sf.execute(
        "select id, master_record_id from salesforce.lead where is_deleted and master_record_id is not null"
    ).fetchall()
    assert len(merged) >= 4
    ids = {i for i, _ in merged}
    assert any(master in ids for _, master in merged), "a chain: merged into a merged record"
    assert (
        _one(sf, f"select count(*) from salesforce.task where who_id in {tuple(ids)}")
        + _one(sf, f"select count(*) from salesforce.event where who_id in {tuple(ids)}")
        > 0
    )
    # none of them is a truth person
    assert (
        _one(sf, f"select count(*) from lead_scoring_truth.person_ids where person_id in {tuple(ids)}") == 0
    )


def test_salesforce_deleted_leads_with_events(sf):
    deleted = [
        r[0]
        for r in sf.execute(
            "select id from salesforce.lead where is_deleted and master_record_id is null"
        ).fetchall()
    ]
    assert len(deleted) >= 3
    assert _one(sf, f"select count(*) from salesforce.task where who_id in {tuple(deleted)}") >= 3
    assert _one(sf, f"select count(*) from segment.pages where user_id in {tuple(deleted)}") >= 3


def test_salesforce_conversions_and_opportunity_links(sf):
    converted = sf.execute("""
        select id, converted_contact_id, converted_account_id, converted_opportunity_id, converted_date
        from salesforce.lead where is_converted""").fetchall()
    assert converted
    contacts = {r[0] for r in sf.execute("select id from salesforce.contact").fetchall()}
    accounts = {r[0] for r in sf.execute("select id from salesforce.account").fetchall()}
    assert all(contact in contacts and account in accounts for _, contact, account, _, _ in converted)
    primary_roles = {
        r[0]: r[1]
        for r in sf.execute(
            "select opportunity_id, contact_id from salesforce.opportunity_contact_role where is_primary"
        ).fetchall()
    }
    by_lead = {r[0] for r in converted if r[3]}
    by_role_only = [
        r for r in converted if r[3] is None and primary_roles.get(_opportunity_of(sf, r[0])) == r[1]
    ]
    by_both = [r for r in converted if r[3] and primary_roles.get(r[3]) == r[1]]
    assert by_lead and by_role_only and by_both
    # converted on the day the opportunity was created
    for lead_id, _, _, opportunity_id, converted_date in converted:
        if opportunity_id:
            created = _one(
                sf, f"select created_date::date from salesforce.opportunity where id = '{opportunity_id}'"
            )
            assert created == converted_date, lead_id
    # the touches after the conversion are logged on the contact
    assert (
        _one(
            sf,
            """select count(*) from salesforce.task
               join salesforce.lead on task.who_id = lead.id and lead.is_converted
               join salesforce.opportunity
                 on opportunity.id = coalesce(lead.converted_opportunity_id,
                    (select opportunity_id from salesforce.opportunity_contact_role
                     where contact_id = lead.converted_contact_id and is_primary limit 1))
               where task.created_date >= opportunity.created_date""",
        )
        == 0
    )


def _opportunity_of(con: duckdb.DuckDBPyConnection, lead_id: str) -> str | None:
    """The opportunity of a truth lead, from the files."""
    row = con.execute("select opportunity_id from file_opportunities where lead_id = ?", [lead_id]).fetchone()
    return row[0] if row else None


def test_salesforce_campaign_members_are_no_events(sf):
    members = sf.execute("""
        select campaign.type, member.has_responded
        from salesforce.campaign_member as member join salesforce.campaign on member.campaign_id = campaign.id
    """).fetchall()
    assert ("Webinar", False) in members
    assert any(kind != "Webinar" and responded for kind, responded in members)
    assert ("Webinar", True) not in members


def test_salesforce_junk_numbers_are_rejected_values(sf):
    # text staging rejects as not a number is -1 (rejected as invalid), never null
    assert _one(sf, "select count(*) from salesforce.lead where number_of_employees = -1") > 0
    junk = _one(
        sf,
        """select count(*) from file_leads where trim(annual_revenue) in ('unknown', '$5M', '-1', 'TBD')
           or trim(annual_revenue) = 'n/a'""",
    )
    if junk:
        assert _one(sf, "select count(*) from salesforce.lead where annual_revenue < 0") > 0


# -- HubSpot quirks -----------------------------------------------------------------------------------


def test_hubspot_merges_with_a_chain(hs):
    audit = hs.execute(
        "select contact_id, canonical_vid, vid_to_merge from hubspot.contact_merge_audit"
    ).fetchall()
    assert len(audit) >= 4
    merged_away = {v for _, _, v in audit}
    assert any(survivor in merged_away for survivor, _, _ in audit), "a chain"
    assert all(c == v for c, v, _ in audit)
    contacts = {r[0] for r in hs.execute("select id from hubspot.contact").fetchall()}
    assert merged_away <= contacts, "the merged-away contact rows are there"
    assert (
        _one(
            hs,
            f"""select count(*) from hubspot.engagement_contact where contact_id in {tuple(merged_away)}""",
        )
        > 0
    )


def test_hubspot_deleted_contacts_with_events(hs):
    deleted = hs.execute("select id, property_email from hubspot.contact where _fivetran_deleted").fetchall()
    assert len(deleted) >= 3
    ids = tuple(i for i, _ in deleted)
    emails = tuple(e for _, e in deleted)
    assert _one(hs, f"select count(*) from hubspot.engagement_contact where contact_id in {ids}") >= 3
    assert _one(hs, f"select count(*) from hubspot.email_event where recipient in {emails}") >= 3
    assert _one(hs, f"select count(*) from hubspot.contact_form_submission where contact_id in {ids}") >= 3


def test_hubspot_property_history_versions(hs):
    # a contact with versions has a change before its contact row's time, with the value of then
    changed = _one(
        hs,
        """select count(distinct history.contact_id) from hubspot.contact_property_history as history
           join hubspot.contact on history.contact_id = contact.id
           where history.timestamp < contact.property_lastmodifieddate""",
    )
    assert changed > 0
    # every contact of a truth person with an accepted version has its history from its first one
    assert (
        _one(
            hs,
            """select count(*) from hubspot.contact
               where property_createdate is not null
                 and id::varchar in (select person_id from lead_scoring_truth.person_ids)
                 and id not in (select contact_id from hubspot.contact_property_history)""",
        )
        == 0
    )
    # numbers are plain text
    assert (
        _one(
            hs,
            """select count(*) from hubspot.contact_property_history
               where name = 'numemployees' and value like '%,%'""",
        )
        == 0
    )


def test_hubspot_email_events_only_for_unique_valid_emails(hs):
    recipients = hs.execute("""
        select lower(recipient), count(distinct contact.id)
        from (select distinct recipient from hubspot.email_event) as events
        left join hubspot.contact on lower(trim(contact.property_email)) = lower(events.recipient)
            and not contact._fivetran_deleted
        group by 1""").fetchall()
    assert recipients
    assert all(n == 1 for _, n in recipients if not _.endswith("@mailinator.com"))
    # the others' email events are in Segment
    assert _one(hs, "select count(*) from segment.tracks where event_text like 'Email%'") > 0


def test_hubspot_deals_and_stages(hs):
    stages = {r[0] for r in hs.execute("select stage_id from hubspot.deal_pipeline_stage").fetchall()}
    assert {r[0] for r in hs.execute("select property_dealstage from hubspot.deal").fetchall()} <= stages
    closed = dict(hs.execute("select stage_id, probability from hubspot.deal_pipeline_stage").fetchall())
    assert closed["closedwon"] == 1 and closed["closedlost"] == 0
    # every deal of a truth person has its contact; an orphan deal none
    assert _one(hs, "select count(*) from hubspot.deal_contact") == _one(
        hs,
        """select count(*) from file_opportunities
           where lead_id in (select lead_id from lead_scoring_truth.person_ids)""",
    )


# -- Segment quirks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", CONNECTOR_SHAPES)
def test_segment_anonymous_visits_before_the_identify(shapes, shape):
    with _connect(shapes, shape) as con:
        calls = """(select anonymous_id, user_id, timestamp from segment.pages
                    union all select anonymous_id, user_id, timestamp from segment.tracks)"""
        before = con.execute(f"""
            select max(identifies.timestamp - calls.timestamp), count(*)
            from {calls} as calls join segment.identifies using (anonymous_id)
            where calls.user_id is null and identifies.user_id is not null
              and calls.timestamp < identifies.timestamp""").fetchone()
        assert before is not None and before[1] > 0, "anonymous visits before the identify"
        assert before[0] < dt.timedelta(days=30), "inside identity_lookback_days"
        # email-only identifies, and a visitor never identified
        assert (
            _one(con, "select count(*) from segment.identifies where user_id is null and email is not null")
            > 0
        )
        assert (
            _one(
                con,
                """select count(*) from segment.pages where user_id is null
                   and anonymous_id not in (select anonymous_id from segment.identifies)""",
            )
            >= 3
        )


def test_segment_user_ids_are_person_ids(shapes):
    for shape in CONNECTOR_SHAPES:
        with _connect(shapes, shape) as con:
            unknown = _one(
                con,
                """select count(*) from segment.identifies
                   where user_id not in (select person_id from lead_scoring_truth.person_ids)""",
            )
            assert unknown == 0, shape
