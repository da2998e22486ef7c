"""Run a command and measure it: wall seconds and the peak resident memory of its process tree.

Memory is sampled from /proc every `POLL_SECONDS`: the sum of the RSS of the process and all its
descendants at one moment, and the kernel's own peak of each of them (VmHWM), so a short spike
between two samples of a one-process command (dbt on DuckDB) is not missed. The larger is reported.
Not ``ru_maxrss`` from wait4: a child started by vfork inherits its parent's peak when it execs, so
every command reported the bench's own peak (15 GB after its agreement checks) instead of its own.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

POLL_SECONDS = 0.1
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measurement:
    """What one command cost."""

    command: list[str]
    wall_s: float
    peak_mb: float
    returncode: int
    log: Path | None = None
    extra: dict[str, object] = field(default_factory=dict)


class CommandFailed(RuntimeError):
    pass


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def _peak_rss_bytes(pid: int) -> int:
    """The kernel's high-water mark of the resident memory of `pid` (VmHWM), 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _tree_memory(root: int) -> tuple[int, int]:
    """The resident memory of `root` and all its descendants now, and the highest peak of one of them."""
    children = _children()
    total, highest, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        total += _rss_bytes(pid)
        highest = max(highest, _peak_rss_bytes(pid))
        stack.extend(children.get(pid, ()))
    return total, highest


def run_measured(
    command: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    log: Path,
    check: bool = True,
) -> Measurement:
    """Run `command` (output to `log`), sampling the memory of its process tree until it exits."""
    log.parent.mkdir(parents=True, exist_ok=True)
    peak = 0
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )
        while True:
            # sampled before the exit is reaped: the process's own peak is readable until then
            now, highest = _tree_memory(process.pid)
            peak = max(peak, now, highest)
            pid, status, _ = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(POLL_SECONDS)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    measurement = Measurement(list(command), wall, peak / 1024**2, process.returncode, log)
    if check and process.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise CommandFailed(
            f"failed ({process.returncode}): {' '.join(command)}\n--- {log} (tail) ---\n{tail}"
        )
    return measurement


def dbt_seconds(run_results: Path, resource_type: str = "model") -> tuple[float, dict[str, float]]:
    """(sum of execution_time over the nodes of `resource_type` (model, test), seconds per node)
    from a dbt run_results.json."""
    results = json.loads(run_results.read_text())["results"]
    per_node = {
        result["unique_id"].split(".", 2)[-1]: float(result["execution_time"])
        for result in results
        if result["unique_id"].startswith(f"{resource_type}.")
    }
    return sum(per_node.values()), per_node


def dbt_model_seconds(run_results: Path) -> tuple[float, dict[str, float]]:
    return dbt_seconds(run_results, "model")


def dbt_node_count(run_results: Path) -> dict[str, int]:
    """How many nodes of each resource type (model, test, seed, ...) a dbt run executed."""
    counts: dict[str, int] = {}
    for result in json.loads(run_results.read_text())["results"]:
        kind = result["unique_id"].split(".", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def machine() -> dict[str, object]:
    """nproc, memory and CPU model of this machine."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024**2, 1)
                break
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "memory_gb": memory_gb,
        "cpu_model": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
