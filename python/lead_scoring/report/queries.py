"""Reading the warehouse: the relations and queries the report reads, and the data it holds."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

HTML_NAME = "calibration_report.html"
SCREENSHOT_NAME = "calibration_report.png"
CHARTS_DIR = "charts"

# Every relation the report reads (contracts in models/reports/calibration/_calibration__models.yml
# and models/marts/scoring/_scoring__models.yml); a missing column surfaces when QUERIES run.
REQUIRED_TABLES = (
    "reports.rpt_conversion_by_tier",
    "reports.rpt_model_performance",
    "reports.rpt_score_reliability",
    "reports.rpt_threshold_recommendations",
    "reports.rpt_signal_lift",
    "reports.rpt_score_drift",
    "reports.rpt_conversion_by_segment",
    "reports.rpt_account_conversion_by_tier",
    "reports.rpt_account_coverage_conversion",
    "marts.fct_lead_scores",
    "seeds.scoring_calibration_policy",
)

# Why no backtest cutoff could be used (read when the reports are empty; optional).
CUTOFF_CANDIDATES = """
    select cast(cutoff_date as varchar) as cutoff_date, unusable_reason,
        cast(first_data_date as varchar) as first_data_date,
        cast(outcomes_known_until as varchar) as outcomes_known_until
    from intermediate.int_backtest_cutoff_candidates
    where $model is not null
    order by cutoff_date
"""

# The longest outcome window that leaves a usable cutoff (read with the candidates; optional).
OUTCOME_WINDOWS = """
    select
        max(outcome_window_days) as outcome_window_days,
        max(longest_usable_outcome_window_days) as longest_usable_outcome_window_days
    from intermediate.int_backtest_cutoff_candidates
    where $model is not null
"""

# Both score-to-probability calibrations of the model, and which one the live probabilities use
# (optional: warehouses built before rpt_score_calibrations existed show neither).
CALIBRATIONS = """
    select
        calibration_source,
        score_bin,
        cast(lower_score as double) as lower_score,
        cast(upper_score as double) as upper_score,
        leads,
        conversions,
        conversion_probability,
        cast(fitted_cutoff_date as varchar) as fitted_cutoff_date,
        held_out_brier_score,
        is_used
    from reports.rpt_score_calibrations
    where scoring_model = $model
    order by calibration_source, score_bin
"""

# Whether the data has events for what the model measures (optional, like the candidates).
MODEL_ACTIVITY = """
    select is_active, own_signal_list
    from intermediate.int_scoring_models_matched_to_events
    where scoring_model = $model
"""

# Every scoring model on the same backtests, side by side (optional: warehouses built before the
# report model existed show no comparison). $model is unused: every model is listed.
MODEL_COMPARISON = """
    select
        scoring_model,
        is_overall,
        cast(cutoff_date as varchar) as cutoff_date,
        leads,
        conversions,
        base_rate,
        auc,
        auc_status,
        top_bin_lift,
        mql_leads,
        mql_share,
        mql_conversion_rate,
        mql_lift,
        mql_recall,
        auc_rank
    from reports.rpt_scoring_model_comparison
    where $model is not null
    order by is_overall desc, cutoff_date, scoring_model
