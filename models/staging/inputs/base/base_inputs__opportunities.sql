{%- set inputs = lead_scoring_input('opportunities') -%}
-- The opportunity rows of the input chosen by var lead_scoring_inputs.opportunities, in the raw
-- opportunity contract (every value as text) that base_crm__opportunity_versions cleans and checks:
-- the raw files, or a connector's opportunities with the person each one reaches. An opportunity
-- reached by several paths (Salesforce: the lead it was converted from, its contact roles; HubSpot:
-- the deal's contacts) goes to one person, by the path's priority, then the earliest link, then the
-- smallest person id, so it counts once. One that reaches nobody keeps its row with that reason.
with

{%- if inputs[0] == 'files' %}

source_opportunities as (

    select * from {{ source('crm', 'opportunities') }}

),

final as (

    select
        opportunity_id,
        lead_id,
        created_at,
        stage,
        amount,
        closed_at,
        raw_line_number,
        raw_read_error,
        raw_file_path as input_table,
        cast(null as {{ dbt.type_string() }}) as link_path
    from source_opportunities

)

{%- else %}

opportunities as (

    {%- if inputs[0] == 'salesforce' %}
    select * from {{ ref('stg_salesforce__opportunities') }}
    {%- else %}
    select * from {{ ref('stg_hubspot__opportunities') }}
    {%- endif %}

),

opportunity_links as (

    {%- if inputs[0] == 'salesforce' %}
    select * from {{ ref('stg_salesforce__opportunity_links') }}
    {%- else %}
    select * from {{ ref('stg_hubspot__opportunity_links') }}
    {%- endif %}

),

identities as (

    select * from {{ ref('base_inputs__identities') }}

),

resolved_links as (

    select
        opportunity_links.opportunity_id,
        opportunity_links.link_path,
        identities.person_id,
        row_number() over (
            partition by opportunity_links.opportunity_id
            order by
                opportunity_links.link_priority asc,
                -- an unknown link time last, on every warehouse
                case when opportunity_links.link_created_at is null then 1 else 0 end asc,
                {{ safe_cast_timestamp_utc('opportunity_links.link_created_at') }} asc,
                identities.person_id asc
        ) as link_rank
    from opportunity_links
    inner join identities
        on opportunity_links.identity_type = identities.identity_type
        and {{ clean_id('opportunity_links.identity_value') }} = identities.identity_value
    where identities.person_id is not null

),

final as (

    select
        opportunities.opportunity_id,
        resolved_links.person_id as lead_id,
        opportunities.created_at,
        opportunities.stage,
        opportunities.amount,
        opportunities.closed_at,
        cast(null as {{ dbt.type_int() }}) as raw_line_number,
        coalesce(
            opportunities.reject_reason,
            case
                when resolved_links.person_id is null
                    then 'no person linked (converted lead, contact role or deal contact)'
            end
        ) as raw_read_error,
        opportunities.input_table,
        resolved_links.link_path
    from opportunities
    left join resolved_links
        on opportunities.opportunity_id = resolved_links.opportunity_id
        and resolved_links.link_rank = 1

)

{%- endif %}

select * from final
