"""Shared fixtures: run dbt on the hand-written fixtures in a throw-away DuckDB file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "data" / "fixtures"
DBT = Path(sys.executable).with_name("dbt")


def run_dbt(
    args: list[str],
    duckdb_path: Path,
    raw_data_path: Path,
    score_as_of: str = "2026-06-30",
    check: bool = True,
    extra_vars: str = "",
) -> subprocess.CompletedProcess[str]:
    """Run a dbt command of this project against ``duckdb_path`` with raw files from ``raw_data_path``."""
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(REPO),
        "LEAD_SCORING_DUCKDB_PATH": str(duckdb_path),
        "LEAD_SCORING_TARGET": "duckdb",
        "DBT_TARGET_PATH": str(duckdb_path.parent / "target"),
        "DBT_LOG_PATH": str(duckdb_path.parent / "logs"),
    }
    variables = f'{{raw_data_path: "{raw_data_path}", score_as_of: "{score_as_of}"{extra_vars}}}'
    completed = subprocess.run(
        [str(DBT), *args, "--vars", variables],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and completed.returncode != 0:
        tail = "\n".join(completed.stdout.splitlines()[-60:])
        raise AssertionError(
            f"dbt {' '.join(args)} failed ({completed.returncode}):\n{tail}\n{completed.stderr}"
        )
    return completed


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
