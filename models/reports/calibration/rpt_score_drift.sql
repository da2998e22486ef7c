-- Is the score population shifting? Per scoring model and cutoff: mean score, MQL share, and the
-- population stability index (PSI) of the score-bin distribution against the previous cutoff
-- (rule of thumb: under 0.1 stable, 0.1 to 0.25 moving, over 0.25 shifted).
with

policy as (

    select * from {{ ref('scoring_calibration_policy') }}

),

backtest_scores as (

    select * from {{ ref('int_backtest_scores_calibrated') }}

),

bins as (

    select * from {{ ref('int_score_probability_bins') }}

),

cutoffs as (

    select distinct
        scoring_model,
        cutoff_date
    from backtest_scores

),

-- every bin at every cutoff, so a bin empty at one cutoff still counts
grid as (

    select
        cutoffs.scoring_model,
        cutoffs.cutoff_date,
        bins.score_bin
    from cutoffs
    inner join bins
        on cutoffs.scoring_model = bins.scoring_model

),

bin_counts as (

    select
        grid.scoring_model,
        grid.cutoff_date,
        grid.score_bin,
        count(backtest_scores.lead_id) as leads
    from grid
    left join backtest_scores
        on grid.scoring_model = backtest_scores.scoring_model
        and grid.cutoff_date = backtest_scores.cutoff_date
        and grid.score_bin = backtest_scores.score_bin
    group by grid.scoring_model, grid.cutoff_date, grid.score_bin

),

shares as (

    select
        bin_counts.*,
        greatest(
            cast(bin_counts.leads as {{ type_double() }})
            / sum(bin_counts.leads) over (partition by bin_counts.scoring_model, bin_counts.cutoff_date),
            {{ var('calibration_epsilon') }}
        ) as bin_share
    from bin_counts

),

with_previous as (

    select
        shares.*,
        lag(shares.bin_share)
            over (partition by shares.scoring_model, shares.score_bin order by shares.cutoff_date)
            as previous_bin_share,
        lag(shares.cutoff_date)
            over (partition by shares.scoring_model, shares.score_bin order by shares.cutoff_date)
            as previous_cutoff_date
    from shares

),

psi as (

    select
        scoring_model,
        cutoff_date,
        min(previous_cutoff_date) as previous_cutoff_date,
        sum((bin_share - previous_bin_share) * ln(bin_share / previous_bin_share)) as population_stability_index
    from with_previous
    group by scoring_model, cutoff_date

),

summary as (

    select
        scoring_model,
        cutoff_date,
        count(*) as leads,
        avg(total_score) as mean_total_score,
        avg(case when is_mql then 1.0 else 0.0 end) as mql_share
    from backtest_scores
    group by scoring_model, cutoff_date

),

final as (

    select
        summary.scoring_model,
        summary.cutoff_date,
        psi.previous_cutoff_date,
        summary.leads,
        cast(summary.mean_total_score as {{ type_double() }}) as mean_total_score,
        cast(summary.mql_share as {{ type_double() }}) as mql_share,
        cast(psi.population_stability_index as {{ type_double() }}) as population_stability_index,
        -- the verdict, with the thresholds of the scoring_calibration_policy seed
        case
            when psi.population_stability_index is null then 'first cutoff'
            when policy.psi_moving_min is null then 'unknown'
            when psi.population_stability_index < policy.psi_moving_min then 'stable'
            when psi.population_stability_index <= policy.psi_shifted_min then 'moving'
            else 'shifted'
        end as psi_status
    from summary
    inner join psi
        on summary.scoring_model = psi.scoring_model
        and summary.cutoff_date = psi.cutoff_date
    left join policy
        on summary.scoring_model = policy.scoring_model

)

select * from final
