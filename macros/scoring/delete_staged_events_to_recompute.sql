{#- The event ids folded again since `computed_at` (every delivery of a letter-case key with a new
    delivery is folded again: a new case variant, a re-delivery that agrees or disagrees). -#}
{% macro events_folded_since(folded, computed_at) -%}
    select folded.event_id
    from {{ folded }} as folded
    where folded.folded_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- Pre-hook of stg_marketing__events: deletes the rows the run stages again: every row on a
    rebuild, else the rows of the events folded again since the model's last run (by event_id: a
    re-delivery that moved an event to another lead, or made it inconsistent, takes the old row
    away) and every row of the leads whose staging changed (leads_with_changed_staging). -#}
{% macro delete_staged_events_to_recompute(staged_events, folded, staged_leads, settings_fingerprint) %}
    {%- if staged_events is none or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set scope = event_days_scope(staged_events, folded, settings_fingerprint) -%}
    {%- if scope.rebuild %}
    delete from {{ staged_events }}
    {%- else %}
    delete from {{ staged_events }}
    where event_id in ({{ events_folded_since(folded, scope.computed_at) }})
        or lead_id in ({{ leads_with_changed_staging(staged_events, staged_leads, folded, scope.computed_at) }})
    {%- endif %}
{% endmacro %}
