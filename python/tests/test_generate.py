"""Tests of the sample raw-data generator (small runs only; the whole file takes a few seconds)."""

from __future__ import annotations

import datetime as dt
import filecmp
import os
from pathlib import Path

import duckdb
import pytest
from lead_scoring import generate as g
from lead_scoring.common.contract import raw_contract
from lead_scoring.generate import events as generate_events

END = dt.date(2026, 3, 31)
DAYS = 60
LEADS = 2000
START_TS = "2026-01-31 00:00:00+00"  # first day of the 60 days ending 2026-03-31
END_TS = "2026-03-31 23:59:59+00"

# The raw-data contract as the sources YAML writes it down (the generator must match it).
CONTRACT = {name: list(columns) for name, columns in raw_contract().items()}
EVENT_TYPES = (
    "email_open",
    "email_click",
    "page_view",
    "form_submit",
    "content_download",
    "webinar_attended",
    "demo_request",
    "trial_signup",
    "email_unsubscribe",
    "email_bounce",
    "sales_call",
    "sales_email",
    "meeting_booked",
    "product_login",
    "feature_used",
    "seat_invited",
    "trial_started",
    "trial_converted",
)
STAGES = {"prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost"}


def _run(folder: Path, **kwargs) -> dict[str, int]:
    args = {"leads": LEADS, "days": DAYS, "seed": 42, "end_date": END, "fmt": "csv"} | kwargs
    return g.generate(folder, **args)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, int]]]:
    base = tmp_path_factory.mktemp("generated")
    out = {}
    for name, kwargs in {
        "csv": {},
        "csv_again": {},
        "csv_seed7": {"seed": 7},
        "parquet": {"fmt": "parquet"},
        "parquet_again": {"fmt": "parquet"},
    }.items():
        folder = base / name / "raw"
        out[name] = (folder, _run(folder, **kwargs))
    return out


def _connect(folder: Path, fmt: str = "csv") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for table in CONTRACT:
        if fmt == "csv":
            source = f"read_csv('{folder}/{table}.csv', header = true, all_varchar = true, delim = ',')"
        else:
            source = f"read_parquet('{folder}/{table}/*.parquet')"
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM {source}")
    return con


@pytest.fixture(scope="module")
def con(runs) -> duckdb.DuckDBPyConnection:
    return _connect(runs["csv"][0])


def _one(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]


# -- shape ----------------------------------------------------------------------------------------------


def test_module_constants_match_contract():
    assert {k: list(v) for k, v in g.COLUMNS.items()} == CONTRACT
    assert set(g.STAGES) == STAGES
    assert set(g.EVENT_TYPES) == set(EVENT_TYPES)


@pytest.mark.parametrize("table", list(CONTRACT))
def test_csv_header_is_exact(runs, table):
    folder, _ = runs["csv"]
    with open(folder / f"{table}.csv", encoding="utf-8") as f:
        assert f.readline().rstrip("\n") == ",".join(CONTRACT[table])


@pytest.mark.parametrize("table", list(CONTRACT))
def test_parquet_columns_are_exact_and_all_text(runs, table):
    folder, _ = runs["parquet"]
    files = sorted((folder / table).glob("*.parquet"))
    assert files, f"no parquet files in {folder / table}"
    for file in files:
        described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{file}')").fetchall()
        assert [row[0] for row in described] == CONTRACT[table]
        assert {row[1] for row in described} == {"VARCHAR"}


def test_output_folders_hold_only_the_contract_files(runs):
    assert sorted(p.name for p in runs["csv"][0].iterdir()) == [
        "events.csv",
        "leads.csv",
        "opportunities.csv",
    ]
    assert sorted(p.name for p in runs["parquet"][0].iterdir()) == ["events", "leads", "opportunities"]
    assert [p.name for p in (runs["parquet"][0] / "leads").iterdir()] == ["part-0.parquet"]


def test_returned_counts_match_files(runs, con):
    counts = runs["csv"][1]
    for table in CONTRACT:
        assert counts[table] == _one(con, f"SELECT count(*) FROM {table}"), table


def test_volumes_are_realistic(runs, con):
    counts = runs["csv"][1]
    versions = counts["leads"] / _one(con, "SELECT count(DISTINCT lead_id) FROM leads")
    assert 1.05 < versions < 1.2
    assert 25 * LEADS < counts["events"] < 50 * LEADS  # default events per lead (~35)


# -- determinism ----------------------------------------------------------------------------------------


