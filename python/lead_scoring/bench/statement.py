"""The practical limit: one hand-written DuckDB statement for the live behavioral score.

    python -m lead_scoring.bench.statement --raw RAW --as-of YYYY-MM-DD --out scores.parquet

It reads the raw Parquet files and the seeds directly and does what the project does for the live
behavioral score, in one statement: trim and blank the raw text, parse timestamps and numbers, keep
the leads whose latest valid version exists by the as-of date, drop events of unknown leads,
future-dated and otherwise rejected events, fold re-deliveries by event_id (conflicting ones are
dropped), match signals by event type and page path pattern, cap units per signal and day, decay
by half-life to the end of the as-of day, cap per signal, sum per lead, cap the component. The
result (scoring_model, lead_id, behavioral_points before the component cap, behavioral_score after it,
both unrounded) is written to --out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[3]

# The shape a timestamp text must have (the project's iso_timestamp_checked_pattern()).
ISO_TIMESTAMP = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9]([.][0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?$"
)
NUMBER = r"^[+-]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)([.][0-9]+)?$"
EMAIL = r"^([a-z0-9._%+-]|[^ -~])+@([a-z0-9-]|[^ -~])+([.]([a-z0-9-]|[^ -~])+)*[.]([a-z]|[^ -~]){2,}$"


@dataclass(frozen=True)
class Settings:
    """The project's vars the statement needs (read from dbt_project.yml)."""

    null_markers: tuple[str, ...]
    max_clock_skew_hours: int
    max_duration_seconds: float
    max_employee_count: float
    max_annual_revenue_usd: float

    @classmethod
    def from_project(cls, repo: Path = REPO) -> Settings:
        variables = yaml.safe_load((repo / "dbt_project.yml").read_text())["vars"]
        return cls(
            null_markers=tuple(str(marker).lower() for marker in variables["null_markers"]),
            max_clock_skew_hours=int(variables["max_clock_skew_hours"]),
            max_duration_seconds=float(variables["max_duration_seconds"]),
            max_employee_count=float(variables["max_employee_count"]),
            max_annual_revenue_usd=float(variables["max_annual_revenue_usd"]),
        )


