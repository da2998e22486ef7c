"""`make build` swaps in a rebuilt warehouse only when the whole build passed, one writer at a time,
and a killed build leaves nothing behind that the next one does not clean up."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path

import duckdb
from conftest import FIXTURES, REPO
from dbt_runner import copy_project, dbt_executable
from lead_scoring.bench.replay import rows_equal, tables

SCRIPT = REPO / "scripts" / "build_duckdb_atomically.sh"


def _env(project: Path, warehouse: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(project),
        "DBT_TARGET_PATH": str(project / "target"),
        "DBT_LOG_PATH": str(project / "logs"),
        "LEAD_SCORING_TARGET": "duckdb",
        "LEAD_SCORING_DUCKDB_PATH": str(warehouse),
    }


def _command(*selection: str) -> list[str]:
    dbt_vars = f'{{raw_data_path: "{FIXTURES / "messy"}", score_as_of: "2026-06-30"}}'
    return [
        str(SCRIPT),
        dbt_executable(),
        "--exclude-resource-type",
        "unit_test",
        *selection,
        "--vars",
        dbt_vars,
    ]


def _build(project: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(), cwd=project, env=_env(project, warehouse), capture_output=True, text=True, check=False
    )


def _break_a_seed(project: Path) -> None:
    """A bad seed row: a half-life of 0 days fails its seed test."""
    signals = project / "seeds" / "scoring" / "scoring_behavioral_signals.csv"
    rows = list(csv.DictReader(signals.open()))
    rows[0]["half_life_days"] = "0"
    with signals.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _leftovers(warehouse: Path) -> list[Path]:
    """Building folders or files a build left beside the warehouse."""
    return sorted(warehouse.parent.glob(f"{warehouse.name}.building*"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_failed_build_leaves_the_previous_warehouse_untouched(tmp_path: Path):
    project = copy_project(REPO, tmp_path / "project")
    warehouse = tmp_path / "lead_scoring.duckdb"

    first = _build(project, warehouse)
    assert first.returncode == 0, first.stdout[-3000:]
    assert warehouse.exists() and not _leftovers(warehouse)
    before = _digest(warehouse)

    _break_a_seed(project)
    second = _build(project, warehouse)
    assert second.returncode != 0
    assert "scoring_behavioral_signals_half_life_days_positive" in second.stdout
    assert "was left as it was" in second.stderr
    assert _digest(warehouse) == before
    assert not _leftovers(warehouse)


SEEDS_ONLY = ("--select", "resource_type:seed", "--indirect-selection", "cautious")


def _first_half_life(warehouse: Path) -> float:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.sql(
            "select half_life_days from seeds.scoring_behavioral_signals "
            "order by scoring_model, signal_id limit 1"
        ).fetchone()[0]


def _start(project: Path, warehouse: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        _command(*SEEDS_ONLY),
        cwd=project,
        env=_env(project, warehouse),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_until_building(warehouse: Path, build: subprocess.Popen[str]) -> None:
    """Returns once the build holds the lock and works on its own copy."""
    deadline = time.monotonic() + 120
    while not _leftovers(warehouse):
        assert build.poll() is None, "the first build ended before it started building"
        assert time.monotonic() < deadline, "the first build never started building"
        time.sleep(0.05)


def test_two_builds_at_once_run_one_after_the_other_and_publish_only_the_passing_one(tmp_path: Path):
    """Issue 9, defect 1: both builds used one `.building` path and no lock, so a failing build could
    be published, a passing one thrown away, or `mv` could find no file after PASS."""
    good = copy_project(REPO, tmp_path / "good")
    bad = copy_project(REPO, tmp_path / "bad")
    _break_a_seed(bad)
    warehouse = tmp_path / "published" / "lead_scoring.duckdb"

    # the passing build first, the failing one starting while it runs: it waits, then fails alone
    first = _start(good, warehouse)
    _wait_until_building(warehouse, first)
    second = _start(bad, warehouse)
    first_out, first_err = first.communicate(timeout=600)
    second_out, second_err = second.communicate(timeout=600)
    assert first.returncode == 0, first_out[-3000:] + first_err
    assert second.returncode != 0
    assert "is being written by build (pid" in second_err and "waiting for it to finish" in second_err
    assert "scoring_behavioral_signals_half_life_days_positive" in second_out
    assert "was left as it was" in second_err
    published = _digest(warehouse)
    assert _first_half_life(warehouse) > 0
    assert not _leftovers(warehouse)

    # the failing build first, the passing one waiting for it: the passing one is published
    first = _start(bad, warehouse)
    _wait_until_building(warehouse, first)
    second = _start(good, warehouse)
    first_out, first_err = first.communicate(timeout=600)
    second_out, second_err = second.communicate(timeout=600)
    assert first.returncode != 0 and "was left as it was" in first_err
    assert second.returncode == 0, second_out[-3000:] + second_err
    assert "waiting for it to finish" in second_err
    assert _first_half_life(warehouse) > 0
    assert _digest(warehouse) != published  # the second passing build replaced the first one's file
    assert not _leftovers(warehouse)


def test_a_build_that_cannot_get_the_lock_changes_nothing(tmp_path: Path):
    """With LEAD_SCORING_BUILD_LOCK_WAIT=0 a second build fails at once; with a wait, at its end."""
    warehouse = tmp_path / "lead_scoring.duckdb"
    warehouse.write_bytes(b"yesterday")
    never_run = tmp_path / "dbt"
    never_run.write_text("#!/bin/sh\ntouch " + str(tmp_path / "dbt_ran") + "\n")
    never_run.chmod(0o755)
    with open(f"{warehouse}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a backfill holds the lock, and says so in the file
        lock.write(f"backfill, pid {os.getpid()}, since 2026-07-01T06:00:00Z\n")
        lock.flush()
        for wait, message in (("0", "not starting"), ("1", "gave up waiting 1s")):
            env = {
                **os.environ,
                "LEAD_SCORING_DUCKDB_PATH": str(warehouse),
                "LEAD_SCORING_BUILD_LOCK_WAIT": wait,
            }
            started = time.monotonic()
            result = subprocess.run(
                [str(SCRIPT), str(never_run)], env=env, capture_output=True, text=True, check=False
            )
            assert result.returncode == 75
            assert f"backfill (pid {os.getpid()}, since 2026-07-01T06:00:00Z)" in result.stderr
            assert message in result.stderr and "Traceback" not in result.stderr
            assert f"{warehouse}.lock" in result.stderr
            assert time.monotonic() - started < 30
    assert warehouse.read_bytes() == b"yesterday"
    assert not (tmp_path / "dbt_ran").exists()
    assert not _leftovers(warehouse)


def _started_dbt(warehouse: Path, build: subprocess.Popen[str]) -> None:
    """Returns once dbt builds the working copy (it has created the file's write-ahead log or
    changed the copy), so that a kill lands mid-build."""
    _wait_until_building(warehouse, build)
    (folder,) = _leftovers(warehouse)
    copy = folder / warehouse.name
    copied_at = copy.stat().st_mtime_ns if copy.exists() else 0
    deadline = time.monotonic() + 120
    while not Path(f"{copy}.wal").exists() and (not copy.exists() or copy.stat().st_mtime_ns == copied_at):
        assert build.poll() is None, "the build ended before dbt wrote to its copy"
        assert time.monotonic() < deadline, "dbt never wrote to the working copy"
        time.sleep(0.05)


def test_a_killed_build_changes_nothing_and_the_next_one_removes_its_copy(tmp_path: Path):
    """Issue 26: SIGKILL mid-build (its dbt is stopped with it), then the next build: the published
    warehouse is untouched until then, the dead build's copy is removed, and the result equals a clean
    build of the same files."""
    project = copy_project(REPO, tmp_path / "project")
    warehouse = tmp_path / "lead_scoring.duckdb"
    first = _build(project, warehouse)
    assert first.returncode == 0, first.stdout[-3000:]
    published, clean = _digest(warehouse), tables(warehouse)

    killed = subprocess.Popen(
        _command(),
        cwd=project,
        env=_env(project, warehouse),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _started_dbt(warehouse, killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=60)
    assert _digest(warehouse) == published
    assert _leftovers(warehouse), "a SIGKILLed build cannot clean up: its copy stays until the next run"

    rerun = _build(project, warehouse)
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr
    assert f"a working copy left by a build (pid {killed.pid}) that ended" in rerun.stderr
    assert not _leftovers(warehouse)
    rebuilt = tables(warehouse)
    assert rebuilt.keys() == clean.keys()
    for name in clean:
        assert rows_equal(clean[name], rebuilt[name]), name
