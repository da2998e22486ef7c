"""Companies and leads: who each lead is (clean and messy), and the hidden truth behind their behaviour.

The hidden truth: each lead has a latent *fit* (seniority, target industry, company size,
business e-mail) and a latent *intent* (correlated with fit). Intent drives the number and kind of
events and a burst of high-intent activity; opportunities are created after that burst, with a
probability that rises steeply (logistically) with fit and intent.
"""

from __future__ import annotations

from lead_scoring.generate.context import Generation
from lead_scoring.generate.sql import num, pick, pick_uniform, quote, sql_list
from lead_scoring.generate.vocabulary import (
    COMPANY_WORDS_1,
    COMPANY_WORDS_2,
    COMPANY_WORDS_3,
    COMPETITOR_DOMAINS,
    COUNTRIES,
    FIRST_NAMES,
    FREE_MAIL_DOMAINS,
    INDUSTRIES,
    LAST_NAMES,
    LEAD_SOURCES,
    NAME_INDUSTRY,
    TITLES,
)


def build_companies(run: Generation) -> None:
    """The companies leads work at: name, industry (usually matching the name), country, size, revenue."""
    n1, n2, n3 = len(COMPANY_WORDS_1), len(COMPANY_WORDS_2), len(COMPANY_WORDS_3)
    cap2 = run.cap2
    industry_pick = pick("rnd(range, 101)", [(str(i), w) for i, (_, w, _) in enumerate(INDUSTRIES)])
    industry_index = {name: i for i, (name, _, _) in enumerate(INDUSTRIES)}
    name_industry = (
        "(["
        + ", ".join(
            str(industry_index[NAME_INDUSTRY[w]]) if w in NAME_INDUSTRY else "null" for w in COMPANY_WORDS_2
        )
        + "]::integer[])"
    )
    country_pick = pick("rnd(range, 104)", [(str(i), w) for i, (_, w, _, _) in enumerate(COUNTRIES)])
    suffix = f"""case country_code
        when 'US' then {pick_uniform("u_suffix", ["", "", " Inc.", ", Inc.", " LLC", " Corp."])}
        when 'DE' then {pick_uniform("u_suffix", ["", " GmbH", " GmbH", " AG"])}
        when 'GB' then {pick_uniform("u_suffix", ["", " Ltd", " Ltd.", " plc"])}
        when 'FR' then {pick_uniform("u_suffix", ["", " SA", " SAS"])}
        else {pick_uniform("u_suffix", ["", "", " Ltd", " Inc."])} end"""
    run.sql(f"""
        create temp table companies as
        with c0 as (
            select range as company_num,
                {industry_pick} as random_industry_idx, rnd(range, 109) as u_industry,
                {country_pick} as country_idx,
                greatest(1, least(250000, round(exp(4.3 + 1.8 * nrm(range, 102)))))::bigint as employees,
                case when range < {cap2} then (range * 7919) % {cap2}
                     else (((range - {cap2}) * 7919) % {cap2 * n3}) // {n3} end as k12,
                case when range >= {cap2} then ((range - {cap2}) * 7919) % {n3} end as k3,
                rnd(range, 105) as u_rev, rnd(range, 106) as u_suffix, rnd(range, 107) as u_tld
            from range({run.n_companies})
        ), c0b as (
            -- the industry usually matches the name ("... Pharma" -> Healthcare)
            select *,
                coalesce(case when u_industry < 0.75 then {name_industry}[1 + (k12 // {n1}) % {n2}] end,
                         random_industry_idx) as industry_idx
            from c0
        ), c1 as (
            select c0b.*, i.industry, i.industry_variants, i.target,
                k.country_code, k.tld, k.country_variants,
                {sql_list(COMPANY_WORDS_1)}[1 + k12 % {n1}] as w1,
                {sql_list(COMPANY_WORDS_2)}[1 + (k12 // {n1}) % {n2}] as w2,
                {sql_list(COMPANY_WORDS_3)}[1 + k3] as w3
            from c0b join industries i using (industry_idx) join countries k using (country_idx)
        )
        select company_num, industry, industry_variants, target, country_code, country_variants,
            employees,
            (round(employees * exp(ln(60000) + 1.8 * u_rev) / 1000) * 1000)::bigint as revenue,
            w1 || ' ' || w2 || coalesce(' ' || w3, '') as base_name,
            w1 || ' ' || w2 || coalesce(' ' || w3, '') || {suffix} as company_name,
            lower(w1 || w2 || coalesce(w3, '')) || case when tld = '.com'
                and industry in ('Software', 'Information Technology') and u_tld < 0.3 then '.io'
                when tld = '.in' and u_tld < 0.5 then '.com' else tld end as domain
        from c1
    """)


