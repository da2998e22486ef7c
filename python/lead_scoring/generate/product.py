"""Product usage of the product-led segment: trials, logins, features used, teammates invited.

A share of the leads (`product_led_share`, a generator option) start a trial workspace a few days
after they appear. How much they then use it is the planted truth the `pql` scoring model is there
to find: a latent *usage* that is far higher for the leads that will convert (and rises with
intent) sets the number of active days, how often they reach the key features (/app/reports,
/app/integrations) and whether they invite teammates. A converting lead is active in the
weeks before its opportunity (product-qualified, then sales), so a backtest cutoff can see it; the
others in the first weeks of their trial. A trial converted to a paid plan is logged at or just
after the opportunity.

Product events get ids ``prd_...`` and come after each lead's own events and sales touches in the
file's order; with a share of 0 there are none and every other row is exactly as without them.
"""

from __future__ import annotations

from lead_scoring.generate.context import Generation
from lead_scoring.generate.sql import num, pick_linear
from lead_scoring.generate.vocabulary import (
    MAX_ACTIVE_DAYS,
    MAX_SEATS_INVITED,
    PRODUCT_FEATURES,
    PRODUCT_HOST,
    TRIAL_WINDOW_DAYS,
)

# Event slots per lead (the id and the order in the file are lead_num * SLOTS + slot).
SLOTS = 256
SLOT_TRIAL, SLOT_CONVERTED, SLOT_INVITES, SLOT_LOGINS, SLOT_FEATURES = 0, 1, 2, 8, 64


def build_segment(run: Generation) -> None:
    """product_leads: the product-led leads (with events) and their latent usage and trial window."""
    day = 86400
    window = TRIAL_WINDOW_DAYS * day
    run.sql(f"""
        create or replace temp table product_leads as
        with p0 as (
            select lead_num, lead_id, c, converter, opp_ts, intent_z, n_ev, n_dup
            from leads_base
            where n_ev > 0 and rnd(lead_num, 130) < {num(run.product_led_share)}
        ), p1 as (
            select *,
                -- usage: far higher for the leads that will convert, rising with intent
                sigmoid(-1.4 + 1.8 * converter::integer + 0.5 * intent_z + 1.0 * nrm(lead_num, 131))
                    as usage01,
                least({run.end_ts}, c + floor(rnd(lead_num, 132) * 4 * {day})::bigint) as trial_ts
            from p0
        ), p2 as (
            select *,
                -- a converting lead is active in the weeks before its opportunity (product-qualified,
                -- then sales); the others in the first weeks of their trial
                least({run.end_ts}, greatest(trial_ts + 3600,
                    case when converter then opp_ts - 3600 else trial_ts + {window} end)) as window_end_ts
            from p1
        ), p3 as (
            select *, greatest(trial_ts, window_end_ts - {window}) as window_start_ts from p2
        )
        select *,
            least({MAX_ACTIVE_DAYS},
                  1 + floor(usage01 * {MAX_ACTIVE_DAYS} * (0.4 + 0.6 * rnd(lead_num, 133))))::bigint
                as n_active,
            case when rnd(lead_num, 134) < 0.04 + 0.6 * usage01
                 then 1 + floor({MAX_SEATS_INVITED} * rnd(lead_num, 135))::bigint else 0 end as n_invites,
            converter and rnd(lead_num, 136) < 0.5 and opp_ts <= {run.end_ts} as converts_trial
        from p3
    """)


def describe_segment(run: Generation) -> str:
    (count,) = run.con.execute("select count(*) from product_leads").fetchone()
    return f"{int(count):,} product-led leads, share {run.product_led_share:g}"


def prepare_chunk(run: Generation, lo: int, hi: int) -> None:
    """product_events: the product usage events of leads lo..hi, as raw rows with their order keys."""
    key = f"(lead_num * {SLOTS} + slot)"
    day_key = f"(lead_num * {SLOTS} + i)"
    feature = pick_linear(
        f"rnd({key}, 142)", "usage01", [(f"'{path}'", a, b) for path, a, b in PRODUCT_FEATURES]
    )
    run.sql(f"""
        create or replace temp table product_events as
        with chunk as (
            select * from product_leads where lead_num between {lo} and {hi}
        ), active_days as (
            select *, unnest(range(n_active)) as i from chunk
        ), active_day_starts as (
            select *,
                least({run.end_ts},
                      (window_start_ts
                       + floor(rnd({day_key}, 137) * (window_end_ts - window_start_ts))::bigint)
                      // 86400 * 86400 + tod(rnd({day_key}, 138))) as day_ts
            from active_days
        ), slots as (
            select lead_num, lead_id, n_ev, n_dup, usage01, {SLOT_TRIAL} as slot,
                'trial_started' as event_type, trial_ts as t, '/app/welcome' as path
            from chunk
            union all
            select lead_num, lead_id, n_ev, n_dup, usage01, {SLOT_CONVERTED}, 'trial_converted',
                least({run.end_ts}, opp_ts + floor(rnd(lead_num, 139) * 3 * 86400)::bigint), '/app/billing'
            from chunk
            where converts_trial
            union all
            select lead_num, lead_id, n_ev, n_dup, usage01, {SLOT_INVITES} + j, 'seat_invited',
                window_start_ts + floor(rnd(lead_num * {SLOTS} + {SLOT_INVITES} + j, 140)
                                        * (window_end_ts - window_start_ts))::bigint,
                '/app/settings/team'
            from (select *, unnest(range(n_invites)) as j from chunk where n_invites > 0)
            union all
            select lead_num, lead_id, n_ev, n_dup, usage01, {SLOT_LOGINS} + 2 * i, 'product_login',
                greatest(trial_ts, day_ts), '/app'
            from active_day_starts
            union all
            -- a second session on some active days (one active day all the same)
            select lead_num, lead_id, n_ev, n_dup, usage01, {SLOT_LOGINS} + 2 * i + 1, 'product_login',
                least({run.end_ts},
                      greatest(trial_ts, day_ts) + 1800 + floor(rnd({day_key}, 141) * 3600)::bigint),
                '/app'
            from active_day_starts
            where rnd({day_key}, 143) < 0.3
            union all
            select lead_num, lead_id, n_ev, n_dup, usage01, {SLOT_FEATURES} + i, 'feature_used',
                least({run.end_ts},
                      greatest(trial_ts, day_ts) + 60 + floor(rnd({day_key}, 144) * 1500)::bigint),
                null
            from active_day_starts
            where rnd({day_key}, 145) < 0.25 + 0.6 * usage01
        ), with_paths as (
            select *, coalesce(path, {feature}) as page_path from slots
        )
        select
            'prd_' || lpad(({key} + 1)::varchar, {run.product_digits}, '0') as event_id,
            lead_id::varchar as lead_id,
            event_type::varchar as event_type,
            fmt_ts(t, rnd({key}, 146), rnd({key}, 147))::varchar as occurred_at,
            (case when rnd({key}, 148) < 0.2 then 'https://{PRODUCT_HOST}' else '' end || page_path)::varchar
                as page_url,
            null::varchar as duration_seconds,
            lead_num,
            n_ev + n_dup + 3 + slot as k
        from with_paths
    """)


def chunk_event_count(run: Generation) -> int:
    (count,) = run.con.execute("select count(*) from product_events").fetchone()
    return int(count)
