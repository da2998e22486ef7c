{{ config(enabled=connector_enabled('segment')) }}

with

identifies_source as (

    select
        id,
        anonymous_id,
        user_id,
        email,
        {{ adapter.quote('timestamp') }} as identify_called_at
    from {{ source('segment', 'identifies') }}

),

final as (

    select
        'segment.identifies' as input_table,
        nullif(trim({{ input_text('id') }}), '') as identify_id,
        nullif(trim({{ input_text('anonymous_id') }}), '') as anonymous_id,
        nullif(trim({{ input_text('user_id') }}), '') as user_id,
        lower(nullif(trim({{ input_text('email') }}), '')) as email,
        nullif(trim({{ input_text('identify_called_at') }}), '') as identified_at
    from identifies_source

)

select * from final
