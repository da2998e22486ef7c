"""Tests of the calibration report (lead_scoring.report): pure functions, then the whole page on a
tiny hand-written warehouse (no dbt needed)."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import duckdb
import numpy as np
import pytest
from lead_scoring import report as r
from lead_scoring.report.figures import score_bin_edges

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# ------------------------------------------------------------------------------------------------
# A tiny warehouse with the tables the report reads, shaped like the dbt contracts.
# ------------------------------------------------------------------------------------------------

DDL = """
create schema reports;
create schema marts;
create table reports.rpt_conversion_by_tier (
    scoring_model varchar, is_overall boolean, cutoff_date date, tier varchar, tier_rank integer,
    leads bigint, conversions bigint, conversion_rate double, base_rate double, lift double,
    top_to_bottom_tier_conversion_ratio double
);
create table reports.rpt_model_performance (
    scoring_model varchar, is_overall boolean, cutoff_date date, leads bigint, conversions bigint,
    base_rate double, auc double, brier_score double, log_loss double, mean_predicted_probability double,
    top_bin_conversion_rate double, top_bin_lift double
);
create table reports.rpt_score_reliability (
    scoring_model varchar, is_overall boolean, cutoff_date date, score_bin integer,
    lower_score decimal(18, 2), upper_score decimal(18, 2), leads bigint, conversions bigint,
    mean_total_score double, mean_predicted_probability double, observed_conversion_rate double,
    calibration_gap double
);
create table reports.rpt_threshold_recommendations (
    scoring_model varchar, mql_threshold decimal(18, 2), mql_leads bigint, mql_leads_per_cutoff double,
    mql_conversions bigint, mql_precision double, mql_recall double, below_threshold_conversion_rate double,
    base_rate double, target_precision double, min_mql_leads_per_cutoff integer,
    is_current_threshold boolean, is_recommended boolean
);
create table reports.rpt_signal_lift (
    scoring_model varchar, component varchar, rule_id varchar, reason_label varchar, leads_with bigint,
    conversions_with bigint, conversion_rate_with double, leads_without bigint, conversions_without bigint,
    conversion_rate_without double, lift double, log_odds_ratio double, has_support boolean,
    current_points double, current_cap_points double, mean_points_applied double,
    suggested_mean_points double, suggested_points double, suggested_cap_points double
);
create table reports.rpt_score_drift (
    scoring_model varchar, cutoff_date date, previous_cutoff_date date, leads bigint,
    mean_total_score double, mql_share double, population_stability_index double
);
create table reports.rpt_conversion_by_segment (
    scoring_model varchar, segment_type varchar, segment varchar, leads bigint, conversions bigint,
    conversion_rate double, mean_predicted_probability double, calibration_gap double,
    mean_total_score double, mql_share double
);
create table reports.rpt_account_conversion_by_tier (
    scoring_model varchar, is_overall boolean, cutoff_date date, account_tier varchar,
    account_tier_rank integer, accounts bigint, conversions bigint, conversion_rate double,
    base_rate double, lift double, top_to_bottom_tier_conversion_ratio double
);
create table reports.rpt_account_coverage_conversion (
    scoring_model varchar, is_overall boolean, cutoff_date date, coverage_band varchar,
    coverage_band_rank integer, accounts bigint, mean_buying_group_coverage double, mean_contacts double,
    conversions bigint, conversion_rate double, base_rate double, lift double
);
create table marts.fct_lead_scores (
    scoring_model varchar, lead_id varchar, fit_score decimal(18, 2), behavioral_score decimal(18, 2),
    negative_score decimal(18, 2), total_score decimal(18, 2), tier varchar, tier_rank integer,
    is_mql boolean, conversion_probability double, score_as_of date
);
"""

# 90 live leads with scores from -20 to 158 in steps of 2, tiered at 30 and 60.
LIVE_SCORES = """
insert into marts.fct_lead_scores
select
    'default',
    'lead-' || i,
    score, 0, 0, score,
    case when score < 30 then 'low' when score < 60 then 'nurture' else 'sales_ready' end,
    case when score < 30 then 1 when score < 60 then 2 else 3 end,
    score >= 60,
    0.05,
    date '2026-11-24'
from (select i, cast(i * 2 - 20 as decimal(18, 2)) as score from range(90) as t(i))
"""

BACKTEST_ROWS = """
insert into reports.rpt_conversion_by_tier values
    ('default', true, null, 'low', 1, 600, 12, 0.02, 0.05, 0.4, 5.0),
    ('default', true, null, 'nurture', 2, 300, 18, 0.06, 0.05, 1.2, 5.0),
    ('default', true, null, 'sales_ready', 3, 100, 10, 0.10, 0.05, 2.0, 5.0),
    ('default', false, date '2026-03-01', 'low', 1, 300, 6, 0.02, 0.05, 0.4, 4.0),
    ('default', false, date '2026-03-01', 'nurture', 2, 150, 9, 0.06, 0.05, 1.2, 4.0),
    ('default', false, date '2026-03-01', 'sales_ready', 3, 50, 4, 0.08, 0.05, 1.6, 4.0),
    ('default', false, date '2026-04-01', 'low', 1, 300, 6, 0.02, 0.05, 0.4, 6.0),
    ('default', false, date '2026-04-01', 'nurture', 2, 150, 9, 0.06, 0.05, 1.2, 6.0),
    ('default', false, date '2026-04-01', 'sales_ready', 3, 50, 6, 0.12, 0.05, 2.4, 6.0);
