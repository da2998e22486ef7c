"""`dbt build` on a copy of the DuckDB warehouse, published only when the whole build passed.

    python -m lead_scoring.atomic.build <dbt> [dbt build arguments...]
    scripts/build_duckdb_atomically.sh <dbt> [dbt build arguments...]   (what make build runs)

The warehouse is $LEAD_SCORING_DUCKDB_PATH (default warehouse/lead_scoring.duckdb). Under the
writer lock (a second writer waits, LEAD_SCORING_BUILD_LOCK_WAIT), copies left by killed runs are
removed, the warehouse is copied, dbt builds the copy, and the copy is renamed over the warehouse
when dbt exited 0 (models, seeds and every data test); on a failure, Ctrl-C, SIGTERM or SIGKILL the
published warehouse is left as it was. Exit code: dbt's, 75 when the lock was not had, 130 / 143
when interrupted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from lead_scoring.atomic.building import Terminated, building_copy, sigterm_unwinds
from lead_scoring.atomic.lock import WarehouseBusy, writer_lock

DEFAULT_WAREHOUSE = Path("warehouse/lead_scoring.duckdb")


def warehouse_from_environment(base: Path | None = None) -> Path:
    """$LEAD_SCORING_DUCKDB_PATH as the dbt profile reads it (relative paths from `base`, default
    the working directory)."""
    path = Path(os.environ.get("LEAD_SCORING_DUCKDB_PATH") or DEFAULT_WAREHOUSE)
    return path if base is None or path.is_absolute() else base / path


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(dbt: str, arguments: Sequence[str]) -> int:
    warehouse = warehouse_from_environment()
    with writer_lock(warehouse, "build") as lock, building_copy(lock) as copy:
        env = {**os.environ, "LEAD_SCORING_DUCKDB_PATH": str(copy.path)}
        status = subprocess.run([dbt, "build", *arguments], env=env, **lock.child_options()).returncode
        if status != 0:
            _say(f"dbt build failed: {warehouse} was left as it was (see the errors above).")
            return status
        copy.publish()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments or arguments[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if arguments else 2
    try:
        with sigterm_unwinds():
            return build(arguments[0], arguments[1:])
    except WarehouseBusy as busy:
        _say(str(busy))
        return busy.exit_code
    except KeyboardInterrupt:
        _say(f"build interrupted: {warehouse_from_environment()} was left as it was.")
        return 130
    except Terminated:
        _say(f"build stopped (SIGTERM): {warehouse_from_environment()} was left as it was.")
        return 143


if __name__ == "__main__":
    sys.exit(main())
