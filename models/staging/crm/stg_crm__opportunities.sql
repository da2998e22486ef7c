-- Opportunities of staged leads. An opportunity exported more than once keeps its most advanced
-- version (closed before open, then the latest close); the other copies are counted as superseded in
-- base_crm__opportunity_versions.
with

opportunity_versions as (

    select * from {{ ref('base_crm__opportunity_versions') }}

),

final as (

    select
        opportunity_id,
        lead_id,
        created_at,
        stage,
        is_closed,
        is_won,
        amount_usd,
        closed_at
    from opportunity_versions
    where record_status = 'staged'

)

select * from final