insert into reports.rpt_model_performance values
    ('default', true, null, 1000, 40, 0.04, 0.74, 0.037, 0.16, 0.041, 0.12, 3.0),
    ('default', false, date '2026-03-01', 500, 19, 0.038, 0.71, 0.036, 0.15, 0.040, 0.11, 2.9),
    ('default', false, date '2026-04-01', 500, 21, 0.042, null, null, null, null, null, null);
insert into reports.rpt_score_reliability values
    ('default', true, null, 1, null, 10.00, 250, 2, 0.0, 0.01, 0.008, -0.002),
    ('default', true, null, 2, 10.00, 30.00, 250, 6, 20.0, 0.02, 0.024, 0.004),
    ('default', true, null, 3, 30.00, 60.00, 250, 12, 45.0, 0.05, 0.048, -0.002),
    ('default', true, null, 4, 60.00, null, 250, 20, 90.0, 0.08, 0.080, 0.0),
    ('default', false, date '2026-03-01', 1, null, 10.00, 125, 1, 0.0, 0.01, 0.008, -0.002);
insert into reports.rpt_threshold_recommendations values
    ('default', 40.00, 400, 200, 24, 0.06, 0.60, 0.027, 0.04, 0.10, 20, false, false),
    ('default', 60.00, 250, 125, 20, 0.08, 0.50, 0.027, 0.04, 0.10, 20, true, false),
    ('default', 80.00, 150, 75, 16, 0.107, 0.40, 0.028, 0.04, 0.10, 20, false, true),
    ('default', 100.00, 30, 15, 5, 0.167, 0.125, 0.036, 0.04, 0.10, 20, false, false);
insert into reports.rpt_signal_lift values
    ('default', 'fit', 'senior_title', 'senior title', 300, 21, 0.07, 700, 19, 0.027, 2.6, 1.0, true,
     20, null, 20, 12.0, 12.0, null),
    ('default', 'behavioral', 'demo_request', 'demo request', 100, 9, 0.09, 900, 31, 0.034, 2.6, 1.0, true,
     30, 30, 22, 10.0, 13.6, 13.6),
    ('default', 'negative', 'unsubscribed', 'unsubscribed', 50, 0, 0.0, 950, 40, 0.042, 0.0, -3.0, true,
     20, null, -20, -30.0, 30.0, null),
    ('default', 'negative', 'rare_rule', null, 3, 0, 0.0, 997, 40, 0.04, 0.0, null, false,
     10, null, null, null, null, null);
insert into reports.rpt_score_drift values
    ('default', date '2026-03-01', null, 500, 40.0, 0.25, null),
    ('default', date '2026-04-01', date '2026-03-01', 500, 42.0, 0.26, 0.3);
insert into reports.rpt_conversion_by_segment values
    ('default', 'industry', 'Software', 400, 28, 0.07, 0.05, 0.02, 55.0, 0.3),
    ('default', 'industry', '<b>R&D</b>', 300, 3, 0.01, 0.04, -0.03, 35.0, 0.2),
    ('default', 'country_code', 'SE', 10, 5, 0.5, 0.04, 0.46, 40.0, 0.2),
    ('default', 'lead_source', 'unknown', 290, 4, 0.0138, null, null, 30.0, 0.1);
insert into reports.rpt_account_conversion_by_tier values
    ('default', true, null, 'cold', 1, 800, 40, 0.05, 0.1, 0.5, 8.0),
    ('default', true, null, 'hot', 3, 200, 80, 0.4, 0.1, 4.0, 8.0),
    ('default', false, date '2026-03-01', 'cold', 1, 400, 20, 0.05, 0.1, 0.5, 8.0);
insert into reports.rpt_account_coverage_conversion values
    ('default', true, null, 'none', 1, 300, 0.0, 1.2, 15, 0.05, 0.12, 0.41),
    ('default', true, null, 'complete', 4, 20, 1.0, 7.5, 9, 0.45, 0.12, 3.75);
"""


# Columns the report models compute from the policy seed (and the held-out probabilities), added after
# the rows above so their inserts stay short.
STATUS_COLUMNS = """
alter table reports.rpt_conversion_by_tier add column separation_status varchar;
alter table reports.rpt_model_performance add column held_out_leads bigint;
alter table reports.rpt_model_performance add column held_out_brier_score double;
alter table reports.rpt_model_performance add column held_out_log_loss double;
alter table reports.rpt_model_performance add column auc_status varchar;
alter table reports.rpt_score_reliability add column held_out_leads bigint;
alter table reports.rpt_score_reliability add column mean_held_out_probability double;
alter table reports.rpt_score_reliability add column held_out_observed_conversion_rate double;
alter table reports.rpt_threshold_recommendations add column recommendation_basis varchar;
alter table reports.rpt_threshold_recommendations add column required_precision double;
alter table reports.rpt_score_drift add column psi_status varchar;
create schema seeds;
create table seeds.scoring_calibration_policy as
select 'default' as scoring_model, 0.7 as auc_good_min, 0.6 as auc_weak_min, 3.0 as separation_good_min,
    1.5 as separation_weak_min, 0.1 as psi_moving_min, 0.25 as psi_shifted_min;
