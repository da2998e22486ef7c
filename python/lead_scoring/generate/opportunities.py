"""Opportunities: one per converting lead after its burst of intent (won or lost by fit), plus orphans."""

from __future__ import annotations

from lead_scoring.generate.context import Generation
from lead_scoring.generate.sql import pick_uniform
from lead_scoring.generate.vocabulary import JUNK_AMOUNTS


def opportunities_sql(run: Generation) -> str:
    (n_opps,) = run.con.execute(
        f"select count(*) from leads_base where converter and opp_ts <= {run.end_ts}"
    ).fetchone()
    n_orphans = max(1, round(n_opps * 0.01))
    opp_digits = max(6, len(str(n_opps + n_orphans)))
    span = run.end_ts - run.start_ts
    open_stage = """case when progress < 0.2 then 'prospecting' when progress < 0.45 then 'qualification'
                         when progress < 0.7 then 'proposal' else 'negotiation' end"""
    return f"""
        with o0 as (
            select 0 as src, lead_num as key, lead_id, opp_ts, fit_z, intent_z, final_employees as emp
            from leads_base where converter and opp_ts <= {run.end_ts}
            union all
            select 1, range, lead_code({run.leads} + 1 + floor(rnd(range, 70) * 1000000)::bigint),
                {run.start_ts} + floor(rnd(range, 71) * {span})::bigint, nrm(range, 72), 0.0,
                floor(exp(2 + 6 * rnd(range, 73)))::bigint
            from range({n_orphans})
        ), o1 as (
            select *, key * 2 + src as okey,
                row_number() over (order by opp_ts, src, key) as opp_num
            from o0
        ), o2 as (
            select *, rnd(okey, 74) < sigmoid(-1.8 + 0.8 * fit_z + 0.3 * intent_z) as won
            from o1
        ), o3 as (
            select *,
                (case when won then 20 + 100 * rnd(okey, 75) else 7 + 90 * rnd(okey, 75) end) * 86400
                    as cycle_s,
                round(exp(ln(5000) + 0.33 * ln(emp + 1) + 0.6 * nrm(okey, 76)) / 10) * 10 as amount
            from o2
        ), o4 as (
            select *, opp_ts + floor(cycle_s)::bigint as close_ts,
                ({run.end_ts} - opp_ts) / cycle_s as progress
            from o3
        ), o5 as (
            select *, close_ts <= {run.end_ts} as closed,
                case when close_ts <= {run.end_ts}
                     then case when won then 'closed_won' else 'closed_lost' end
                     else {open_stage} end as stage
            from o4
        )
        select
            'OPP-' || lpad(opp_num::varchar, {opp_digits}, '0') as opportunity_id,
            lead_id::varchar as lead_id,
            fmt_ts(opp_ts, rnd(okey, 77), rnd(okey, 78))::varchar as created_at,
            stage::varchar as stage,
            case when rnd(okey, 79) < 0.02 then {pick_uniform("rnd(okey, 79) / 0.02", JUNK_AMOUNTS)}
                 when stage = 'prospecting' and rnd(okey, 80) < 0.4 then null
                 when rnd(okey, 80) < 0.7 then printf('%.2f', amount)
                 else amount::bigint::varchar end::varchar as amount,
            case when closed then fmt_ts(close_ts, rnd(okey, 81), rnd(okey, 82)) end::varchar as closed_at
        from o5
        order by opp_num
    """