def _literal(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def behavioral_score_sql(
    raw: Path, as_of: dt.date, now: dt.datetime, settings: Settings, seeds: Path = REPO / "seeds"
) -> str:
    """The statement: one row per scoring model and lead with a matching signal, as of `as_of`."""
    markers = ", ".join(_literal(marker) for marker in ("", *settings.null_markers))
    latest_plausible = _literal(
        (now + dt.timedelta(hours=settings.max_clock_skew_hours)).strftime("%Y-%m-%d %H:%M:%S")
    )

    def clean(column: str) -> str:
        return f"case when lower(trim({column})) in ({markers}) then null else trim({column}) end"

    def timestamp(text: str) -> str:
        return f"""case
            when {text} like '____-__-__T__:__:__Z' and substr({text}, 1, 4) between '0001' and '9999'
                then try_strptime({text}, '%Y-%m-%dT%H:%M:%SZ')
            when {text} like '____-__-__ __:__:__' and substr({text}, 1, 4) between '0001' and '9999'
                then try_strptime({text}, '%Y-%m-%d %H:%M:%S')
            when regexp_full_match({text}, '{ISO_TIMESTAMP}') and substr({text}, 1, 4) <> '0000'
                then cast(timezone('UTC', try_cast({text} as timestamptz)) as timestamp)
        end"""

    def number(text: str) -> str:
        return f"""case when regexp_full_match({text}, '{NUMBER}') and length(replace({text}, ',', '')) <= 300
            then cast(replace({text}, ',', '') as double) end"""

    def parquet(name: str) -> str:
        return f"read_parquet({_literal(raw / name / '*.parquet')}, union_by_name = true)"

    def seed(name: str) -> str:
        return f"read_csv({_literal(seeds / 'scoring' / (name + '.csv'))}, header = true, all_varchar = true)"

    return f"""
with
lead_rows as (
    select
        {clean("lead_id")} as lead_id,
        lower({clean("email")}) as email,
        regexp_replace({clean("job_title")}, ' +', ' ', 'g') as job_title,
        {clean("company_name")} as company_name,
        {clean("employee_count")} as employee_count_text,
        {clean("annual_revenue")} as annual_revenue_text,
        {clean("created_at")} as created_at_text,
        {clean("updated_at")} as updated_at_text
    from {parquet("leads")}
),
lead_parsed as (
    select
        *,
        {timestamp("created_at_text")} as created_at,
        coalesce({timestamp("updated_at_text")},
                 case when updated_at_text is null then {timestamp("created_at_text")} end) as updated_at,
        {number("employee_count_text")} as employee_count,
        {number("annual_revenue_text")} as annual_revenue,
        min(lead_id) over (partition by lower(lead_id)) <> max(lead_id) over (partition by lower(lead_id))
            as has_case_variant
    from lead_rows
),
valid_leads as (
    select *
    from lead_parsed
    where lead_id is not null
        and not has_case_variant
        and created_at is not null and created_at <= timestamp {latest_plausible}
        and (updated_at_text is null
             or (updated_at is not null and updated_at <= timestamp {latest_plausible}))
        and (email is null or regexp_full_match(email, '{EMAIL}'))
        and (employee_count_text is null or employee_count >= 0)
        and coalesce(employee_count <= {settings.max_employee_count}, true)
        and (annual_revenue_text is null or annual_revenue >= 0)
        and coalesce(annual_revenue <= {settings.max_annual_revenue_usd}, true)
),
-- the latest valid version of each lead (the project's staged version)
leads as (
    select lead_id, cast(created_at as date) as created_date
    from valid_leads
    qualify row_number() over (
        partition by lead_id
        order by updated_at desc, email asc, job_title asc, company_name asc,
            employee_count_text asc, created_at_text asc
    ) = 1
),
event_rows as (
    select
        {clean("event_id")} as event_id,
        {clean("lead_id")} as lead_id,
        regexp_replace(lower({clean("event_type")}), '[^a-z0-9]+', '_', 'g') as event_type,
        {clean("occurred_at")} as occurred_at_text,
        {clean("page_url")} as page_url,
        {clean("duration_seconds")} as duration_seconds_text
    from {parquet("events")}
),
event_parsed as (
    select
        event_rows.*,
        {timestamp("event_rows.occurred_at_text")} as occurred_at,
        {number("event_rows.duration_seconds_text")} as duration_seconds,
        leads.lead_id is not null as is_known_lead
    from event_rows
    left join leads on event_rows.lead_id = leads.lead_id
),
event_checked as (
    select
        *,
        event_id is not null
            and is_known_lead
            and event_type is not null
            and occurred_at is not null
            and occurred_at <= timestamp {latest_plausible}
            and (duration_seconds_text is null or duration_seconds >= 0)
            and coalesce(duration_seconds <= {settings.max_duration_seconds}, true) as is_valid
    from event_parsed
    where event_id is not null
),
-- re-deliveries folded by event_id; ids differing only in case, or deliveries that disagree, are dropped
events as (
    select
        min(event_id) as event_id,
        any_value(lead_id) filter (where is_valid) as lead_id,
        any_value(event_type) filter (where is_valid) as event_type,
        any_value(cast(occurred_at as date)) filter (where is_valid) as occurred_date,
        any_value(regexp_replace(regexp_replace(lower(page_url), '^[a-z]+://[^/]+', '', 'g'),
                                 '[?#].*$', '', 'g')) filter (where is_valid) as page_path,
        any_value(duration_seconds) filter (where is_valid) as duration_seconds
    from event_checked
    group by lower(event_id)
    having min(event_id) = max(event_id)
        and count(*) filter (where is_valid) > 0
        and min(hash(lead_id, event_type, occurred_at, page_url, duration_seconds)) filter (where is_valid)
            = max(hash(lead_id, event_type, occurred_at, page_url, duration_seconds)) filter (where is_valid)
),
signals as (
    select
        scoring_model,
        signal_id,
        event_type,
        page_path_pattern,
        measure,
        cast(points_per_unit as double) as points_per_unit,
        cast(half_life_days as double) as half_life_days,
        cast(cap_points as double) as cap_points,
        cast(daily_unit_limit as double) as daily_unit_limit
    from {seed("scoring_behavioral_signals")}
),
signal_days as (
    select
        signals.scoring_model,
        signals.signal_id,
        events.lead_id,
        events.occurred_date,
        case measure
            when 'occurrence' then 1
            when 'duration_minutes' then coalesce(duration_seconds, 0) / 60.0
        end as units
    from events
    inner join leads on events.lead_id = leads.lead_id
    inner join signals
        on events.event_type = signals.event_type
        and (signals.page_path_pattern is null or events.page_path like signals.page_path_pattern)
    where events.occurred_date <= date '{as_of.isoformat()}'
        and leads.created_date <= date '{as_of.isoformat()}'
),
daily as (
    select scoring_model, signal_id, lead_id, occurred_date, sum(units) as units
    from signal_days
    group by all
),
per_signal as (
    select
        daily.scoring_model,
        daily.lead_id,
        signals.points_per_unit,
        signals.cap_points,
        sum(least(daily.units, coalesce(signals.daily_unit_limit, daily.units))) as units,
        sum(least(daily.units, coalesce(signals.daily_unit_limit, daily.units))
            * power(0.5, (date '{as_of.isoformat()}' - daily.occurred_date)
                         * coalesce(1 / signals.half_life_days, 0))) as decayed_units
    from daily
    inner join signals on daily.scoring_model = signals.scoring_model and daily.signal_id = signals.signal_id
    group by all
),
scoring_models as (
    select scoring_model, cast(behavioral_cap_points as double) as behavioral_cap_points
    from {seed("scoring_models")}
),
per_lead as (
    select
        scoring_model,
        lead_id,
        sum(least(least(decayed_units, units) * points_per_unit,
                  coalesce(cap_points, least(decayed_units, units) * points_per_unit))) as behavioral_points
    from per_signal
    group by all
)
select
    per_lead.scoring_model,
    per_lead.lead_id,
    per_lead.behavioral_points,
    least(per_lead.behavioral_points,
          coalesce(scoring_models.behavioral_cap_points, per_lead.behavioral_points)) as behavioral_score
from per_lead
inner join scoring_models on per_lead.scoring_model = scoring_models.scoring_model
"""


def run(
    raw: Path,
    as_of: dt.date,
    out: Path,
    memory_limit: str = "4GB",
    threads: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Run the statement and write its rows to `out` (Parquet); return the row count."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    sql = behavioral_score_sql(raw.absolute(), as_of, now, Settings.from_project())
    connection = duckdb.connect(":memory:")
    try:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(f"set memory_limit = {_literal(memory_limit)}")
        connection.execute("set preserve_insertion_order = false")
        connection.execute("set enable_progress_bar = false")
        connection.execute(f"set temp_directory = {_literal(out.parent / '.statement_spill')}")
        if threads:
            connection.execute(f"set threads = {int(threads)}")
        (count,) = connection.execute(f"copy ({sql}) to {_literal(out)} (format parquet)").fetchone()
    finally:
        connection.close()
    return int(count)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m lead_scoring.bench.statement", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--print-sql", action="store_true", help="print the statement and exit")
    args = parser.parse_args(argv)
    if args.print_sql:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        print(behavioral_score_sql(args.raw.absolute(), args.as_of, now, Settings.from_project()))
        return 0
    rows = run(args.raw, args.as_of, args.out, args.memory_limit, args.threads)
    print(f"{rows} rows written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
