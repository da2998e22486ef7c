{{ config(enabled=connector_enabled('hubspot')) }}

with

merge_audit as (

    select * from {{ source('hubspot', 'contact_merge_audit') }}

),

merge_rows as (

    select
        nullif(trim({{ input_text('vid_to_merge') }}), '') as merged_contact_id,
        coalesce(
            nullif(trim({{ input_text('canonical_vid') }}), ''),
            nullif(trim({{ input_text('contact_id') }}), '')
        ) as merged_into_contact_id,
        {{ input_text('timestamp') }} as merged_at,
        {{ safe_cast_timestamp_utc(input_text('timestamp')) }} as merged_at_utc
    from merge_audit

),

ranked as (

    select
        merge_rows.*,
        -- a contact is merged once; a second row for it (the same merge audited on both contacts of a
        -- later merge) is read the same way, the latest merge winning
        row_number() over (
            partition by merge_rows.merged_contact_id
            order by merge_rows.merged_at_utc desc nulls last, merge_rows.merged_into_contact_id desc
        ) as merge_rank
    from merge_rows
    where
        merge_rows.merged_contact_id is not null
        and merge_rows.merged_into_contact_id is not null
        and merge_rows.merged_contact_id <> merge_rows.merged_into_contact_id

),

merge_edges as (

    select
        merged_contact_id,
        merged_into_contact_id,
        merged_at
    from ranked
    where merge_rank = 1

),

chains as (

    {{ follow_merge_chains('merge_edges', 'merged_contact_id', 'merged_into_contact_id') }}

),

final as (

    select
        merge_edges.merged_contact_id,
        merge_edges.merged_into_contact_id,
        chains.survivor_id as survivor_contact_id,
        chains.chain_length as merge_chain_length,
        merge_edges.merged_at
    from merge_edges
    inner join chains
        on merge_edges.merged_contact_id = chains.merged_id

)

select * from final
