"""The floor of a daily run: every lead's live behavioral score rescored from the states a run keeps,
in one DuckDB query on the project's warehouse.

    python -m lead_scoring.bench.floor --database warehouse/bench-N/bench.duckdb --as-of 2026-12-05 \
        --out floor.parquet

Decay is memoryless: a lead's state for a signal (its decayed units as of the first day of the state
period that holds the date, `int_lead_signal_states`) is carried to the as-of date by one multiply,
`0.5 ^ (days / half-life)`. Points per unit and the signal caps are applied, the signals summed
per scoring model and lead and the component capped, for the leads the project scores at that
date (`int_scoring_population`). No raw event is read: this is what rescoring costs once the
states are kept, the least a run that scores every lead can cost. Writes (scoring_model, lead_id,
behavioral_points, behavioral_score) as Parquet, the columns the bench compares with the project
(lead_scoring.bench.project.check_against_project).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb


def _literal(text: object) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def floor_sql(as_of: dt.date) -> str:
    as_of_date = f"date {_literal(as_of.isoformat())}"
    return f"""
        with live_states as (
            select
                states.scoring_model,
                states.lead_id,
                states.decayed_units
                    * power(0.5, ({as_of_date} - states.valid_from_date)
                        * coalesce(1 / cast(signals.half_life_days as double), 0))
                    * signals.points_per_unit as points_after_decay,
                signals.cap_points
            from intermediate.int_lead_signal_states as states
            inner join intermediate.int_scoring_event_signals as signals
                on states.scoring_model = signals.scoring_model
                and states.component = signals.component
                and states.signal_id = signals.signal_id
            where states.component = 'behavioral'
                and states.valid_from_date <= {as_of_date}
                and (states.valid_to_date is null or {as_of_date} < states.valid_to_date)
        ),
        scored as (
            select
                population.scoring_model,
                population.lead_id,
                sum(least(
                    live_states.points_after_decay,
                    coalesce(cast(live_states.cap_points as double), 'infinity'::double)
                )) as behavioral_points
            from intermediate.int_scoring_population as population
            inner join live_states
                on population.scoring_model = live_states.scoring_model
                and population.lead_id = live_states.lead_id
            where population.as_of_date = {as_of_date}
            group by population.scoring_model, population.lead_id
        )
        select
            scored.scoring_model,
            scored.lead_id,
            scored.behavioral_points,
            least(
                scored.behavioral_points,
                coalesce(cast(models.behavioral_cap_points as double), 'infinity'::double)
            ) as behavioral_score
        from scored
        inner join seeds.scoring_models as models
            on scored.scoring_model = models.scoring_model
    """


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lead_scoring.bench.floor", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--database", type=Path, required=True, help="the project's DuckDB file")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, required=True, help="the live date to score")
    parser.add_argument("--out", type=Path, required=True, help="Parquet file to write the scores to")
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--print-sql", action="store_true", help="print the query and exit")
    args = parser.parse_args(argv)
    if args.print_sql:
        print(floor_sql(args.as_of))
        return 0
    with duckdb.connect(str(args.database), read_only=True) as connection:
        connection.execute(f"set memory_limit = {_literal(args.memory_limit)}")
        connection.execute(f"set threads = {int(args.threads)}")
        connection.execute("set enable_progress_bar = false")
        connection.execute(f"copy ({floor_sql(args.as_of)}) to {_literal(args.out)} (format parquet)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