"""

# What lead_scoring.weights.cli writes (lead-scoring weights --out DIR).
WEIGHTS_TABLE = "holdout_metrics.csv"
WEIGHTS_STATUS = "fit_status.json"

QUERIES: dict[str, str] = {
    "tiers": """
        select
            is_overall,
            cast(cutoff_date as varchar) as cutoff_date,
            tier,
            tier_rank,
            leads,
            conversions,
            conversion_rate,
            base_rate,
            lift,
            top_to_bottom_tier_conversion_ratio,
            separation_status
        from reports.rpt_conversion_by_tier
        where scoring_model = $model
        order by is_overall desc, cutoff_date, tier_rank
    """,
    "performance": """
        select
            is_overall,
            cast(cutoff_date as varchar) as cutoff_date,
            leads,
            conversions,
            base_rate,
            auc,
            brier_score,
            log_loss,
            mean_predicted_probability,
            top_bin_conversion_rate,
            top_bin_lift,
            held_out_leads,
            held_out_brier_score,
            held_out_log_loss,
            auc_status
        from reports.rpt_model_performance
        where scoring_model = $model
        order by is_overall desc, cutoff_date
    """,
    "reliability": """
        select
            score_bin,
            cast(lower_score as double) as lower_score,
            cast(upper_score as double) as upper_score,
            leads,
            conversions,
            mean_total_score,
            mean_predicted_probability,
            observed_conversion_rate,
            calibration_gap,
            held_out_leads,
            mean_held_out_probability,
            held_out_observed_conversion_rate
        from reports.rpt_score_reliability
        where scoring_model = $model and is_overall
        order by score_bin
    """,
    "thresholds": """
        select
            cast(mql_threshold as double) as mql_threshold,
            mql_leads,
            mql_leads_per_cutoff,
            mql_conversions,
            mql_precision,
            mql_recall,
            below_threshold_conversion_rate,
            base_rate,
            target_precision,
            min_mql_leads_per_cutoff,
            is_current_threshold,
            is_recommended,
            recommendation_basis,
            required_precision
        from reports.rpt_threshold_recommendations
        where scoring_model = $model
        order by mql_threshold
    """,
    "signals": """
        select
            component,
            rule_id,
            coalesce(reason_label, rule_id) as reason_label,
            leads_with,
            conversion_rate_with,
            conversion_rate_without,
            lift,
            log_odds_ratio,
            has_support,
            current_points,
            current_cap_points,
            suggested_points,
            suggested_cap_points
        from reports.rpt_signal_lift
        where scoring_model = $model
        order by
            case component when 'fit' then 1 when 'behavioral' then 2 when 'negative' then 3 else 4 end,
            rule_id
    """,
    "drift": """
        select
            cast(cutoff_date as varchar) as cutoff_date,
            cast(previous_cutoff_date as varchar) as previous_cutoff_date,
            leads,
            mean_total_score,
            mql_share,
            population_stability_index,
            psi_status
        from reports.rpt_score_drift
        where scoring_model = $model
        order by cutoff_date
    """,
    "segments": """
        select
            segment_type,
            segment,
            leads,
            conversions,
            conversion_rate,
            mean_predicted_probability,
            calibration_gap,
            mean_total_score,
            mql_share
        from reports.rpt_conversion_by_segment
        where scoring_model = $model
        order by segment_type, segment
    """,
    "account_tiers": """
        select
            account_tier,
            account_tier_rank,
            accounts,
            conversions,
            conversion_rate,
            lift,
            top_to_bottom_tier_conversion_ratio
        from reports.rpt_account_conversion_by_tier
        where scoring_model = $model and is_overall
        order by account_tier_rank
    """,
    "account_coverage": """
        select
            coverage_band,
            coverage_band_rank,
            accounts,
            mean_buying_group_coverage,
            mean_contacts,
            conversions,
            conversion_rate,
            lift
        from reports.rpt_account_coverage_conversion
        where scoring_model = $model and is_overall
        order by coverage_band_rank
    """,
    "policy": """
        select
            cast(auc_good_min as double) as auc_good_min,
            cast(auc_weak_min as double) as auc_weak_min,
            cast(separation_good_min as double) as separation_good_min,
            cast(separation_weak_min as double) as separation_weak_min,
            cast(psi_moving_min as double) as psi_moving_min,
            cast(psi_shifted_min as double) as psi_shifted_min
        from seeds.scoring_calibration_policy
        where scoring_model = $model
    """,
    "scores": """
        select cast(total_score as double) as total_score, tier_rank
        from marts.fct_lead_scores
        where scoring_model = $model
    """,
    "live_tiers": """
        select
            tier_rank,
            min(tier) as tier,
            count(*) as leads,
            avg(cast(total_score as double)) as mean_total_score,
            cast(min(total_score) as double) as min_total_score,
            cast(max(total_score) as double) as max_total_score
        from marts.fct_lead_scores
        where scoring_model = $model
        group by tier_rank
        order by tier_rank
    """,
    "score_as_of": """
        select cast(max(score_as_of) as varchar) as score_as_of
        from marts.fct_lead_scores
        where scoring_model = $model
    """,
}


Frame = dict[str, np.ndarray]


@dataclass(frozen=True)
class Policy:
    """The verdict thresholds of seeds/scoring/scoring_calibration_policy.csv (for the wording; the
    statuses themselves are computed by the report models)."""

    auc_good_min: float = 0.7
    auc_weak_min: float = 0.6
    separation_good_min: float = 3.0
    separation_weak_min: float = 1.5
    psi_moving_min: float = 0.1
    psi_shifted_min: float = 0.25


class ReportError(Exception):
    """A problem the user can fix (missing warehouse file or table); exit code 2."""


def _unmask(column: np.ndarray) -> np.ndarray:
    """A fetched column with nulls as NaN (numbers), None (text) or False (booleans)."""
    if isinstance(column, np.ma.MaskedArray):
        if column.dtype.kind in "fiu":
            return column.astype(float).filled(np.nan)
        if column.dtype.kind == "b":
            return column.filled(False)
        return np.where(np.ma.getmaskarray(column), None, column.data.astype(object))
    if column.dtype.kind in "iu":
        return column.astype(float)
    return column


def fetch_frame(connection: duckdb.DuckDBPyConnection, query: str, scoring_model: str) -> Frame:
    """Run ``query`` (with a ``$model`` parameter) and return its columns as NumPy arrays."""
    result = connection.execute(query, {"model": scoring_model}).fetchnumpy()
    return {name: _unmask(column) for name, column in result.items()}


def frame_length(frame: Frame) -> int:
    return len(next(iter(frame.values()))) if frame else 0


def frame_rows(frame: Frame, index: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Rows of a (small, aggregated) frame as dicts, for the HTML tables."""
    positions = range(frame_length(frame)) if index is None else index
    return [{name: column[position] for name, column in frame.items()} for position in positions]


