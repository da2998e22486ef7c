"""The joint weight fit, in small pieces with hand-computed values (no warehouse needed)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO
from lead_scoring.weights import calibration, metrics, seeds
from lead_scoring.weights.cli import guard
from lead_scoring.weights.data import BacktestRows, feature_arrays
from lead_scoring.weights.fit import (
    Note,
    Term,
    joint_fit,
    points_score,
    scaling_factor,
    summarise_notes,
    term_matrix,
    weights_of,
)
from lead_scoring.weights.holdout import (
    ColdStart,
    Evaluation,
    HoldoutRow,
    Split,
    check_enough_conversions,
    latest_created_split,
    time_split,
)
from lead_scoring.weights.settings import FitSettings, load_settings

RULES = (
    seeds.Rule("fit", "senior", "attribute", 20.0),
    seeds.Rule("behavioral", "demo", "signal", 10.0, cap_points=30.0, event_type="demo_request"),
    seeds.Rule("behavioral", "opens", "signal", 2.0, cap_points=None, event_type="email_open"),
    seeds.Rule("negative", "bounced", "event", 10.0, event_type="email_bounce"),
)
BANDS = [
    seeds.Band("low", 1, None, 30.0, False),
    seeds.Band("nurture", 2, 30.0, 60.0, False),
    seeds.Band("sales_ready", 3, 60.0, None, True),
]


def _rows(
    presence: np.ndarray,
    units: np.ndarray,
    converted: np.ndarray,
    rules=RULES,
    cutoffs=None,
    ends=None,
    total=None,
    leads=None,
    created=None,
) -> BacktestRows:
    count = len(converted)
    day = np.datetime64("2026-01-01")
    first_created = np.datetime64("2025-10-01T00:00:00")
    return BacktestRows(
        cutoff_date=np.full(count, day) if cutoffs is None else cutoffs,
        outcome_window_end_date=np.full(count, day + 90) if ends is None else ends,
        lead_id=np.array([f"L{i:05d}" for i in range(count)]) if leads is None else leads,
        created_at=first_created + np.arange(count).astype("timedelta64[h]") if created is None else created,
        converted=converted.astype(bool),
        total_score=np.zeros(count) if total is None else total,
        tier=np.full(count, "low"),
        rules=rules,
        presence=presence.astype(float),
        units=units.astype(float),
    )


# --- seeds -----------------------------------------------------------------------------------------


def test_format_value_rounds_and_drops_trailing_zeros():
    assert seeds.format_value(12.3456) == "12.35"
    assert seeds.format_value(20.0) == "20"
    assert seeds.format_value(-0.001) == "0"
    assert seeds.format_value(0.53191, 4) == "0.5319"


def test_read_rules_of_the_default_seeds():
    rules = seeds.read_rules(REPO / "seeds" / "scoring", "default")
    by_key = {rule.key: rule for rule in rules}
    assert by_key[("fit", "free_mail_domain")].points == -10
    assert by_key[("behavioral", "time_on_site")].points == 0.5
    assert by_key[("behavioral", "time_on_site")].cap_points == 10
    assert by_key[("negative", "inactive")].rule_type == "inactivity"
    assert [rule.component for rule in rules].count("behavioral") == 9
    bands = seeds.read_tier_bands(REPO / "seeds" / "scoring", "default")
    assert [band.band for band in bands] == ["low", "nurture", "sales_ready"]
    assert seeds.mql_threshold(bands) == 60


def test_write_seed_values_changes_cells_and_adds_then_updates_penalty_rows(tmp_path: Path):
    folder = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds" / "scoring", folder)
    suggestion = seeds.SeedValues(
        {
            ("fit", "senior_title"): (33.333, None),
            ("behavioral", "email_open"): (0.0, 10.0),
            ("behavioral", "time_on_site"): (1.23456, 61.7),
            ("negative", "inactive"): (40.0, None),
        },
        {"email_open": 7.5},
    )
    changes = seeds.write_seed_values(folder, "default", suggestion)
    described = {(change.rule_id, change.column, change.old, change.new) for change in changes}
    assert described == {
        ("senior_title", "points", "20", "33.33"),
        ("email_open", "points_per_unit", "2", "0"),
        ("time_on_site", "points_per_unit", "0.5", "1.2346"),
        ("time_on_site", "cap_points", "10", "61.7"),
        ("inactive", "points", "15", "40"),
        ("email_open_penalty", "(new row)", "", "7.5"),
    }
    penalty = next(
        rule for rule in seeds.read_rules(folder, "default") if rule.rule_id == "email_open_penalty"
    )
    assert (penalty.rule_type, penalty.event_type, penalty.points, penalty.penalty_of) == (
        "event",
        "email_open",
        7.5,
        "email_open",
    )
    assert penalty.reason_label == "email opens (penalty)"
    # a second round updates the existing row instead of adding another
    again = seeds.write_seed_values(
        folder,
        "default",
        seeds.SeedValues({("negative", "email_open_penalty"): (0.0, None)}, {"email_open": 0.0}),
    )
    assert [(c.rule_id, c.old, c.new) for c in again] == [("email_open_penalty", "7.5", "0")]
    assert (folder / "scoring_negative_rules.csv").read_text().count("email_open_penalty") == 1


# --- data ------------------------------------------------------------------------------------------


def test_feature_arrays_scatter_ledger_rows_and_name_rules_without_rows():
    rules = (
        *RULES,
        seeds.Rule("negative", "opens_penalty", "event", 5.0, event_type="email_open", penalty_of="opens"),
    )
    presence, units, missing = feature_arrays(
        rules,
        3,
        np.array([0, 0, 2, 1]),
        np.array(["fit:senior", "behavioral:opens", "behavioral:opens", "fit:unknown_rule"], dtype=object),
        np.array([0.0, 2.5, 4.0, 0.0]),
    )
    assert presence[:, 0].tolist() == [1, 0, 0]
    assert units[:, 2].tolist() == [2.5, 0, 4.0]
    # the penalty row not built yet takes its signal's presence
    assert presence[:, 4].tolist() == [1, 0, 1]
    assert missing == ["behavioral:demo", "negative:bounced", "negative:opens_penalty"]


# --- metrics ---------------------------------------------------------------------------------------


def test_auc_perfect_reversed_and_ties():
    converted = np.array([False, False, True, True])
    assert metrics.auc(converted, np.array([1.0, 2.0, 3.0, 4.0])) == 1.0
    assert metrics.auc(converted, np.array([4.0, 3.0, 2.0, 1.0])) == 0.0
    assert metrics.auc(converted, np.array([5.0, 5.0, 5.0, 5.0])) == 0.5
    assert metrics.auc(np.array([True, True]), np.array([1.0, 2.0])) is None


def test_brier_and_log_loss_hand_computed():
    converted = np.array([True, False])
    probability = np.array([0.75, 0.25])
    assert metrics.brier_score(converted, probability) == pytest.approx(0.0625)
    assert metrics.log_loss(converted, probability, 1e-4) == pytest.approx(-math.log(0.75))
    # clipped at epsilon: a certain wrong answer costs -log(epsilon), not infinity
    assert metrics.log_loss(np.array([True]), np.array([0.0]), 1e-4) == pytest.approx(-math.log(1e-4))


def test_top_decile_lift_takes_the_first_of_ten_bins_with_ties_by_lead_id():
    converted = np.zeros(20, dtype=bool)
    converted[[0, 5]] = True  # base rate 0.1
    score = np.zeros(20)
    score[[0, 1]] = 9.0  # the top bin (2 leads) holds one converter -> rate 0.5, lift 5
    lead_id = np.array([f"L{i:02d}" for i in range(20)])
    assert metrics.top_decile_lift(converted, score, lead_id) == pytest.approx(5.0)


def test_tiers_include_the_lower_bound_and_exclude_the_upper():
    tiers = metrics.tier_of(np.array([-5.0, 29.99, 30.0, 59.99, 60.0]), BANDS)
    assert tiers.tolist() == ["low", "low", "nurture", "nurture", "sales_ready"]
    conversion = metrics.tier_conversion(np.array([True, False, False, True, True]), tiers, BANDS)
    assert conversion == [("low", 2, 0.5), ("nurture", 2, 0.5), ("sales_ready", 1, 1.0)]


# --- fit -------------------------------------------------------------------------------------------


def test_points_score_applies_points_per_unit_caps_penalties_and_disqualifiers():
    presence = np.array([[1, 1, 1, 1], [0, 1, 0, 0]])
    units = np.array([[0, 5.0, 3.0, 0], [0, 1.5, 0, 0]])
    rows = _rows(presence, units, np.array([1, 0]))
    # current: 20 + min(10 x 5, 30) + 2 x 3 - 10 = 46 ; 0 + 15 = 15
    assert points_score(rows, weights_of(rows.rules)).tolist() == [46.0, 15.0]
    suggestion = seeds.SeedValues(
        {
            ("fit", "senior"): (12.5, None),
            ("behavioral", "demo"): (4.0, None),
            ("behavioral", "opens"): (0.0, None),
            ("negative", "bounced"): (0.0, None),
        },
        {"opens": 7.0},
    )
    # 12.5 + 4 x 5 + 0 - 7 (penalty: has email opens) = 25.5 ; 4 x 1.5 = 6
    assert points_score(rows, suggestion).tolist() == [25.5, 6.0]


def test_term_matrix_caps_units_and_reads_presence_for_indicators_and_penalties():
    rows = _rows(np.array([[1, 1, 1, 0]]), np.array([[0, 5.0, 3.0, 0]]), np.array([1]))
    matrix = term_matrix(
        rows,
        [Term(0, "indicator"), Term(1, "capped_units", 2.0), Term(2, "penalty"), Term(2, "capped_units")],
    )
    assert matrix.tolist() == [[1.0, 2.0, 1.0, 3.0]]


def test_scaling_keeps_the_mql_volume_and_falls_back_to_a_fixed_factor():
    linear = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    current = np.array([0.0, 10.0, 20.0, 70.0, 80.0])  # 40% are MQLs at 60
    factor, text = scaling_factor(linear, current, 60.0, 20.0)
    # the 60th percentile of the linear part is 2.4: 60 / 2.4 = 25 points per unit of log-odds
    assert factor == pytest.approx(25.0)
    assert "same MQL volume: 40.0%" in text
    assert scaling_factor(linear, np.zeros(5), 60.0, 20.0)[0] == 20.0  # nobody is an MQL


def test_joint_fit_recovers_signs_and_turns_a_negative_signal_into_a_penalty():
    rng = np.random.default_rng(7)
    count = 6000
    senior = rng.random(count) < 0.4
    demo_units = rng.poisson(0.6, count).astype(float)
    opens_units = rng.poisson(2.0, count).astype(float)
    bounced = rng.random(count) < 0.1
    # truth: senior +1.2, demo +0.8 per unit up to 2 units, opens -0.9 when any, bounced predicts
    # conversion (+0.5): a disqualifier the seeds cannot carry with that sign
    log_odds = -2.0 + 1.2 * senior + 0.8 * np.minimum(demo_units, 2) - 0.9 * (opens_units > 0) + 0.5 * bounced
    converted = rng.random(count) < 1 / (1 + np.exp(-log_odds))
    presence = np.column_stack([senior, demo_units > 0, opens_units > 0, bounced])
    units = np.column_stack([np.zeros(count), demo_units, opens_units, np.zeros(count)])
    current = 20 * senior + np.minimum(10 * demo_units, 30) + 2 * opens_units - 10 * bounced
    rows = _rows(presence, units, converted, total=current)
    result = joint_fit(rows, 60.0, FitSettings())
    values = result.values
    assert values.values[("negative", "bounced")] == (0.0, None)
    assert values.values[("behavioral", "opens")][0] == 0.0
    assert "opens" in values.penalties and values.penalties["opens"] > 0
    senior_points = values.values[("fit", "senior")][0]
    demo_per_unit, demo_cap = values.values[("behavioral", "demo")]
    # the ratios of the truth survive scaling: senior 1.2 vs demo 0.8 per unit
    assert senior_points / demo_per_unit == pytest.approx(1.5, rel=0.25)
    assert values.penalties["opens"] / demo_per_unit == pytest.approx(0.9 / 0.8, rel=0.3)
    assert demo_cap is not None and demo_cap / demo_per_unit <= 3.0  # a cap near 2 units was found
    assert any(
        note.kind == "predicts_conversion" and note.subject == "negative bounced" for note in result.notes
    )


# --- held-out split, cold start, guard --------------------------------------------------------------


def _split_rows() -> BacktestRows:
    cutoffs = np.array(
        ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"], dtype="datetime64[D]"
    )
    cutoff = np.repeat(cutoffs, 2)
    converted = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
    leads = np.array(["A", "B", "A", "B", "C", "B", "D", "B", "E", "B"])
    return _rows(
        np.zeros((10, 4)), np.zeros((10, 4)), converted, cutoffs=cutoff, ends=cutoff + 90, leads=leads
    )


def test_time_split_trains_only_on_cutoffs_whose_outcome_window_ended_before_the_held_out_one():
    split = time_split(_split_rows(), FitSettings(holdout_cutoffs=1))
    assert split.holdout_cutoffs == ("2026-05-01",)
    # 2026-01-01 + 90 = 2026-04-01 and 2026-02-01 + 90 = 2026-05-02: only the first ends in time
    assert split.train_cutoffs == ("2026-01-01",)
    assert split.train_conversions == 1
    two = time_split(_split_rows(), FitSettings(holdout_cutoffs=2))
    assert two.holdout_cutoffs == ("2026-04-01", "2026-05-01")


def test_cold_start_declines_below_the_minimum_with_a_clear_message():
    split = Split(np.ones(1, bool), np.ones(1, bool), ("2026-01-01",), ("2026-05-01",), 119)
    with pytest.raises(
        ColdStart, match=r"only 119 converted leads .* at least 120 \(var fit_min_conversions\)"
    ):
        check_enough_conversions(split, FitSettings(min_conversions=120))
    check_enough_conversions(split, FitSettings(min_conversions=119))


def _evaluation(current_auc: float, suggested_auc: float) -> Evaluation:
    def row(model: str, auc: float) -> HoldoutRow:
        return HoldoutRow(model, 100, 10, 0.1, auc, 0.09, 0.3, 2.0, "")

    split = Split(np.ones(1, bool), np.ones(1, bool), (), (), 200)
    table = [row("current", current_auc), row("suggested", suggested_auc)]
    return Evaluation(split, None, table, None)  # type: ignore[arg-type]


def test_guard_refuses_a_lower_held_out_auc_and_allows_an_equal_one():
    allowed, reason = guard(_evaluation(0.75, 0.74))
    assert not allowed and reason == "suggested held-out AUC 0.740 is lower than the current 0.750"
    assert guard(_evaluation(0.75, 0.75))[0]


def test_settings_come_from_the_project_vars_with_overrides():
    settings = load_settings(REPO / "dbt_project.yml")
    assert (settings.min_conversions, settings.holdout_cutoffs, settings.epsilon) == (120, 1, 0.0001)
    assert load_settings(REPO / "dbt_project.yml", {"fit_min_conversions": 5}).min_conversions == 5


# --- one usable cutoff: the latest-created leads are held out -----------------------------------


def test_one_cutoff_holds_out_the_latest_created_leads_ties_included():
    created = np.datetime64("2025-10-01T00:00:00") + np.array([0, 1, 2, 3, 4, 5, 6, 8, 8, 9]).astype(
        "timedelta64[h]"
    )
    converted = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 1])
    rows = _rows(np.zeros((10, 4)), np.zeros((10, 4)), converted, created=created)
    split = time_split(rows, FitSettings(holdout_cutoffs=1, holdout_lead_share=0.2))
    # 20% of 10 leads = 2: the second latest was created at 08:00, as was the one before it, so
    # all three leads created from 08:00 are held out and the 7 created before train
    assert split.kind == "latest_created_leads"
    assert split.holdout.nonzero()[0].tolist() == [7, 8, 9]
    assert split.train.nonzero()[0].tolist() == [0, 1, 2, 3, 4, 5, 6]
    assert split.holdout_created_from == "2025-10-01 08:00:00"
    assert split.train_conversions == 4  # L00000, L00002, L00004, L00006
    assert split.describe() == (
        "1 usable backtest cutoff(s): held out the 3 most recently created leads of cutoff 2026-01-01 "
        "(created from 2025-10-01 08:00:00); trained on the 7 created before (4 converted leads)"
    )


def test_cutoffs_that_cannot_be_split_fall_back_to_the_latest_created_leads():
    # 5 cutoffs and 5 to hold out: the latest cutoff's two leads split by creation time instead
    split = time_split(_split_rows(), FitSettings(holdout_cutoffs=5, holdout_lead_share=0.2))
    assert (split.kind, split.train_cutoffs, split.holdout_cutoffs) == (
        "latest_created_leads",
        ("2026-05-01",),
        ("2026-05-01",),
    )
    assert split.holdout.nonzero()[0].tolist() == [9] and split.train.nonzero()[0].tolist() == [8]
    assert split.reason == "5 usable backtest cutoff(s)"
    assert time_split(_split_rows(), FitSettings(holdout_cutoffs=0)).reason == "fit_holdout_cutoffs is 0"
    with pytest.raises(ColdStart, match="nothing to train on"):
        same_time = np.full(10, np.datetime64("2025-10-01T00:00:00"))
        latest_created_split(
            _rows(np.zeros((10, 4)), np.zeros((10, 4)), np.ones(10), created=same_time),
            FitSettings(),
            "1 usable backtest cutoff(s)",
        )


# --- overlapping penalties, notes ---------------------------------------------------------------------

MERGE_RULES = (
    seeds.Rule("behavioral", "time_on_site", "signal", 0.5, cap_points=10.0, event_type="page_view"),
    seeds.Rule("behavioral", "page_views", "signal", 1.0, cap_points=10.0, event_type="page_view"),
    seeds.Rule("behavioral", "demo", "signal", 10.0, cap_points=30.0, event_type="demo_request"),
    seeds.Rule(
        "negative", "time_on_site_penalty", "event", 11.69, event_type="page_view", penalty_of="time_on_site"
    ),
    seeds.Rule(
        "negative", "page_views_penalty", "event", 11.69, event_type="page_view", penalty_of="page_views"
    ),
)


def test_signals_on_the_same_events_get_one_penalty_row():
    rng = np.random.default_rng(3)
    count = 4000
    visited = rng.random(count) < 0.6
    minutes = visited * rng.lognormal(1.0, 0.8, count)
    pages = visited * (rng.poisson(2.0, count) + 1)
    demo = rng.random(count) < 0.2
    # visiting at all predicts not converting; more minutes, and a demo, predict converting
    log_odds = -1.0 - 1.0 * visited + 0.1 * np.minimum(minutes, 10) + 1.5 * demo
    converted = rng.random(count) < 1 / (1 + np.exp(-log_odds))
    presence = np.column_stack([visited, visited, demo, visited, visited])
    units = np.column_stack([minutes, pages, demo.astype(float), np.zeros(count), np.zeros(count)])
    rows = _rows(presence, units, converted, rules=MERGE_RULES, total=np.zeros(count))
    result = joint_fit(rows, 60.0, FitSettings())
    # one penalty term for the page views, owned by the first signal on them
    penalties = [position for position, term in enumerate(result.terms) if term.kind == "penalty"]
    assert [result.terms[position].rule_index for position in penalties] == [0]
    magnitude = -result.model.coefficients[penalties[0]] * result.factor
    assert magnitude > 0
    # the first existing penalty row carries all of it; the second row on the same events goes
    assert result.values.values[("negative", "time_on_site_penalty")] == (pytest.approx(magnitude), None)
    assert result.values.values[("negative", "page_views_penalty")] == (0.0, None)
    assert result.values.dropped == {"page_views_penalty"}
    assert result.values.penalties == {}
    merged = [note for note in result.notes if note.kind == "penalties_merged"]
    assert merged == [
        Note("penalties_merged", "negative time_on_site_penalty", "for time_on_site and page_views")
    ]


def test_the_seed_writer_removes_a_merged_penalty_row(tmp_path: Path):
    folder = tmp_path / "seeds"
    shutil.copytree(REPO / "seeds" / "scoring", folder)
    with (folder / "scoring_negative_rules.csv").open("a") as handle:
        handle.write("default,time_on_site_penalty,event,,,,page_view,,,11.69,time on site (penalty)\n")
        handle.write("default,page_views_penalty,event,,,,page_view,,,11.69,page views (penalty)\n")
    suggestion = seeds.SeedValues(
        {
            ("negative", "time_on_site_penalty"): (23.38, None),
            ("negative", "page_views_penalty"): (0.0, None),
        },
        dropped={"page_views_penalty"},
    )
    changes = seeds.write_seed_values(folder, "default", suggestion)
    assert {(c.rule_id, c.column, c.old, c.new) for c in changes} == {
        ("page_views_penalty", "(row removed)", "11.69", ""),
        ("time_on_site_penalty", "points", "11.69", "23.38"),
    }
    text = (folder / "scoring_negative_rules.csv").read_text()
    assert "page_views_penalty" not in text and text.count("time_on_site_penalty,event") == 1


def test_notes_are_summarised_one_line_per_kind():
    notes = [
        Note("no_training_row", "fit target_industry"),
        Note("clamped", "demo_request", "120.00 outside [0, 100]"),
        Note("no_training_row", "behavioral webinar_attended"),
    ]
    assert summarise_notes(notes, {"no_training_row": "2 of them have no backtest ledger row"}) == [
        "value kept: applies to no training row (2): fit target_industry, behavioral webinar_attended; "
        "2 of them have no backtest ledger row",
        "clamped to the seed bounds (1): demo_request (120.00 outside [0, 100])",
    ]


# --- the stored calibration ---------------------------------------------------------------------------


def test_calibration_bins_are_learned_as_dbt_learns_them_and_measured_on_held_out_rows(tmp_path: Path):
    # the numbers of dbt's unit test probability_bins_shrink_each_bin_towards_the_base_rate: scores
    # 10, 20, 30, 40, 2 bins -> edges 10 and 30; base rate 0.75, prior 2: (1 + 1.5) / 4 = 0.625 and
    # (2 + 1.5) / 4 = 0.875
    check = calibration.validate(
        np.array([10.0, 20.0, 30.0, 40.0]),
        np.array([False, True, True, True]),
        np.array([15.0, 30.0]),
        np.array([False, True]),
        bins=2,
        prior_strength=2,
        epsilon=1e-4,
    )
    assert [(b.lower_score, b.upper_score, b.leads, b.conversions) for b in check.bins] == [
        (None, 30.0, 2, 1),
        (30.0, None, 2, 2),
    ]
    assert [b.conversion_probability for b in check.bins] == [0.625, 0.875]
    # held out: 15 -> 0.625 (did not convert), 30 -> 0.875 (converted)
    assert check.brier_score == pytest.approx((0.625**2 + 0.125**2) / 2)
    assert check.largest_bin_gap == pytest.approx(0.625)
    # tied scores straddling two quantiles share one bin, as in SQL
    tied = calibration.learn_bins(np.array([1.0, 1.0, 1.0, 2.0]), np.array([0, 1, 0, 1]), 2, 0)
    assert [(b.lower_score, b.upper_score, b.leads) for b in tied] == [(None, None, 4)]
    # the seed keeps the other models' rows and replaces this model's
    path = calibration.write_seed(tmp_path, "pql", check, "2026-01-01")
    calibration.write_seed(tmp_path, "default", check, "2026-02-01")
    lines = path.read_text().splitlines()
    assert lines[0] == ",".join(calibration.COLUMNS)
    assert lines[1:] == [
        "pql,1,,30,2,1,0.625,2026-01-01,0.203125",
        "pql,2,30,,2,2,0.875,2026-01-01,0.203125",
        "default,1,,30,2,1,0.625,2026-02-01,0.203125",
        "default,2,30,,2,2,0.875,2026-02-01,0.203125",
    ]
