"""The benchmark's results: steps, ratios, the issue's targets, the printed table and the JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

# The steps every ratio is taken against: the hand-written statement (a full recomputation from the
# raw files) and the floor (every lead rescored from the kept states, lead_scoring.bench.floor).
STATEMENT = "statement"
FLOOR = "floor"
JSON_VERSION = 1


@dataclass
class Step:
    """One measured step."""

    name: str
    label: str
    wall_s: float
    peak_mb: float | None = None
    model_s: float | None = None
    command: str = ""
    test_s: float | None = None
    notes: str = ""
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class Target:
    """One of the issue's targets, evaluated on the measured steps."""

    name: str
    measured: float | None
    limit: float | None
    unit: str
    how: str

    @property
    def met(self) -> bool | None:
        if self.measured is None or self.limit is None:
            return None
        return self.measured <= self.limit


def ratio(steps: dict[str, Step], name: str, base: str = STATEMENT) -> float | None:
    """Wall seconds of `name` over those of `base` (None when either is missing)."""
    if name not in steps or base not in steps or not steps[base].wall_s:
        return None
    return steps[name].wall_s / steps[base].wall_s


def targets(
    steps: dict[str, Step],
    *,
    cutoffs_s: float | None,
    one_live_scoring_s: float | None,
    memory_limit_mb: float = 6 * 1024,
) -> list[Target]:
    """The issue's targets (stated at 1M leads; evaluated at whatever scale was run)."""
    dbt_peaks = [
        step.peak_mb
        for name, step in steps.items()
        if name.startswith(("main", "live", "incremental", "hourly", "backfill")) and step.peak_mb
    ]
    incremental = steps.get("incremental")
    hourly = steps.get("hourly")
    return [
        Target(
            "incremental day <= 60 s wall",
            incremental.wall_s if incremental else None,
            60.0,
            "s",
            "wall of the whole dbt build, models and data tests",
        ),
        Target(
            "hourly run <= 30 s wall",
            hourly.wall_s if hourly else None,
            30.0,
            "s",
            "wall of the whole dbt build, models and data tests",
        ),
        Target("main job <= 3x statement", ratio(steps, "main"), 3.0, "x", "wall(main) / wall(statement)"),
        Target("live path <= 1.5x statement", ratio(steps, "live"), 1.5, "x", "wall(live) / wall(statement)"),
        Target(
            "90-day backfill <= 2x statement",
            ratio(steps, "backfill"),
            2.0,
            "x",
            "wall(backfill) / wall(statement)",
        ),
        Target(
            "12 cutoffs <= 2x one live scoring",
            None if cutoffs_s is None or not one_live_scoring_s else cutoffs_s / one_live_scoring_s,
            2.0,
            "x",
            "model time the backtest cutoffs add / model time of the live path with one cutoff",
        ),
        Target(
            "dbt peak memory < 6 GB",
            max(dbt_peaks) if dbt_peaks else None,
            memory_limit_mb,
            "MB",
            "max over dbt steps",
        ),
    ]


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]], align_right: Sequence[bool]) -> str:
    """A Markdown table whose columns line up in a terminal."""
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in rows)) if rows else len(headers[i])
        for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(
                cell.rjust(w) if right else cell.ljust(w)
                for cell, w, right in zip(cells, widths, align_right, strict=True)
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if right else ("-" * (w + 2))
            for w, right in zip(widths, align_right, strict=True)
        )
        + "|"
    )
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def steps_table(steps: dict[str, Step]) -> str:
    rows = [
        [
            step.label,
            _number(step.wall_s),
            _number(step.model_s),
            _number(step.test_s),
            _number(step.peak_mb, 0),
            _number(ratio(steps, name), 2),
            _number(ratio(steps, name, FLOOR), 1),
            step.notes,
        ]
        for name, step in steps.items()
    ]
    return format_table(
        ["step", "wall s", "model s", "test s", "peak MB", "x statement", "x floor", "notes"],
        rows,
        [False, True, True, True, True, True, True, False],
    )


def targets_table(items: Sequence[Target]) -> str:
    rows = []
    for target in items:
        verdict = {True: "met", False: "NOT met", None: "n/a"}[target.met]
        digits = 0 if target.unit == "MB" else 2
        rows.append(
            [
                target.name,
                _number(target.measured, digits),
                _number(target.limit, digits),
                target.unit,
                verdict,
                target.how,
            ]
        )
    return format_table(
        ["target", "measured", "limit", "unit", "verdict", "how"],
        rows,
        [False, True, True, False, False, False],
    )


def models_table(seconds: dict[str, float], top: int, what: str = "model (main job)") -> str:
    total = sum(seconds.values()) or 1.0
    ranked = sorted(seconds.items(), key=lambda item: (-item[1], item[0]))[:top]
    rows = [[name, _number(value), _number(100 * value / total)] for name, value in ranked]
    return format_table([what, "s", "% of the total"], rows, [False, True, True])


def machine_line(machine: dict[str, object]) -> str:
    return (
        f"machine: {machine.get('nproc')} cores ({machine.get('cpu_model')}), "
        f"{machine.get('memory_gb')} GB memory, {machine.get('platform')}"
    )


def results_json(
    *,
    machine: dict[str, object],
    scale: dict[str, object],
    steps: dict[str, Step],
    target_list: Sequence[Target],
    agreements: Sequence[dict[str, object]],
    slowest_models: dict[str, float],
    extra: dict[str, object] | None = None,
) -> dict[str, object]:
    """Everything measured, as one JSON-ready dict."""
    return {
        "version": JSON_VERSION,
        "machine": machine,
        "scale": scale,
        "steps": {
            name: {
                **asdict(step),
                "ratio_to_statement": ratio(steps, name),
                "ratio_to_floor": ratio(steps, name, FLOOR),
            }
            for name, step in steps.items()
        },
        "targets": [{**asdict(target), "met": target.met} for target in target_list],
        "agreements": list(agreements),
        "main_job_models_s": dict(sorted(slowest_models.items(), key=lambda item: -item[1])),
        **(extra or {}),
    }


def write_json(path: Path, results: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