def test_same_arguments_give_byte_identical_csv(runs):
    a, b = runs["csv"][0], runs["csv_again"][0]
    for name in ("leads.csv", "events.csv", "opportunities.csv"):
        assert filecmp.cmp(a / name, b / name, shallow=False), name


def test_same_arguments_give_byte_identical_parquet(runs):
    a, b = runs["parquet"][0], runs["parquet_again"][0]
    files = sorted(p.relative_to(a) for p in a.rglob("*.parquet"))
    assert files == sorted(p.relative_to(b) for p in b.rglob("*.parquet"))
    for rel in files:
        assert filecmp.cmp(a / rel, b / rel, shallow=False), rel


def test_another_seed_gives_other_data(runs):
    a, b = runs["csv"][0], runs["csv_seed7"][0]
    for name in ("leads.csv", "events.csv", "opportunities.csv"):
        assert not filecmp.cmp(a / name, b / name, shallow=False), name


def test_csv_and_parquet_hold_the_same_rows(runs, con):
    pq = _connect(runs["parquet"][0], "parquet")
    for table in CONTRACT:
        csv_rows = con.execute(f"SELECT * FROM {table}").fetchall()
        parquet_rows = pq.execute(f"SELECT * FROM {table}").fetchall()
        assert len(csv_rows) == len(parquet_rows), table
        assert csv_rows == parquet_rows, table  # same rows, same order


def test_events_chunking_does_not_change_output(tmp_path, monkeypatch, runs):
    monkeypatch.setattr(generate_events, "EVENTS_PER_CHUNK", 9000)  # many chunks, concatenated
    _run(tmp_path / "raw")
    assert filecmp.cmp(tmp_path / "raw" / "events.csv", runs["csv"][0] / "events.csv", shallow=False)


# -- the planted mess -----------------------------------------------------------------------------------

_NORMALISED_TYPE = "lower(replace(trim(event_type), ' ', '_'))"
_KNOWN_TYPES = "(" + ", ".join(f"'{t}'" for t in EVENT_TYPES) + ")"
_OFFSET = r"regexp_matches(created_at, '[+-]\d\d:\d\d$')"

_KNOWN_LEAD = "(SELECT lead_id FROM leads WHERE lead_id IS NOT NULL)"
# Planted orphans use lead ids beyond the last lead (other orphans: leads whose only row lost its lead_id).
_UNKNOWN_LEAD = "lead_id > (SELECT max(lead_id) FROM leads)"
_OCCURRED = "try_cast(occurred_at AS TIMESTAMPTZ)"

