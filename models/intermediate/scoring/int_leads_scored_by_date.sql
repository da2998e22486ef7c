{{ config(materialized='table') }}
-- One row per as-of date of the run, scoring model and scored lead: the three components summed
-- from the component ledgers, the optional component and total caps of the scoring_models seed,
-- the total, and the bands (tier, MQL, fit grade, engagement level). The live score, the history
-- and the backtests are rows of this table at their dates.
with

population as (

    select * from {{ ref('int_scoring_population') }}

),

fit_rows as (

    select * from {{ ref('int_leads_fit_scored') }}

),

behavioral_rows as (

    select * from {{ ref('int_leads_behavior_scored') }}

),

negative_rows as (

    select * from {{ ref('int_leads_negative_scored') }}

),

scoring_models as (

    select * from {{ ref('scoring_models') }}

),

bands as (

    select * from {{ ref('scoring_bands') }}

),

ledger_rows as (

    select
        as_of_date,
        scoring_model,
        lead_id,
        component,
        points
    from fit_rows
    union all
    select
        as_of_date,
        scoring_model,
        lead_id,
        component,
        points
    from behavioral_rows
    union all
    select
        as_of_date,
        scoring_model,
        lead_id,
        component,
        points
    from negative_rows

),

components as (

    select
        as_of_date,
        scoring_model,
        lead_id,
        sum(case when component = 'fit' then points else 0 end) as fit_points,
        sum(case when component = 'behavioral' then points else 0 end) as behavioral_points,
        sum(case when component = 'negative' then points else 0 end) as negative_points
    from ledger_rows
    group by as_of_date, scoring_model, lead_id

),

-- a component cap lowers its component to the cap; the total cap then lowers the total, booked as
-- a negative amount so that total = fit + behavioral - negative still holds
component_capped as (

    select
        population.as_of_date,
        population.is_live,
        population.is_history,
        population.is_history_context,
        population.is_comparison,
        population.is_backtest,
        population.scoring_model,
        population.lead_id,
        population.last_engagement_date,
        population.days_since_last_engagement,
        {%- for component in ['fit', 'behavioral', 'negative'] %}
        case
            when scoring_models.{{ component }}_cap_points is not null
                and coalesce(components.{{ component }}_points, 0) > scoring_models.{{ component }}_cap_points
                then scoring_models.{{ component }}_cap_points - components.{{ component }}_points
            else 0
        end as {{ component }}_cap_adjustment,
        {%- endfor %}
        coalesce(components.fit_points, 0) as fit_points,
        coalesce(components.behavioral_points, 0) as behavioral_points,
        coalesce(components.negative_points, 0) as negative_points,
        scoring_models.total_cap_points
    from population
    inner join scoring_models
        on population.scoring_model = scoring_models.scoring_model
    left join components
        on population.as_of_date = components.as_of_date
        and population.scoring_model = components.scoring_model
        and population.lead_id = components.lead_id

),

total_capped as (

    select
        component_capped.*,
        case
            when component_capped.total_cap_points is not null
                and component_capped.fit_points + component_capped.fit_cap_adjustment
                + component_capped.behavioral_points + component_capped.behavioral_cap_adjustment
                - component_capped.negative_points - component_capped.negative_cap_adjustment
                > component_capped.total_cap_points
                then component_capped.fit_points + component_capped.fit_cap_adjustment
                    + component_capped.behavioral_points + component_capped.behavioral_cap_adjustment
                    - component_capped.negative_points - component_capped.negative_cap_adjustment
                    - component_capped.total_cap_points
            else 0
        end as total_cap_adjustment
    from component_capped

),

scores as (

    select
        total_capped.*,
        {{ round_points('total_capped.fit_points + total_capped.fit_cap_adjustment') }} as fit_score,
        {{ round_points('total_capped.behavioral_points + total_capped.behavioral_cap_adjustment') }}
            as behavioral_score,
        {{ round_points(
            'total_capped.negative_points + total_capped.negative_cap_adjustment + total_capped.total_cap_adjustment'
        ) }} as negative_score
    from total_capped

),

totals as (

    select
        scores.*,
        cast(scores.fit_score + scores.behavioral_score - scores.negative_score as decimal(18, 2)) as total_score
    from scores

),

-- the band of each distinct score, matched once (a range join is a nested loop)
tier_bands as (

    {{ bands_of_distinct_values('totals', 'total_score', 'bands', 'tier', ['band', 'band_rank', 'action', 'is_mql']) }}

),

grade_bands as (

    {{ bands_of_distinct_values('totals', 'fit_score', 'bands', 'fit_grade', ['band']) }}

),

engagement_bands as (

    {{ bands_of_distinct_values('totals', 'behavioral_score', 'bands', 'engagement_level', ['band_rank']) }}

),

final as (

    select
        totals.as_of_date,
        totals.is_live,
        totals.is_history,
        totals.is_history_context,
        totals.is_comparison,
        totals.is_backtest,
        totals.scoring_model,
        totals.lead_id,
        totals.fit_score,
        totals.behavioral_score,
        totals.negative_score,
        totals.total_score,
        cast(totals.fit_cap_adjustment as {{ type_double() }}) as fit_cap_adjustment,
        cast(totals.behavioral_cap_adjustment as {{ type_double() }}) as behavioral_cap_adjustment,
        cast(totals.negative_cap_adjustment as {{ type_double() }}) as negative_cap_adjustment,
        cast(totals.total_cap_adjustment as {{ type_double() }}) as total_cap_adjustment,
        tier_bands.band as tier,
        tier_bands.band_rank as tier_rank,
        tier_bands.action as tier_action,
        coalesce(tier_bands.is_mql, false) as is_mql,
        grade_bands.band as fit_grade,
        cast(engagement_bands.band_rank as integer) as engagement_level,
        totals.last_engagement_date,
        cast(totals.days_since_last_engagement as {{ dbt.type_bigint() }}) as days_since_last_engagement
    from totals
    -- every score is a number (components default to 0): an equality join finds its band
    left join tier_bands
        on totals.scoring_model = tier_bands.scoring_model
        and totals.total_score = tier_bands.total_score
    left join grade_bands
        on totals.scoring_model = grade_bands.scoring_model
        and totals.fit_score = grade_bands.fit_score
    left join engagement_bands
        on totals.scoring_model = engagement_bands.scoring_model
        and totals.behavioral_score = engagement_bands.behavioral_score

)

select * from final
