{#- Pre-hook of the anchor: on a rebuild every kept state goes; else the states of the leads rolled
    again from all their days (leads_to_roll_again: the rows the run writes for them replace these;
    a lead whose days before the anchor are gone, an event taken away or rewritten, keeps none). -#}
{% macro delete_anchor_states_to_recompute(anchor, scoring_dates, days, folded, deliveries) %}
    {%- if anchor is none or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set scope = anchor_scope(anchor, scoring_dates, days) -%}
    {%- if scope.rebuild %}
    delete from {{ anchor }}
    {%- else %}
    delete from {{ anchor }}
    where lead_id in ({{ leads_to_roll_again(days, folded, deliveries, scope) }})
    {%- endif %}
{% endmacro %}
