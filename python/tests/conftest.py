"""Shared fixtures: run dbt on the hand-written fixtures in a throw-away DuckDB file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import dbt_runner
import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "data" / "fixtures"


def run_dbt(
    args: list[str],
    duckdb_path: Path,
    raw_data_path: Path,
    score_as_of: str = "2026-06-30",
    check: bool = True,
    extra_vars: dict[str, object] | None = None,
    extra_env: dict[str, str] | None = None,
    project: Path = REPO,
) -> subprocess.CompletedProcess[str]:
    """Run a dbt command of this project (or of ``project``, a copy of it) on ``duckdb_path`` with raw
    files from ``raw_data_path``.

    Target and log folders sit beside the DuckDB file, so test runs never touch the repo's target/.
    ``extra_env`` adds environment variables (e.g. LEAD_SCORING_SPARK_DIR for ``--target spark``).
    """
    dbt_vars = {"raw_data_path": str(raw_data_path), "score_as_of": score_as_of, **(extra_vars or {})}
    scratch = {
        "DBT_TARGET_PATH": str(duckdb_path.parent / "target"),
        "DBT_LOG_PATH": str(duckdb_path.parent / "logs"),
        **(extra_env or {}),
    }
    return dbt_runner.run_dbt(args, project, duckdb_path, dbt_vars, check=check, extra_env=scratch)


def copy_fixture(name: str, destination: Path) -> Path:
    """A writable copy of the fixture folder ``name`` under ``destination``."""
    target = destination / name
    shutil.copytree(FIXTURES / name, target)
    return target


@pytest.fixture(scope="session")
def messy_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The messy fixture built once with `dbt build` (models, seeds, unit and data tests)."""
    folder = tmp_path_factory.mktemp("messy")
    database = folder / "messy.duckdb"
    run_dbt(["build"], database, FIXTURES / "messy")
    yield database


@pytest.fixture()
def messy(messy_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(messy_warehouse), read_only=True) as connection:
        yield connection


def pytest_configure(config: pytest.Config) -> None:
    """The controller names the file every dbt invocation of the run is logged to (workers inherit it)."""
    if hasattr(config, "workerinput") or os.environ.get(dbt_runner.INVOCATION_LOG_ENV):
        return
    handle, log_path = tempfile.mkstemp(prefix="lead-scoring-dbt-", suffix=".jsonl")
    os.close(handle)
    os.environ[dbt_runner.INVOCATION_LOG_ENV] = log_path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Where the run's dbt time went, by test file: invocations, full parses and seconds."""
    if hasattr(config, "workerinput"):
        return
    log_path = Path(os.environ.get(dbt_runner.INVOCATION_LOG_ENV, ""))
    if not log_path.is_file():
        return
    by_file: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for line in log_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        totals = by_file[record["test"].split("::")[0] or "(outside a test)"]
        totals[0] += 1
        totals[1] += record["full_parse"]
        totals[2] += record["seconds"]
    if not by_file:
        return
    terminalreporter.section("dbt invocations by test file (seconds of dbt, summed over workers)")
    terminalreporter.write_line(f"{'test file':<45} {'runs':>5} {'full parses':>12} {'dbt s':>8}")
    for name, (runs, parses, seconds) in sorted(by_file.items(), key=lambda item: -item[1][2]):
        terminalreporter.write_line(f"{name:<45} {runs:>5} {parses:>12} {seconds:>8.1f}")
    runs, parses, seconds = (sum(totals[i] for totals in by_file.values()) for i in range(3))
    terminalreporter.write_line(f"{'total':<45} {runs:>5} {parses:>12} {seconds:>8.1f}")
