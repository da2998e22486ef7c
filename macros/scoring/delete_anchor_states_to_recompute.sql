{#- Pre-hook of the anchor: on a rebuild every kept state goes; else the states of the leads computed
    again from all their days (the rows the run writes for them replace these; a lead whose days
    before the anchor are gone, an event taken away or rewritten, keeps none). -#}
{% macro delete_anchor_states_to_recompute(anchor, scoring_dates, days) %}
    {%- if anchor is none or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set scope = anchor_scope(anchor, scoring_dates) -%}
    {%- if scope.rebuild %}
    delete from {{ anchor }}
    {%- else %}
    delete from {{ anchor }}
    where lead_id in ({{ leads_with_recomputed_days(days, scope.computed_at) }})
    {%- endif %}
{% endmacro %}
