"""Run dbt in a subprocess against a given project directory and DuckDB file, for tests.

`dbt_executable` (the venv's dbt) is re-exported for the tests that run a command around dbt."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from lead_scoring.common.dbt_executable import dbt_executable

# What a copy of the project needs to build (everything else, e.g. warehouse/ or target/, is left out).
PROJECT_PARTS: tuple[str, ...] = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests",
    "data/fixtures",
)

OUTPUT_TAIL_LINES = 60


class DbtError(RuntimeError):
    """dbt exited with an error; the message ends with the tail of its output."""

    def __init__(self, args: Sequence[str], result: subprocess.CompletedProcess[str]) -> None:
        self.result = result
        super().__init__(f"dbt {' '.join(args)} exited with {result.returncode}:\n{output_tail(result)}")


def output_tail(result: subprocess.CompletedProcess[str], lines: int = OUTPUT_TAIL_LINES) -> str:
    """The last `lines` lines of a dbt run's stdout and stderr."""
    combined = (result.stdout or "") + (result.stderr or "")
    return "\n".join(combined.splitlines()[-lines:])


def copy_project(source_dir: Path, target_dir: Path, parts: Sequence[str] = PROJECT_PARTS) -> Path:
    """Copy the parts of a dbt project needed to build it into target_dir; return target_dir."""
    for part in parts:
        source = source_dir / part
        target = target_dir / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    return target_dir


# Set to a file path, every dbt invocation of the tests appends a JSON line to it: the test, the
# command, its seconds and whether dbt parsed the whole project (conftest sums them at the end of a run).
INVOCATION_LOG_ENV = "LEAD_SCORING_TEST_DBT_LOG"


def log_invocation(
    args: Sequence[str], project_dir: Path, seconds: float, result: subprocess.CompletedProcess[str]
) -> None:
    """Append one dbt invocation to the file named by $LEAD_SCORING_TEST_DBT_LOG, if it is set."""
    log_path = os.environ.get(INVOCATION_LOG_ENV)
    if not log_path:
        return
    output = result.stdout or ""
    record = {
        "test": os.environ.get("PYTEST_CURRENT_TEST", ""),
        "args": list(args),
        "project": str(project_dir),
        "seconds": round(seconds, 2),
        "returncode": result.returncode,
        "full_parse": "Unable to do partial parsing" in output,
    }
    with open(log_path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def run_dbt(
    args: Sequence[str],
    project_dir: Path,
    duckdb_path: Path,
    dbt_vars: Mapping[str, object] | str | None = None,
    *,
    check: bool = True,
    extra_env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` in project_dir on the DuckDB file duckdb_path and return the process.

    dbt_vars is passed as --vars (a mapping is sent as JSON, a string as is). Target and log
    folders live inside project_dir, so runs in different folders never share state. With
    check=True a non-zero exit raises DbtError carrying the tail of dbt's output.
    """
    project_dir = Path(project_dir).resolve()
    duckdb_path = Path(duckdb_path).resolve()
    # A warehouse inside the project is named relative to it, so that copies of a built project
    # render the same profile and dbt can reuse the copied partial-parse state.
    if duckdb_path.is_relative_to(project_dir):
        duckdb_path = duckdb_path.relative_to(project_dir)
    command = [dbt_executable(), *args]
    if dbt_vars is not None:
        command += ["--vars", dbt_vars if isinstance(dbt_vars, str) else json.dumps(dbt_vars)]
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(project_dir),
        "DBT_PROJECT_DIR": str(project_dir),
        "DBT_TARGET_PATH": str(project_dir / "target"),
        "DBT_LOG_PATH": str(project_dir / "logs"),
        "DBT_USE_COLORS": "false",
        "LEAD_SCORING_TARGET": "duckdb",
        "LEAD_SCORING_DUCKDB_PATH": str(duckdb_path),
        **(extra_env or {}),
    }
    started = time.monotonic()
    result = subprocess.run(command, cwd=project_dir, env=env, capture_output=True, text=True, check=False)
    log_invocation(args, project_dir, time.monotonic() - started, result)
    if check and result.returncode != 0:
        raise DbtError(args, result)
    return result
