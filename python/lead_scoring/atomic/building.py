"""A run's working copy of the warehouse, published by one rename; stale copies of dead runs removed.

Each run copies the warehouse into its own folder beside it, `<warehouse>.building.XXXXXXXX/`
(same file system, so the rename that publishes it is atomic), with the file's own name inside (a
warehouse built before views were written without their catalog still resolves them) and an
`owner.json` naming the job and process. Readers that hold the old file open keep reading it until
they reopen. Call these holding the writer lock (lock.writer_lock).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lead_scoring.atomic.lock import WriterLock, process_is_alive, process_start_ticks

OWNER_FILE = "owner.json"


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Terminated(Exception):
    """SIGTERM arrived: unwind (the working copy is removed on the way out)."""


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """Within the block SIGTERM raises Terminated, so cleanup runs as it does for Ctrl-C."""

    def handler(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def copies_beside(warehouse: Path) -> list[Path]:
    """Working copies (folders, or files of older versions of the build script) beside the warehouse."""
    pattern = glob.escape(str(warehouse.parent / warehouse.name)) + ".building*"
    return sorted(Path(path) for path in glob.glob(pattern))


@dataclass(frozen=True)
class Owner:
    job: str
    pid: int
    started: int | None

    @classmethod
    def read(cls, folder: Path) -> Owner | None:
        try:
            data = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
            return cls(str(data["job"]), int(data["pid"]), data.get("pid_started_ticks"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def is_alive(self) -> bool:
        return process_is_alive(self.pid, self.started)


def remove_stale_copies(lock: WriterLock, say: Callable[[str], None] = _say) -> list[Path]:
    """Remove the working copies whose owner has died (a killed build or backfill); the removed paths.

    Holding the lock proves no writer that takes it is running; the owner's process is checked
    as well, and a copy whose owner still runs is left alone. A copy without an owner file was
    left by an older build script (it held the lock the same way) and is removed."""
    removed = []
    for path in copies_beside(lock.warehouse):
        owner = Owner.read(path) if path.is_dir() else None
        if owner is not None and owner.is_alive():
            say(f"{lock.job}: left {path} alone: its {owner.job} (pid {owner.pid}) still runs")
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        left_by = f"a {owner.job} (pid {owner.pid}) that ended" if owner else "a run that ended"
        say(f"{lock.job}: removed {path}, a working copy left by {left_by} before publishing")
        removed.append(path)
    return removed


@dataclass(frozen=True)
class BuildingCopy:
    warehouse: Path
    folder: Path

    @property
    def path(self) -> Path:
        """The working copy, which dbt builds (LEAD_SCORING_DUCKDB_PATH)."""
        return self.folder / self.warehouse.name

    def publish(self) -> None:
        """Put the working copy in place of the warehouse by one rename."""
        wal = Path(f"{self.path}.wal")
        if wal.exists():
            # fold the write-ahead log into the file, so that publishing is one rename of one file
            with duckdb.connect(str(self.path)) as connection:
                connection.execute("checkpoint")
        # the old warehouse's log went into the copy: it must not be replayed on the new file
        Path(f"{self.warehouse}.wal").unlink(missing_ok=True)
        os.replace(self.path, self.warehouse)
        if wal.exists():
            os.replace(wal, f"{self.warehouse}.wal")


@contextlib.contextmanager
def building_copy(lock: WriterLock, say: Callable[[str], None] = _say) -> Iterator[BuildingCopy]:
    """A working copy of the locked warehouse (empty when there is none yet), removed on the way out
    whatever happens; call publish() on it to put it in place first."""
    warehouse = lock.warehouse
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_copies(lock, say)
    folder = Path(tempfile.mkdtemp(prefix=f"{warehouse.name}.building.", dir=warehouse.parent))
    try:
        owner = {
            "job": lock.job,
            "pid": os.getpid(),
            "pid_started_ticks": process_start_ticks(os.getpid()),
            "started_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        (folder / OWNER_FILE).write_text(json.dumps(owner) + "\n", encoding="utf-8")
        copy = BuildingCopy(warehouse, folder)
        if warehouse.exists():
            # incremental models (the score history, the sync log) continue from the published file
            shutil.copyfile(warehouse, copy.path)
            if Path(f"{warehouse}.wal").exists():
                shutil.copyfile(f"{warehouse}.wal", f"{copy.path}.wal")
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)
