-- One row per sales touch known by the end of the scoring date: every event of a type the
-- event_types seed marks is_sales_touch (a call, a one-to-one email, a booked meeting) and every
-- opportunity (creating one means sales has worked the lead).
with

events as (

    select * from {{ ref('stg_marketing__events') }}

),

event_types as (

    select * from {{ ref('event_types') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

touch_events as (

    select
        events.lead_id,
        events.event_id as touch_id,
        events.event_type as touch_type,
        events.occurred_at as touched_at,
        false as is_opportunity
    from events
    inner join event_types
        on events.event_type = event_types.event_type
    where event_types.is_sales_touch

),

opportunity_touches as (

    select
        lead_id,
        opportunity_id as touch_id,
        'opportunity_created' as touch_type,
        created_at as touched_at,
        true as is_opportunity
    from opportunities

),

touches as (

    select * from touch_events
    union all
    select * from opportunity_touches

),

final as (

    select *
    from touches
    where touched_at < cast({{ dbt.dateadd('day', 1, score_as_of_date()) }} as {{ dbt.type_timestamp() }})

)

select * from final
