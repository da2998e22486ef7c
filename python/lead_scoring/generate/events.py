"""Events: each lead's marketing events (its intent, a burst before converting, the mess of real
exports), the sales touches that follow a burst and the product usage of the product-led segment
(`product`), generated chunk by chunk of leads."""

from __future__ import annotations

from lead_scoring.generate import product
from lead_scoring.generate.context import Generation
from lead_scoring.generate.sql import num, pick, pick_linear, pick_uniform, quote
from lead_scoring.generate.vocabulary import (
    BLOG_SLUGS,
    CASE_STUDY_SLUGS,
    DOCS_SLUGS,
    EVENT_TYPES,
    EVENTS_PER_CHUNK,
    FIRST_TOUCH_MEDIAN_HOURS_CONVERTERS,
    FIRST_TOUCH_MEDIAN_HOURS_OTHERS,
    JUNK_DURATIONS,
    QUERY_STRINGS,
    RESOURCE_SLUGS,
    SITE,
    TOUCHED_SHARE_CONVERTERS,
    TOUCHED_SHARE_OTHERS,
    UNKNOWN_EVENT_TYPES,
    WEBINAR_SLUGS,
)


def event_chunks(run: Generation) -> list[tuple[int, int]]:
    rows = run.con.execute(
        f"select min(lead_num), max(lead_num) from leads_base where n_ev > 0 "
        f"group by row_offset // {EVENTS_PER_CHUNK} order by 1"
    ).fetchall()
    (total,) = run.con.execute("select sum(n_ev) from leads_base").fetchone()
    run.event_digits = max(10, len(str(int(total or 0))))
    return [(int(lo), int(hi)) for lo, hi in rows]


def prepare_events(run: Generation, lo: int, hi: int) -> None:
    """Materialise one row per event of leads lo..hi: later steps then run in parallel (by row group)."""
    run.sql(f"""
        create or replace temp table ev_skel as
        select lead_num, lead_id, c, a, b, lb, s, intent01, has_burst, bouncer, unsub, job_seeker, n_ev,
            ev_offset, unnest(range(n_ev + n_dup)) as k
        from leads_base
        where lead_num between {lo} and {hi} and n_ev > 0
    """)
    # Sales follows up the leads that show intent (a burst): most of them, converters almost
    # always, with 1-3 touches (calls, one-to-one emails, for some a booked meeting).
    run.sql(f"""
        create or replace temp table touch_skel as
        with t0 as (
            select lead_num, lead_id, c, b, lb, converter, opp_ts, n_ev, n_dup,
                case when has_burst and rnd(lead_num, 120) < case when converter
                         then {num(TOUCHED_SHARE_CONVERTERS)} else {num(TOUCHED_SHARE_OTHERS)} end
                     then 1 + floor(3 * rnd(lead_num, 121))::bigint else 0 end as n_touch
            from leads_base
            where lead_num between {lo} and {hi} and n_ev > 0
        )
        select *, unnest(range(n_touch)) as i from t0 where n_touch > 0
    """)
    product.prepare_chunk(run, lo, hi)


