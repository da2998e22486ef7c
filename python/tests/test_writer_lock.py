"""Every writer of the DuckDB warehouse takes one lock (lead_scoring.atomic.lock): the build, the
history backfill, the CRM export and --mark-sent. A second writer waits, or is refused with one line
naming the holder and exit code 75, never a traceback; --mark-sent also waits for another program's
DuckDB connection to the file; working copies of dead writers are removed by the next one.

No dbt build here: every refusal happens before dbt would run (the builds themselves are in
test_atomic_build.py and test_backfill.py)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import REPO
from lead_scoring.atomic.building import OWNER_FILE, building_copy, copies_beside, remove_stale_copies
from lead_scoring.atomic.lock import WarehouseBusy, process_start_ticks, writer_lock
from lead_scoring.export import cli
from test_export import make_warehouse

PYTHON_ENV = {**os.environ, "PYTHONPATH": str(REPO / "python")}
HOLD_THE_LOCK = """
import sys
from pathlib import Path
from lead_scoring.atomic.lock import writer_lock
with writer_lock(Path(sys.argv[1]), sys.argv[2]):
    print("held", flush=True)
    sys.stdin.read()
"""
HOLD_THE_FILE_OPEN = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
sys.stdin.read()
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _hold(script: str, *arguments: str) -> subprocess.Popen[str]:
    """A process running `script` until its stdin closes, once it printed its first line."""
    holder = subprocess.Popen(
        [sys.executable, "-c", script, *arguments],
        env=PYTHON_ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() in ("held", "open")
    return holder


def _release(holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(timeout=30)


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    ended = subprocess.Popen(["true"])
    ended.wait()
    return ended.pid


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    return make_warehouse(tmp_path / "w.duckdb")


@pytest.fixture()
def written_batch(warehouse: Path, tmp_path: Path) -> Path:
    assert cli.main(["--duckdb", str(warehouse), "--out", str(tmp_path / "out"), "--batch-id", "b"]) == 0
    return tmp_path / "out" / "b"


@pytest.fixture()
def backfill_holds_the_lock(warehouse: Path) -> Iterator[subprocess.Popen[str]]:
    holder = _hold(HOLD_THE_LOCK, str(warehouse), "backfill")
    yield holder
    _release(holder)


def _writers(warehouse: Path, batch: Path, tmp_path: Path) -> dict[str, list[str]]:
    never_run = tmp_path / "dbt"
    never_run.write_text(f"#!/bin/sh\ntouch {tmp_path / 'dbt_ran'}\n")
    never_run.chmod(0o755)
    export = [sys.executable, "-m", "lead_scoring.export", "--duckdb", str(warehouse)]
    return {
        "build": [str(REPO / "scripts" / "build_duckdb_atomically.sh"), str(never_run)],
        "backfill": [sys.executable, "-m", "lead_scoring.backfill", "--days", "30", "--dbt", str(never_run)],
        "export": [*export, "--out", str(tmp_path / "out")],
        "mark-sent": [*export, "--mark-sent", str(batch)],
    }


def test_every_writer_is_refused_with_one_line_naming_the_holder(
    warehouse: Path, written_batch: Path, tmp_path: Path, backfill_holds_the_lock: subprocess.Popen[str]
) -> None:
    before = _digest(warehouse)
    env = {**PYTHON_ENV, "LEAD_SCORING_DUCKDB_PATH": str(warehouse), "LEAD_SCORING_BUILD_LOCK_WAIT": "0"}
    for job, command in _writers(warehouse, written_batch, tmp_path).items():
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 75, (job, result.stderr)
        assert result.stderr.count("\n") == 1, (job, result.stderr)  # one line, no traceback
        assert result.stderr.startswith(
            f"{job}: {warehouse} is being written by backfill (pid {backfill_holds_the_lock.pid}, since "
        ), result.stderr
        assert f"lock {warehouse}.lock: not starting (LEAD_SCORING_BUILD_LOCK_WAIT=0)" in result.stderr
    assert _digest(warehouse) == before
    assert not (tmp_path / "dbt_ran").exists()
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["b"]
    assert not copies_beside(warehouse)


def test_two_exports_at_once_wait_for_each_other_and_write_two_batches(
    warehouse: Path, tmp_path: Path
) -> None:
    """Issue 26: two exports in the same second raced for one batch folder (`OSError: Directory not
    empty`). Now the second waits for the first and takes the next free batch id; a killed export's
    temporary folder is removed by the next one."""
    out = tmp_path / "out"
    killed_export = out / f".20260701T060000Z.building-{_dead_pid()}"
    killed_export.mkdir(parents=True)
    holder = _hold(HOLD_THE_LOCK, str(warehouse), "build")
    command = [sys.executable, "-m", "lead_scoring.export", "--duckdb", str(warehouse), "--out", str(out)]
    exports = [
        subprocess.Popen(command, env=PYTHON_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    time.sleep(1.5)  # both are waiting for the build
    _release(holder)
    results = [export.communicate(timeout=120) for export in exports]
    for export, (stdout, stderr) in zip(exports, results, strict=True):
        assert export.returncode == 0, stderr
        assert "Traceback" not in stderr
        assert f"export: {warehouse} is being written by build (pid {holder.pid}" in stderr
        assert "waiting for it to finish" in stderr and "wrote batch" in stdout
    batches = sorted(path.name for path in out.iterdir())
    assert not killed_export.exists()
    assert len(batches) == 2 and all(not name.startswith(".") for name in batches), batches
    for name in batches:
        assert (out / name / "manifest.json").is_file()


def test_mark_sent_waits_for_another_program_to_close_the_file_or_names_it(
    warehouse: Path, written_batch: Path, monkeypatch, capsys
) -> None:
    """Issue 26: --mark-sent while a reader had the file open died with DuckDB's lock traceback."""
    mark = ["--duckdb", str(warehouse), "--mark-sent", str(written_batch)]
    reader = _hold(HOLD_THE_FILE_OPEN, str(warehouse))
    try:
        monkeypatch.setenv("LEAD_SCORING_BUILD_LOCK_WAIT", "0")
        assert cli.main(mark) == 75
        refused = capsys.readouterr().err
        assert refused.count("\n") == 1  # one line, no traceback
        assert refused.startswith(f"mark-sent: {warehouse} is open in another program (python")
        assert f"PID {reader.pid})" in refused and "Nothing was changed" in refused

        monkeypatch.setenv("LEAD_SCORING_BUILD_LOCK_WAIT", "60")
        closing = threading.Timer(1.0, _release, [reader])  # the reader closes while the mark waits
        closing.start()
        assert cli.main(mark) == 0
        closing.join()
        assert "waiting for it to close" in capsys.readouterr().err
    finally:
        reader.kill()
        reader.wait()
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        assert connection.sql("select count(*) from marts.fct_crm_sync_log").fetchone()[0] > 0