# name: (table, condition); each must hold for at least one row.
MESS_CHECKS = {
    # leads
    "lead with blank lead_id": ("leads", "lead_id IS NULL"),
    "unparseable created_at": ("leads", "try_cast(created_at AS TIMESTAMPTZ) IS NULL"),
    "unparseable updated_at": ("leads", "try_cast(updated_at AS TIMESTAMPTZ) IS NULL"),
    "timestamp with offset": ("leads", _OFFSET),
    "timestamp without offset": ("leads", "regexp_full_match(created_at, '\\S+ \\S+')"),
    "blank email": ("leads", "email IS NULL"),
    "email without @": ("leads", "NOT contains(email, '@')"),
    "email ending in @": ("leads", "ends_with(email, '@')"),
    "email with mixed case": ("leads", "email <> lower(email)"),
    "email with surrounding spaces": ("leads", "email <> trim(email)"),
    "free-mail email": ("leads", "lower(trim(email)) LIKE '%@gmail.com'"),
    "competitor email rivalscore.com": ("leads", "lower(trim(email)) LIKE '%@rivalscore.com'"),
    "competitor email leadgenius.io": ("leads", "lower(trim(email)) LIKE '%@leadgenius.io'"),
    "blank job_title": ("leads", "job_title IS NULL"),
    "job_title with extra spaces": ("leads", "job_title <> trim(job_title) OR contains(job_title, '  ')"),
    "job_title in lower case": ("leads", "job_title = lower(job_title) AND job_title LIKE '%vp%'"),
    "job_title 'Dir. of IT'": ("leads", "trim(lower(job_title)) = 'dir. of it'"),
    "blank industry": ("leads", "industry IS NULL"),
    "industry synonym": ("leads", "industry IN ('SaaS', 'IT Services', 'Banking', 'Finance')"),
    "industry with odd case/space": ("leads", "industry IN ('software ', 'SOFTWARE')"),
    "employee_count with thousands separator": ("leads", "employee_count LIKE '%,%'"),
    "employee_count with spaces": ("leads", "employee_count <> trim(employee_count)"),
    "blank employee_count": ("leads", "employee_count IS NULL"),
    "junk employee_count": (
        "leads",
        "coalesce(try_cast(replace(trim(employee_count), ',', '') AS BIGINT), -1) < 0 "
        "AND employee_count <> ''",
    ),
    "annual_revenue with separators and cents": ("leads", "annual_revenue LIKE '%,%.00'"),
    "blank annual_revenue": ("leads", "annual_revenue IS NULL"),
    "junk annual_revenue": (
        "leads",
        "coalesce(try_cast(replace(annual_revenue, ',', '') AS DOUBLE), -1) < 0 AND annual_revenue <> ''",
    ),
    "country spelled out": ("leads", "country IN ('United States', 'Germany', 'United Kingdom')"),
    "country as code": ("leads", "country IN ('US', 'USA', 'DE', 'UK', 'GB')"),
    "country with odd case/space": ("leads", "country <> trim(country) OR country = lower(country)"),
    "blank country": ("leads", "country IS NULL"),
    "lead_source case variant": ("leads", "lead_source <> lower(trim(lead_source))"),
    # events
    "event with blank event_id": ("events", "event_id IS NULL"),
    "orphan event": ("events", _UNKNOWN_LEAD),
    "unknown event_type": ("events", f"{_NORMALISED_TYPE} NOT IN {_KNOWN_TYPES}"),
    "event_type with odd case/space": (
        "events",
        f"event_type <> {_NORMALISED_TYPE} AND {_NORMALISED_TYPE} IN {_KNOWN_TYPES}",
    ),
    "unparseable occurred_at": ("events", f"{_OCCURRED} IS NULL"),
    "future-dated event": ("events", f"{_OCCURRED} > '{END_TS}'"),
    "negative duration": ("events", "try_cast(duration_seconds AS BIGINT) < 0"),
    "junk duration": ("events", "duration_seconds <> '' AND try_cast(duration_seconds AS DOUBLE) IS NULL"),
    "page_view without duration": ("events", "event_type = 'page_view' AND duration_seconds IS NULL"),
    "full URL": ("events", "page_url LIKE 'https://www.example-vendor.com/%'"),
    "URL with query string": ("events", "page_url LIKE '%?utm_source=%'"),
    "careers job page": ("events", "page_url LIKE '%/careers/jobs/%'"),
    "enterprise pricing page": ("events", "page_url LIKE '%/pricing/enterprise%'"),
    "unsubscribe event": ("events", "event_type = 'email_unsubscribe'"),
    "bounce event": ("events", "event_type = 'email_bounce'"),
    # opportunities
    "opportunity for an unknown lead": ("opportunities", _UNKNOWN_LEAD),
    "junk amount": ("opportunities", "amount <> '' AND coalesce(try_cast(amount AS DECIMAL(18, 2)), -1) < 0"),
    "closed_won opportunity": ("opportunities", "stage = 'closed_won'"),
    "closed_lost opportunity": ("opportunities", "stage = 'closed_lost'"),
    "open opportunity": ("opportunities", "closed_at IS NULL"),
}


def test_re_delivered_duplicate_events_and_multi_version_leads_occur(con):
    assert _one(con, "SELECT count(*) - count(DISTINCT events) FROM events") > 0
    versions = [r[0] for r in con.execute("SELECT count(*) FROM leads GROUP BY lead_id").fetchall()]
    assert 2 in versions and 3 in versions


@pytest.mark.parametrize("check", list(MESS_CHECKS))
def test_planted_mess_occurs(con, check):
    table, condition = MESS_CHECKS[check]
    assert _one(con, f"SELECT count(*) FROM {table} WHERE {condition}") > 0, check


@pytest.mark.parametrize(
    ("sql", "low", "high"),
    [
        ("SELECT avg((lead_id IS NULL)::INT) FROM leads", 0.001, 0.01),
        ("SELECT 1 - count(DISTINCT events) / count(*) FROM events", 0.01, 0.03),  # re-delivered rows
        ("SELECT avg((event_id IS NULL)::INT) FROM events", 0.001, 0.006),
        (f"SELECT avg(({_NORMALISED_TYPE} NOT IN {_KNOWN_TYPES})::INT) FROM events", 0.003, 0.008),
        ("SELECT avg((try_cast(occurred_at AS TIMESTAMPTZ) IS NULL)::INT) FROM events", 0.0005, 0.002),
        (f"SELECT avg((try_cast(occurred_at AS TIMESTAMPTZ) > '{END_TS}')::INT) FROM events", 0.0005, 0.002),
        (f"SELECT avg(({_UNKNOWN_LEAD})::INT) FROM events", 0.003, 0.008),
        (f"SELECT avg((lead_id NOT IN {_KNOWN_LEAD})::INT) FROM events", 0.004, 0.012),
    ],
)  # fmt: skip
def test_mess_shares_stay_small(con, sql, low, high):
    assert low <= _one(con, sql) <= high


