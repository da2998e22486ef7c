-- Reports, once per scoring model, a model whose own signals match no event of this data (pql on
-- data without product events): it is inactive here, its scores carry no behavior, and the
-- calibration checks leave it out instead of failing it. Warns (does not fail the build).
{{ config(severity='warn', group='lead_scoring') }}

with

activity as (

    select * from {{ ref('int_scoring_models_matched_to_events') }}

),

final as (

    select
        scoring_model,
        own_signal_list,
        'inactive: none of its own signals matches an event of this data; its calibration is not judged'
            as status
    from activity
    where not is_active

)

select * from final
