-- Does buying-group coverage predict opportunities? Per scoring model and coverage band (bands of
-- band_type coverage_band on the share of required roles present), per backtest cutoff and over
-- all cutoffs: accounts, mean coverage and contacts, conversions, conversion rate and lift over the
-- base rate.
with

account_backtests as (

    select * from {{ ref('int_account_backtest_scores') }}

),

scoped as (

    {%- for is_overall in [false, true] %}
    select
        scoring_model,
        {{ 'true' if is_overall else 'false' }} as is_overall,
        {{ 'cast(null as date)' if is_overall else 'cutoff_date' }} as cutoff_date,
        coverage_band,
        coverage_band_rank,
        buying_group_coverage,
        contacts,
        case when is_converted then 1 else 0 end as converted
    from account_backtests
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

by_band as (

    select
        scoring_model,
        is_overall,
        cutoff_date,
        coverage_band,
        coverage_band_rank,
        count(*) as accounts,
        avg(cast(buying_group_coverage as {{ type_double() }})) as mean_buying_group_coverage,
        avg(cast(contacts as {{ type_double() }})) as mean_contacts,
        sum(converted) as conversions
    from scoped
    group by scoring_model, is_overall, cutoff_date, coverage_band, coverage_band_rank

),

final as (

    select
        scoring_model,
        is_overall,
        cutoff_date,
        coverage_band,
        coverage_band_rank,
        cast(accounts as {{ dbt.type_bigint() }}) as accounts,
        mean_buying_group_coverage,
        mean_contacts,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(conversions as {{ type_double() }}) / accounts as conversion_rate,
        cast(sum(conversions) over (partition by scoring_model, is_overall, cutoff_date) as {{ type_double() }})
        / sum(accounts) over (partition by scoring_model, is_overall, cutoff_date) as base_rate
    from by_band

)

select
    final.*,
    final.conversion_rate / nullif(final.base_rate, 0) as lift
from final