"""

STATUS_VALUES = """
-- the status columns the report models compute from the policy seed
update reports.rpt_conversion_by_tier set separation_status = case
    when top_to_bottom_tier_conversion_ratio >= 3 then 'good'
    when top_to_bottom_tier_conversion_ratio >= 1.5 then 'warn' else 'bad' end;
update reports.rpt_model_performance set auc_status = case
    when auc is null then 'unknown' when auc >= 0.7 then 'good' when auc >= 0.6 then 'warn' else 'bad' end,
    held_out_leads = 500, held_out_brier_score = 0.0401, held_out_log_loss = 0.1702;
update reports.rpt_score_reliability set held_out_leads = leads / 2,
    mean_held_out_probability = mean_predicted_probability, held_out_observed_conversion_rate = 0.0123;
update reports.rpt_threshold_recommendations set recommendation_basis = 'target_precision',
    required_precision = target_precision;
update reports.rpt_score_drift set psi_status = case
    when population_stability_index is null then 'first cutoff'
    when population_stability_index < 0.1 then 'stable'
    when population_stability_index <= 0.25 then 'moving' else 'shifted' end;
"""


def build_warehouse(path: Path, with_backtests: bool = True, then: str | None = None) -> Path:
    """A DuckDB file with the report's tables: live scores always, backtest rows when asked; ``then``
    is SQL run last (to break the warehouse)."""
    with duckdb.connect(str(path)) as connection:
        connection.execute(DDL)
        connection.execute(LIVE_SCORES)
        if with_backtests:
            connection.execute(BACKTEST_ROWS)
        connection.execute(STATUS_COLUMNS)
        if with_backtests:
            connection.execute(STATUS_VALUES)
        if then:
            connection.execute(then)
    return path


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (checks the signature first)."""
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert header[12:16] == b"IHDR"
    return struct.unpack(">II", header[16:24])


def assert_self_contained(page: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I), "external src/href"
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", page, re.I), "external script"
    assert "<link" not in page.lower(), "external stylesheet or font"
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page, re.I), "CSS url() to the network"
    assert "@import" not in page
    sources = re.findall(r"""<img[^>]*\bsrc="([^"]*)\"""", page)
    assert sources, "no chart images"
    assert all(source.startswith("data:image/svg+xml;base64,") for source in sources)


# ------------------------------------------------------------------------------------------------
# Pure functions
# ------------------------------------------------------------------------------------------------


def test_cumulative_gains_takes_the_highest_bins_first():
    # bins 1..3 with 50/30/20 leads and 1/3/6 conversions: taking bin 3, then 2, then 1 contacts
    # 20%, 50%, 100% of the leads and catches 6/10, 9/10, 10/10 of the conversions.
    lead_share, conversion_share = r.cumulative_gains([1, 2, 3], [50, 30, 20], [1, 3, 6])
    np.testing.assert_allclose(lead_share, [0.0, 0.2, 0.5, 1.0])
    np.testing.assert_allclose(conversion_share, [0.0, 0.6, 0.9, 1.0])


def test_cumulative_gains_does_not_depend_on_row_order():
    shuffled = r.cumulative_gains([2, 3, 1], [30, 20, 50], [3, 6, 1])
    np.testing.assert_allclose(shuffled[0], [0.0, 0.2, 0.5, 1.0])
    np.testing.assert_allclose(shuffled[1], [0.0, 0.6, 0.9, 1.0])


def test_cumulative_gains_of_a_random_score_is_the_diagonal():
    lead_share, conversion_share = r.cumulative_gains([1, 2, 3, 4], [25, 25, 25, 25], [5, 5, 5, 5])
    np.testing.assert_allclose(lead_share, conversion_share)


@pytest.mark.parametrize(("leads", "conversions"), [([10, 10], [0, 0]), ([0, 0], [0, 0])])
def test_cumulative_gains_needs_leads_and_conversions(leads, conversions):
    with pytest.raises(ValueError, match="at least one"):
        r.cumulative_gains([1, 2], leads, conversions)


def test_gains_points_picks_the_nearest_points_once():
    lead_share = np.array([0.0, 0.0999, 0.2, 0.5, 1.0])
    conversion_share = np.array([0.0, 0.3, 0.5, 0.8, 1.0])
    assert r.gains_points(lead_share, conversion_share, (0.1, 0.2, 0.3)) == [(0.0999, 0.3), (0.2, 0.5)]


