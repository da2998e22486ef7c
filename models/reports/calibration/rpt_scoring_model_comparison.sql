-- Which scoring model ranks and selects better on the same backtests? Per scoring model, per
-- cutoff and pooled: AUC and top-bin lift (rpt_model_performance) beside the MQL volume each
-- model would have sent to sales (its MQL tiers in rpt_conversion_by_tier), their conversion
-- rate, lift and recall, and the model's AUC rank among the models at that cutoff.
with

performance as (

    select * from {{ ref('rpt_model_performance') }}

),

tiers as (

    select * from {{ ref('rpt_conversion_by_tier') }}

),

tier_bands as (

    select * from {{ ref('scoring_bands') }}
    where band_type = 'tier'

),

mql_volume as (

    select
        tiers.scoring_model,
        tiers.is_overall,
        tiers.cutoff_date,
        sum(case when tier_bands.is_mql then tiers.leads else 0 end) as mql_leads,
        sum(case when tier_bands.is_mql then tiers.conversions else 0 end) as mql_conversions
    from tiers
    inner join tier_bands
        on tiers.scoring_model = tier_bands.scoring_model
        and tiers.tier = tier_bands.band
    group by tiers.scoring_model, tiers.is_overall, tiers.cutoff_date

),

joined as (

    select
        performance.scoring_model,
        performance.is_overall,
        performance.cutoff_date,
        performance.leads,
        performance.conversions,
        performance.base_rate,
        performance.auc,
        performance.auc_status,
        performance.top_bin_lift,
        coalesce(mql_volume.mql_leads, 0) as mql_leads,
        coalesce(mql_volume.mql_conversions, 0) as mql_conversions
    from performance
    left join mql_volume
        on performance.scoring_model = mql_volume.scoring_model
        and performance.is_overall = mql_volume.is_overall
        and performance.cutoff_date is not distinct from mql_volume.cutoff_date

),

final as (

    select
        scoring_model,
        is_overall,
        cutoff_date,
        leads,
        conversions,
        base_rate,
        auc,
        auc_status,
        top_bin_lift,
        cast(mql_leads as bigint) as mql_leads,
        cast(mql_conversions as bigint) as mql_conversions,
        cast(mql_leads as {{ type_double() }}) / leads as mql_share,
        case
            when mql_leads > 0 then cast(mql_conversions as {{ type_double() }}) / mql_leads
        end as mql_conversion_rate,
        case
            when mql_leads > 0 and base_rate > 0
                then cast(mql_conversions as {{ type_double() }}) / mql_leads / base_rate
        end as mql_lift,
        case
            when conversions > 0 then cast(mql_conversions as {{ type_double() }}) / conversions
        end as mql_recall,
        case
            when auc is not null
                then cast(rank() over (partition by is_overall, cutoff_date order by auc desc nulls last) as bigint)
        end as auc_rank,
        cast(count(*) over (partition by is_overall, cutoff_date) as bigint) as models_compared
    from joined

)

select * from final
