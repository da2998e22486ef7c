{#- One row per as-of date, scoring model and lead that existed (was created) by the end of that
    date: the population every score is computed for. `as_of_dates` is a query returning a column
    `as_of_date`. -#}
{% macro scored_leads(as_of_dates) -%}
    select
        as_of_dates.as_of_date,
        scoring_models.scoring_model,
        leads.lead_id,
        leads.created_date
    from ({{ as_of_dates }}) as as_of_dates
    cross join {{ ref('scoring_models') }} as scoring_models
    inner join {{ ref('int_leads_enriched') }} as leads
        on leads.created_date <= as_of_dates.as_of_date
{%- endmacro %}