@pytest.mark.parametrize(
    ("auc", "status", "words"),
    [
        (0.72, "good", "ranks well"),
        (0.70, "good", "ranks well"),
        (0.65, "warn", "ranks moderately"),
        (0.55, "bad", "barely better than random"),
        (0.40, "bad", "reversed"),
        (None, "unknown", "cannot tell"),
        (float("nan"), "unknown", "cannot tell"),
    ],
)
def test_auc_verdict(auc, status, words):
    # the status comes from rpt_model_performance.auc_status (computed with the policy seed)
    sql_status = (
        "unknown"
        if auc is None or auc != auc
        else ("good" if auc >= 0.7 else "warn" if auc >= 0.6 else "bad")
    )
    verdict = r.auc_verdict(auc, sql_status, r.Policy())
    assert verdict.status == status
    assert words in verdict.text


def test_verdict_words_follow_the_policy_thresholds():
    policy = r.Policy(auc_good_min=0.8, auc_weak_min=0.65, separation_good_min=4, separation_weak_min=2)
    assert r.auc_verdict(0.7, "warn", policy).text == "ranks moderately (AUC 0.70, 0.65 to 0.80)"
    assert (
        "less than the 4× a working model shows"
        in r.separation_verdict(3.0, "warn", "hot", "cold", policy).text
    )


@pytest.mark.parametrize(
    ("rates", "expected"),
    [
        ([0.01, 0.05, 0.10], True),
        ([0.01, 0.10, 0.05], False),
        ([0.05, 0.05, 0.10], False),
        ([0.10], None),
        ([None, 0.10], None),
        ([], None),
    ],
)
def test_tiers_in_order(rates, expected):
    assert r.tiers_in_order(rates) is expected


def test_headline_verdicts_in_plain_words():
    policy = r.Policy()
    verdicts = r.headline_verdicts(
        0.74, "good", True, 4.3, "good", 0.046, 0.046, policy, "sales_ready", "low"
    )
    assert [v.status for v in verdicts] == ["good"] * 4
    assert verdicts[1].text.startswith("yes")
    assert verdicts[2].topic == "sales_ready / low conversion"
    assert "4.3×" in verdicts[2].text
    assert r.overall_verdict(verdicts).startswith("The score predicts conversion")

    weak = r.headline_verdicts(0.58, "bad", False, 1.2, "bad", 0.08, 0.04, policy)
    assert [v.status for v in weak] == ["bad", "bad", "bad", "bad"]
    assert weak[1].text.startswith("no")
    assert "needs work" in r.overall_verdict(weak)

    unknown = r.headline_verdicts(None, "unknown", None, None, "unknown", None, None, policy)
    assert {v.status for v in unknown} == {"unknown"}
    assert "Not enough" in r.overall_verdict(unknown)


@pytest.mark.parametrize(
    ("mean_predicted", "base_rate", "status"),
    [(0.046, 0.046, "good"), (0.052, 0.046, "warn"), (0.08, 0.04, "bad"), (0.05, 0.0, "unknown")],
)
def test_calibration_verdict(mean_predicted, base_rate, status):
    assert r.calibration_verdict(mean_predicted, base_rate).status == status


def test_threshold_advice():
    move = r.threshold_advice(60.0, 100.0, "sales_ready", 0.25, 20)
    assert "sales_ready" in move and "from 60 to 100" in move and r.BANDS_SEED in move
    assert "keep it" in r.threshold_advice(60.0, 60.0, "sales_ready", 0.25, 20)
    none = r.threshold_advice(60.0, None, "sales_ready", 0.25, 20)
    assert "No candidate threshold reaches 25% precision with at least 20 MQLs" in none
    assert r.POLICY_SEED in none
    lift = r.threshold_advice(
        60.0, 80.0, "sales_ready", 0.25, 20, "lift: target_precision is at or below the base rate", 0.76
    )
    assert lift.startswith("The target precision (25%) is at or below the base rate")
    assert "min_mql_lift x the base rate (76%)" in lift and "from 60 to 80" in lift


def test_largest_calibration_gaps_skips_small_segments_and_nulls():
    segments = {
        "leads": np.array([400.0, 300.0, 10.0, 290.0]),
        "calibration_gap": np.array([0.02, -0.03, 0.46, np.nan]),
    }
    positions, enough = r.largest_calibration_gaps(segments, min_leads=50, limit=10)
    assert enough
    assert positions.tolist() == [1, 0]
    positions, enough = r.largest_calibration_gaps(segments, min_leads=1000, limit=2)
    assert not enough
    assert positions.tolist() == [2, 1]


def test_tier_matrix_places_rates_by_tier_and_cutoff():
    frame = {
        "cutoff_date": np.array(["2026-04-01", "2026-03-01", "2026-03-01"], dtype=object),
        "tier": np.array(["low", "low", "high"], dtype=object),
        "tier_rank": np.array([1.0, 1.0, 2.0]),
        "conversion_rate": np.array([0.02, 0.01, 0.2]),
    }
    cutoffs, tiers, matrix = r.tier_matrix(frame)
    assert cutoffs == ["2026-03-01", "2026-04-01"]
    assert tiers == ["low", "high"]
    np.testing.assert_allclose(matrix, [[0.01, 0.02], [0.2, np.nan]])


