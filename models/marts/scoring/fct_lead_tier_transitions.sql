-- One row each time a lead entered a tier (MQL included) over the whole score history: the day, the
-- tier before and after, the score before and after, and the days spent in the previous tier.
-- A lead's first scored day is its entry into its first tier (no previous tier).
with

history as (

    select * from {{ ref('fct_lead_score_history') }}

),

with_previous as (

    select
        history.*,
        lag(history.tier) over (
            partition by history.scoring_model, history.lead_id order by history.score_date
        ) as previous_tier,
        lag(history.total_score) over (
            partition by history.scoring_model, history.lead_id order by history.score_date
        ) as previous_total_score,
        lag(history.is_mql) over (
            partition by history.scoring_model, history.lead_id order by history.score_date
        ) as was_mql
    from history

),

changes as (

    select *
    from with_previous
    where previous_tier is null or previous_tier <> tier

),

with_durations as (

    select
        changes.*,
        lag(changes.score_date) over (
            partition by changes.scoring_model, changes.lead_id order by changes.score_date
        ) as previous_tier_entered_date
    from changes

),

final as (

    select
        scoring_model,
        lead_id,
        score_date as transition_date,
        previous_tier as from_tier,
        tier as to_tier,
        previous_total_score as score_before,
        total_score as score_after,
        {%- set days_in_tier = dbt.datediff('previous_tier_entered_date', 'score_date', 'day') %}
        cast({{ days_in_tier }} as {{ dbt.type_bigint() }}) as days_in_previous_tier,
        coalesce(is_mql and not coalesce(was_mql, false), false) as is_mql_entry,
        coalesce(not is_mql and coalesce(was_mql, false), false) as is_mql_exit
    from with_durations

)

select * from final
