{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
) }}
{#- The volume guard. Every build appends one row per raw source: its raw row count, the count of
    the last build whose counts passed the guard (read from this very table, i.e. from the published
    warehouse: the atomic DuckDB build starts from a copy of it) and the verdict. A source that has
    no rows, or fewer than (1 - volume_guard_max_drop_share) times its baseline, is `failed`, unless
    the operator accepts the drop (var accept_volume_drop, or LEAD_SCORING_ACCEPT_VOLUME_DROP=true).
    tests/audit/assert_raw_volumes_pass_the_guard.sql then fails the build: the atomic DuckDB build
    publishes nothing, and every mart, which reads the leads through int_lead_versions_enriched (it
    depends on this model), is skipped on every warehouse. It reads the three raw inputs (their
    base_inputs__ models), so it is an audit model beside staging, not upstream of it: staging
    models read their own source only. -#}
{%- set accept_setting = var('accept_volume_drop', env_var('LEAD_SCORING_ACCEPT_VOLUME_DROP', 'false')) -%}
{%- set accepted = accept_setting | string | lower in ['true', '1', 'yes'] -%}
{%- set max_drop_share = var('volume_guard_max_drop_share') -%}
with

leads as (

    select count(*) as raw_rows from {{ ref('base_inputs__leads') }}

),

events as (

    select count(*) as raw_rows from {{ ref('base_inputs__events') }}

),

opportunities as (

    select count(*) as raw_rows from {{ ref('base_inputs__opportunities') }}

),

current_volumes as (

    select
        'leads' as source_name,
        raw_rows
    from leads
    union all
    select
        'events' as source_name,
        raw_rows
    from events
    union all
    select
        'opportunities' as source_name,
        raw_rows
    from opportunities

),

{% if is_incremental() %}
earlier_builds as (

    select
        source_name,
        raw_rows,
        counted_at,
        row_number() over (partition by source_name order by counted_at desc) as recency
    from {{ this }}
    where guard_status <> 'failed'

),
{% endif %}

baselines as (

    {% if is_incremental() %}
    select
        source_name,
        raw_rows as baseline_rows,
        counted_at as baseline_counted_at
    from earlier_builds
    where recency = 1
    {% else %}
    -- the first build: no baseline
    select
        source_name,
        cast(null as {{ dbt.type_bigint() }}) as baseline_rows,
        cast(null as {{ dbt.type_timestamp() }}) as baseline_counted_at
    from current_volumes
    {% endif %}

),

compared as (

    select
        current_volumes.source_name,
        cast(current_volumes.raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(baselines.baseline_rows as {{ dbt.type_bigint() }}) as baseline_rows,
        baselines.baseline_counted_at,
        case
            when current_volumes.raw_rows = 0 then 'no rows'
            when baselines.baseline_rows > 0
                and current_volumes.raw_rows < baselines.baseline_rows * (1 - {{ max_drop_share }})
                then 'drop'
        end as problem
    from current_volumes
    left join baselines
        on current_volumes.source_name = baselines.source_name

),

judged as (

    select
        '{{ invocation_id }}' as invocation_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as counted_at,
        source_name,
        raw_rows,
        baseline_rows,
        baseline_counted_at,
        cast({{ max_drop_share }} as {{ type_double() }}) as max_drop_share,
        case
            when problem is not null and {{ 'true' if accepted else 'false' }} then 'accepted'
            when problem is not null then 'failed'
            when baseline_rows is null then 'first'
            else 'ok'
        end as guard_status,
        case
            when problem is null then null
            else
                'raw source ' || source_name || ': ' || cast(raw_rows as {{ dbt.type_string() }})
                || ' rows, the last published build had '
                || coalesce(cast(baseline_rows as {{ dbt.type_string() }}), 'none (first build)')
                || case
                    when problem = 'no rows' then ' (an empty export)'
                    else ' (a drop of more than '
                        || cast(cast({{ max_drop_share }} * 100 as integer) as {{ dbt.type_string() }})
                        || '%, var volume_guard_max_drop_share)'
                end
                || case
                    when {{ 'true' if accepted else 'false' }} then ': accepted (accept_volume_drop)'
                    else '. If the drop is real, build again with --vars {accept_volume_drop: true} '
                        || 'or LEAD_SCORING_ACCEPT_VOLUME_DROP=true'
                end
        end as guard_message
    from compared

)

select * from judged
