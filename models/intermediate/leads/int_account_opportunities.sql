-- Every staged opportunity with the account of its lead when it was created (the lead's version
-- valid that day; the lead's first version when the opportunity is older than every version): the
-- account view of conversions (calibration) and of closed-won deals (customers).
with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

lead_accounts as (

    select * from {{ ref('int_lead_accounts') }}

),

versions_at_creation as (

    select
        opportunities.opportunity_id,
        lead_accounts.account_id,
        row_number() over (
            partition by opportunities.opportunity_id
            order by lead_accounts.valid_from_date asc
        ) as version_rank
    from opportunities
    inner join lead_accounts
        on opportunities.lead_id = lead_accounts.lead_id
        and (
            lead_accounts.valid_to_date is null
            or cast(opportunities.created_at as date) < lead_accounts.valid_to_date
        )

),

final as (

    select
        opportunities.opportunity_id,
        opportunities.lead_id,
        versions_at_creation.account_id,
        cast(opportunities.created_at as date) as created_date,
        cast(opportunities.closed_at as date) as closed_date,
        opportunities.stage,
        coalesce(opportunities.is_won, false) as is_won
    from opportunities
    left join versions_at_creation
        on opportunities.opportunity_id = versions_at_creation.opportunity_id
        and versions_at_creation.version_rank = 1

)

select * from final