def select_rows(frame: Frame, mask: np.ndarray) -> Frame:
    return {name: column[mask] for name, column in frame.items()}


def missing_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The REQUIRED_TABLES (``schema.table``) the warehouse lacks."""
    found = {
        row[0]
        for row in connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    }
    return [table for table in REQUIRED_TABLES if table not in found]


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file read-only, or raise ReportError saying what to do."""
    if not path.is_file():
        raise ReportError(f"{path} does not exist: run `make build` first")
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        raise ReportError(
            f"cannot open {path} read-only ({error}); if a build is writing to it, wait for it to finish "
            "or copy the file and pass the copy"
        ) from error
    missing = missing_tables(connection)
    if missing:
        connection.close()
        raise ReportError(f"{path} has no table {', '.join(missing)}: run `make build` first")
    return connection


@dataclass
class ReportData:
    """Everything the page shows, for one scoring model."""

    scoring_model: str
    source_name: str
    score_as_of: str | None
    tiers: Frame
    performance: Frame
    reliability: Frame
    thresholds: Frame
    signals: Frame
    drift: Frame
    segments: Frame
    scores: Frame
    live_tiers: Frame
    account_tiers: Frame = field(default_factory=dict)
    account_coverage: Frame = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    cutoff_candidates: list[dict[str, Any]] = field(default_factory=list)
    weights_table: list[dict[str, str]] = field(default_factory=list)
    weights_status: dict[str, Any] = field(default_factory=dict)
    model_comparison: list[dict[str, Any]] = field(default_factory=list)
    outcome_windows: dict[str, Any] = field(default_factory=dict)
    calibrations: list[dict[str, Any]] = field(default_factory=list)
    activity: dict[str, Any] = field(default_factory=dict)

    @property
    def pooled_tiers(self) -> Frame:
        return select_rows(self.tiers, self.tiers["is_overall"].astype(bool))

    @property
    def cutoff_tiers(self) -> Frame:
        return select_rows(self.tiers, ~self.tiers["is_overall"].astype(bool))

    @property
    def pooled_performance(self) -> dict[str, Any] | None:
        rows = frame_rows(select_rows(self.performance, self.performance["is_overall"].astype(bool)))
        return rows[0] if rows else None

    @property
    def cutoff_performance(self) -> Frame:
        return select_rows(self.performance, ~self.performance["is_overall"].astype(bool))

    @property
    def has_backtests(self) -> bool:
        return self.pooled_performance is not None


