"""The generator's product-led segment (lead_scoring.generate.product) and the package split.

The planted truth the pql scoring model is there to find: product-led leads that are active on
many days and invite teammates convert far more often than the ones that try the product once.
Checked on a 5,000-lead sample (about a second to generate).
"""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import re
from pathlib import Path

import duckdb
import pytest
from lead_scoring import generate as g
from lead_scoring.common.progress import Progress
from lead_scoring.generate import product, sql, vocabulary

REPO = Path(__file__).resolve().parents[2]
END = dt.date(2026, 6, 30)
PRODUCT_TYPES = ("product_login", "feature_used", "seat_invited", "trial_started", "trial_converted")


def _generate(folder: Path, leads: int = 5000, **kwargs) -> dict[str, int]:
    return g.generate(folder, leads=leads, days=365, seed=42, end_date=END, threads=2, **kwargs)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("product")
    folders = {"default": base / "default", "none": base / "none", "half": base / "half"}
    _generate(folders["default"])
    _generate(folders["none"], product_led_share=0.0)
    _generate(folders["half"], product_led_share=0.6)
    return folders


def _connect(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for table in ("leads", "events", "opportunities"):
        con.execute(
            f"create view {table} as select * from read_csv('{folder}/{table}.csv', header = true, "
            "all_varchar = true, delim = ',')"
        )
    return con


def test_without_product_led_leads_every_other_row_is_unchanged(sample):
    default, none = sample["default"], sample["none"]
    assert filecmp.cmp(default / "leads.csv", none / "leads.csv", shallow=False)
    assert filecmp.cmp(default / "opportunities.csv", none / "opportunities.csv", shallow=False)
    with_product = (default / "events.csv").read_text().splitlines()
    without = (none / "events.csv").read_text().splitlines()
    assert not any(line.startswith("prd_") for line in without)
    # the product rows are inserted, in their lead's place; every other row keeps its order
    assert [line for line in with_product if not line.startswith("prd_")] == without
    assert len(with_product) - len(without) > 10_000


def test_product_event_types_are_known_to_the_event_types_seed(sample):
    with open(REPO / "seeds" / "reference" / "event_types.csv", newline="") as handle:
        seed = {row["event_type"]: row for row in csv.DictReader(handle)}
    assert set(g.EVENT_TYPES) <= set(seed)
    for event_type in PRODUCT_TYPES:
        assert seed[event_type]["is_engagement"] == "true" and seed[event_type]["is_sales_touch"] == "false"
    con = _connect(sample["default"])
    written = {
        row[0]
        for row in con.execute(
            "select distinct event_type from events where event_id like 'prd_%'"
        ).fetchall()
    }
    assert written == set(PRODUCT_TYPES)


@pytest.mark.parametrize(
    ("name", "share"), [("default", vocabulary.DEFAULT_PRODUCT_LED_SHARE), ("half", 0.6)]
)
def test_the_segment_is_the_share_asked_for(sample, name, share):
    con = _connect(sample[name])
    leads_with_events, product_led = con.execute(
        "select count(distinct lead_id), count(distinct lead_id) filter (where event_type = 'trial_started') "
        "from events where lead_id in (select lead_id from leads)"
    ).fetchone()
    assert product_led / leads_with_events == pytest.approx(share, abs=0.03)


def test_product_events_are_clean_and_in_the_period(sample):
    con = _connect(sample["default"])
    bad = con.execute(
        """select count(*) from events where event_id like 'prd_%' and (
               try_cast(occurred_at as timestamptz) is null
               or try_cast(occurred_at as timestamptz) > timestamptz '2026-06-30 23:59:59+00'
               or try_cast(occurred_at as timestamptz) < timestamptz '2025-07-01 00:00:00+00'
               or duration_seconds is not null)"""
    ).fetchone()[0]
    assert bad == 0
    ids = con.execute(
        "select count(*), count(distinct event_id) from events where event_id like 'prd_%'"
    ).fetchone()
    assert ids[0] == ids[1]
    # every feature_used names its feature as a path under /app/ (sometimes with the app's host)
    paths = {
        re.sub(r"^https://[^/]+", "", row[0])
        for row in con.execute(
            "select distinct page_url from events where event_type = 'feature_used'"
        ).fetchall()
    }
    assert paths == {path for path, _, _ in vocabulary.PRODUCT_FEATURES}


def test_active_product_led_leads_that_invite_teammates_convert_more(sample):
    """The planted truth: among product-led leads, conversion rises with active days and invites."""
    con = _connect(sample["default"])
    rows = con.execute(
        """with usage as (
               select lead_id,
                   count(distinct case when event_type = 'product_login'
                         then cast(try_cast(occurred_at as timestamptz) as date) end) as active_days,
                   count(*) filter (where event_type = 'seat_invited') as invites
               from events where event_id like 'prd_%' group by lead_id),
           converted as (select distinct lead_id from opportunities)
           select active_days >= 5 as is_active, invites > 0 as has_invited, count(*) as leads,
               avg((lead_id in (select lead_id from converted))::integer) as conversion
           from usage group by all"""
    ).fetchall()
    rate = {(active, invited): (leads, conversion) for active, invited, leads, conversion in rows}
    assert all(leads >= 100 for leads, _ in rate.values()), rate
    active = [rate[(True, invited)][1] for invited in (False, True)]
    inactive = [rate[(False, invited)][1] for invited in (False, True)]
    assert min(active) > 3 * max(inactive)
    assert rate[(True, True)][1] > 1.3 * rate[(True, False)][1]


def test_a_converting_lead_uses_the_product_before_its_opportunity(sample):
    con = _connect(sample["default"])
    before = con.execute(
        """with first_opportunity as (
               select lead_id, min(try_cast(created_at as timestamptz)) as opened
               from opportunities group by lead_id)
           select avg((try_cast(events.occurred_at as timestamptz) <= first_opportunity.opened)::integer)
           from events inner join first_opportunity on events.lead_id = first_opportunity.lead_id
           where events.event_id like 'prd_%' and events.event_type not in ('trial_converted')"""
    ).fetchone()[0]
    assert before > 0.95
    converted_after = con.execute(
        """select bool_and(try_cast(events.occurred_at as timestamptz) >= opened)
           from events inner join (select lead_id, min(try_cast(created_at as timestamptz)) as opened
                                   from opportunities group by lead_id) as first_opportunity
               on events.lead_id = first_opportunity.lead_id
           where events.event_type = 'trial_converted'"""
    ).fetchone()[0]
    assert converted_after


def test_progress_lines_name_each_entity_with_rows_and_seconds(tmp_path, capsys):
    code = g.main(
        ["--leads", "300", "--days", "30", "--out", str(tmp_path / "raw"), "--end-date", "2026-06-30"]
    )
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    progress = [line for line in lines if re.match(r"^\d\d:\d\d:\d\d  ", line)]
    labels = [re.sub(r" \.{3,}.*$", "", line[10:]) for line in progress]
    assert labels == [
        "companies",
        "leads",
        "hidden truth (fit, intent, converters, product-led segment)",
        "write leads (csv)",
        "write opportunities (csv)",
        "write events (csv), chunk 1 of 1",
    ]
    assert re.search(r"\[300 rows in \d+\.\d\ds\]$", progress[1])
    assert re.search(r"\[[\d,]+ rows in \d+\.\d\ds \([\d,]+ product usage\)\]$", progress[-1])
    g.main(["--leads", "300", "--days", "30", "--out", str(tmp_path / "raw"), "--quiet"])
    assert not [line for line in capsys.readouterr().out.splitlines() if re.match(r"^\d\d:\d\d:\d\d  ", line)]


def test_product_led_share_must_be_a_share(tmp_path):
    with pytest.raises(SystemExit):
        g.main(["--leads", "10", "--days", "5", "--out", str(tmp_path / "x"), "--product-led-share", "1.5"])
    with pytest.raises(ValueError, match="product_led_share"):
        g.generate(tmp_path / "x", leads=10, days=5, product_led_share=-0.1)


def test_sql_helpers_pick_by_weight():
    con = duckdb.connect()
    expression = sql.pick("u", [("'a'", 1), ("'b'", 3)])
    picked = [
        con.execute(f"select {expression} from (select {u} as u)").fetchone()[0]
        for u in (0.0, 0.24, 0.26, 0.99)
    ]
    assert picked == ["a", "a", "b", "b"]
    assert con.execute(f"select {sql.pick_uniform('0.5', ['x', 'y', 'z'])}").fetchone()[0] == "y"
    assert sql.quote("O'Brien") == "'O''Brien'" and sql.quote(None) == "null"
    # linear weights a + b * heat: at heat 1 the second option takes (0.1 + 0.9) / 2 of the mass
    linear = sql.pick_linear("u", "heat", [("'cold'", 1.0, -0.9), ("'hot'", 0.0, 0.9)])
    assert con.execute(f"select {linear} from (select 0.2 as u, 1.0 as heat)").fetchone()[0] == "hot"
    assert con.execute(f"select {linear} from (select 0.2 as u, 0.0 as heat)").fetchone()[0] == "cold"


def test_product_feature_weights_stay_positive_for_any_usage():
    for path, a, b in vocabulary.PRODUCT_FEATURES:
        assert path.startswith("/app/")
        assert a > 0 and a + b > 0, path
    assert product.SLOT_FEATURES + vocabulary.MAX_ACTIVE_DAYS <= product.SLOTS
    assert product.SLOT_LOGINS + 2 * vocabulary.MAX_ACTIVE_DAYS <= product.SLOT_FEATURES
    assert product.SLOT_INVITES + vocabulary.MAX_SEATS_INVITED <= product.SLOT_LOGINS


def test_progress_prints_nothing_without_a_sink():
    lines: list[str] = []
    with Progress(lines.append).step("leads") as step:
        step["rows"] = 1234
    with Progress(None).step("leads") as step:
        step["rows"] = 1
    assert len(lines) == 1 and re.match(r"^\d\d:\d\d:\d\d  leads \.+ \[1,234 rows in \d+\.\d\ds\]$", lines[0])
