{#- The folded events a per-lead incremental model reads: the consistent events without a letter-
    case variant (as stg_marketing__events stages them), of every lead on a rebuild, else of the
    leads whose events changed. Events of leads that are not staged and future-dated events are
    kept: scores read only the scoring population's leads, as of dates that are not in the future. -#}
{% macro events_to_recompute(folded, deliveries, scope) -%}
    select folded.*
    from {{ folded }} as folded
    {%- if not scope.rebuild %}
    inner join ({{ leads_with_changed_events(folded, deliveries, scope.computed_at) }}) as changed_leads
        on folded.lead_id = changed_leads.lead_id
    {%- endif %}
    where folded.is_consistent
        and not folded.has_case_variant
        and folded.lead_id is not null
{%- endmacro %}