def events_sql(run: Generation) -> str:
    """The events of the leads chosen by `prepare_events`, in a deterministic order."""
    seed = run.seed
    end_ts = run.end_ts
    blog = pick_uniform("u_url2", BLOG_SLUGS)
    docs = pick_uniform("u_url2", DOCS_SLUGS)
    res = pick_uniform("u_url2", RESOURCE_SLUGS)
    webinar = pick_uniform("u_url2", WEBINAR_SLUGS)
    case_study = pick_uniform("u_url2", CASE_STUDY_SLUGS)
    careers = (
        "case when u_url2 < 0.4 then '/careers' "
        "else '/careers/jobs/' || (100 + floor(u_url2 * 400))::bigint end"
    )
    page_path = pick_linear(
        "u_url",
        "heat",
        [
            ("'/pricing'", 0.006, 0.16),
            ("'/pricing/enterprise'", 0.001, 0.05),
            ("'/product'", 0.06, 0.06),
            ("'/product/integrations'", 0.02, 0.03),
            ("'/customers'", 0.02, 0.04),
            (f"'/customers/case-studies/' || {case_study}", 0.01, 0.03),
            ("'/contact'", 0.005, 0.03),
            ("'/'", 0.10, 0.0),
            ("'/about'", 0.03, 0.0),
            ("'/webinars'", 0.02, 0.0),
            (f"'/blog/' || {blog}", 0.30, -0.15),
            (f"'/docs/' || {docs}", 0.12, -0.04),
            (careers, 0.04, -0.03),
            ("'/legal/privacy'", 0.01, -0.005),
        ],
    )
    event_type = pick_linear(
        "u_type",
        "heat",
        [
            ("'email_open'", 0.52, -0.32),
            ("'email_click'", 0.12, -0.02),
            ("'page_view'", 0.26, 0.12),
            ("'content_download'", 0.035, 0.03),
            ("'form_submit'", 0.02, 0.03),
            ("'webinar_attended'", 0.008, 0.03),
            ("'demo_request'", 0.0003, 0.02),
            ("'trial_signup'", 0.0003, 0.015),
        ],
    )
    titled = (
        "case type_clean "
        + " ".join(f"when {quote(t)} then {quote(t.replace('_', ' ').title())}" for t in EVENT_TYPES)
        + " end"
    )
    type_variant = f"""case when vu < 0.3 then upper(type_clean) when vu < 0.5 then type_clean || ' '
                           when vu < 0.65 then ' ' || type_clean when vu < 0.85 then {titled} || ' '
                           else {titled} end"""
    form_path = pick(
        "u_url",
        [("'/contact'", 3), ("'/demo'", 2), (f"'/resources/' || {res}", 3), ("'/webinars/register'", 2)],
    )
    junk_dur = pick_uniform("(u_m3 - 0.033) / 0.0015", JUNK_DURATIONS)
    return f"""
        with e0 as (
            select * from ev_skel
        ), e1 as (
            select *,
                case when k < n_ev then k else (hash(lead_num, k, 90, {seed}::bigint) % n_ev)::bigint end
                    as j
            from e0
        ), e2 as (
            select *,
                hash(lead_num, j, 91, {seed}::bigint) as h1, hash(lead_num, j, 92, {seed}::bigint) as h2,
                hash(lead_num, j, 93, {seed}::bigint) as h3, hash(lead_num, j, 94, {seed}::bigint) as h4,
                hash(lead_num, j, 95, {seed}::bigint) as h5
            from e1
        ), e3 as (
            select lead_num, k, j, lead_id, c, a, b, lb, intent01, bouncer, job_seeker, ev_offset,
                has_burst and ua(h1) < s as in_burst, ub(h1) as u_time, uc(h1) as u_tod,
                ua(h2) as u_type, ub(h2) as u_url, uc(h2) as u_url2,
                ua(h3) as u_dur, ub(h3) as u_m1, uc(h3) as u_m2,
                ua(h4) as u_fmt, ub(h4) as u_off, uc(h4) as u_deco,
                ua(h5) as u_m3, ub(h5) as u_host, uc(h5) as u_query,
                j = 0 and bouncer as is_bounce0, j = 0 and unsub and not bouncer as is_unsub0
            from e2
        ), e4 as (
            select *,
                case when in_burst then 0.55 + 0.45 * intent01 else 0.5 * intent01 * intent01 end as heat,
                case when is_unsub0 then a
                     when is_bounce0 then least({end_ts}, c + 600 + floor(u_time * 86400)::bigint)
                     else least({end_ts}, greatest(c + 60,
                          (case when in_burst then b - floor(u_time * lb)::bigint
                                else c + floor(u_time * (a - c))::bigint end) // 86400 * 86400
                          + tod(u_tod)))
                end as t
            from e3
        ), e5 as (
            select *,
                case when is_unsub0 then 'email_unsubscribe' when is_bounce0 then 'email_bounce'
                     else {event_type} end as type0
            from e4
        ), e6 as (
            select *,
                case when bouncer and type0 in ('email_open', 'email_click') then 'email_bounce'
                     else type0 end
                    as type_clean
            from e5
        ), e7 as (
            select *,
                case type_clean
                    when 'page_view' then case when job_seeker and u_url < 0.5 then {careers}
                                          else {page_path} end
                    when 'email_click' then case when u_url < 0.5 then null
                        else (case when u_url2 < heat * 0.6 then '/pricing' else '/blog/' || {blog} end)
                             || '?utm_source=newsletter&utm_medium=email' end
                    when 'form_submit' then {form_path}
                    when 'content_download' then '/resources/' || {res}
                    when 'webinar_attended' then case when u_url < 0.7 then '/webinars/' || {webinar} end
                    when 'demo_request' then case when u_url < 0.7 then '/demo'
                                             else '/contact?topic=demo' end
                    when 'trial_signup' then case when u_url < 0.6 then '/signup' when u_url < 0.8
                        then '/signup?plan=pro' else '/signup?plan=enterprise' end
                    when 'email_unsubscribe' then case when u_url < 0.5 then '/email/unsubscribe' end
                end as path
            from e6
        ), e8 as (
            select *,
                case type_clean
                    when 'page_view' then floor(4 * exp(u_dur * 3.6 + heat * 1.3
                        + case when starts_with(path, '/pricing') then 0.5 else 0 end))::bigint
                    when 'webinar_attended' then floor(600 + u_dur * (1200 + 2400 * heat))::bigint
                end as dur,
                u_m1 / 0.005 as uu, (u_m1 - 0.005) / 0.008 as vu
            from e7
        ), events_out as (
        select
            case when u_m2 < 0.003 then null
                 else 'evt_' || lpad((ev_offset + j + 1)::varchar, {run.event_digits}, '0') end::varchar
                as event_id,
            case when u_m2 >= 0.003 and u_m2 < 0.008
                 then lead_code({run.leads} + 1 + floor((u_m2 - 0.003) / 0.005 * 1000000)::bigint)
                 else lead_id end::varchar as lead_id,
            case when u_m1 < 0.005 then {pick_uniform("uu", UNKNOWN_EVENT_TYPES)}
                 when u_m1 < 0.013 then {type_variant}
                 else type_clean end::varchar as event_type,
            case when u_fmt < 0.001 then junk_ts(u_fmt / 0.001)
                 when u_fmt < 0.002  -- future-dated: 1 to 30 days after the end date
                 then fmt_ts({end_ts} - 86399
                             + (1 + floor((u_fmt - 0.001) / 0.001 * 30))::bigint * 86400 + tod(u_tod),
                             0.5, 0.0)
                 else fmt_ts(t, u_fmt, u_off) end::varchar as occurred_at,
            case when path is null then null
                 else (case when u_host < 0.15 then 'https://www.{SITE}' when u_host < 0.17 then 'http://{SITE}'
                            else '' end)
                   || (case when u_deco < 0.12
                            then path || (case when contains(path, '?') then '&' else '?' end)
                                 || {pick_uniform("u_query", QUERY_STRINGS)}
                            when u_deco < 0.14 and path <> '/' and not contains(path, '?')
                            then path || '/'
                            when u_deco < 0.15 and path <> '/' then '/' || upper(path[2]) || path[3:]
                            else path end)
            end::varchar as page_url,
            case when dur is null then null
                 when type_clean = 'page_view' and u_m3 < 0.03 then null
                 when u_m3 >= 0.03 and u_m3 < 0.033 then '-' || dur::varchar
                 when u_m3 >= 0.033 and u_m3 < 0.0345 then {junk_dur}
                 else dur::varchar end::varchar as duration_seconds
            , lead_num, k
        from e8
        ), touches as (
            {touches_sql(run)}
        )
        select event_id, lead_id, event_type, occurred_at, page_url, duration_seconds
        from (select * from events_out union all select * from touches union all select * from product_events)
        order by lead_num, k
    """