def test_working_copies_are_removed_only_when_their_owner_has_ended(tmp_path: Path) -> None:
    warehouse = tmp_path / "lead_scoring.duckdb"
    warehouse.write_bytes(b"published")

    def copy_owned_by(name: str, pid: int | None, started: int | None = None) -> Path:
        folder = tmp_path / f"{warehouse.name}.building.{name}"
        folder.mkdir()
        (folder / warehouse.name).write_bytes(b"half built")
        if pid is not None:
            (folder / OWNER_FILE).write_text(
                f'{{"job": "build", "pid": {pid}, "pid_started_ticks": {started or "null"}}}'
            )
        return folder

    alive = copy_owned_by("alive", os.getpid(), process_start_ticks(os.getpid()))
    dead = copy_owned_by("dead", _dead_pid())
    reused = copy_owned_by("reused", os.getpid(), (process_start_ticks(os.getpid()) or 0) + 1)
    legacy = copy_owned_by("legacy", None)  # made by the shell script before the owner file
    said: list[str] = []
    with writer_lock(warehouse, "build", 0) as lock:
        removed = remove_stale_copies(lock, said.append)
        assert sorted(removed) == sorted([dead, reused, legacy])
        assert alive.exists() and copies_beside(warehouse) == [alive]
        assert any(line.startswith(f"build: left {alive} alone") for line in said)
        # a run's own copy goes whatever happens, and publishing is one rename
        with building_copy(lock, said.append) as copy:
            assert copy.path.read_bytes() == b"published"
            copy.path.write_bytes(b"rebuilt")
            copy.publish()
        assert warehouse.read_bytes() == b"rebuilt"
        with pytest.raises(RuntimeError), building_copy(lock, said.append) as copy:
            raise RuntimeError("dbt failed")
        assert copies_beside(warehouse) == [alive]


def test_a_lock_holder_that_ended_is_named_so(tmp_path: Path) -> None:
    """A writer killed while its dbt still runs: dbt holds the inherited lock until it stops."""
    warehouse = tmp_path / "w.duckdb"
    lock_file = Path(f"{warehouse}.lock")
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(f"build, pid {_dead_pid()}, since 2026-07-01T06:00:00Z\n")
        handle.flush()
        ended = "it has ended, a process it started still holds the lock"
        with pytest.raises(WarehouseBusy, match=ended), writer_lock(warehouse, "export", 0):
            pass