def test_score_bin_edges_are_round_and_cover_the_scores():
    scores = np.array([-75.0, 3.2, 203.79])
    edges = score_bin_edges(scores)
    step = edges[1] - edges[0]
    assert step in (5.0, 10.0)
    assert edges[0] <= scores.min() and edges[-1] > scores.max()
    assert len(edges) - 1 <= 60
    assert score_bin_edges(np.array([])).tolist() == [0.0, 1.0]


def test_formatting_never_fails_on_nulls():
    for value in (None, float("nan"), np.nan):
        assert r.fmt_pct(value) == r.fmt_num(value) == r.fmt_int(value) == r.fmt_times(value) == "–"
    assert r.fmt_pct(0.0456, 2) == "4.56%"
    assert r.fmt_times(2.554) == "2.55×"


# ------------------------------------------------------------------------------------------------
# The whole report
# ------------------------------------------------------------------------------------------------

ALL_CHARTS = {
    "conversion_by_tier",
    "conversion_by_tier_per_cutoff",
    "reliability_curve",
    "cumulative_gains",
    "score_distribution",
    "mql_thresholds",
    "signal_weights",
}


@pytest.fixture(scope="module")
def full_report(tmp_path_factory) -> tuple[Path, Path]:
    """(warehouse, output folder) of the report on the tiny warehouse with backtests, built once."""
    folder = tmp_path_factory.mktemp("full")
    warehouse = build_warehouse(folder / "tiny.duckdb")
    assert r.main(["--duckdb", str(warehouse), "--out", str(folder / "out")]) == 0
    return warehouse, folder / "out"


def test_report_end_to_end(full_report):
    _, out = full_report
    page = (out / r.HTML_NAME).read_text(encoding="utf-8")
    assert_self_contained(page)
    assert page.count("<img ") == len(ALL_CHARTS)
    # the headline and its verdict
    assert "ranks well (AUC 0.74" in page
    assert "sales_ready / low conversion" in page
    # the threshold table marks both lines, and the advice names the seed and the move
    assert 'class="recommended"' in page and 'class="current"' in page
    assert "from 60 to 80" in page and "seeds/scoring/scoring_bands.csv" in page
    # signal lift: copy instructions, a rule without support keeps its value, a null label falls back
    assert "seeds/scoring/scoring_fit_rules.csv" in page and "keep *" in page and "rare_rule" in page
    # drift: the shifted cutoff is flagged
    assert "shifted" in page and "first cutoff" in page
    # segments: small ones are left out, names are escaped
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in page and "<b>R&D</b>" not in page
    assert ">SE<" not in page
    # accounts: pooled account tiers and coverage bands, the top-to-bottom ratio, not the per-cutoff rows
    accounts = page[page.index('id="accounts"') :]
    assert "Top to bottom account tier: 8.00×" in accounts and "40.00%" in accounts and "45.00%" in accounts
    assert accounts.count(">cold<") == 1 and ">complete<" in accounts and "7.5" in accounts
    # null metrics of a cutoff render as a dash
    assert "–" in page
    assert "Not enough history" not in page

    charts = sorted((out / r.CHARTS_DIR).glob("*.png"))
    assert {path.stem for path in charts} == ALL_CHARTS
    for path in charts:
        assert path.stat().st_size > 1024, path
        width, height = png_size(path)
        assert width > 300 and height > 200, (path, width, height)


def test_report_is_deterministic(full_report, tmp_path):
    warehouse, first = full_report
    second = r.build_report(warehouse, tmp_path / "second")
    assert (first / r.HTML_NAME).read_bytes() == second.html.read_bytes()
    assert len(second.charts) == len(ALL_CHARTS)
    for chart in second.charts:
        assert (first / r.CHARTS_DIR / chart.name).read_bytes() == chart.read_bytes(), chart.name


def test_cli_prints_what_it_wrote(tmp_path, capsys):
    warehouse = build_warehouse(tmp_path / "tiny.duckdb", with_backtests=False)
    assert r.main(["--duckdb", str(warehouse), "--out", str(tmp_path / "out")]) == 0
    assert f"wrote {tmp_path / 'out' / r.HTML_NAME}" in capsys.readouterr().out


def test_report_without_backtests_still_renders(tmp_path):
    warehouse = build_warehouse(tmp_path / "tiny.duckdb", with_backtests=False)
    out = tmp_path / "out"
    (out / r.CHARTS_DIR).mkdir(parents=True)
    (out / r.CHARTS_DIR / "reliability_curve.png").write_bytes(b"stale")
    assert r.main(["--duckdb", str(warehouse), "--out", str(out)]) == 0
    page = (out / r.HTML_NAME).read_text(encoding="utf-8")
    assert_self_contained(page)
    assert "No usable backtest cutoff" in page
    assert "no backtest cutoff" in page
    assert "unvalidated" in page  # no weight fit has been run
    # the live score distribution needs no backtest
    assert [path.name for path in (out / r.CHARTS_DIR).glob("*.png")] == ["score_distribution.png"]
    assert page.count("<img ") == 1


