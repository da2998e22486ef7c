{#- The period of `periods` (a CTE of rows valid from valid_from_date to valid_to_date, exclusive,
    per lead) that holds each as-of date of `scoring_dates` (int_scoring_dates), with that date as
    as_of_date and the `columns` of the period: every lead's at a date that scores every lead
    (scores_every_lead), only the leads of `repaired_leads` (int_score_history_changed_leads) at a
    day listed only to repair the history. `conditions`: more conditions on the pair, SQL. Written
    once for the states, the versions and the engagement the population and the scores read. -#}
{% macro periods_at_scoring_dates(periods, scoring_dates, repaired_leads, columns, conditions=[]) -%}
    {%- for every_lead in [true, false] %}
    select
        {{ scoring_dates }}.as_of_date,
        {%- for column in columns %}
        {{ periods }}.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ periods }}
    {%- if not every_lead %}
    inner join {{ repaired_leads }}
        on {{ periods }}.lead_id = {{ repaired_leads }}.lead_id
    {%- endif %}
    inner join {{ scoring_dates }}
        on {{ periods }}.valid_from_date <= {{ scoring_dates }}.as_of_date
        and ({{ periods }}.valid_to_date is null or {{ scoring_dates }}.as_of_date < {{ periods }}.valid_to_date)
        {%- for condition in conditions %}
        and {{ condition }}
        {%- endfor %}
    where {{ '' if every_lead else 'not ' }}{{ scoring_dates }}.scores_every_lead
    {%- if every_lead %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
