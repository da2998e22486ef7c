{#- Each row of `inputs` (a CTE of per-lead rows with lead_id and activity_date) with the segment it
    belongs to, as segment_date: the first as-of date of `scoring_dates` on or after its day, and
    for a lead not in `repaired_leads` the first such date that scores every lead (a day listed only
    to repair the history cuts the periods of the leads it repairs alone). A row after the last
    date has none (null). Written once for the signal and engagement states. -#}
{% macro inputs_by_segment(inputs, scoring_dates, repaired_leads) -%}
    select
        {{ inputs }}.*,
        case
            when {{ repaired_leads }}.lead_id is not null then day_segments.segment_date
            else day_segments.every_lead_segment_date
        end as segment_date
    from {{ inputs }}
    inner join (
        select
            activity_dates.activity_date,
            min({{ scoring_dates }}.as_of_date) as segment_date,
            min(case when {{ scoring_dates }}.scores_every_lead then {{ scoring_dates }}.as_of_date end)
                as every_lead_segment_date
        from (select distinct activity_date from {{ inputs }}) as activity_dates
        inner join {{ scoring_dates }}
            on activity_dates.activity_date <= {{ scoring_dates }}.as_of_date
        group by activity_dates.activity_date
    ) as day_segments
        on {{ inputs }}.activity_date = day_segments.activity_date
    left join {{ repaired_leads }}
        on {{ inputs }}.lead_id = {{ repaired_leads }}.lead_id
{%- endmacro %}
