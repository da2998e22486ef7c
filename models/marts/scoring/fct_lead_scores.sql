-- One row per scoring model and lead: the live score as of the var score_as_of, with its
-- components, tier, grade, engagement level, priority within the model, how it moved over the
-- short and long windows, the day decay alone would take an MQL below the MQL line, and the
-- reasons behind it. is_customer: the lead's account had a closed-won opportunity by the scoring
-- date (only scoring models whose customer_handling is `include` score customers).
with

scores_by_date as (

    select * from {{ ref('int_leads_scored_by_date') }}

),

ledger as (

    select * from {{ ref('fct_lead_score_ledger') }}

),

-- the states at the live date alone (the view reads the states at every date of the run)
signal_states as (

    select * from {{ ref('int_lead_signal_states_by_date') }}
    where as_of_date = {{ score_as_of_date() }}

),

signals as (

    select * from {{ ref('int_scoring_event_signals') }}

),

scoring_models as (

    select * from {{ ref('scoring_models') }}

),

bands as (

    select * from {{ ref('scoring_bands') }}

),

score_bins as (

    select * from {{ ref('int_score_probability_bins') }}

),

live_population as (

    select * from {{ ref('int_scoring_population') }}
    where is_live

),

live_scores as (

    select * from scores_by_date
    where is_live

),

scoring_dates as (

    select * from {{ ref('int_scoring_dates') }}

),

history as (

    select * from {{ ref('fct_lead_score_history') }}

),

-- the comparison days of the live date (short and long window)
comparison_days as (

    select {{ dbt.dateadd('day', -var('score_change_short_days'), 'as_of_date') }} as as_of_date
    from scoring_dates
    where is_live
    union all
    select {{ dbt.dateadd('day', -var('score_change_long_days'), 'as_of_date') }} as as_of_date
    from scoring_dates
    where is_live

),

-- the total at each comparison day: scored in this run, or read from the history, which has that
-- day after this run whenever int_scoring_dates does not list it as a comparison day
comparison_scores as (

    select
        as_of_date,
        scoring_model,
        lead_id,
        total_score
    from scores_by_date
    where is_comparison
    union all
    select
        history.score_date as as_of_date,
        history.scoring_model,
        history.lead_id,
        history.total_score
    from history
    inner join comparison_days
        on history.score_date = comparison_days.as_of_date
    left join scoring_dates as scored_days
        on history.score_date = scored_days.as_of_date
        and scored_days.is_comparison
    where scored_days.as_of_date is null

),

ranked_reasons as (

    select
        scoring_model,
        lead_id,
        concat(reason_label, ' (', {{ format_points('signed_points') }}, ')') as reason,
        row_number() over (
            partition by scoring_model, lead_id
            order by abs({{ round_points('signed_points') }}) desc, component asc, rule_id asc
        ) as reason_rank
    from ledger
    where {{ round_points('signed_points') }} <> 0

),

reasons as (

    select
        scoring_model,
        lead_id,
        max(case when reason_rank = 1 then reason end) as reason_1,
        max(case when reason_rank = 2 then reason end) as reason_2,
        max(case when reason_rank = 3 then reason end) as reason_3
    from ranked_reasons
    where reason_rank <= 3
    group by scoring_model, lead_id

),

earlier_scores as (

    select
        live_scores.scoring_model,
        live_scores.lead_id,
        max(
            case
                when
                    earlier.as_of_date
                    = {{ dbt.dateadd('day', -var('score_change_short_days'), 'live_scores.as_of_date') }}
                    then earlier.total_score
            end
        ) as total_score_short_window_ago,
        max(
            case
                when
                    earlier.as_of_date
                    = {{ dbt.dateadd('day', -var('score_change_long_days'), 'live_scores.as_of_date') }}
                    then earlier.total_score
            end
        ) as total_score_long_window_ago
    from live_scores
    inner join comparison_scores as earlier
        on live_scores.scoring_model = earlier.scoring_model
        and live_scores.lead_id = earlier.lead_id
    group by live_scores.scoring_model, live_scores.lead_id

),

priorities as (

    select
        scoring_model,
        lead_id,
        100 * percent_rank() over (partition by scoring_model order by total_score) as priority_percentile
    from live_scores

),

mql_thresholds as (

    select
        scoring_model,
        min(lower_bound) as mql_threshold
    from bands
    where band_type = 'tier' and is_mql
    group by scoring_model

),

mql_drop_dates as (

    {{ mql_decay_drop_dates('live_scores', 'signal_states', 'signals', 'scoring_models', 'mql_thresholds') }}

),

final as (

    select
        live_scores.scoring_model,
        live_scores.lead_id,
        live_scores.fit_score,
        live_scores.behavioral_score,
        live_scores.negative_score,
        live_scores.total_score,
        live_scores.tier,
        live_scores.tier_rank,
        live_scores.tier_action,
        live_scores.is_mql,
        live_scores.fit_grade,
        live_scores.engagement_level,
        cast(priorities.priority_percentile as {{ type_double() }}) as priority_percentile,
        priority_bands.band as priority,
        cast(live_scores.total_score - earlier_scores.total_score_short_window_ago as decimal(18, 2))
            as score_change_short_window,
        cast(live_scores.total_score - earlier_scores.total_score_long_window_ago as decimal(18, 2))
            as score_change_long_window,
        case
            when earlier_scores.total_score_short_window_ago is null then 'new'
            when live_scores.total_score - earlier_scores.total_score_short_window_ago
                >= {{ var('score_trend_rising_min_change') }} then 'rising'
            when earlier_scores.total_score_short_window_ago - live_scores.total_score
                >= {{ var('score_trend_falling_min_change') }} then 'falling'
            else 'steady'
        end as score_trend,
        mql_drop_dates.mql_decay_drop_date,
        nullif(concat_ws('; ', reasons.reason_1, reasons.reason_2, reasons.reason_3), '') as top_reasons,
        reasons.reason_1,
        reasons.reason_2,
        reasons.reason_3,
        live_scores.last_engagement_date,
        live_scores.days_since_last_engagement,
        score_bins.conversion_probability,
        coalesce(live_population.is_customer, false) as is_customer,
        live_scores.as_of_date as score_as_of
    from live_scores
    left join live_population
        on live_scores.scoring_model = live_population.scoring_model
        and live_scores.lead_id = live_population.lead_id
    left join reasons
        on live_scores.scoring_model = reasons.scoring_model
        and live_scores.lead_id = reasons.lead_id
    left join earlier_scores
        on live_scores.scoring_model = earlier_scores.scoring_model
        and live_scores.lead_id = earlier_scores.lead_id
    left join priorities
        on live_scores.scoring_model = priorities.scoring_model
        and live_scores.lead_id = priorities.lead_id
    left join bands as priority_bands
        on live_scores.scoring_model = priority_bands.scoring_model
        and priority_bands.band_type = 'priority'
        and (priority_bands.lower_bound is null or priorities.priority_percentile >= priority_bands.lower_bound)
        and (priority_bands.upper_bound is null or priorities.priority_percentile < priority_bands.upper_bound)
    left join mql_drop_dates
        on live_scores.scoring_model = mql_drop_dates.scoring_model
        and live_scores.lead_id = mql_drop_dates.lead_id
    {{ join_score_bins('live_scores', 'score_bins') }}

)

select * from final
