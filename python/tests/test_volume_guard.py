"""The volume guard (issue 9, defect 3): an empty or much smaller raw export stops the build.

Before it, a header-only leads.csv (every event and opportunity then an orphan, no scores) or
events.csv built with PASS and replaced yesterday's warehouse. Now audit_raw_source_volumes compares
each raw source's row count with the last published build's (read from the published warehouse,
which the atomic build copies) and tests/audit/assert_raw_volumes_pass_the_guard.sql fails the
build before the marts (int_lead_versions_enriched, which every mart reads, depends on the guard),
naming the source and both counts; an operator accepts a real drop.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
from conftest import FIXTURES, REPO
from dbt_runner import dbt_executable

SCRIPT = REPO / "scripts" / "build_duckdb_atomically.sh"
STAGING = [
    "--select",
    "resource_type:seed",
    "path:models/staging",
    "path:tests/staging",
    "path:models/audit",
    "path:tests/audit",
    "int_lead_versions_enriched",
    "--indirect-selection",
    "cautious",
]
# After the first build (staging is in the published file the atomic build copies): the guard, its
# test and the first model that waits for it, which a failing guard skips.
GUARD = [
    "--select",
    "path:models/audit",
    "path:tests/audit",
    "int_lead_versions_enriched",
    "--indirect-selection",
    "cautious",
]


def _build(
    warehouse: Path, raw: Path, *, accept_env: bool = False, dbt_vars: str = "", select: list[str] = GUARD
) -> subprocess.CompletedProcess[str]:
    scratch = warehouse.parent
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(scratch / "target"),
        "DBT_LOG_PATH": str(scratch / "logs"),
        "DBT_USE_COLORS": "false",
        "LEAD_SCORING_TARGET": "duckdb",
        "LEAD_SCORING_DUCKDB_PATH": str(warehouse),
    }
    env.pop("LEAD_SCORING_ACCEPT_VOLUME_DROP", None)
    if accept_env:
        env["LEAD_SCORING_ACCEPT_VOLUME_DROP"] = "true"
    all_vars = f'{{raw_data_path: "{raw}", score_as_of: "2026-06-30"{dbt_vars}}}'
    command = [str(SCRIPT), dbt_executable(), *select, "--vars", all_vars]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)


def _raw_rows(path: Path) -> int:
    with open(path, encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.reader(handle) if row) - 1


def _keep_lines(path: Path, count: int) -> None:
    """Keeps the header and the first `count` data lines of a raw file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: count + 1]), encoding="utf-8")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _statuses(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.sql(
            "select source_name, raw_rows, baseline_rows, guard_status "
            "from audit.audit_raw_source_volumes order by counted_at, source_name"
        ).fetchall()


def test_an_empty_or_shrunken_export_stops_the_build_unless_accepted(tmp_path: Path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "messy", raw)
    warehouse = tmp_path / "published" / "lead_scoring.duckdb"
    leads = _raw_rows(raw / "leads.csv")
    events = _raw_rows(raw / "events.csv")

    first = _build(warehouse, raw, select=STAGING)
    assert first.returncode == 0, first.stdout[-3000:]
    published = _digest(warehouse)

    # a header-only leads.csv: the build fails before the marts, naming leads and both counts
    _keep_lines(raw / "leads.csv", 0)
    empty = _build(warehouse, raw)
    assert empty.returncode != 0
    assert "FAIL 1 assert_raw_volumes_pass_the_guard" in empty.stdout
    assert f"raw source leads: 0 rows, the last published build had {leads} (an empty export)" in empty.stdout
    assert "accept_volume_drop" in empty.stdout
    assert "SKIP relation intermediate.int_lead_versions_enriched" in empty.stdout  # nothing downstream ran
    assert _digest(warehouse) == published

    # events falling by more than half (the default share, 0.5) fail too; a smaller drop does not
    shutil.copy(FIXTURES / "messy" / "leads.csv", raw / "leads.csv")
    _keep_lines(raw / "events.csv", events // 2 - 1)
    halved = _build(warehouse, raw)
    assert halved.returncode != 0
    assert (
        f"raw source events: {events // 2 - 1} rows, the last published build had {events}" in halved.stdout
    )
    assert "more than 50%" in halved.stdout
    assert _digest(warehouse) == published
    looser = _build(warehouse, raw, dbt_vars=", volume_guard_max_drop_share: 0.9")
    assert looser.returncode == 0, looser.stdout[-3000:]

    # the operator accepts a real drop: with the variable of make build, or with the dbt var
    _keep_lines(raw / "leads.csv", 0)
    accepted = _build(warehouse, raw, accept_env=True)
    assert accepted.returncode == 0, accepted.stdout[-3000:]
    assert _statuses(warehouse)[-2] == ("leads", 0, leads, "accepted")
    shutil.copy(FIXTURES / "messy" / "events.csv", raw / "events.csv")
    _keep_lines(raw / "events.csv", 1)
    by_var = _build(warehouse, raw, dbt_vars=", accept_volume_drop: true")
    assert by_var.returncode == 0, by_var.stdout[-3000:]

    # the failed builds never reached the published warehouse: its baselines are the passing builds'
    assert [status for *_, status in _statuses(warehouse)] == [
        *["first"] * 3,
        *["ok"] * 3,  # events at (events // 2 - 1) accepted by the looser share
        "ok",
        "accepted",
        "ok",
        "accepted",
        "accepted",
        "ok",
    ]


def test_the_first_build_has_no_baseline_but_an_empty_source_still_fails(tmp_path: Path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "messy", raw)
    _keep_lines(raw / "opportunities.csv", 0)
    warehouse = tmp_path / "published" / "lead_scoring.duckdb"
    result = _build(warehouse, raw, select=STAGING)
    assert result.returncode != 0
    assert (
        "raw source opportunities: 0 rows, the last published build had none (first build)" in result.stdout
    )
    assert not warehouse.exists()
