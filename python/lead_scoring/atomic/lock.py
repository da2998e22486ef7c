"""The writer lock of a DuckDB warehouse file: `<warehouse>.lock`, held with flock.

The lock is the flock, not the file's text; the text says who holds it (job, pid, since when), for
the line a waiting or refused writer prints. flock is released by the kernel when its holder dies,
so a killed writer never leaves the warehouse locked. The processes a writer starts (dbt) inherit
the lock and are stopped when the writer dies (Linux: PR_SET_PDEATHSIG), so a killed build's dbt
cannot go on writing while the next writer starts.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import fcntl
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

WAIT_VARIABLE = "LEAD_SCORING_BUILD_LOCK_WAIT"
DEFAULT_WAIT_SECONDS = 3600.0
EXIT_BUSY = 75  # EX_TEMPFAIL: try again later
POLL_SECONDS = 0.2

T = TypeVar("T")


class WarehouseBusy(Exception):
    """Another writer (or another program's DuckDB connection) holds the warehouse; the message is
    the one line to print. Exit code EXIT_BUSY."""

    exit_code = EXIT_BUSY


def wait_seconds_from_environment() -> float:
    """LEAD_SCORING_BUILD_LOCK_WAIT in seconds (default 3600)."""
    text = os.environ.get(WAIT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        raise WarehouseBusy(f"{WAIT_VARIABLE} must be a number of seconds, not {text!r}") from None
    if seconds < 0:
        raise WarehouseBusy(f"{WAIT_VARIABLE} must be 0 or more seconds, not {text!r}")
    return seconds


def lock_path(warehouse: Path) -> Path:
    return Path(f"{warehouse}.lock")


def process_is_alive(pid: int, started: int | None = None) -> bool:
    """Whether process `pid` runs; with `started` (its start time in clock ticks, as recorded by
    process_start_ticks), whether it is still that process and not a later one given the same pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return started is None or process_start_ticks(pid) in (None, started)


def process_start_ticks(pid: int) -> int | None:
    """When the process started, in clock ticks after boot (Linux /proc), else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    return int(stat[stat.rindex(")") + 2 :].split()[19])


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as its holder wrote it into the lock file."""

    job: str
    pid: int | None
    since: str

    @classmethod
    def read(cls, path: Path) -> Holder | None:
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        match = re.fullmatch(r"(?P<job>.+?), pid (?P<pid>\d+), since (?P<since>\S+)", text)
        if match is None:
            return None
        return cls(match["job"], int(match["pid"]), match["since"])

    def __str__(self) -> str:
        text = f"{self.job} (pid {self.pid}, since {self.since}"
        if self.pid is not None and not process_is_alive(self.pid):
            # a process it started (dbt) holds the inherited lock until it has stopped
            text += "; it has ended, a process it started still holds the lock"
        return text + ")"


def describe_holder(path: Path) -> str:
    holder = Holder.read(path)
    return str(holder) if holder else "another writer"


def _stop_with_parent() -> None:
    """In a child before exec: SIGTERM when the parent (the writer holding the lock) dies."""
    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)


@dataclass(frozen=True)
class WriterLock:
    """A held lock: its file, and the options that make a child process hold it too."""

    warehouse: Path
    path: Path
    fd: int
    job: str

    def child_options(self) -> dict[str, object]:
        """subprocess keyword arguments: the child inherits the lock and stops when this process dies."""
        options: dict[str, object] = {"pass_fds": (self.fd,)}
        if sys.platform.startswith("linux"):
            options["preexec_fn"] = _stop_with_parent
        return options


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextlib.contextmanager
def writer_lock(
    warehouse: Path,
    job: str,
    wait_seconds: float | None = None,
    say: Callable[[str], None] = _say,
) -> Iterator[WriterLock]:
    """Hold the writer lock of `warehouse` for `job` (build, backfill, export, mark-sent).

    When another writer holds it: wait at most `wait_seconds` (default LEAD_SCORING_BUILD_LOCK_WAIT),
    saying so once; raise WarehouseBusy with one line naming the holder when it is not released in time.
    """
    wait = wait_seconds_from_environment() if wait_seconds is None else wait_seconds
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        if not _try_lock(handle):
            holder = describe_holder(path)
            if wait <= 0:
                raise WarehouseBusy(
                    f"{job}: {warehouse} is being written by {holder}; lock {path}: not starting "
                    f"({WAIT_VARIABLE}=0). {warehouse} was left as it was."
                )
            say(
                f"{job}: {warehouse} is being written by {holder}; lock {path}: waiting for it to "
                f"finish (at most {wait:.0f}s, {WAIT_VARIABLE})..."
            )
            deadline = time.monotonic() + wait
            while not _try_lock(handle):
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"{job}: gave up waiting {wait:.0f}s for {describe_holder(path)} to finish "
                        f"writing {warehouse} (lock {path}). {warehouse} was left as it was."
                    )
                time.sleep(POLL_SECONDS)
            say(f"{job}: the other writer finished; starting.")
        since = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        handle.seek(0)
        handle.truncate()
        handle.write(f"{job}, pid {os.getpid()}, since {since}\n")
        handle.flush()
        try:
            yield WriterLock(warehouse, path, handle.fileno(), job)
        finally:
            handle.truncate(0)  # no longer the holder (a killed holder's line stays until the next one)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _try_lock(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def connect_waiting(
    warehouse: Path, job: str, read_only: bool, wait_seconds: float | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to `warehouse`, waiting (as writer_lock does) while another program holds
    DuckDB's own lock on the file (a BI tool or a notebook with it open), then WarehouseBusy naming it.
    Our writers are kept apart by writer_lock; this is for programs that do not take it."""
    wait = wait_seconds_from_environment() if wait_seconds is None else wait_seconds
    return _retry_while_locked(
        lambda: duckdb.connect(str(warehouse), read_only=read_only), warehouse, job, wait
    )


def _retry_while_locked(open_: Callable[[], T], warehouse: Path, job: str, wait: float) -> T:
    deadline = time.monotonic() + wait
    said = False
    while True:
        try:
            return open_()
        except duckdb.IOException as error:
            holder = _duckdb_lock_holder(str(error))
            if holder is None:
                raise
            if time.monotonic() >= deadline:
                waited = f"gave up waiting {wait:.0f}s: " if wait > 0 else ""
                raise WarehouseBusy(
                    f"{job}: {waited}{warehouse} is open in another program ({holder}); close it "
                    f"and run {job} again ({WAIT_VARIABLE} sets the wait). Nothing was changed."
                ) from None
            if not said:
                _say(
                    f"{job}: {warehouse} is open in another program ({holder}): waiting for it to "
                    f"close (at most {wait:.0f}s, {WAIT_VARIABLE})..."
                )
                said = True
            time.sleep(POLL_SECONDS)


def _duckdb_lock_holder(message: str) -> str | None:
    """The holder DuckDB names in a 'Could not set lock on file' error, e.g. 'python3 (PID 1234)'."""
    if "Could not set lock" not in message:
        return None
    match = re.search(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)", message)
    if match is None:
        return "DuckDB says the file is locked"
    return f"{Path(match['program']).name}, PID {match['pid']}"
