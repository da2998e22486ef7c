"""The files truth, read back with DuckDB and parsed the way staging parses it.

The connector shapes are converted from the files the generator wrote (not from its hidden tables),
so the files stay the one reference. Every text value is parsed with the same rules as the dbt
staging macros (clean_text, safe_cast_number, safe_cast_timestamp_utc, email_pattern), so the
conversion knows which rows staging rejects and why, and can carry them over as rejected rows.

Temp tables built here:

- ``truth_lead_rows``: one row per line of the leads file (``line`` = its order in the file), the
  texts as written and their parsed values, and ``row_valid`` (staging would not reject it);
- ``truth_events``: one row per line of the events file, with the normalised event type and its
  ``category`` (touch, email, form, page, web, product, unknown);
- ``truth_opportunities``: one row per line of the opportunities file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

from lead_scoring.common.contract import REPO
from lead_scoring.generate.sql import epoch_seconds, quote, sql_list
from lead_scoring.generate.vocabulary import EVENT_TYPES

# The patterns of the staging macros (macros/cross_db, macros/staging): keep them in step.
EMAIL_PATTERN = r"^([a-z0-9._%+-]|[^ -~])+@([a-z0-9-]|[^ -~])+([.]([a-z0-9-]|[^ -~])+)*[.]([a-z]|[^ -~]){2,}$"
NUMBER_PATTERN = r"^[+-]?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)([.][0-9]+)?$"
TIMESTAMP_PATTERN = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9]([.][0-9]+)?)?([Zz]|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?$"
)

SALES_TOUCHES = ("sales_call", "sales_email", "meeting_booked")
EMAIL_EVENTS = ("email_open", "email_click", "email_bounce", "email_unsubscribe")
WEB_TRACKS = ("content_download", "webinar_attended", "demo_request", "trial_signup")
PRODUCT_EVENTS = ("product_login", "feature_used", "seat_invited", "trial_started", "trial_converted")


@dataclass(frozen=True)
class ProjectLimits:
    """The staging vars the conversion must agree with (dbt_project.yml; defaults if unreadable)."""

    null_markers: tuple[str, ...] = ("n/a", "na", "null", "none", "unknown", "-")
    max_employee_count: float = 10_000_000
    max_annual_revenue_usd: float = 10_000_000_000_000
    max_duration_seconds: float = 86_400


def project_limits(repo: Path = REPO) -> ProjectLimits:
    """The staging vars of this project's dbt_project.yml, so a changed var changes the conversion too."""
    defaults = ProjectLimits()
    try:
        project_vars = yaml.safe_load((repo / "dbt_project.yml").read_text()).get("vars", {}) or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return defaults
    return ProjectLimits(
        null_markers=tuple(str(m) for m in project_vars.get("null_markers", defaults.null_markers)),
        max_employee_count=float(project_vars.get("max_employee_count", defaults.max_employee_count)),
        max_annual_revenue_usd=float(
            project_vars.get("max_annual_revenue_usd", defaults.max_annual_revenue_usd)
        ),
        max_duration_seconds=float(project_vars.get("max_duration_seconds", defaults.max_duration_seconds)),
    )


@dataclass
class Conversion:
    """One conversion of the files truth into a connector shape: settings and the DuckDB connection."""

    con: duckdb.DuckDBPyConnection
    shape: str
    seed: int
    end_date: dt.date
    limits: ProjectLimits = field(default_factory=ProjectLimits)

    @property
    def sync_ts(self) -> str:
        """When the connector last synced: the morning after the period (a TIMESTAMP literal)."""
        day = self.end_date + dt.timedelta(days=1)
        return f"timestamp '{day.isoformat()} 06:00:00'"

    def sql(self, statement: str) -> None:
        self.con.execute(statement)

    def scalar(self, query: str) -> int:
        row = self.con.execute(query).fetchone()
        return int(row[0]) if row and row[0] is not None else 0