def test_every_event_type_occurs(con):
    seen = {r[0] for r in con.execute(f"SELECT DISTINCT {_NORMALISED_TYPE} FROM events").fetchall()}
    assert set(EVENT_TYPES) <= seen


def test_duration_only_on_session_events(con):
    other = _one(
        con,
        f"SELECT count(*) FROM events WHERE duration_seconds IS NOT NULL "
        f"AND {_NORMALISED_TYPE} NOT IN ('page_view', 'webinar_attended') "
        f"AND {_NORMALISED_TYPE} IN {_KNOWN_TYPES}",
    )  # unknown types (e.g. chat_started) may carry one
    assert other == 0


def test_duplicate_event_ids_are_exact_redeliveries(con):
    bad = _one(
        con,
        "SELECT count(*) FROM (SELECT event_id FROM events WHERE event_id IS NOT NULL GROUP BY 1 "
        "HAVING count(DISTINCT events) > 1)",
    )
    assert bad == 0


def test_lead_versions_differ_and_latest_is_unique(con):
    # Each multi-version lead has distinct updated_at values, and later versions change something.
    assert (
        _one(
            con,
            "SELECT count(*) FROM (SELECT lead_id FROM leads WHERE lead_id IS NOT NULL GROUP BY 1 "
            "HAVING count(*) > 1 AND count(DISTINCT try_cast(updated_at AS TIMESTAMPTZ)) < count(*) "
            "AND bool_and(try_cast(updated_at AS TIMESTAMPTZ) IS NOT NULL))",
        )
        == 0
    )
    changed = _one(
        con,
        "SELECT count(*) FROM (SELECT lead_id FROM leads WHERE lead_id IS NOT NULL GROUP BY 1 "
        "HAVING count(DISTINCT coalesce(job_title, '')) > 1 "
        "OR count(DISTINCT coalesce(employee_count, '')) > 1)",
    )
    assert changed > 50
    share = _one(
        con,
        "SELECT avg((n > 1)::INT) FROM "
        "(SELECT count(*) AS n FROM leads WHERE lead_id IS NOT NULL GROUP BY lead_id)",
    )
    assert 0.06 < share < 0.14


# -- timestamps -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("leads", "created_at"),
        ("leads", "updated_at"),
        ("events", "occurred_at"),
        ("opportunities", "created_at"),
        ("opportunities", "closed_at"),
    ],
)
def test_timestamps_fall_in_the_period(con, table, column):
    ts = f"try_cast({column} AS TIMESTAMPTZ)"
    early = _one(con, f"SELECT count(*) FROM {table} WHERE {ts} < '{START_TS}'")
    late = _one(con, f"SELECT count(*) FROM {table} WHERE {ts} > '{END_TS}'")
    total = _one(con, f"SELECT count({column}) FROM {table}")
    assert early == 0
    if table == "events":
        assert 0 < late <= 0.002 * total  # only the planted future-dated events
    else:
        assert late == 0


def test_events_happen_after_the_lead_was_created(con):
    before = _one(
        con,
        """SELECT avg((try_cast(e.occurred_at AS TIMESTAMPTZ) < l.created)::INT) FROM events e
           JOIN (SELECT lead_id, min(try_cast(created_at AS TIMESTAMPTZ)) AS created FROM leads GROUP BY 1) l
           USING (lead_id)""",
    )
    assert before < 0.01  # only events of the same day (time-of-day) and junk


def test_opportunities_are_consistent(con):
    assert {r[0] for r in con.execute("SELECT DISTINCT stage FROM opportunities").fetchall()} <= STAGES
    assert _one(con, "SELECT count(*) - count(DISTINCT opportunity_id) FROM opportunities") == 0
    inconsistent = _one(
        con,
        "SELECT count(*) FROM opportunities WHERE (closed_at IS NULL) <> (stage NOT LIKE 'closed%') "
        "OR try_cast(closed_at AS TIMESTAMPTZ) < try_cast(created_at AS TIMESTAMPTZ)",
    )
    assert inconsistent == 0


