-- Speed to lead: conversion of MQL entries by how sales followed them up (touched within the SLA,
-- touched late, breached and still untouched, still within the SLA), per scoring model. Converted =
-- an opportunity created at or after the entry, by the end of the scoring date. Censored entries
-- (MQL since before the first history day) are left out, as in rpt_sla_attainment.
with

follow_ups as (

    select * from {{ ref('fct_lead_tier_follow_ups') }}

),

mql_entries as (

    select * from follow_ups
    where is_mql_entry and not is_entry_censored

),

by_status as (

    select
        scoring_model,
        sla_status,
        count(*) as mql_entries,
        sum(case when is_converted then 1 else 0 end) as conversions,
        {{ median('hours_to_first_touch') }} as median_hours_to_first_touch
    from mql_entries
    group by scoring_model, sla_status

),

in_sla_rates as (

    select
        scoring_model,
        cast(conversions as {{ type_double() }}) / mql_entries as in_sla_conversion_rate
    from by_status
    where sla_status = 'touched_in_sla'

),

final as (

    select
        by_status.scoring_model,
        by_status.sla_status,
        cast(by_status.mql_entries as {{ dbt.type_bigint() }}) as mql_entries,
        cast(by_status.conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(by_status.conversions as {{ type_double() }}) / by_status.mql_entries as conversion_rate,
        cast(by_status.conversions as {{ type_double() }}) / by_status.mql_entries
        / nullif(in_sla_rates.in_sla_conversion_rate, 0) as conversion_rate_vs_in_sla,
        cast(by_status.median_hours_to_first_touch as {{ type_double() }}) as median_hours_to_first_touch
    from by_status
    left join in_sla_rates
        on by_status.scoring_model = in_sla_rates.scoring_model

)

select * from final