def load_report_data(
    connection: duckdb.DuckDBPyConnection, scoring_model: str, source_name: str
) -> ReportData:
    frames: dict[str, Frame] = {}
    for name, query in QUERIES.items():
        try:
            frames[name] = fetch_frame(connection, query, scoring_model)
        except duckdb.BinderException as error:  # a column is missing: the tables predate the contracts
            table = query.split(" from ", 1)[1].split()[0]
            raise ReportError(
                f"{table} lacks a column the report reads ({error}): run `make build` first"
            ) from error
    if frame_length(frames["live_tiers"]) == 0 and frame_length(frames["performance"]) == 0:
        known = sorted(
            row[0]
            for row in connection.execute(
                "select distinct scoring_model from marts.fct_lead_scores"
            ).fetchall()
        )
        raise ReportError(
            f"scoring model {scoring_model!r} has no rows in marts.fct_lead_scores or the reports "
            f"(models found: {', '.join(known) or 'none'}): pass --scoring-model, or run `make build` first"
        )
    score_as_of = frames.pop("score_as_of")["score_as_of"]
    policy_rows = frame_rows(frames.pop("policy"))
    policy = Policy(**{key: float(value) for key, value in policy_rows[0].items()}) if policy_rows else None
    candidates: list[dict[str, Any]] = []
    if frame_length(frames["performance"]) == 0:
        try:
            candidates = frame_rows(fetch_frame(connection, CUTOFF_CANDIDATES, scoring_model))
        except duckdb.CatalogException:
            candidates = []
    windows: list[dict[str, Any]] = []
    if candidates:
        windows = _optional_rows(connection, OUTCOME_WINDOWS, scoring_model)
    activity = _optional_rows(connection, MODEL_ACTIVITY, scoring_model)
    return ReportData(
        scoring_model=scoring_model,
        source_name=source_name,
        score_as_of=score_as_of[0] if len(score_as_of) else None,
        policy=policy or Policy(),
        cutoff_candidates=candidates,
        model_comparison=_optional_rows(connection, MODEL_COMPARISON, scoring_model),
        outcome_windows=windows[0] if windows else {},
        calibrations=_optional_rows(connection, CALIBRATIONS, scoring_model),
        activity=activity[0] if activity else {},
        **frames,
    )


def _optional_rows(
    connection: duckdb.DuckDBPyConnection, query: str, scoring_model: str
) -> list[dict[str, Any]]:
    """The rows of a query on a relation an older warehouse may lack (no rows then)."""
    try:
        return frame_rows(fetch_frame(connection, query, scoring_model))
    except (duckdb.CatalogException, duckdb.BinderException):
        return []


def load_weights_fit(data: ReportData, weights_dir: Path | None) -> ReportData:
    """Attach what `lead-scoring weights` wrote into ``weights_dir`` (nothing when the folder has no fit)."""
    if weights_dir is None:
        return data
    status_path = weights_dir / WEIGHTS_STATUS
    if status_path.is_file():
        status = json.loads(status_path.read_text())
        if status.get("scoring_model", data.scoring_model) == data.scoring_model:
            data.weights_status = status
    table_path = weights_dir / WEIGHTS_TABLE
    if data.weights_status and table_path.is_file():
        with table_path.open(newline="") as handle:
            data.weights_table = list(csv.DictReader(handle))
    return data