def touches_sql(run: Generation) -> str:
    """The sales touches of the chunk's leads (after their own events in the file's order).

    Speed to lead: the first touch comes a lognormal delay after the middle of the lead's
    burst of intent (median FIRST_TOUCH_MEDIAN_HOURS_CONVERTERS hours for the leads that will
    convert, before their opportunity; FIRST_TOUCH_MEDIAN_HOURS_OTHERS for the others), later
    touches 1-3 days apart; none after the end of the period.
    """
    key = "(lead_num * 4 + i)"
    end_ts = run.end_ts
    return f"""
        with t0 as (
            select *,
                greatest(c + 3600, b - lb // 2) as anchor,
                exp(ln(case when converter then {num(FIRST_TOUCH_MEDIAN_HOURS_CONVERTERS)}
                            else {num(FIRST_TOUCH_MEDIAN_HOURS_OTHERS)} end)
                    + 1.2 * nrm(lead_num, 122)) * 3600 as first_delay_s
            from touch_skel
        ), t1 as (
            select *,
                anchor + floor(case when converter
                                    then least(first_delay_s, greatest(opp_ts - anchor - 3600, 60))
                                    else first_delay_s end)::bigint
                    + floor(i * 86400 * (1 + 2 * rnd({key}, 123)))::bigint as t
            from t0
        )
        select
            'tch_' || lpad(({key} + 1)::varchar, {run.event_digits}, '0') as event_id,
            lead_id::varchar as lead_id,
            case when i > 0 and i = n_touch - 1
                      and rnd(lead_num, 124) < case when converter then 0.6 else 0.15 end
                 then 'meeting_booked'
                 when rnd({key}, 125) < 0.5 then 'sales_email' else 'sales_call' end::varchar
                as event_type,
            fmt_ts(t, rnd({key}, 126), rnd({key}, 127))::varchar as occurred_at,
            null::varchar as page_url,
            null::varchar as duration_seconds,
            lead_num,
            n_ev + n_dup + i as k
        from t1
        where t <= {end_ts}
    """
