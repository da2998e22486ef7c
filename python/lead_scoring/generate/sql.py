"""Helpers that build DuckDB SQL text: literals and weighted random picks from a uniform column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence


def quote(value: str | None) -> str:
    """SQL literal for a string (or null)."""
    if value is None:
        return "null"
    return "'" + value.replace("'", "''") + "'"


def num(value: float) -> str:
    return repr(float(value))


def sql_list(values: Sequence[str | None]) -> str:
    return "[" + ", ".join(quote(v) for v in values) + "]"


def pick_uniform(u: str, values: Sequence[str | None]) -> str:
    """Element of `values` chosen by the uniform `u` in [0, 1)."""
    return f"{sql_list(values)}[1 + floor(({u}) * {len(values)})::bigint]"


def pick(u: str, options: Sequence[tuple[str, float]]) -> str:
    """A case expression choosing one SQL expression per row, by weight, from the uniform `u` in [0, 1)."""
    total = sum(w for _, w in options)
    acc = 0.0
    parts = []
    for expr, weight in options[:-1]:
        acc += weight / total
        parts.append(f"when {u} < {num(acc)} then {expr}")
    return f"(case {' '.join(parts)} else {options[-1][0]} end)"


def pick_linear(u: str, heat: str, options: Sequence[tuple[str, float, float]]) -> str:
    """Like `_pick`, but the weight of each option is `a + b * heat` (`u`, `heat`: columns in [0, 1])."""
    total_a = sum(a for _, a, _ in options)
    total_b = sum(b for _, _, b in options)
    x = f"{u} * ({num(total_a)} + {num(total_b)} * {heat})"
    acc_a = acc_b = 0.0
    parts = []
    for expr, a, b in options[:-1]:
        acc_a += a
        acc_b += b
        parts.append(f"when {x} < {num(acc_a)} + {num(acc_b)} * {heat} then {expr}")
    return f"(case {' '.join(parts)} else {options[-1][0]} end)"


def values_table(name: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def lit(v: object) -> str:
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return num(v) if isinstance(v, float) else str(v)
        if isinstance(v, tuple | list):
            return sql_list(v)
        return quote(str(v))

    values = ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in rows)
    return f"create temp table {name} as select * from (values {values}) as t({', '.join(columns)})"


def epoch_seconds(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
