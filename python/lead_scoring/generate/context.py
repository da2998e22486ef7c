"""One generation run: its settings, its DuckDB connection, and the macros and tables every step uses."""

from __future__ import annotations

import datetime as dt

import duckdb

from lead_scoring.generate.sql import epoch_seconds, pick_uniform, sql_list, values_table
from lead_scoring.generate.vocabulary import (
    COMPANY_WORDS_1,
    COMPANY_WORDS_2,
    COMPANY_WORDS_3,
    COUNTRIES,
    INDUSTRIES,
    JUNK_EMPLOYEES,
    JUNK_REVENUE,
    JUNK_TIMESTAMPS,
    TARGET_INDUSTRIES,
    TITLES,
    TZ_OFFSETS,
)


class Generation:
    """One run's settings and DuckDB connection. All randomness is a pure function of (seed, keys, salt)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        leads: int,
        days: int,
        seed: int,
        end_date: dt.date,
        events_per_lead: float,
        product_led_share: float = 0.0,
    ) -> None:
        self.con = con
        self.leads = leads
        self.days = days
        self.seed = seed
        self.end_date = end_date
        self.events_per_lead = events_per_lead
        self.product_led_share = product_led_share
        # set by events.event_chunks once the number of events is known
        self.event_digits = 10
        self.start_ts = epoch_seconds(end_date - dt.timedelta(days=days - 1))
        self.end_ts = epoch_seconds(end_date) + 86399
        self.year = end_date.year
        n1, n2, n3 = len(COMPANY_WORDS_1), len(COMPANY_WORDS_2), len(COMPANY_WORDS_3)
        self.cap2 = n1 * n2
        self.n_companies = max(1, min(leads // 4 + 1, self.cap2 * (1 + n3)))
        # Lead numbers go up to leads + 1,000,001 (unknown leads); lpad must never truncate.
        self.lead_digits = max(8, len(str(leads + 1_000_001)))
        # Product event ids number the slots of every lead (product.SLOTS per lead).
        self.product_digits = max(10, len(str((leads + 1) * 256)))

    def sql(self, statement: str) -> None:
        self.con.execute(statement)


def create_macros_and_reference_tables(run: Generation) -> None:
    """The SQL macros every step uses (random numbers, formats, mess) and the reference tables."""
    seed = run.seed
    junk_ts = [s.format(year=run.year) for s in JUNK_TIMESTAMPS]
    offsets_str = sql_list([o for o, _ in TZ_OFFSETS])
    offsets_min = "[" + ", ".join(str(m) for _, m in TZ_OFFSETS) + "]"
    n_off = len(TZ_OFFSETS)
    macros = [
        # uniform in [0, 1) from a key and a salt (53 random bits)
        f"create macro rnd(k, s) as (hash(k, s, {seed}::bigint) >> 11)::double / 9007199254740992.0",
        # standard normal (Box-Muller)
        "create macro nrm(k, s) as sqrt(-2.0 * ln(1.0 - rnd(k, s))) * cos(2.0 * pi() * rnd(k, s + 1000))",
        # three uniforms from one 64-bit hash
        "create macro ua(h) as (h >> 43)::double / 2097152.0",
        "create macro ub(h) as ((h >> 22) & 2097151)::double / 2097152.0",
        "create macro uc(h) as (h & 4194303)::double / 4194304.0",
        "create macro sigmoid(x) as 1.0 / (1.0 + exp(-(x)))",
        # 'L00000042' (lpad is much faster than printf; the width always fits, see Generation.__init__)
        f"create macro lead_code(n) as 'L' || lpad(n::varchar, {run.lead_digits}, '0')",
        # time of day (seconds), mostly office hours
        "create macro tod(u) as (case when u < 0.8 then 25200 + floor(u / 0.8 * 39600)"
        " else floor((u - 0.8) / 0.2 * 86400) end)::bigint",
        # epoch seconds -> ISO text: mostly ...Z, some with an offset, some 'YYYY-MM-DD HH:MM:SS' (UTC)
        f"""create macro fmt_ts(t, f, o) as case
            when f < 0.08 then strftime(epoch_ms((t + {offsets_min}[1 + floor(o * {n_off})::bigint] * 60)
                * 1000), '%Y-%m-%dT%H:%M:%S') || {offsets_str}[1 + floor(o * {n_off})::bigint]
            when f < 0.14 then strftime(epoch_ms(t * 1000), '%Y-%m-%d %H:%M:%S')
            else strftime(epoch_ms(t * 1000), '%Y-%m-%dT%H:%M:%SZ') end""",
        f"create macro junk_ts(u) as {pick_uniform('u', junk_ts)}",
        f"""create macro fmt_count(n, u) as case
            when u < 0.06 then null
            when u < 0.066 then {pick_uniform("(u - 0.06) / 0.006", JUNK_EMPLOYEES)}
            when u < 0.25 then case when n >= 1000 then format('{{:,}}', n) else n::varchar end
            when u < 0.29 then ' ' || n::varchar || ' '
            else n::varchar end""",
        f"""create macro fmt_revenue(n, u) as case
            when u < 0.12 then null
            when u < 0.126 then {pick_uniform("(u - 0.12) / 0.006", JUNK_REVENUE)}
            when u < 0.35 then format('{{:,.2f}}', n::double)
            when u < 0.40 then n::varchar || '.00'
            else n::varchar end""",
        """create macro messy_title(t, u) as case
            when t is null then null when u < 0.06 then lower(t) when u < 0.09 then upper(t)
            when u < 0.13 then '  ' || t when u < 0.16 then t || ' '
            when u < 0.18 then replace(t, ' ', '  ')
            else t end""",
        """create macro messy_name(t, u) as case
            when u < 0.02 then lower(t) when u < 0.03 then upper(t) when u < 0.04 then t || ' '
            else t end""",
        "create macro ascii_word(t) as regexp_replace(lower(strip_accents(t)), '[^a-z]', '', 'g')",
        "create macro cap(t) as upper(t[1]) || t[2:]",
        """create macro local_part(fn, ln, u) as case
            when u < 0.45 then fn || '.' || ln when u < 0.65 then fn[1] || ln when u < 0.75 then fn
            when u < 0.85 then fn || '_' || ln else ln || '.' || fn end""",
        "create macro variant(vs, u) as case when u < 0.65 or len(vs) = 1 then vs[1]"
        " else vs[2 + floor((u - 0.65) / 0.35 * (len(vs) - 1))::bigint] end",
    ]
    for m in macros:
        run.sql(m)
    run.sql(
        values_table(
            "titles",
            ["title_idx", "title", "seniority", "job_seeker", "freelance"],
            [(i, t, float(s), js, fr) for i, (t, _, s, js, fr) in enumerate(TITLES)],
        )
    )
    run.sql(
        values_table(
            "industries",
            ["industry_idx", "industry", "industry_variants", "target"],
            [
                (i, name, variants, name in TARGET_INDUSTRIES)
                for i, (name, _, variants) in enumerate(INDUSTRIES)
            ],
        )
    )
    run.sql(
        values_table(
            "countries",
            ["country_idx", "country_code", "tld", "country_variants"],
            [(i, code, tld, variants) for i, (code, _, tld, variants) in enumerate(COUNTRIES)],
        )
    )