def test_leads_are_created_throughout_the_period(con):
    weeks = _one(
        con, "SELECT count(DISTINCT date_trunc('week', try_cast(created_at AS TIMESTAMPTZ))) FROM leads"
    )
    assert weeks >= 8


# -- hidden truth ---------------------------------------------------------------------------------------


def test_conversion_rate_is_realistic(con):
    rate = _one(
        con,
        "SELECT count(DISTINCT o.lead_id) / (SELECT count(DISTINCT lead_id) FROM leads) "
        "FROM opportunities o JOIN leads l USING (lead_id)",
    )
    assert 0.05 <= rate <= 0.15


def test_won_share_of_closed_opportunities(runs, tmp_path):
    # Closed deals need time: use a full year (fewer leads to stay fast).
    folder = tmp_path / "year"
    _run(folder, leads=3000, days=365, events_per_lead=5)
    c = _connect(folder)
    won = _one(
        c,
        "SELECT count(*) FILTER (stage = 'closed_won') / count(*) "
        "FROM opportunities WHERE stage LIKE 'closed%'",
    )
    assert 0.25 <= won <= 0.45
    rate = _one(c, "SELECT count(DISTINCT lead_id) / 3000 FROM opportunities WHERE lead_id <= 'L00003000'")
    assert 0.05 <= rate <= 0.15


def test_high_intent_behaviour_predicts_opportunities(con):
    rates = dict(
        con.execute(
            """WITH hot AS (
                   SELECT lead_id,
                       bool_or(page_url LIKE '%/pricing%' OR lower(trim(event_type)) = 'demo_request') AS hot
                   FROM events GROUP BY 1)
               SELECT coalesce(hot, false), avg((lead_id IN (SELECT lead_id FROM opportunities))::INT)
               FROM (SELECT DISTINCT lead_id FROM leads WHERE lead_id IS NOT NULL)
               LEFT JOIN hot USING (lead_id)
               GROUP BY 1"""
        ).fetchall()
    )
    assert rates[True] > 4 * rates[False]
    assert rates[True] > 0.1


def test_high_intent_activity_comes_before_the_opportunity(con):
    share = _one(
        con,
        """SELECT avg(hot_before::INT) FROM (
               SELECT o.opportunity_id,
                   bool_or(e.page_url LIKE '%/pricing%' OR e.event_type = 'demo_request') AS hot_before
               FROM opportunities o JOIN events e
                 ON e.lead_id = o.lead_id
                AND try_cast(e.occurred_at AS TIMESTAMPTZ) < try_cast(o.created_at AS TIMESTAMPTZ)
               GROUP BY 1)""",
    )
    assert share > 0.8


def test_fit_drives_conversion(con):
    rates = dict(
        con.execute(
            """WITH latest AS (
                   SELECT * FROM leads WHERE lead_id IS NOT NULL
                   QUALIFY row_number() OVER (PARTITION BY lead_id ORDER BY updated_at DESC) = 1)
               SELECT CASE WHEN regexp_matches(lower(job_title), 'chief|ceo|cto|vp|vice|director|dir\\.|head')
                           THEN 'senior'
                           WHEN regexp_matches(lower(job_title), 'student|intern') THEN 'junior' END AS level,
                      avg((lead_id IN (SELECT lead_id FROM opportunities))::INT)
               FROM latest GROUP BY 1"""
        ).fetchall()
    )
    assert rates["senior"] > 2 * rates["junior"]


def test_free_mail_converts_less_than_business_mail(con):
    rates = dict(
        con.execute(
            """SELECT split_part(lower(trim(email)), '@', 2) IN ('gmail.com', 'yahoo.com', 'hotmail.com',
                          'outlook.com', 'aol.com', 'icloud.com', 'protonmail.com', 'gmx.de', 'web.de',
                          'yahoo.co.uk', 'live.com', 'mail.com') AS free,
                      avg((lead_id IN (SELECT lead_id FROM opportunities))::INT)
               FROM leads WHERE email IS NOT NULL GROUP BY 1"""
        ).fetchall()
    )
    assert rates[False] > 1.3 * rates[True]


# -- atomic writes and CLI ------------------------------------------------------------------------------


def test_no_temporary_folder_is_left(runs):
    for folder, _ in runs.values():
        leftovers = [p.name for p in folder.parent.iterdir() if p.name != folder.name]
        assert leftovers == []


