"""The weights rpt_signal_lift suggests, copied into the seeds, raise the backtest AUC."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from conftest import REPO
from dbt_runner import copy_project, run_dbt
from lead_scoring.apply_weights import apply, suggestions
from lead_scoring.generate import generate

SELECT = [
    "--select",
    "+rpt_model_performance",
    "+rpt_signal_lift",
    "--exclude-resource-type",
    "test",
    "unit_test",
]


def _pooled_auc(database: Path) -> float:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.sql(
            "select auc from reports.rpt_model_performance where is_overall and scoring_model = 'default'"
        ).fetchone()[0]


def test_copying_suggested_weights_into_the_seeds_raises_backtest_auc(tmp_path: Path):
    raw = tmp_path / "raw"
    generate(raw, leads=6000, days=365, seed=11, end_date=dt.date(2026, 6, 30), fmt="parquet")
    project = copy_project(REPO, tmp_path / "project")
    dbt_vars = {"raw_data_path": str(raw), "score_as_of": "2026-06-30"}

    before = tmp_path / "before.duckdb"
    run_dbt(["build", *SELECT], project, before, dbt_vars)
    auc_before = _pooled_auc(before)

    with duckdb.connect(str(before), read_only=True) as connection:
        suggested = suggestions(connection, "default")
    changes = apply(project / "seeds" / "scoring", suggested, "default", write=True)
    assert changes, "the sample data should lead to at least one suggested change"

    after = tmp_path / "after.duckdb"
    # the rewritten seeds must pass every seed test
    run_dbt(
        ["build", "--select", "resource_type:seed", "--indirect-selection", "cautious"],
        project,
        after,
        dbt_vars,
    )
    run_dbt(["build", *SELECT], project, after, dbt_vars)
    auc_after = _pooled_auc(after)

    assert auc_before > 0.6, "the default weights should already rank leads better than chance"
    assert auc_after > auc_before + 0.03, (auc_before, auc_after)