# Every column the contracts allow to be null, set to null.
ALL_NULLABLE_NULL = """
update reports.rpt_conversion_by_tier set base_rate = null, lift = null,
    top_to_bottom_tier_conversion_ratio = null;
update reports.rpt_model_performance set base_rate = null, auc = null, brier_score = null, log_loss = null,
    mean_predicted_probability = null, top_bin_conversion_rate = null, top_bin_lift = null;
update reports.rpt_score_reliability set lower_score = null, upper_score = null, mean_total_score = null,
    mean_predicted_probability = null, observed_conversion_rate = null, calibration_gap = null;
update reports.rpt_threshold_recommendations set mql_leads_per_cutoff = null, mql_precision = null,
    mql_recall = null, below_threshold_conversion_rate = null, base_rate = null, target_precision = null,
    min_mql_leads_per_cutoff = null;
update reports.rpt_signal_lift set reason_label = null, conversion_rate_with = null,
    conversion_rate_without = null, lift = null, log_odds_ratio = null, current_points = null,
    current_cap_points = null, mean_points_applied = null, suggested_mean_points = null,
    suggested_points = null, suggested_cap_points = null;
update reports.rpt_score_drift set previous_cutoff_date = null, mean_total_score = null, mql_share = null,
    population_stability_index = null;
update reports.rpt_conversion_by_segment set conversion_rate = null, mean_predicted_probability = null,
    calibration_gap = null, mean_total_score = null, mql_share = null;
update reports.rpt_account_conversion_by_tier set conversion_rate = null, base_rate = null, lift = null,
    top_to_bottom_tier_conversion_ratio = null, cutoff_date = null, account_tier_rank = null;
update reports.rpt_account_coverage_conversion set coverage_band = null, coverage_band_rank = null,
    mean_buying_group_coverage = null, mean_contacts = null, conversion_rate = null, base_rate = null,
    lift = null;
"""


def test_report_survives_nulls_everywhere_the_contracts_allow(tmp_path):
    warehouse = build_warehouse(tmp_path / "tiny.duckdb", then=ALL_NULLABLE_NULL)
    out = tmp_path / "out"
    assert r.main(["--duckdb", str(warehouse), "--out", str(out)]) == 0
    page = (out / r.HTML_NAME).read_text(encoding="utf-8")
    assert_self_contained(page)
    assert "cannot tell" in page
    assert "from 60 to 80" in page
    assert not re.search(r"(?i:\bnan\b)|\bNone\b", re.sub(r"data:[^\"]+", "", page)), "a null leaked as text"


