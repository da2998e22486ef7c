"""`make build` swaps in a rebuilt warehouse only when the whole build passed."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
from pathlib import Path

from conftest import FIXTURES, REPO
from dbt_runner import copy_project, dbt_executable

SCRIPT = REPO / "scripts" / "build_duckdb_atomically.sh"


def _build(project: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(project),
        "DBT_TARGET_PATH": str(project / "target"),
        "DBT_LOG_PATH": str(project / "logs"),
        "LEAD_SCORING_TARGET": "duckdb",
        "LEAD_SCORING_DUCKDB_PATH": str(warehouse),
    }
    dbt_vars = f'{{raw_data_path: "{FIXTURES / "messy"}", score_as_of: "2026-06-30"}}'
    command = [str(SCRIPT), dbt_executable(), "--exclude-resource-type", "unit_test", "--vars", dbt_vars]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_failed_build_leaves_the_previous_warehouse_untouched(tmp_path: Path):
    project = copy_project(REPO, tmp_path / "project")
    warehouse = tmp_path / "lead_scoring.duckdb"

    first = _build(project, warehouse)
    assert first.returncode == 0, first.stdout[-3000:]
    assert warehouse.exists() and not Path(f"{warehouse}.building").exists()
    before = _digest(warehouse)

    # a bad seed row: a half-life of 0 days fails its seed test
    signals = project / "seeds" / "scoring" / "scoring_behavioral_signals.csv"
    rows = list(csv.DictReader(signals.open()))
    rows[0]["half_life_days"] = "0"
    with signals.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    second = _build(project, warehouse)
    assert second.returncode != 0
    assert "scoring_behavioral_signals_half_life_days_positive" in second.stdout
    assert "was left as it was" in second.stderr
    assert _digest(warehouse) == before
    assert not Path(f"{warehouse}.building").exists()
