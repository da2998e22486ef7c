"""Several dbt commands in one process: one parse, one Spark session.

    python -m lead_scoring.common.dbt_steps --target spark --vars '{...}' \\
        --step run-operation register_parquet_relations --args '{path: DIR}' \\
        --step build --select staging \\
        --step run-operation export_relations --args '{path: OUT}'

The arguments before the first ``--step`` are given to every step (target, vars, target and log
paths); each ``--step`` starts the arguments of one dbt command. The project is parsed once, and
the commands run one after the other through dbt's Python entry point (dbtRunner) in this process,
each on the parsed project; the first one that fails stops the rest (exit code 1).

Why: a local Spark session (dbt-spark's ``method: session``) is a JVM inside the dbt process, and
its Derby metastore admits one process at a time, so the Spark steps of ``make test-warehouses``
(register the connector tables, build, export) must run one after the other; as three ``dbt``
commands each started a JVM and parsed the project again. Here they share one Spark session.
"""

from __future__ import annotations

import sys
import time

STEP = "--step"


def split_steps(argv: list[str]) -> tuple[list[str], list[list[str]]]:
    """(the arguments every step gets, each step's own arguments)."""
    segments: list[list[str]] = [[]]
    for arg in argv:
        if arg == STEP:
            segments.append([])
        else:
            segments[-1].append(arg)
    common, steps = segments[0], segments[1:]
    if not steps or any(not step for step in steps):
        raise ValueError(f"give each dbt command after {STEP}, e.g. {STEP} build --select staging")
    return common, steps


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    try:
        common, steps = split_steps(argv)
    except ValueError as exc:
        print(f"dbt_steps: error: {exc}", file=sys.stderr)
        return 2
    from dbt.cli.main import dbtRunner

    started = time.monotonic()
    parsed = dbtRunner().invoke(["parse", *common])
    print(f"dbt_steps: parse: {time.monotonic() - started:.1f}s", file=sys.stderr)
    if not parsed.success:
        return 1
    runner = dbtRunner(manifest=parsed.result)
    for step in steps:
        started = time.monotonic()
        result = runner.invoke([*step, *common])
        name = " ".join(step[:2] if step[0] == "run-operation" else step[:1])
        outcome = "ok" if result.success else "failed"
        print(f"dbt_steps: {name}: {time.monotonic() - started:.1f}s, {outcome}", file=sys.stderr)
        if not result.success:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
