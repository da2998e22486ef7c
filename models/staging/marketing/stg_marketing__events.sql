{{ config(materialized='table') }}
-- Materialized as a table: it parses the raw text once, and every downstream model and test reads it.
-- One row per event: exact re-deliveries (same event_id, same content) are folded into one row and
-- counted in delivery_count. Deliveries of one event_id that disagree are not guessed between: they
-- go to stg_marketing__event_rejects.
with

event_deliveries as (

    select * from {{ ref('stg_marketing__event_deliveries') }}

),

valid_deliveries as (

    select * from event_deliveries
    where reject_reason is null

),

folded as (

    select
        event_id,
        min(lead_id) as lead_id,
        min(event_type) as event_type,
        min(occurred_at) as occurred_at,
        min(page_url) as page_url,
        min(page_path) as page_path,
        min(duration_seconds) as duration_seconds,
        {{ dbt.bool_or('not is_known_event_type') }} as is_unknown_event_type,
        count(*) as delivery_count,
        -- deliveries agree when every column has one value (blank counted as a value)
        min(lead_id) = max(lead_id)
        and min(event_type) = max(event_type)
        and min(occurred_at) = max(occurred_at)
        and min(coalesce(page_url, '')) = max(coalesce(page_url, ''))
        and count(duration_seconds) in (0, count(*))
        and coalesce(min(duration_seconds) = max(duration_seconds), true) as is_consistent
    from valid_deliveries
    group by event_id

),

final as (

    select
        event_id,
        lead_id,
        event_type,
        not is_unknown_event_type as is_known_event_type,
        occurred_at,
        cast(occurred_at as date) as occurred_date,
        page_url,
        page_path,
        duration_seconds,
        delivery_count
    from folded
    where is_consistent

)

select * from final