def create_macros(run: Conversion) -> None:
    """The parsing macros (the staging rules) and the deterministic random numbers of the quirks."""
    markers = sql_list([m.lower() for m in ("", *run.limits.null_markers)])
    macros = [
        # uniform in [0, 1) from a key and a salt, as the generator draws its own
        f"create macro crnd(k, s) as (hash(k, s, {int(run.seed)}::bigint) >> 11)::double"
        " / 9007199254740992.0",
        # clean_text: trimmed, null when blank or a null marker
        f"create macro clean(t) as case when list_contains({markers}, lower(trim(t))) then null"
        " else trim(t) end",
        # safe_cast_number on cleaned text
        f"create macro num(t) as case when regexp_full_match(trim(t), {quote(NUMBER_PATTERN)})"
        " then try_cast(replace(trim(t), ',', '') as double) end",
        # safe_cast_timestamp_utc on cleaned text: a UTC TIMESTAMP, or null (with its fast paths for
        # the two shapes most exports use)
        "create macro ts_utc(t) as case"
        " when t like '____-__-__T__:__:__Z' and substr(t, 1, 4) between '0001' and '9999'"
        " then try_strptime(t, '%Y-%m-%dT%H:%M:%SZ')"
        " when t like '____-__-__ __:__:__' and substr(t, 1, 4) between '0001' and '9999'"
        " then try_strptime(t, '%Y-%m-%d %H:%M:%S')"
        f" when regexp_full_match(trim(t), {quote(TIMESTAMP_PATTERN)})"
        " then try_cast(try_cast(trim(t) as timestamptz) as timestamp) end",
        f"create macro email_ok(e) as coalesce(regexp_full_match(e, {quote(EMAIL_PATTERN)}), false)",
        # a number column of a typed connector table: the value staging reads from the text, or -1
        # for text staging rejects as not a number (so the typed row is rejected for the same reason)
        "create macro typed_number(t) as case when clean(t) is null then null"
        " when num(clean(t)) is null then -1.0 else num(clean(t)) end",
        "create macro typed_int(t) as case when typed_number(t) is null then null"
        " when typed_number(t) not between -2147483648 and 2147483647 then -1"
        " else round(typed_number(t))::integer end",
        # a valid number written as plain text ('1,200' -> '1200'), for text-typed HubSpot properties
        "create macro plain_number(v) as case when v is null then null"
        " when v = round(v) and abs(v) < 1e18 then round(v)::bigint::varchar else v::varchar end",
        # staging's event type: lower case, runs of other characters as '_' (most are already)
        f"create macro norm_type(t) as case when list_contains({sql_list(list(EVENT_TYPES))}, t) then t"
        " else regexp_replace(lower(clean(t)), '[^a-z0-9]+', '_', 'g') end",
        # a uuid-shaped id from a key (Segment anonymous ids, HubSpot form ids)
        f"create macro uuid_of(k) as regexp_replace(md5(k || ':' || {int(run.seed)}),"
        " '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\\1-\\2-\\3-\\4-\\5')",
        # a duplicate record's email: the person's with a +tag (the email names the same person)
        "create macro email_variant(e, tag) as case when email_ok(e)"
        " then split_part(e, '@', 1) || '+' || tag || '@' || split_part(e, '@', 2) end",
        "create macro epoch_ts(s) as make_timestamp(s::bigint * 1000000)",
    ]
    for macro in macros:
        run.sql(macro)


def _source(folder: Path, name: str, fmt: str) -> str:
    if fmt == "parquet":
        path = str(folder / name / "*.parquet").replace("'", "''")
        return f"read_parquet('{path}')"
    path = str(folder / f"{name}.csv").replace("'", "''")
    return f"read_csv('{path}', header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"


