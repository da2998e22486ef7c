{%- set deliveries_relation = ref('base_marketing__event_deliveries') -%}
{%- set content_columns = ['lead_id', 'event_type', 'occurred_at', 'page_url', 'page_path', 'duration_seconds'] -%}
{%- set rebuild = is_incremental() and staged_deliveries_were_removed(deliveries_relation, this) -%}
{%- set high_water = folded_high_water(this) if is_incremental() and not rebuild else none -%}
{{ config(
    materialized=incremental_staging_materialization(),
    incremental_strategy='delete+insert',
    unique_key='event_id',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() and staged_deliveries_were_removed(ref('base_marketing__event_deliveries'), this) %}delete from {{ this }}{% endif %}",
) }}
-- The valid deliveries (is_row_valid) folded into one row per event_id, before the checks that
-- depend on the run (a staged lead, a time not in the future; stg_marketing__events). Incremental:
-- a run folds again only the event ids that share a letter-case key with a delivery staged since
-- its last run; when staged deliveries were deleted (a raw file changed or is gone) it folds them
-- all again. folded_at says which run wrote a row: the per-lead incremental models downstream
-- compute again the leads of the rows folded since their own last run.
with

event_deliveries as (

    select * from {{ deliveries_relation }}

),

valid_deliveries as (

    select * from event_deliveries
    where is_row_valid

),

{%- if high_water is not none %}

-- every delivery of an id that has a new delivery, or that differs only in letter case from one.
-- The deliveries table is read directly (a second reference to a CTE would copy it whole)
changed_keys as (

    select event_id_key
    from {{ deliveries_relation }}
    where is_row_valid
        and loaded_at > cast('{{ high_water }}' as {{ dbt.type_timestamp() }})

),

scoped_deliveries as (

    select valid_deliveries.*
    from valid_deliveries
    where valid_deliveries.event_id_key in (select changed_keys.event_id_key from changed_keys)

),
{%- else %}

scoped_deliveries as (

    select * from valid_deliveries

),
{%- endif %}

-- keys with more than one delivery: re-deliveries of one id, or ids that differ only in letter case.
-- Most keys have one delivery, and those pass as they are: only the deliveries of repeated keys go
-- through the group-by below, which at 51M deliveries is what keeps the fold within memory
repeated_keys as (

    select event_id_key
    from scoped_deliveries
    group by event_id_key
    having count(*) > 1

),

single_deliveries as (

    select scoped_deliveries.*
    from scoped_deliveries
    left join repeated_keys
        on scoped_deliveries.event_id_key = repeated_keys.event_id_key
    where repeated_keys.event_id_key is null

),

repeated_deliveries as (

    select scoped_deliveries.*
    from scoped_deliveries
    inner join repeated_keys
        on scoped_deliveries.event_id_key = repeated_keys.event_id_key

),

-- when the deliveries disagree the event is rejected (stg_marketing__event_rejects lists each
-- delivery as delivered): its content columns are null rather than one delivery's, picked differently
-- by each warehouse
folded as (

    select
        event_id,
        {{ any_value('event_id_key') }} as event_id_key,
        {%- for column in content_columns %}
        case
            when min(content_fingerprint) = max(content_fingerprint) then {{ any_value(column) }}
        end as {{ column }},
        {%- endfor %}
        count(*) as delivery_count,
        min(content_fingerprint) = max(content_fingerprint) as is_consistent,
        -- two spellings that clean_id made one id (`E261`, full-width `Ｅ２６１`): a collision, not a
        -- re-delivery
        coalesce(min({{ clean_text('raw_event_id') }}) <> max({{ clean_text('raw_event_id') }}), false)
            as has_spelling_variant,
        max(loaded_at) as last_loaded_at
    from repeated_deliveries
    group by event_id

),

case_variant_keys as (

    select event_id_key
    from folded
    group by event_id_key
    having count(*) > 1

),

final as (

    select
        event_id,
        event_id_key,
        {%- for column in content_columns %}
        {{ column }},
        {%- endfor %}
        1 as delivery_count,
        true as is_consistent,
        false as has_case_variant,
        loaded_at as last_loaded_at,
        {{ run_started_at_timestamp() }} as folded_at
    from single_deliveries

    union all

    select
        folded.event_id,
        folded.event_id_key,
        {%- for column in content_columns %}
        folded.{{ column }},
        {%- endfor %}
        folded.delivery_count,
        folded.is_consistent,
        case_variant_keys.event_id_key is not null or folded.has_spelling_variant as has_case_variant,
        folded.last_loaded_at,
        {{ run_started_at_timestamp() }} as folded_at
    from folded
    left join case_variant_keys
        on folded.event_id_key = case_variant_keys.event_id_key

)

select * from final
