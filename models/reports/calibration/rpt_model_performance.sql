-- How well does the score rank and predict conversion? Per scoring model, per cutoff and over all
-- cutoffs: base rate, AUC (the rank statistic: the chance a converter outscores a non-converter,
-- ties counting half), Brier score and log loss of the calibrated probability, and the lift of the
-- top score bin (top decile with the default 10 bins); and the Brier score and log loss of the
-- held-out probabilities (learned on earlier cutoffs only: honest, unlike the in-sample ones).
with

backtest_scores as (

    select * from {{ ref('int_backtest_scores_calibrated') }}

),

policy as (

    select * from {{ ref('scoring_calibration_policy') }}

),

scoped as (

    {{ backtest_rows_by_scope('backtest_scores') }}

),

{%- set scope = 'scoring_model, is_overall, cutoff_date' %}

score_counts as (

    select
        {{ scope }},
        total_score,
        count(*) as leads_at_score,
        sum(converted) as conversions_at_score
    from scoped
    group by {{ scope }}, total_score

),

ranked_scores as (

    select
        score_counts.*,
        coalesce(
            sum(score_counts.leads_at_score) over (
                partition by {{ scope }}
                order by score_counts.total_score
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as leads_below
    from score_counts

),

auc_parts as (

    select
        {{ scope }},
        -- tied leads share the average of their ranks
        sum(conversions_at_score * (leads_below + (leads_at_score + 1) / 2.0)) as converter_rank_sum,
        sum(conversions_at_score) as conversions,
        sum(leads_at_score) - sum(conversions_at_score) as non_conversions
    from ranked_scores
    group by {{ scope }}

),

probability_errors as (

    select
        {{ scope }},
        count(*) as leads,
        avg(converted * 1.0) as base_rate,
        avg(power(conversion_probability - converted, 2)) as brier_score,
        -avg(
            converted
            * ln(
                greatest(
                    least(conversion_probability, 1 - {{ var('calibration_epsilon') }}),
                    {{ var('calibration_epsilon') }}
                )
            )
            + (1 - converted)
            * ln(
                1
                - greatest(
                    least(conversion_probability, 1 - {{ var('calibration_epsilon') }}),
                    {{ var('calibration_epsilon') }}
                )
            )
        ) as log_loss,
        avg(conversion_probability) as mean_predicted_probability,
        -- honest: probabilities from bins learned on earlier cutoffs only (null where none ended)
        count(held_out_conversion_probability) as held_out_leads,
        avg(power(held_out_conversion_probability - converted, 2)) as held_out_brier_score,
        -- greatest() skips nulls on every warehouse: rows without a held-out probability must not
        -- count as a probability of epsilon, so they are left out explicitly
        -avg(
            case
                when held_out_conversion_probability is not null
                    then
                        converted
                        * ln(
                            greatest(
                                least(held_out_conversion_probability, 1 - {{ var('calibration_epsilon') }}),
                                {{ var('calibration_epsilon') }}
                            )
                        )
                        + (1 - converted)
                        * ln(
                            1
                            - greatest(
                                least(held_out_conversion_probability, 1 - {{ var('calibration_epsilon') }}),
                                {{ var('calibration_epsilon') }}
                            )
                        )
            end
        ) as held_out_log_loss
    from scoped
    group by {{ scope }}

),

-- the top bin is the first ntile: the first ceil(n / calibration_bins) leads by score, descending,
-- ties in lead_id order. Counted from the score counts (the scores wholly inside it) and from the
-- leads of the one score it cuts through, rather than by sorting every row (10 s at 1,000,000 leads)
scores_from_top as (

    select
        {{ scope }},
        total_score,
        leads_at_score,
        conversions_at_score,
        coalesce(
            sum(leads_at_score) over (
                partition by {{ scope }}
                order by total_score desc
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as leads_above,
        ceil(sum(leads_at_score) over (partition by {{ scope }}) * 1.0 / {{ var('calibration_bins') }})
            as top_bin_size
    from score_counts

),

top_bin_scores as (

    select
        {{ scope }},
        total_score,
        conversions_at_score,
        top_bin_size,
        top_bin_size - leads_above as leads_taken,
        leads_above + leads_at_score <= top_bin_size as is_whole
    from scores_from_top
    where leads_above < top_bin_size

),

-- the leads of the score the top bin cuts through, in lead_id order
cut_score_leads as (

    select
        top_bin_scores.scoring_model,
        top_bin_scores.is_overall,
        top_bin_scores.cutoff_date,
        top_bin_scores.top_bin_size,
        top_bin_scores.leads_taken,
        scoped.converted,
        row_number() over (
            partition by top_bin_scores.scoring_model, top_bin_scores.is_overall, top_bin_scores.cutoff_date
            order by scoped.lead_id
        ) as rank_in_score
    from top_bin_scores
    inner join scoped
        on top_bin_scores.scoring_model = scoped.scoring_model
        and top_bin_scores.is_overall = scoped.is_overall
        and top_bin_scores.cutoff_date is not distinct from scoped.cutoff_date
        and top_bin_scores.total_score = scoped.total_score
    where not top_bin_scores.is_whole

),

top_bin_conversions as (

    select
        {{ scope }},
        top_bin_size,
        conversions_at_score as conversions
    from top_bin_scores
    where is_whole
    union all
    select
        {{ scope }},
        top_bin_size,
        converted as conversions
    from cut_score_leads
    where rank_in_score <= leads_taken

),

top_bin as (

    select
        {{ scope }},
        sum(conversions) * 1.0 / max(top_bin_size) as top_bin_conversion_rate
    from top_bin_conversions
    group by {{ scope }}

),

measured as (

    select
        probability_errors.scoring_model,
        probability_errors.is_overall,
        probability_errors.cutoff_date,
        probability_errors.leads,
        cast(auc_parts.conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(probability_errors.base_rate as {{ type_double() }}) as base_rate,
        cast(
            (auc_parts.converter_rank_sum - auc_parts.conversions * (auc_parts.conversions + 1) / 2.0)
            / nullif(auc_parts.conversions * auc_parts.non_conversions, 0)
            as {{ type_double() }}
        ) as auc,
        cast(probability_errors.brier_score as {{ type_double() }}) as brier_score,
        cast(probability_errors.log_loss as {{ type_double() }}) as log_loss,
        cast(probability_errors.mean_predicted_probability as {{ type_double() }}) as mean_predicted_probability,
        cast(top_bin.top_bin_conversion_rate as {{ type_double() }}) as top_bin_conversion_rate,
        cast(top_bin.top_bin_conversion_rate / nullif(probability_errors.base_rate, 0) as {{ type_double() }})
            as top_bin_lift,
        probability_errors.held_out_leads,
        cast(probability_errors.held_out_brier_score as {{ type_double() }}) as held_out_brier_score,
        cast(probability_errors.held_out_log_loss as {{ type_double() }}) as held_out_log_loss
    from probability_errors
    inner join auc_parts
        on probability_errors.scoring_model = auc_parts.scoring_model
        and probability_errors.is_overall = auc_parts.is_overall
        and probability_errors.cutoff_date is not distinct from auc_parts.cutoff_date
    inner join top_bin
        on probability_errors.scoring_model = top_bin.scoring_model
        and probability_errors.is_overall = top_bin.is_overall
        and probability_errors.cutoff_date is not distinct from top_bin.cutoff_date

),

final as (

    select
        measured.*,
        -- the verdict, with the thresholds of the scoring_calibration_policy seed
        case
            when measured.auc is null or policy.auc_good_min is null then 'unknown'
            when measured.auc >= policy.auc_good_min then 'good'
            when measured.auc >= policy.auc_weak_min then 'warn'
            else 'bad'
        end as auc_status
    from measured
    left join policy
        on measured.scoring_model = policy.scoring_model

)

select * from final
