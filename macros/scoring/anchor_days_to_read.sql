{#- The per-lead days (`days`: a relation with lead_id, activity_date and computed_at) an anchor run
    reads, as a select: on a rebuild every day up to the anchor date; else every day up to it of the
    leads rolled again from all their days (leads_to_roll_again: the pre-hook deleted their kept
    rows), and of the other leads only the days since the kept anchor date (added to their kept
    rows). A relation, not a CTE: DuckDB copies a CTE read more than once whole, and a rolling run
    reads `days` four times. -#}
{% macro anchor_days_to_read(days, folded, deliveries, scope, anchor_date) -%}
    {%- if scope.rebuild %}
    select * from {{ days }}
    where activity_date <= {{ anchor_date }}
    {%- else %}
    select days.*
    from {{ days }} as days
    where days.lead_id in ({{ leads_to_roll_again(days, folded, deliveries, scope) }})
        and days.activity_date <= {{ anchor_date }}
    union all
    select days.*
    from {{ days }} as days
    left join ({{ leads_to_roll_again(days, folded, deliveries, scope) }}) as rolled_again
        on days.lead_id = rolled_again.lead_id
    where days.activity_date > cast('{{ scope.previous_anchor_date }}' as date)
        and days.activity_date <= {{ anchor_date }}
        and rolled_again.lead_id is null
    {%- endif %}
{%- endmacro %}
