{#- Pre-hook of fct_lead_score_history: deletes the rows the run writes again beyond its listed
    days: every row when the whole history is scored again, else every row of the changed leads
    (a lead that left the inputs keeps none). On Spark the rows are replaced a day at a time by the
    run itself (history_repairs_whole_days); a rebuild empties the table first. -#}
{% macro delete_history_to_repair(history, changed) %}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- if target.type == 'spark' -%}
        {%- if history_repair_scope(changed).rebuild -%}{{ return('truncate table ' ~ history) }}{%- endif -%}
        {{ return('') }}
    {%- endif %}
    delete from {{ history }}
    where exists (select 1 from {{ changed }} as changed where changed.lead_id is null)
        or lead_id in (select changed.lead_id from {{ changed }} as changed where changed.lead_id is not null)
{% endmacro %}
