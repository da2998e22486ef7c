{#- The wide columns are the shipped stages of the lifecycle_stages seed; fct_lead_lifecycle_stages
    holds every stage of the seed, one row each (a test on current_stage fails when a lead reaches
    a stage that is not listed here). -#}
{%- set wide_stages = ['lead', 'mql', 'sal', 'sql', 'opportunity', 'won', 'lost'] -%}
-- One row per scoring model and scored lead: the day it reached each lifecycle stage (null when
-- it did not, or skipped it), its current stage, the stages it skipped, its cohort (month it became
-- a lead) and its live tier.
with

scores as (

    select * from {{ ref('fct_lead_scores') }}

),

stages as (

    select * from {{ ref('fct_lead_lifecycle_stages') }}

),

transitions as (

    select * from {{ ref('fct_lead_tier_transitions') }}

),

history_starts as (

    select
        scoring_model,
        min(transition_date) as history_start_date
    from transitions
    group by scoring_model

),

ranked_reached as (

    select
        stages.*,
        row_number() over (
            partition by stages.scoring_model, stages.lead_id
            order by stages.stage_order desc, stages.reached_date desc, stages.lifecycle_stage asc
        ) as recency_rank
    from stages
    where stages.is_reached

),

current_stages as (

    select
        scoring_model,
        lead_id,
        lifecycle_stage as current_stage,
        stage_order as current_stage_order,
        reached_date as current_stage_date
    from ranked_reached
    where recency_rank = 1

),

pivoted as (

    select
        scoring_model,
        lead_id,
        {%- for stage in wide_stages %}
        max(case when lifecycle_stage = '{{ stage }}' and is_reached then reached_date end) as {{ stage }}_date,
        {%- endfor %}
        {%- for stage in wide_stages %}
        max(case when lifecycle_stage = '{{ stage }}' and is_skipped then 1 else 0 end) = 1 as is_{{ stage }}_skipped,
        {%- endfor %}
        count(*) as stage_rows
    from stages
    group by scoring_model, lead_id

),

final as (

    select
        scores.scoring_model,
        scores.lead_id,
        cast({{ dbt.date_trunc('month', 'pivoted.lead_date') }} as date) as cohort_month,
        scores.tier,
        current_stages.current_stage,
        current_stages.current_stage_order,
        current_stages.current_stage_date,
        {%- for stage in wide_stages %}
        pivoted.{{ stage }}_date,
        {%- endfor %}
        nullif(concat_ws(
            ', '
            {%- for stage in wide_stages %},
            case when pivoted.is_{{ stage }}_skipped then '{{ stage }}' end
            {%- endfor %}
        ), '') as skipped_stages,
        -- created before the tier history starts: the history cannot show when (or whether) the
        -- lead first became an MQL before it
        coalesce(pivoted.lead_date < history_starts.history_start_date, false) as is_mql_date_censored
    from scores
    inner join pivoted
        on scores.scoring_model = pivoted.scoring_model
        and scores.lead_id = pivoted.lead_id
    inner join current_stages
        on scores.scoring_model = current_stages.scoring_model
        and scores.lead_id = current_stages.lead_id
    left join history_starts
        on scores.scoring_model = history_starts.scoring_model

)

select * from final
