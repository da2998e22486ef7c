{#- Pre-hook of a per-lead incremental model: deletes the rows the run computes again (every row on
    a rebuild, else the rows of the leads whose events changed). Runs in the model's transaction. -#}
{% macro delete_event_days_to_recompute(days, folded, deliveries, seed_fingerprint) %}
    {%- if days is none or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set scope = event_days_scope(days, folded, seed_fingerprint) -%}
    {%- if scope.rebuild %}
    delete from {{ days }}
    {%- else %}
    delete from {{ days }}
    where lead_id in ({{ leads_with_changed_events(folded, deliveries, scope.computed_at) }})
    {%- endif %}
{% endmacro %}