def load_truth(run: Conversion, folder: Path, fmt: str) -> None:
    """The three truth files as parsed temp tables (see the module docstring)."""
    limits = run.limits
    for name in ("leads", "events", "opportunities"):
        # insertion order is the file's order (preserve_insertion_order): rowid is the line
        run.sql(f"create temp table file_{name} as select * from {_source(folder, name, fmt)}")
    run.sql(f"""
        create temp table truth_lead_rows as
        with cleaned as (
            select rowid as line,
                clean(lead_id) as lead_id,
                email, first_name, last_name, job_title, company_name, industry, employee_count,
                annual_revenue, country, lead_source,
                lower(clean(email)) as email_key,
                clean(employee_count) as employee_text,
                clean(annual_revenue) as revenue_text,
                clean(created_at) as created_text,
                clean(updated_at) as updated_text
            from file_leads
        ), parsed as (
            select *,
                num(employee_text) as employee_value,
                num(revenue_text) as revenue_value,
                ts_utc(created_text) as created_ts,
                ts_utc(updated_text) as updated_ts
            from cleaned
        )
        select *,
            created_ts is null as created_bad,
            updated_text is not null and updated_ts is null as updated_bad,
            lead_id is not null
                and created_ts is not null
                and not (updated_text is not null and updated_ts is null)
                and (email_key is null or email_ok(email_key))
                and (employee_text is null
                     or employee_value between 0 and {limits.max_employee_count})
                and (revenue_text is null
                     or revenue_value between 0 and {limits.max_annual_revenue_usd})
                as row_valid,
            -- the lead's last line is its latest version (the file lists versions in order)
            lead_id is not null
                and line = max(line) over (partition by lead_id) as is_last_row,
            row_number() over (partition by lead_id order by line) as version_num
        from parsed
        order by line
    """)
    known = sql_list(list(EVENT_TYPES))
    run.sql(f"""
        create temp table truth_events as
        with cleaned as (
            select rowid as line,
                clean(event_id) as event_id,
                clean(lead_id) as lead_id,
                norm_type(event_type) as type_norm,
                clean(occurred_at) as occurred_text,
                page_url,
                clean(duration_seconds) as duration_text
            from file_events
        ), parsed as (
            select * exclude (occurred_text),
                ts_utc(occurred_text) as occurred_ts,
                num(duration_text) as duration_value
            from cleaned
        )
        select *,
            case when list_contains({known}, type_norm) then type_norm end as event_type,
            case when duration_text is null then null
                 when duration_value is null then -1.0 else duration_value end as duration_typed,
            duration_text is not null
                and (duration_value is null or duration_value < 0
                     or duration_value > {run.limits.max_duration_seconds}) as duration_bad,
            case when list_contains({sql_list(SALES_TOUCHES)}, type_norm) then 'touch'
                 when list_contains({sql_list(EMAIL_EVENTS)}, type_norm) then 'email'
                 when type_norm = 'form_submit' then 'form'
                 when type_norm = 'page_view' then 'page'
                 when list_contains({sql_list(WEB_TRACKS)}, type_norm) then 'web'
                 when list_contains({sql_list(PRODUCT_EVENTS)}, type_norm) then 'product'
                 else 'unknown' end as category
        from parsed
        order by line
    """)
    run.sql("""
        create temp table truth_opportunities as
        select rowid as line,
            clean(opportunity_id) as opportunity_id,
            clean(lead_id) as lead_id,
            ts_utc(clean(created_at)) as created_ts,
            lower(clean(stage)) as stage,
            typed_number(amount) as amount_typed,
            ts_utc(clean(closed_at)) as closed_ts,
            try_cast(regexp_extract(clean(opportunity_id), '[0-9]+$') as bigint) as opportunity_num
        from file_opportunities
        order by line
    """)
    for name in ("leads", "events", "opportunities"):
        run.sql(f"drop table file_{name}")


def end_ts_literal(end_date: dt.date) -> str:
    """The last second of the period, as a TIMESTAMP expression."""
    return f"epoch_ts({epoch_seconds(end_date) + 86399})"
