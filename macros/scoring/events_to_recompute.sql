{#- The folded events a per-lead incremental model reads: the consistent events without a letter-
    case variant (as stg_marketing__events stages them), of every lead on a rebuild, else of the
    lead days whose events changed (event_days_changed_since). Events of leads that are not staged
    and future-dated events are kept: scores read only the scoring population's leads, as of dates
    that are not in the future. -#}
{% macro events_to_recompute(folded, deliveries, scope) -%}
    select folded.*
    from {{ folded }} as folded
    {%- if not scope.rebuild %}
    inner join ({{ event_days_changed_since(folded, deliveries, scope.computed_at) }}) as changed_days
        on folded.lead_id = changed_days.lead_id
        and cast(folded.occurred_at as date) = changed_days.activity_date
    {%- endif %}
    where folded.is_consistent
        and not folded.has_case_variant
        and folded.lead_id is not null
{%- endmacro %}