def build_leads(run: Generation) -> None:
    """One row per lead (leads_pre): who they are, as clean values and as the messy text delivered."""
    title_pick = pick("rnd(range, 2)", [(str(i), t[1]) for i, t in enumerate(TITLES)])
    new_title_pick = pick(
        "rnd(range, 3)", [(str(i), t[1] * (0.3 + t[2])) for i, t in enumerate(TITLES) if t[0]]
    )
    free_pick = pick(
        "rnd(lead_num, 11)",
        [
            (quote(d), w)
            for d, w in zip(FREE_MAIL_DOMAINS, (45, 12, 10, 10, 3, 5, 3, 4, 3, 2, 2, 1), strict=True)
        ],
    )
    source_weights = (30, 10, 8, 15, 8, 6, 15, 8)
    source_pick = pick(
        "rnd(range, 25)", [(quote(s), w) for s, w in zip(LEAD_SOURCES, source_weights, strict=True)]
    )
    source_titled = (
        "case src "
        + " ".join(f"when {quote(s)} then {quote(s.replace('_', ' ').title())}" for s in LEAD_SOURCES)
        + " end"
    )
    d = 86400
    run.sql(f"""
        create temp table leads_pre as
        with l0 as (
            select range as lead_num,
                lead_code(range + 1) as lead_id,
                least({run.n_companies - 1}, floor({run.n_companies} * pow(rnd(range, 1), 1.4)))::bigint
                    as company_num,
                {title_pick} as title_idx0,
                {new_title_pick} as title_idx_new,
                {pick_uniform("rnd(range, 8)", FIRST_NAMES)} as first_name,
                {pick_uniform("rnd(range, 9)", LAST_NAMES)} as last_name,
                {run.start_ts} + floor(pow(rnd(range, 6), 0.8) * {run.days})::bigint * {d}
                    + tod(rnd(range, 7)) as created_ts,
                rnd(range, 4) as u_ver, rnd(range, 5) as u_change,
                {source_pick} as src, rnd(range, 26) as u_src
            from range({run.leads})
        ), l1 as (
            select l0.*,
                case when u_ver < 0.90 or created_ts > {run.end_ts - 3 * d} then 1
                     when u_ver < 0.97 then 2 else 3 end as n_versions
            from l0
        ), l2 as (
            select l1.*, c.*  exclude (company_num),
                case when n_versions = 1 then 99 when u_change < 0.45 then 1
                     when u_change < 0.8 then case when n_versions = 3 then 2 else 99 end else 1 end
                    as title_change_v,
                case when n_versions = 1 then 99
                     when u_change < 0.45 then case when n_versions = 3 then 2 else 99 end else 1 end
                    as emp_change_v,
                round(c.employees * (1.1 + 0.5 * rnd(lead_num, 12)))::bigint as employees_new
            from l1 join companies c using (company_num)
        ), l3 as (
            select l2.*,
                case when title_change_v < n_versions then title_idx_new else title_idx0 end
                    as final_title_idx,
                case when emp_change_v < n_versions then employees_new else employees end
                    as final_employees
            from l2
        ), l4 as (
            select l3.*, t.seniority, t.job_seeker, t.freelance,
                t0.title as title0, tn.title as title_new,
                rnd(lead_num, 10) as u_mail,
                case when t.job_seeker or t.freelance then 0.7 when final_employees < 10 then 0.45
                     else 0.2 end as p_free
            from l3
            join titles t on t.title_idx = l3.final_title_idx
            join titles t0 on t0.title_idx = l3.title_idx0
            join titles tn on tn.title_idx = l3.title_idx_new
        ), l5 as (
            select l4.*,
                case when u_mail < 0.01 then 'competitor' when u_mail < 0.01 + p_free then 'free'
                     else 'business' end as email_kind,
                rnd(lead_num, 15) < 0.05 as mixed_case,
                ascii_word(first_name) as fn, ascii_word(last_name) as ln
            from l4
        ), l6 as (
            select l5.*,
                case email_kind
                    when 'competitor' then {pick_uniform("rnd(lead_num, 11)", COMPETITOR_DOMAINS)}
                    when 'free' then {free_pick}
                    else domain end as email_domain,
                local_part(case when mixed_case then cap(fn) else fn end,
                           case when mixed_case then cap(ln) else ln end, rnd(lead_num, 13))
                    || case when email_kind = 'free' and rnd(lead_num, 14) < 0.4
                            then (10 + floor(rnd(lead_num, 16) * 89))::bigint::varchar
                            else '' end as local,
                rnd(lead_num, 17) as u_email_bad
            from l5
        ), l7 as (
            select l6.*,
                case when mixed_case and rnd(lead_num, 18) < 0.5 then cap(email_domain)
                     else email_domain end
                    as domain_text,
                u_email_bad < 0.008 as email_malformed
            from l6
        )
        select lead_num, lead_id, n_versions, created_ts, src, job_seeker, title_change_v, emp_change_v,
            employees, employees_new, final_employees, email_malformed,
            case when u_email_bad < 0.002 then null
                 when u_email_bad < 0.004 then local || '@'
                 when u_email_bad < 0.006 then local || '.' || domain_text
                 when u_email_bad < 0.008 then local || '@@' || domain_text
                 else (case when rnd(lead_num, 19) < 0.02 then ' ' else '' end)
                      || local || '@' || domain_text
                      || (case when rnd(lead_num, 19) < 0.03 then ' ' else '' end) end as email,
            messy_name(first_name, rnd(lead_num, 20)) as first_name_text,
            messy_name(last_name, rnd(lead_num, 21)) as last_name_text,
            messy_title(title0, rnd(lead_num, 22)) as title_text0,
            messy_title(title_new, rnd(lead_num, 22)) as title_text_new,
            case when rnd(lead_num, 23) < 0.01 then null
                 when rnd(lead_num, 23) < 0.04 then upper(company_name)
                 when rnd(lead_num, 23) < 0.07 then company_name || ' '
                 when rnd(lead_num, 23) < 0.11 then base_name
                 else company_name end as company_text,
            case when rnd(lead_num, 24) < 0.05 then null
                 else variant(industry_variants, rnd(lead_num, 27)) end as industry_text,
            case when rnd(lead_num, 28) < 0.04 then null
                 else variant(country_variants, rnd(lead_num, 29)) end as country_text,
            case when u_src < 0.015 then upper(src) when u_src < 0.025 then {source_titled}
                 when u_src < 0.03 then src || ' ' else src end as lead_source_text,
            rnd(lead_num, 31) as u_emp, fmt_revenue(revenue, rnd(lead_num, 32)) as revenue_text,
            1.8 * seniority + 0.9 * target::integer + 0.8 * (final_employees between 50 and 1000)::integer
                + 0.7 * (email_kind = 'business')::integer - 2.0 * (email_kind = 'competitor')::integer
                + 0.5 * nrm(lead_num, 33) as fit_raw
        from l7
    """)


