-- Follow-up SLA per scoring model, queue and week of MQL entry: how many MQLs were touched within
-- the SLA, late, not at all with the deadline passed (breaches still open) or are still within it,
-- the attainment (touched in SLA among the decided ones) and the median hours to the first touch.
-- Entries the history does not date (censored: MQL since before the first history day) are left out.
with

follow_ups as (

    select * from {{ ref('fct_lead_tier_follow_ups') }}

),

mql_entries as (

    select
        *,
        cast({{ dbt.date_trunc('week', 'entered_date') }} as date) as entry_week
    from follow_ups
    where is_mql_entry and not is_entry_censored

),

weekly as (

    select
        scoring_model,
        queue,
        owner_team,
        entry_week,
        count(*) as mql_entries,
        sum(case when sla_status = 'touched_in_sla' then 1 else 0 end) as touched_in_sla,
        sum(case when sla_status = 'touched_late' then 1 else 0 end) as touched_late,
        sum(case when sla_status = 'breached_open' then 1 else 0 end) as breached_open,
        sum(case when sla_status = 'awaiting_touch' then 1 else 0 end) as awaiting_touch,
        sum(case when sla_status = 'no_sla' then 1 else 0 end) as without_sla,
        {{ median('hours_to_first_touch') }} as median_hours_to_first_touch
    from mql_entries
    group by scoring_model, queue, owner_team, entry_week

),

final as (

    select
        scoring_model,
        queue,
        owner_team,
        entry_week,
        cast(mql_entries as {{ dbt.type_bigint() }}) as mql_entries,
        cast(touched_in_sla as {{ dbt.type_bigint() }}) as touched_in_sla,
        cast(touched_late as {{ dbt.type_bigint() }}) as touched_late,
        cast(breached_open as {{ dbt.type_bigint() }}) as breached_open,
        cast(awaiting_touch as {{ dbt.type_bigint() }}) as awaiting_touch,
        cast(without_sla as {{ dbt.type_bigint() }}) as without_sla,
        cast(touched_in_sla as {{ type_double() }})
        / nullif(touched_in_sla + touched_late + breached_open, 0) as sla_attainment,
        cast(median_hours_to_first_touch as {{ type_double() }}) as median_hours_to_first_touch
    from weekly

)

select * from final
