{#-
    Scores from a ledger: one row per as-of date, scoring model and scored lead with the three
    components (rounded to 2 decimals only here, at the end), the total, the tier, MQL flag, fit
    grade and engagement level (bands from the scoring_bands seed), the top three reasons, and
    days since last engagement. `ledger` is a relation holding score_ledger() rows for the same
    `as_of_dates` (a relation, or a parenthesised query); leads without any ledger row score 0 on every component.
-#}
{% macro lead_scores(ledger, as_of_dates) -%}
    {%- set lead_key = 'as_of_date, scoring_model, lead_id' -%}
    with

    scored_leads as (

        {{ scored_leads(as_of_dates) }}

    ),

    engagement as (

        {{ lead_engagement_as_of(as_of_dates) }}

    ),

    ledger as (

        select
            *,
            case when component = 'negative' then -points else points end as signed_points
        from {{ ledger }} as ledger_rows

    ),

    bands as (

        select * from {{ ref('scoring_bands') }}

    ),

    components as (

        select
            {{ lead_key }},
            sum(case when component = 'fit' then points else 0 end) as fit_points,
            sum(case when component = 'behavioral' then points else 0 end) as behavioral_points,
            sum(case when component = 'negative' then points else 0 end) as negative_points
        from ledger
        group by {{ lead_key }}

    ),

    ranked_reasons as (

        select
            {{ lead_key }},
            concat(reason_label, ' (', {{ format_points('signed_points') }}, ')') as reason,
            row_number() over (
                partition by {{ lead_key }}
                order by abs(signed_points) desc, component, rule_id
            ) as reason_rank
        from ledger
        where {{ round_points('signed_points') }} <> 0

    ),

    reasons as (

        select
            {{ lead_key }},
            max(case when reason_rank = 1 then reason end) as reason_1,
            max(case when reason_rank = 2 then reason end) as reason_2,
            max(case when reason_rank = 3 then reason end) as reason_3
        from ranked_reasons
        where reason_rank <= 3
        group by {{ lead_key }}

    ),

    scores as (

        select
            scored_leads.as_of_date,
            scored_leads.scoring_model,
            scored_leads.lead_id,
            {{ round_points('coalesce(components.fit_points, 0)') }} as fit_score,
            {{ round_points('coalesce(components.behavioral_points, 0)') }} as behavioral_score,
            {{ round_points('coalesce(components.negative_points, 0)') }} as negative_score,
            reasons.reason_1,
            reasons.reason_2,
            reasons.reason_3,
            engagement.last_engagement_date,
            engagement.days_since_last_engagement
        from scored_leads
        left join components
            on scored_leads.as_of_date = components.as_of_date
            and scored_leads.scoring_model = components.scoring_model
            and scored_leads.lead_id = components.lead_id
        left join reasons
            on scored_leads.as_of_date = reasons.as_of_date
            and scored_leads.scoring_model = reasons.scoring_model
            and scored_leads.lead_id = reasons.lead_id
        left join engagement
            on scored_leads.as_of_date = engagement.as_of_date
            and scored_leads.scoring_model = engagement.scoring_model
            and scored_leads.lead_id = engagement.lead_id

    ),

    totals as (

        select
            scores.*,
            cast(fit_score + behavioral_score - negative_score as decimal(18, 2)) as total_score
        from scores

    ),

    banded as (

        select
            totals.as_of_date,
            totals.scoring_model,
            totals.lead_id,
            totals.fit_score,
            totals.behavioral_score,
            totals.negative_score,
            totals.total_score,
            tier_bands.band as tier,
            tier_bands.band_rank as tier_rank,
            tier_bands.action as tier_action,
            coalesce(tier_bands.is_mql, false) as is_mql,
            grade_bands.band as fit_grade,
            cast(engagement_bands.band_rank as integer) as engagement_level,
            nullif(concat_ws('; ', totals.reason_1, totals.reason_2, totals.reason_3), '') as top_reasons,
            totals.reason_1,
            totals.reason_2,
            totals.reason_3,
            totals.last_engagement_date,
            cast(totals.days_since_last_engagement as {{ dbt.type_bigint() }}) as days_since_last_engagement
        from totals
        {%- for alias, band_type, score in [
            ('tier_bands', 'tier', 'total_score'),
            ('grade_bands', 'fit_grade', 'fit_score'),
            ('engagement_bands', 'engagement_level', 'behavioral_score'),
        ] %}
        left join bands as {{ alias }}
            on totals.scoring_model = {{ alias }}.scoring_model
            and {{ alias }}.band_type = '{{ band_type }}'
            and ({{ alias }}.lower_bound is null or totals.{{ score }} >= {{ alias }}.lower_bound)
            and ({{ alias }}.upper_bound is null or totals.{{ score }} < {{ alias }}.upper_bound)
        {%- endfor %}

    )

    select * from banded
{%- endmacro %}