def build_hidden_truth(run: Generation) -> None:
    """The hidden truth (leads_base): standardised fit, intent, converters, bursts, event budget."""
    # Standardise fit with exact integer sums (float sums in parallel are not reproducible).
    s1, s2, n = run.con.execute(
        "select sum(round(fit_raw * 1e6)::bigint)::hugeint, "
        "sum((round(fit_raw * 1e3)::bigint)::hugeint * (round(fit_raw * 1e3)::bigint)::hugeint), "
        "count(*) "
        "from leads_pre"
    ).fetchone()
    mu = int(s1) / 1e6 / n
    var = int(s2) / 1e6 / n - mu * mu
    sd = max(var, 1e-9) ** 0.5
    end_ts = run.end_ts
    run.sql(f"""
        create temp table leads_act as
        with a0 as (
            select *,
                (fit_raw - {num(mu)}) / {num(sd)} as fit_z
            from leads_pre
        ), a1 as (
            select *,
                0.55 * fit_z + 0.835 * nrm(lead_num, 40)
                    + case when src in ('referral', 'webinar', 'event') then 0.3
                           when src = 'content_syndication' then -0.2 else 0 end as intent_z
            from a0
        ), a2 as (
            select *,
                sigmoid(1.3 * intent_z) as intent01,
                rnd(lead_num, 41) < sigmoid(-3.3 + 1.0 * fit_z + 1.5 * intent_z) as converter,
                created_ts as c
            from a1
        ), a3 as (
            select *,
                not converter and rnd(lead_num, 42) < 0.05 - 0.04 * intent01 as unsub,
                email_malformed or email is null or rnd(lead_num, 43) < 0.02 as bouncer,
                converter or rnd(lead_num, 44) < 0.1 + 0.45 * intent01 as has_burst
            from a2
        ), a4 as (
            select *,
                case when unsub or (not converter and rnd(lead_num, 45) < 0.25 - 0.2 * intent01)
                     then least({end_ts}, c + floor((2 + 75 * rnd(lead_num, 46)) * 86400)::bigint)
                     else {end_ts} end as a
            from a3
        ), a5 as (
            select *,
                case when converter
                     then c + floor(least(({end_ts} - c) * rnd(lead_num, 47),
                                         (3 + 100 * rnd(lead_num, 48)) * 86400))::bigint
                     else c + floor((a - c) * rnd(lead_num, 47))::bigint end as b,
                floor((2 + 10 * rnd(lead_num, 49)) * 86400)::bigint as lb,
                case when converter then 0.35 + 0.3 * intent01
                     when has_burst then 0.15 + 0.3 * intent01 else 0.0 end as s
            from a4
        )
        select *,
            case when converter then b + floor((1 + 13 * rnd(lead_num, 50)) * 86400)::bigint end
                as opp_ts,
            case when not converter and rnd(lead_num, 54) < 0.15 * (1 - intent01)
                 then 0.0  -- never engages
                 else (0.2 + 2.2 * intent01) * pow((a - c) / 86400.0 + 2, 0.7)
                      * exp(0.45 * nrm(lead_num, 51))
            end as w
        from a5
    """)
    (sw,) = run.con.execute("select sum(round(w * 1e6)::bigint)::hugeint from leads_act").fetchone()
    mean_w = max(int(sw) / 1e6 / run.leads, 1e-9)
    min_events = 1 if run.events_per_lead > 0 else 0  # the unsubscribe / bounce event
    run.sql(f"""
        create temp table leads_base as
        with b0 as (
            select *,
                greatest(floor({num(run.events_per_lead)} * w / {num(mean_w)}
                               + rnd(lead_num, 52))::bigint,
                         case when unsub or bouncer then {min_events} else 0 end)
                    as n_ev
            from leads_act
        ), b1 as (
            select *, floor(n_ev * 0.02 + rnd(lead_num, 53))::bigint as n_dup from b0
        )
        select *,
            (sum(n_ev) over (order by lead_num) - n_ev)::bigint as ev_offset,
            (sum(n_ev + n_dup) over (order by lead_num) - n_ev - n_dup)::bigint as row_offset
        from b1
    """)
    run.sql("drop table leads_pre")
    run.sql("drop table leads_act")


