"""Shared fixtures: run dbt on the hand-written fixtures in a throw-away DuckDB file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
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


# Seconds each test file took in `make pytest` (setup + call + teardown; the "test files" table
# printed at the end of the run of c15344c on a fresh clone, 2026-12-07). pytest-xdist sends whole
# files to its two workers in collection order (the Makefile turns its reordering by test count
# off), so the longest files are collected first and the short ones, not listed, fill the end: the
# workers finish together instead of one running a long file alone at the end.
FILE_SECONDS: dict[str, float] = {
    "test_incremental_runs.py": 417,
    "test_backfill.py": 234,
    "test_incremental_staging.py": 228,
    "test_atomic_build.py": 223,
    "test_connectors.py": 199,
    "test_strict_reader.py": 198,
    "test_crm_push.py": 109,
    "test_volume_guard.py": 108,
    "test_crm_sync.py": 101,
    "test_tests_read_written_rows.py": 95,
    "test_staging_fixture.py": 95,
    "test_one_snapshot_export.py": 86,
    "test_fuzz_raw_files.py": 73,
    "test_calibration_friction.py": 71,
    "test_dev_prod_isolation.py": 63,
    "test_weight_suggestions.py": 55,
    "test_scoring_seeds.py": 44,
    "test_backtests.py": 30,
    "test_metrics.py": 28,
    "test_docs_site.py": 27,
    "test_identity_normalisation.py": 27,
    "test_portable_warehouse.py": 24,
    "test_seed_test_failures.py": 19,
    "test_report.py": 14,
    "test_generic_periods_test.py": 12,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest test files first (FILE_SECONDS); a file's own tests keep their order."""
    items.sort(key=lambda item: -FILE_SECONDS.get(item.path.name, 0))


@dataclass
class FileTimes:
    """One test file in this run: its worker, tests, seconds and span (epoch seconds)."""

    worker: str = ""
    tests: int = 0
    seconds: float = 0.0
    start: float = float("inf")
    stop: float = 0.0


_FILE_TIMES: dict[str, FileTimes] = defaultdict(FileTimes)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collects, on the controller, each test file's seconds and span from the workers' reports."""
    times = _FILE_TIMES[report.nodeid.split("::")[0]]
    node = getattr(report, "node", None)  # set by pytest-xdist: the worker that ran the test
    times.worker = node.gateway.id if node is not None else "main"
    times.tests += report.when == "call"
    times.seconds += report.duration
    times.start = min(times.start, report.start)
    times.stop = max(times.stop, report.stop)


def pytest_configure(config: pytest.Config) -> None:
    """The controller names the file every dbt invocation of the run is logged to (workers inherit it)."""
    if hasattr(config, "workerinput") or os.environ.get(dbt_runner.INVOCATION_LOG_ENV):
        return
    handle, log_path = tempfile.mkstemp(prefix="lead-scoring-dbt-", suffix=".jsonl")
    os.close(handle)
    os.environ[dbt_runner.INVOCATION_LOG_ENV] = log_path


def pytest_unconfigure(config: pytest.Config) -> None:
    """The controller deletes the invocation log it named."""
    log_path = os.environ.get(dbt_runner.INVOCATION_LOG_ENV, "")
    if not hasattr(config, "workerinput") and Path(log_path).name.startswith("lead-scoring-dbt-"):
        Path(log_path).unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Where the run's time went: each test file's seconds and span on its worker, and the dbt
    invocations by test file (invocations, full parses and seconds)."""
    if hasattr(config, "workerinput"):
        return
    if _FILE_TIMES:
        began = min(times.start for times in _FILE_TIMES.values())
        terminalreporter.section("test files (seconds of setup, call and teardown; span from the start)")
        header = f"{'test file':<45} {'worker':>6} {'tests':>5} {'s':>7} {'from s':>7} {'to s':>7}"
        terminalreporter.write_line(header)
        for name, times in sorted(_FILE_TIMES.items(), key=lambda item: item[1].start):
            terminalreporter.write_line(
                f"{name:<45} {times.worker:>6} {times.tests:>5} {times.seconds:>7.1f}"
                f" {times.start - began:>7.1f} {times.stop - began:>7.1f}"
            )
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
