"""The fit's settings: dbt vars with documented defaults in dbt_project.yml (one place for both)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

VAR_NAMES = (
    "fit_min_conversions",
    "fit_holdout_cutoffs",
    "fit_holdout_lead_share",
    "fit_l2_inverse_strength",
    "fit_points_per_log_odds",
    "fit_cap_quantiles",
    "calibration_epsilon",
    "calibration_bins",
    "calibration_prior_strength",
)


@dataclass(frozen=True)
class FitSettings:
    """How the joint fit runs (see the vars' comments in dbt_project.yml)."""

    min_conversions: int = 120
    holdout_cutoffs: int = 1
    holdout_lead_share: float = 0.2
    l2_inverse_strength: float = 1.0
    points_per_log_odds: float = 20.0
    cap_quantiles: tuple[float, ...] = (0.5, 0.75, 0.9, 0.95, 0.99)
    epsilon: float = 0.0001
    calibration_bins: int = 10
    calibration_prior_strength: float = 20.0


def project_vars(project_file: Path) -> dict[str, Any]:
    """The ``vars:`` block of a dbt_project.yml (empty when the file or block is missing)."""
    if not project_file.exists():
        return {}
    loaded = yaml.safe_load(project_file.read_text()) or {}
    return dict(loaded.get("vars") or {})


def load_settings(project_file: Path, overrides: dict[str, Any] | None = None) -> FitSettings:
    """Settings from the project's vars, then ``overrides`` (var name -> value, None = keep)."""
    values = project_vars(project_file)
    values.update({key: value for key, value in (overrides or {}).items() if value is not None})
    defaults = FitSettings()
    return FitSettings(
        min_conversions=int(values.get("fit_min_conversions", defaults.min_conversions)),
        holdout_cutoffs=int(values.get("fit_holdout_cutoffs", defaults.holdout_cutoffs)),
        holdout_lead_share=float(values.get("fit_holdout_lead_share", defaults.holdout_lead_share)),
        l2_inverse_strength=float(values.get("fit_l2_inverse_strength", defaults.l2_inverse_strength)),
        points_per_log_odds=float(values.get("fit_points_per_log_odds", defaults.points_per_log_odds)),
        cap_quantiles=tuple(float(q) for q in values.get("fit_cap_quantiles", defaults.cap_quantiles)),
        epsilon=float(values.get("calibration_epsilon", defaults.epsilon)),
        calibration_bins=int(values.get("calibration_bins", defaults.calibration_bins)),
        calibration_prior_strength=float(
            values.get("calibration_prior_strength", defaults.calibration_prior_strength)
        ),
    )