def leads_sql(run: Generation) -> str:
    k = "(lead_num * 4 + v)"
    return f"""
        with v0 as (
            select *, unnest(range(n_versions)) as v,
                least({run.end_ts}, created_ts + floor(rnd(lead_num, 60) * 2 * 86400)::bigint) as upd0
            from leads_base
        ), v1 as (
            select *,
                case when v = 0 then upd0
                     else upd0 + 1 + floor(({run.end_ts} - upd0 - 1) * (v - 1 + rnd({k}, 61))
                                           / (n_versions - 1))::bigint end as upd_ts
            from v0
        )
        select
            case when rnd({k}, 62) < 0.004 then null else lead_id end::varchar as lead_id,
            email::varchar as email,
            first_name_text::varchar as first_name,
            last_name_text::varchar as last_name,
            case when v >= title_change_v then title_text_new else title_text0 end::varchar as job_title,
            company_text::varchar as company_name,
            industry_text::varchar as industry,
            fmt_count(case when v >= emp_change_v then employees_new else employees end, u_emp)::varchar
                as employee_count,
            revenue_text::varchar as annual_revenue,
            country_text::varchar as country,
            lead_source_text::varchar as lead_source,
            case when rnd({k}, 63) < 0.003 then junk_ts(rnd({k}, 63) / 0.003)
                 else fmt_ts(created_ts, rnd({k}, 64), rnd({k}, 65)) end::varchar as created_at,
            case when rnd({k}, 66) < 0.003 then junk_ts(rnd({k}, 66) / 0.003)
                 else fmt_ts(upd_ts, rnd({k}, 67), rnd({k}, 68)) end::varchar as updated_at
        from v1
        order by lead_num, v
    """
