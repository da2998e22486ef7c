-- Every rule that matches on events: the behavioral signals seed (decaying, capped points per
-- unit) and the event rows of the negative rules seed (flat points when any matching event falls
-- in the window). An event counts for every signal it matches.
with

behavioral_signals as (

    select * from {{ ref('scoring_behavioral_signals') }}

),

negative_rules as (

    select * from {{ ref('scoring_negative_rules') }}

),

unioned as (

    select
        scoring_model,
        'behavioral' as component,
        signal_id,
        event_type,
        page_path_pattern,
        measure,
        points_per_unit,
        half_life_days,
        cap_points,
        daily_unit_limit,
        cast(null as integer) as window_days,
        reason_label
    from behavioral_signals

    union all

    select
        scoring_model,
        'negative' as component,
        rule_id as signal_id,
        event_type,
        page_path_pattern,
        'occurrence' as measure,
        points as points_per_unit,
        cast(null as decimal(18, 4)) as half_life_days,
        points as cap_points,
        cast(null as decimal(18, 4)) as daily_unit_limit,
        window_days,
        reason_label
    from negative_rules
    where rule_type = 'event'

)

select * from unioned
