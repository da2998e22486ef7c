{{ config(enabled=connector_enabled('segment')) }}

with

identifies as (

    select * from {{ ref('stg_segment__identifies') }}

),

identifies_timed as (

    select
        identify_id,
        anonymous_id,
        user_id,
        email,
        identified_at,
        {{ safe_cast_timestamp_utc('identified_at') }} as identified_at_utc
    from identifies

),

-- an identify with both ids counts for each
identity_identifies as (

    select
        'segment_anonymous_id' as identity_type,
        anonymous_id as identity_value,
        identify_id,
        user_id,
        email,
        identified_at,
        identified_at_utc
    from identifies_timed
    where anonymous_id is not null

    union all

    select
        'segment_user_id' as identity_type,
        user_id as identity_value,
        identify_id,
        user_id,
        email,
        identified_at,
        identified_at_utc
    from identifies_timed
    where user_id is not null

),

-- Rank 1 of each order is the identify a column is taken from. An anonymous id keeps the first
-- email and user id it was identified with (a shared device identified later as someone else does
-- not move its earlier visits); a user id takes its latest email. Within one identity only one of
-- the two time keys of email_rank is set, so the rank is earliest first for anonymous ids and
-- latest first for user ids. Unknown times come last; the identify id breaks ties.
identity_identifies_ranked as (

    select
        identity_type,
        identity_value,
        identify_id,
        user_id,
        email,
        identified_at,
        row_number() over (
            partition by identity_type, identity_value
            order by
                case when email is null then 1 else 0 end asc,
                case when identity_type = 'segment_anonymous_id' then identified_at_utc end asc nulls last,
                case when identity_type = 'segment_user_id' then identified_at_utc end desc nulls last,
                identify_id asc
        ) as email_rank,
        row_number() over (
            partition by identity_type, identity_value
            order by
                case when user_id is null then 1 else 0 end asc,
                identified_at_utc asc nulls last,
                identify_id asc
        ) as user_id_rank,
        row_number() over (
            partition by identity_type, identity_value
            order by identified_at_utc asc nulls last, identify_id asc
        ) as time_rank
    from identity_identifies

),

identified_visitors as (

    select
        identity_type,
        identity_value,
        max(case when email_rank = 1 then email end) as email,
        max(
            case when user_id_rank = 1 and identity_type = 'segment_anonymous_id' then user_id end
        ) as user_id,
        max(case when time_rank = 1 then identified_at end) as first_identified_at,
        count(distinct identify_id) as identify_count
    from identity_identifies_ranked
    group by identity_type, identity_value

)

select * from identified_visitors
