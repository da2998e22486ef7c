-- Which rules and signals earn their points? For every rule and signal of a scoring model, over all
-- backtest cutoffs: conversion of leads it applied to versus leads it did not, lift, and the log
-- odds ratio; then a suggested weight proportional to the log odds ratio, scaled so the model's
-- suggested weights have the same total size as its current ones (thresholds keep their meaning).
-- Copy suggested_points (and suggested_cap_points for signals) into the seeds to apply it.
with

backtest_scores as (

    select * from {{ ref('int_backtest_scores') }}

),

ledger as (

    select * from {{ ref('int_backtest_score_ledger') }}

),

fit_rules as (

    select * from {{ ref('scoring_fit_rules') }}

),

negative_rules as (

    select * from {{ ref('scoring_negative_rules') }}

),

signals as (

    select * from {{ ref('scoring_behavioral_signals') }}

),

rules as (

    select
        scoring_model,
        'fit' as component,
        rule_id,
        reason_label,
        points as current_points,
        cast(null as decimal(18, 4)) as current_cap_points
    from fit_rules
    union all
    select
        scoring_model,
        'negative' as component,
        rule_id,
        reason_label,
        points as current_points,
        cast(null as decimal(18, 4)) as current_cap_points
    from negative_rules
    union all
    select
        scoring_model,
        'behavioral' as component,
        signal_id as rule_id,
        reason_label,
        points_per_unit as current_points,
        cap_points as current_cap_points
    from signals

),

totals as (

    select
        scoring_model,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as conversions
    from backtest_scores
    group by scoring_model

),

applied as (

    select
        ledger.scoring_model,
        ledger.component,
        ledger.rule_id,
        count(*) as leads_with,
        sum(case when backtest_scores.is_converted then 1 else 0 end) as conversions_with,
        avg(case when ledger.component = 'negative' then -ledger.points else ledger.points end) as mean_points_applied
    from ledger
    inner join backtest_scores
        on ledger.as_of_date = backtest_scores.as_of_date
        and ledger.scoring_model = backtest_scores.scoring_model
        and ledger.lead_id = backtest_scores.lead_id
    where ledger.raw_points <> 0
    group by ledger.scoring_model, ledger.component, ledger.rule_id

),

contrasted as (

    select
        rules.scoring_model,
        rules.component,
        rules.rule_id,
        rules.reason_label,
        rules.current_points,
        rules.current_cap_points,
        coalesce(applied.leads_with, 0) as leads_with,
        coalesce(applied.conversions_with, 0) as conversions_with,
        totals.leads - coalesce(applied.leads_with, 0) as leads_without,
        totals.conversions - coalesce(applied.conversions_with, 0) as conversions_without,
        applied.mean_points_applied
    from rules
    inner join totals
        on rules.scoring_model = totals.scoring_model
    left join applied
        on rules.scoring_model = applied.scoring_model
        and rules.component = applied.component
        and rules.rule_id = applied.rule_id

),

{%- set pseudo = 'cast(' ~ var('log_odds_pseudocount') ~ ' as ' ~ type_double() ~ ')' %}

measured as (

    select
        contrasted.*,
        cast(contrasted.conversions_with as {{ type_double() }})
        / nullif(contrasted.leads_with, 0) as conversion_rate_with,
        cast(contrasted.conversions_without as {{ type_double() }})
        / nullif(contrasted.leads_without, 0) as conversion_rate_without,
        ln(
            (
                (contrasted.conversions_with + {{ pseudo }})
                / (contrasted.leads_with - contrasted.conversions_with + {{ pseudo }})
            )
            / (
                (contrasted.conversions_without + {{ pseudo }})
                / (contrasted.leads_without - contrasted.conversions_without + {{ pseudo }})
            )
        ) as log_odds_ratio,
        contrasted.leads_with >= {{ var('signal_lift_min_support') }}
        and contrasted.leads_without >= {{ var('signal_lift_min_support') }}
            as has_support
    from contrasted

),

scaled as (

    select
        measured.*,
        sum(case when measured.has_support then abs(measured.mean_points_applied) end)
            over (partition by measured.scoring_model)
        / nullif(
            sum(case when measured.has_support then abs(measured.log_odds_ratio) end)
                over (partition by measured.scoring_model),
            0
        )
            as points_per_log_odds
    from measured

),

suggested as (

    select
        scaled.*,
        case when scaled.has_support then scaled.points_per_log_odds * scaled.log_odds_ratio end
            as suggested_mean_points
    from scaled

),

final as (

    select
        scoring_model,
        component,
        rule_id,
        reason_label,
        leads_with,
        cast(conversions_with as {{ dbt.type_bigint() }}) as conversions_with,
        conversion_rate_with,
        leads_without,
        cast(conversions_without as {{ dbt.type_bigint() }}) as conversions_without,
        conversion_rate_without,
        conversion_rate_with / nullif(conversion_rate_without, 0) as lift,
        cast(log_odds_ratio as {{ type_double() }}) as log_odds_ratio,
        has_support,
        cast(current_points as {{ type_double() }}) as current_points,
        cast(current_cap_points as {{ type_double() }}) as current_cap_points,
        cast(mean_points_applied as {{ type_double() }}) as mean_points_applied,
        cast(suggested_mean_points as {{ type_double() }}) as suggested_mean_points,
        -- in seed units: fit points are signed, negative points are magnitudes (never below 0: a
        -- "disqualifier" that predicts conversion should be dropped), a signal's points per unit and
        -- cap scale with the change in the mean points it earned
        cast(
            round(cast(
                case
                    when not has_support then current_points
                    when component = 'fit' then suggested_mean_points
                    when component = 'negative' then greatest(-suggested_mean_points, 0)
                    else current_points * greatest(suggested_mean_points, 0) / nullif(mean_points_applied, 0)
                end as {{ dbt.type_numeric() }}
            ), 2) as {{ type_double() }}
        ) as suggested_points,
        cast(
            round(cast(
                case
                    when not has_support or component <> 'behavioral' then current_cap_points
                    else current_cap_points * greatest(suggested_mean_points, 0) / nullif(mean_points_applied, 0)
                end as {{ dbt.type_numeric() }}
            ), 2) as {{ type_double() }}
        ) as suggested_cap_points
    from suggested

)

select * from final
