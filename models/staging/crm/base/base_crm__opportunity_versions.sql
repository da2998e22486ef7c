{{ config(materialized='table') }}
-- Materialized as a table: it parses the raw text once, and every downstream model and test reads it.
-- Every input opportunity row (base_inputs__opportunities: the raw files or a connector's),
-- cleaned and classified as staged, superseded (another copy of the same opportunity won) or
-- rejected (with the reasons).
with

source_opportunities as (

    select * from {{ ref('base_inputs__opportunities') }}

),

lead_versions as (

    select * from {{ ref('base_crm__lead_versions') }}

),

opportunity_stages as (

    select * from {{ ref('opportunity_stages') }}

),

staged_lead_ids as (

    select lead_id from lead_versions
    where record_status = 'staged'

),

trimmed as (

    select
        {{ clean_id('opportunity_id') }} as opportunity_id,
        -- the id as written, trimmed: two spellings that clean_id makes one id are a collision
        {{ clean_text('opportunity_id') }} as opportunity_id_spelling,
        {{ clean_id('lead_id') }} as lead_id,
        {{ clean_text('created_at') }} as created_at_text,
        lower({{ clean_text('stage') }}) as stage,
        {{ clean_text('amount') }} as amount_text,
        {{ clean_text('closed_at') }} as closed_at_text,
        opportunity_id as raw_opportunity_id,
        lead_id as raw_lead_id,
        created_at as raw_created_at,
        stage as raw_stage,
        amount as raw_amount,
        closed_at as raw_closed_at,
        cast(raw_line_number as {{ dbt.type_int() }}) as raw_line_number,
        raw_read_error,
        input_table,
        link_path
    from source_opportunities

),

parsed as (

    select
        trimmed.*,
        {{ safe_cast_timestamp_utc('created_at_text') }} as created_at,
        {{ safe_cast_timestamp_utc('closed_at_text') }} as closed_at,
        {{ safe_cast_number('amount_text') }} as amount_usd,
        staged_lead_ids.lead_id is not null as is_known_lead,
        opportunity_stages.stage is not null as is_known_stage,
        coalesce(opportunity_stages.is_closed, false) as is_closed,
        coalesce(opportunity_stages.is_won, false) as is_won,
        min(case when trimmed.raw_read_error is null then trimmed.opportunity_id_spelling end)
            over (partition by trimmed.opportunity_id)
        <> max(case when trimmed.raw_read_error is null then trimmed.opportunity_id_spelling end)
            over (partition by trimmed.opportunity_id) as has_spelling_variant
    from trimmed
    left join staged_lead_ids
        on trimmed.lead_id = staged_lead_ids.lead_id
    left join opportunity_stages
        on trimmed.stage = opportunity_stages.stage

),

checked as (

    select
        parsed.*,
        -- a line the strict reader could not read has only that reason: its values may be shifted
        coalesce(parsed.raw_read_error, {{ reject_reasons([
            ('opportunity_id is null', 'missing opportunity_id'),
            ('has_spelling_variant', 'opportunity_id differs from another only in width or invisible characters'),
            ('lead_id is null', 'missing lead_id'),
            ('lead_id is not null and not is_known_lead', 'lead_id not found among staged leads'),
            ('created_at_text is null', 'missing created_at'),
            ('created_at_text is not null and created_at is null', 'unparseable created_at'),
            ('closed_at_text is not null and closed_at is null', 'unparseable closed_at'),
            ('amount_text is not null and (amount_usd is null or amount_usd < 0)', 'invalid amount'),
            ('amount_usd > ' ~ var('max_opportunity_amount_usd'), 'amount out of range'),
            ('stage is not null and not is_known_stage', 'unknown stage'),
        ]) }}) as reject_reason
    from parsed

),

ranked as (

    select
        checked.*,
        row_number() over (
            partition by checked.opportunity_id, checked.reject_reason is null
            order by
                case when checked.closed_at is null then 1 else 0 end,
                checked.closed_at desc,
                checked.stage asc,
                checked.amount_text asc,
                checked.created_at asc,
                -- the same copy delivered twice: the first line is staged, on every warehouse
                checked.raw_line_number asc
        ) as version_rank
    from checked

),

final as (

    select
        opportunity_id,
        case
            when reject_reason is not null then 'rejected'
            when version_rank = 1 then 'staged'
            else 'superseded'
        end as record_status,
        reject_reason,
        lead_id,
        created_at,
        stage,
        is_closed,
        is_won,
        amount_usd,
        closed_at,
        raw_opportunity_id,
        raw_lead_id,
        raw_created_at,
        raw_stage,
        raw_amount,
        raw_closed_at,
        raw_line_number,
        input_table,
        link_path
    from ranked

)

select * from final
