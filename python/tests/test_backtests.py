"""Backtests are leakage-free, and the live score on the fixture is the published worked example."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
from conftest import copy_fixture, run_dbt

BACKTEST_TABLES = {
    "intermediate.int_backtest_score_ledger": "as_of_date, scoring_model, lead_id, component, rule_id",
    "intermediate.int_backtest_scores": "cutoff_date, scoring_model, lead_id",
}


def _rows(database: Path, table: str, order: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(f"select * from {table} order by {order}").fetchall()


def test_events_after_a_cutoff_change_none_of_its_scores(tmp_path: Path):
    select = [
        "build",
        "--select",
        "+int_backtest_scores",
        "+int_backtest_score_ledger",
        "+fct_lead_scores",
        "--exclude-resource-type",
        "test",
        "unit_test",
    ]
    before = tmp_path / "before.duckdb"
    run_dbt(select, before, copy_fixture("messy", tmp_path / "a"))

    with duckdb.connect(str(before), read_only=True) as connection:
        cutoffs = connection.sql("select min(cutoff_date) from intermediate.int_backtest_cutoffs").fetchone()
    assert cutoffs[0] is not None, "the fixture must yield at least one backtest cutoff"
    cutoff = cutoffs[0].isoformat()

    # Heavy activity from the cutoff day on, for leads scored at the cutoff: it must not leak back.
    raw = copy_fixture("messy", tmp_path / "b")
    with (raw / "events.csv").open("a") as events:
        for number, lead in enumerate(["L001", "L002", "L006", "L013"]):
            events.write(f"X{number}a,{lead},demo_request,{cutoff}T00:00:00Z,,\n")
            events.write(f"X{number}b,{lead},page_view,{cutoff}T08:00:00Z,/pricing,600\n")
            events.write(f"X{number}c,{lead},email_unsubscribe,2026-06-15T00:00:00Z,,\n")
    after = tmp_path / "after.duckdb"
    run_dbt(select, after, raw)

    for table, order in BACKTEST_TABLES.items():
        assert _rows(before, table, order) == _rows(after, table, order), table
    # ...while the live score, as of a date after those events, does see them
    live = "marts.fct_lead_scores"
    assert _rows(before, live, "lead_id") != _rows(after, live, "lead_id")


def test_worked_example_scores_sixty_and_is_sales_ready(messy: duckdb.DuckDBPyConnection):
    """A Director in a target industry at a 200-person company who clicked one email and visited the
    pricing page on the scoring date: 20 + 15 + 10 + 5 + 10 = 60, sales_ready."""
    row = messy.sql(
        "select fit_score, behavioral_score, negative_score, total_score, tier, is_mql, fit_grade, "
        "top_reasons "
        "from marts.fct_lead_scores where lead_id = 'L001' and scoring_model = 'default'"
    ).fetchone()
    assert row == (
        45,
        15,
        0,
        60,
        "sales_ready",
        True,
        "A",
        "senior title (+20); target industry (+15); pricing page visits (+10)",
    )
    ledger = messy.sql(
        "select rule_id, points from marts.fct_lead_score_ledger "
        "where lead_id = 'L001' and scoring_model = 'default' and points <> 0 order by 1"
    ).fetchall()
    assert ledger == [
        ("email_click", 5.0),
        ("ideal_company_size", 10.0),
        ("pricing_page_view", 10.0),
        ("senior_title", 20.0),
        ("target_industry", 15.0),
    ]


def test_pql_scores_the_fixture_product_events_by_hand(messy: duckdb.DuckDBPyConnection):
    """L003's product events (data/fixtures/messy/events.csv, P001-P008) as of 2026-06-30, pql model.

    Logins on 06-22 (two: one active day), 06-23 and 06-30 (P008 on 07-01 is after the scoring
    date): 4 x (0.5^(8/14) + 0.5^(7/14) + 1) = 9.5202; /app/reports on 06-23: any feature
    0.5^(7/14) = 0.7071 and the key feature 6 x 0.5^(7/21) = 4.7622; an invite on 06-30: 15; a trial
    started 06-22: 15 x 0.5^(8/45) = 13.2610. Behavioral 43.25; fit 10 + 10 + 5 - 5 = 20; total
    63.25, product_qualified (from 50). default is untouched by product events: 15.69, low.
    """
    ledger = messy.sql(
        "select rule_id, event_count, round(points, 4) from marts.fct_lead_score_ledger "
        "where scoring_model = 'pql' and lead_id = 'L003' and component = 'behavioral' order by 1"
    ).fetchall()
    assert ledger == [
        ("active_days", 4, 9.5202),
        ("feature_used", 1, 0.7071),
        ("key_feature_reports", 1, 4.7622),
        ("teammate_invited", 1, 15.0),
        ("trial_started", 1, 13.261),
    ]
    scores = messy.sql(
        "select scoring_model, fit_score, behavioral_score, negative_score, total_score, tier, is_mql "
        "from marts.fct_lead_scores where lead_id = 'L003' order by 1"
    ).fetchall()
    assert scores == [
        ("default", 25, Decimal("10.69"), 20, Decimal("15.69"), "low", False),
        ("pql", 20, Decimal("43.25"), 0, Decimal("63.25"), "product_qualified", True),
    ]
    # L001: a login (4), /App/Integrations/ (any feature 1, key feature 8) and its pricing visit (5)
    assert messy.sql(
        "select total_score, tier from marts.fct_lead_scores where lead_id = 'L001' and scoring_model = 'pql'"
    ).fetchone() == (43, "activated")


def test_ledger_sums_to_the_components_for_every_lead(messy: duckdb.DuckDBPyConnection):
    mismatches = messy.sql(
        """
        select scores.lead_id
        from marts.fct_lead_scores as scores
        left join (
            select
                scoring_model, lead_id,
                sum(points) filter (where component = 'fit') as fit,
                sum(points) filter (where component = 'behavioral') as behavioral,
                sum(points) filter (where component = 'negative') as negative,
                sum(signed_points) as total
            from marts.fct_lead_score_ledger group by all
        ) as ledger using (scoring_model, lead_id)
        where round(coalesce(ledger.fit, 0), 2) <> scores.fit_score
            or round(coalesce(ledger.behavioral, 0), 2) <> scores.behavioral_score
            or round(coalesce(ledger.negative, 0), 2) <> scores.negative_score
            or abs(coalesce(ledger.total, 0) - scores.total_score) > 0.015
        """
    ).fetchall()
    assert mismatches == []
    # 7 leads, once per scoring model (default and pql)
    assert messy.sql("select count(*) from marts.fct_lead_scores").fetchone() == (7 * 2,)