def test_failed_run_leaves_previous_output_untouched(tmp_path, monkeypatch):
    out = tmp_path / "raw"
    _run(out, leads=50, days=10)
    before = (out / "events.csv").read_bytes()

    def boom(run):
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(generate_events, "events_sql", boom)
    with pytest.raises(RuntimeError, match="half-way"):
        _run(out, leads=60, days=10)
    assert (out / "events.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_temp_folders_of_killed_runs_are_cleaned_up(tmp_path):
    dead = tmp_path / ".raw.tmp-999999999-abc"  # no such process
    dead.mkdir()
    (dead / "leads.csv").write_text("half-written")
    alive = tmp_path / f".raw.tmp-{os.getpid()}-xyz"  # a run still in progress: left alone
    alive.mkdir()
    _run(tmp_path / "raw", leads=50, days=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == [alive.name, "raw"]


def test_rerun_replaces_output_and_switches_format(tmp_path):
    out = tmp_path / "raw"
    _run(out, leads=50, days=10)
    _run(out, leads=50, days=10, fmt="parquet")
    assert sorted(p.name for p in out.iterdir()) == ["events", "leads", "opportunities"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_refuses_to_replace_a_folder_with_other_files(tmp_path):
    out = tmp_path / "raw"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        _run(out, leads=50, days=10)
    assert (out / "precious.txt").read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_cli(tmp_path, capsys):
    out = tmp_path / "cli"
    code = g.main(
        ["--leads", "100", "--days", "30", "--out", str(out), "--seed", "3", "--end-date", "2026-01-15"]
        + ["--format", "parquet", "--events-per-lead", "10"]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "leads" in printed and "events" in printed and "opportunities" in printed
    c = _connect(out, "parquet")
    assert _one(c, "SELECT max(try_cast(occurred_at AS TIMESTAMPTZ)) FROM events") < dt.datetime(
        2026, 2, 15, tzinfo=dt.UTC
    )
    assert 500 < _one(c, "SELECT count(*) FROM events") < 2000


def test_cli_rejects_bad_arguments(tmp_path):
    with pytest.raises(SystemExit):
        g.main(["--leads", "0", "--days", "30", "--out", str(tmp_path / "x")])
    with pytest.raises(SystemExit):
        g.main(["--leads", "10", "--days", "30", "--out", str(tmp_path / "x"), "--end-date", "31/02/2026"])
    with pytest.raises(ValueError):
        g.generate(tmp_path / "x", leads=10, days=5, fmt="json")


def test_sales_touches_follow_intent_and_fast_ones_convert_more(con):
    """Speed to lead: leads first touched within a day of their last hand-raise (a pricing visit, a
    form, a demo request) convert far more often than the ones touched later."""
    rows = con.execute(
        """WITH ev AS (
               SELECT lead_id, lower(trim(event_type)) AS type, page_url,
                   try_cast(occurred_at AS TIMESTAMPTZ) AS t
               FROM events),
           first_touch AS (
               SELECT lead_id, min(t) AS touched FROM ev
               WHERE type IN ('sales_call', 'sales_email', 'meeting_booked') GROUP BY 1),
           hand_raise AS (
               SELECT lead_id, max(t) AS raised FROM ev JOIN first_touch USING (lead_id)
               WHERE (page_url LIKE '%/pricing%' OR type IN ('demo_request', 'form_submit'))
                   AND t <= touched
               GROUP BY 1)
           SELECT epoch(touched - raised) / 3600 < 24 AS fast, count(*),
               avg((lead_id IN (SELECT lead_id FROM opportunities))::INT)
           FROM first_touch JOIN hand_raise USING (lead_id)
           GROUP BY 1"""
    ).fetchall()
    by_speed = {fast: (leads, rate) for fast, leads, rate in rows}
    assert by_speed[True][0] > 100 and by_speed[False][0] > 100
    assert by_speed[True][1] > 2 * by_speed[False][1]


def test_sales_touches_come_before_the_first_opportunity_of_converters(con):
    late = _one(
        con,
        """SELECT avg((first_touch > first_opportunity)::INT) FROM (
               SELECT o.lead_id, min(try_cast(o.created_at AS TIMESTAMPTZ)) AS first_opportunity,
                   (SELECT min(try_cast(e.occurred_at AS TIMESTAMPTZ)) FROM events e
                    WHERE e.lead_id = o.lead_id AND e.event_type LIKE 'sales%') AS first_touch
               FROM opportunities o GROUP BY 1)
           WHERE first_touch IS NOT NULL""",
    )
    assert late < 0.05