def test_missing_duckdb_file_exits_2(tmp_path, capsys):
    missing = tmp_path / "nowhere.duckdb"
    assert r.main(["--duckdb", str(missing), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert str(missing) in error and "make build" in error
    assert not (tmp_path / "out").exists()


def test_missing_report_table_exits_2(tmp_path, capsys):
    warehouse = build_warehouse(tmp_path / "tiny.duckdb", then="drop table reports.rpt_score_drift")
    assert r.main(["--duckdb", str(warehouse), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert "no table reports.rpt_score_drift" in error and "make build" in error


def test_missing_report_column_exits_2(tmp_path, capsys):
    warehouse = build_warehouse(
        tmp_path / "tiny.duckdb", then="alter table reports.rpt_signal_lift drop column suggested_points"
    )
    assert r.main(["--duckdb", str(warehouse), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert "reports.rpt_signal_lift" in error and "suggested_points" in error and "make build" in error


def test_unknown_scoring_model_exits_2(tmp_path, capsys):
    warehouse = build_warehouse(tmp_path / "tiny.duckdb")
    assert (
        r.main(["--duckdb", str(warehouse), "--out", str(tmp_path / "out"), "--scoring-model", "nope"]) == 2
    )
    error = capsys.readouterr().err
    assert "'nope'" in error and "default" in error


def test_no_backtest_note_names_each_candidate_cutoff_and_why(tmp_path):
    warehouse = build_warehouse(
        tmp_path / "tiny.duckdb",
        with_backtests=False,
        then="""
            create schema intermediate;
            create table intermediate.int_backtest_cutoff_candidates as
            select date '2026-11-01' as cutoff_date,
                'outcome window incomplete: it ends after the last day of the data' as unusable_reason,
                date '2026-10-01' as first_data_date, date '2026-11-20' as outcomes_known_until
        """,
    )
    out = tmp_path / "out"
    assert r.main(["--duckdb", str(warehouse), "--out", str(out)]) == 0
    page = (out / r.HTML_NAME).read_text(encoding="utf-8")
    assert "cutoff 2026-11-01: outcome window incomplete: it ends after the last day of the data" in page
    assert "The data runs from 2026-10-01 and outcomes are known until 2026-11-20" in page


HOLDOUT_CSV = """model,leads,conversions,base_rate,auc,brier_score,log_loss,top_decile_lift,tier_conversion
current,12041,367,0.030479,0.711913,0.030300,0.137800,2.720000,low 1.6% (7115)
suggested,12041,367,0.030479,0.869958,0.026300,0.105600,5.690000,low 1.3% (10447)
logistic,12041,367,0.030479,0.888000,0.025700,0.101500,6.070000,
gradient_boosting,12041,367,0.030479,0.886000,0.025600,0.100200,6.180000,
"""


def test_weights_section_shows_the_held_out_table_apply_weights_wrote(full_report, tmp_path):
    warehouse, _ = full_report
    weights = tmp_path / "weights"
    weights.mkdir()
    (weights / "holdout_metrics.csv").write_text(HOLDOUT_CSV)
    (weights / "fit_status.json").write_text(
        '{"status": "validated", "scoring_model": "default", "train_cutoffs": ["2026-03-01"], '
        '"holdout_cutoffs": ["2026-09-01"], "train_converted_leads": 789, "scaling_rule": "same MQL volume", '
        '"notes": ["behavioral email_open: predicts not converting"]}'
    )
    out = tmp_path / "out"
    assert r.main(["--duckdb", str(warehouse), "--out", str(out), "--weights-dir", str(weights)]) == 0
    page = (out / r.HTML_NAME).read_text(encoding="utf-8")
    section = page[page.index('<section id="weights">') :]
    section = section[: section.index("</section>")]
    assert "Fitted on the cutoffs 2026-03-01 (789 converted leads)" in section
    assert "held-out cutoff(s) 2026-09-01" in section
    assert "validated" in section and "unvalidated" not in section
    for value in ("0.712", "0.870", "0.888", "0.886", "5.69×"):
        assert value in section
    assert "unconstrained logistic regression, same features" in section
    assert "behavioral email_open: predicts not converting" in section


def test_weights_section_says_unvalidated_when_the_fit_declined(full_report, tmp_path):
    warehouse, _ = full_report
    weights = tmp_path / "out" / "weights"
    weights.mkdir(parents=True)
    (weights / "fit_status.json").write_text(
        '{"status": "declined", "scoring_model": "default", "reason": "only 12 converted leads"}'
    )
    assert r.main(["--duckdb", str(warehouse), "--out", str(tmp_path / "out")]) == 0
    page = (tmp_path / "out" / r.HTML_NAME).read_text(encoding="utf-8")
    assert "<strong>unvalidated</strong>: the fit declined. only 12 converted leads" in page


MODEL_COMPARISON = """
create table reports.rpt_scoring_model_comparison as
select * from (values
    ('default', true, null::date, 1000, 40, 0.04, 0.74, 'good', 3.0, 250, 0.25, 0.08, 2.0, 0.5, 2),
    ('pql', true, null::date, 1000, 40, 0.04, 0.81, 'good', 4.2, 90, 0.09, 0.2, 5.0, 0.45, 1),
    ('default', false, date '2026-03-01', 500, 19, 0.038, 0.71, 'good', 2.9, 120, 0.24, 0.075, 1.97, 0.47, 1),
    ('pql', false, date '2026-03-01', 500, 19, 0.038, null, 'unknown', null, 0, 0.0, null, null, 0.0, null)
) as t(scoring_model, is_overall, cutoff_date, leads, conversions, base_rate, auc, auc_status, top_bin_lift,
       mql_leads, mql_share, mql_conversion_rate, mql_lift, mql_recall, auc_rank)
"""


def _section(page: str, anchor: str) -> str:
    section = page[page.index(f'<section id="{anchor}">') :]
    return section[: section.index("</section>")]


def test_models_section_puts_every_model_side_by_side(tmp_path):
    warehouse = build_warehouse(tmp_path / "tiny.duckdb", then=MODEL_COMPARISON)
    page = r.build_report(warehouse, tmp_path / "out").html.read_text(encoding="utf-8")
    section = _section(page, "models")
    assert "(default, pql)" in section
    # the page's own model in bold, the best AUC per cutoff tagged (pql pooled, default at the cutoff)
    assert "<strong>default</strong>" in section and "<strong>pql</strong>" not in section
    assert section.count("best AUC") == 2
    rows = section.split("<tr")[2:]  # header row skipped
    assert [("all cutoffs" in row, ">pql<" in row or "<strong>pql" in row) for row in rows] == [
        (True, False),
        (True, True),
        (False, False),
        (False, True),
    ]
    assert "0.810" in rows[1] and "9.0%" in rows[1] and "5.00×" in rows[1]
    # a model without an AUC at a cutoff shows dashes, not a crash
    assert "–" in rows[3]
    assert "product_qualified" in section and "analyses/compare_scoring_models.sql" in section


def test_models_section_says_when_the_comparison_is_missing(full_report):
    _, out = full_report
    section = _section((out / r.HTML_NAME).read_text(encoding="utf-8"), "models")
    assert "No comparison" in section and "rpt_scoring_model_comparison" in section


# ------------------------------------------------------------------------------------------------
# A one-snapshot export: no usable cutoff, a stored calibration, an inactive model
# ------------------------------------------------------------------------------------------------

NO_CUTOFF_WITH_STORED_CALIBRATION = """
create schema intermediate;
create table intermediate.int_backtest_cutoff_candidates as
select date '2026-09-01' as cutoff_date,
    'too little history before the cutoff' as unusable_reason,
    date '2026-08-06' as first_data_date, date '2026-12-03' as outcomes_known_until,
    90 as outcome_window_days, 33 as longest_usable_outcome_window_days;
create table intermediate.int_scoring_models_matched_to_events as
select * from (values ('default', true, 'email_open'), ('pql', false, 'active_days, trial_started'))
    as t(scoring_model, is_active, own_signal_list);
create table reports.rpt_score_calibrations as
select * from (values
    ('default', 'stored_fit', 1, null, 10.5, 300, 40, 0.141, date '2026-11-01', 0.2234, true),
    ('default', 'stored_fit', 2, 10.5, null, 300, 160, 0.52, date '2026-11-01', 0.2234, true)
) as t(scoring_model, calibration_source, score_bin, lower_score, upper_score, leads, conversions,
       conversion_probability, fitted_cutoff_date, held_out_brier_score, is_used)
"""


def test_without_a_cutoff_the_report_names_the_window_and_the_stored_calibration(tmp_path):
    warehouse = build_warehouse(
        tmp_path / "tiny.duckdb", with_backtests=False, then=NO_CUTOFF_WITH_STORED_CALIBRATION
    )
    page = r.build_report(warehouse, tmp_path / "out").html.read_text(encoding="utf-8")
    headline = _section(page, "headline")
    assert "the longest that leaves this data a cutoff is 33 days" in headline
    assert "<code>make build OUTCOME_WINDOW_DAYS=33</code>" in headline
    assert "Inactive on this data" not in headline  # default's own signals have events
    section = _section(page, "calibrations")
    assert (
        "stored by the last weight fit</strong> (learned at its cutoff 2026-11-01, held-out Brier 0.2234)"
        in section
    )
    rows = section.split("<tr")[2:]
    assert len(rows) == 2 and all(">yes<" in row for row in rows)
    assert "14.10%" in rows[0] and "52.00%" in rows[1] and "10.5" in rows[0]


def test_an_inactive_model_says_so_and_a_missing_calibration_says_the_probabilities_are_null(tmp_path):
    warehouse = build_warehouse(
        tmp_path / "tiny.duckdb", with_backtests=False, then=NO_CUTOFF_WITH_STORED_CALIBRATION
    )
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("update marts.fct_lead_scores set scoring_model = 'pql'")
    page = r.build_report(warehouse, tmp_path / "out", scoring_model="pql").html.read_text(encoding="utf-8")
    assert (
        "Inactive on this data:</strong> none of this model's own signals (active_days, trial_started)"
        in (_section(page, "headline"))
    )
    assert "No calibration: the live <code>conversion_probability</code> is null" in _section(
        page, "calibrations"
    )


def test_both_calibrations_are_listed_and_the_backtests_one_is_used(full_report, tmp_path):
    warehouse, _ = full_report
    copy = tmp_path / "both.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as connection:
        connection.execute(
            """
            create table reports.rpt_score_calibrations as
            select * from (values
                ('default', 'backtests', 1, null, 40.0, 500, 10, 0.02, null::date, null::double, true),
                ('default', 'backtests', 2, 40.0, null, 500, 30, 0.06, null::date, null::double, true),
                ('default', 'stored_fit', 1, null, 35.0, 300, 5, 0.018, date '2026-03-01', 0.03, false)
            ) as t(scoring_model, calibration_source, score_bin, lower_score, upper_score, leads,
                   conversions, conversion_probability, fitted_cutoff_date, held_out_brier_score, is_used)
            """
        )
    section = _section(
        r.build_report(copy, tmp_path / "out").html.read_text(encoding="utf-8"), "calibrations"
    )
    assert "use the one <strong>learned from this warehouse's backtests</strong>" in section
    rows = section.split("<tr")[2:]
    assert [(">yes<" in row, "stored by the last weight fit" in row) for row in rows] == [
        (True, False),
        (True, False),
        (False, True),
    ]


def test_weights_section_describes_a_split_by_creation_time(full_report, tmp_path):
    warehouse, _ = full_report
    weights = tmp_path / "weights"
    weights.mkdir()
    (weights / "holdout_metrics.csv").write_text(HOLDOUT_CSV)
    description = (
        "1 usable backtest cutoff(s): held out the 1,312 most recently created leads of cutoff 2026-11-01 "
        "(created from 2026-10-15 01:18:59); trained on the 5,246 created before (1969 converted leads)"
    )
    (weights / "fit_status.json").write_text(
        '{"status": "validated", "scoring_model": "default", "split": "latest_created_leads", '
        f'"split_description": "{description}", "scaling_rule": "fixed factor", '
        '"calibration": {"bins": 9, "held_out_brier_score": 0.223433, "largest_bin_gap": 0.109}}'
    )
    out = tmp_path / "out"
    assert r.main(["--duckdb", str(warehouse), "--out", str(out), "--weights-dir", str(weights)]) == 0
    section = _section((out / r.HTML_NAME).read_text(encoding="utf-8"), "weights")
    assert f"{description}. Suggested weights: validated" in section
    assert "(9 score bins) has a held-out Brier score of 0.2234 and a largest bin gap of 10.9%" in section
