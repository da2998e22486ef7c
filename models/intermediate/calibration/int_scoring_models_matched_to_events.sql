{{ config(materialized='table') }}
-- One row per scoring model: does this data have the events the model measures? A model's own
-- signals are its behavioral signals that no other model has (the same event type and page path
-- pattern; all of them when it shares every one). A model whose own signals match no event at all
-- (pql on data without product events) is inactive: its scores say nothing about this data, so its
-- calibration is not judged and the build reports it once (assert_scoring_models_match_events).
with

scoring_models as (

    select * from {{ ref('scoring_models') }}

),

signals as (

    select * from {{ ref('scoring_behavioral_signals') }}

),

signal_days as (

    select * from {{ ref('int_lead_signal_days') }}

),

signal_keys as (

    select
        scoring_model,
        signal_id,
        event_type,
        coalesce(page_path_pattern, '') as page_path_key
    from signals

),

shared_signals as (

    select distinct
        signal_keys.scoring_model,
        signal_keys.signal_id
    from signal_keys
    inner join signal_keys as other_models
        on signal_keys.event_type = other_models.event_type
        and signal_keys.page_path_key = other_models.page_path_key
        and signal_keys.scoring_model != other_models.scoring_model

),

signals_with_events as (

    select distinct
        scoring_model,
        signal_id
    from signal_days
    where component = 'behavioral'

),

classified as (

    select
        signal_keys.scoring_model,
        signal_keys.signal_id,
        shared_signals.signal_id is null as is_own_signal,
        signals_with_events.signal_id is not null as has_events
    from signal_keys
    left join shared_signals
        on signal_keys.scoring_model = shared_signals.scoring_model
        and signal_keys.signal_id = shared_signals.signal_id
    left join signals_with_events
        on signal_keys.scoring_model = signals_with_events.scoring_model
        and signal_keys.signal_id = signals_with_events.signal_id

),

per_model as (

    select
        scoring_models.scoring_model,
        count(classified.signal_id) as signals,
        coalesce(sum(case when classified.is_own_signal then 1 else 0 end), 0) as own_signals,
        coalesce(sum(case when classified.has_events then 1 else 0 end), 0) as signals_with_events,
        coalesce(sum(case when classified.is_own_signal and classified.has_events then 1 else 0 end), 0)
            as own_signals_with_events,
        {{ ordered_string_agg(
            'case when classified.is_own_signal then classified.signal_id end', "', '", 'classified.signal_id'
        ) }} as own_signal_list
    from scoring_models
    left join classified
        on scoring_models.scoring_model = classified.scoring_model
    group by scoring_models.scoring_model

),

final as (

    select
        scoring_model,
        signals,
        own_signals,
        signals_with_events,
        own_signals_with_events,
        own_signal_list,
        -- a model of fit rules only measures no events: nothing to miss
        case
            when signals = 0 then true
            when own_signals > 0 then own_signals_with_events > 0
            else signals_with_events > 0
        end as is_active
    from per_model

)

select * from final
