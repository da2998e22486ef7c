{#- The leads whose events changed since `computed_at`: the lead of every event folded again since,
    and every lead its valid deliveries name (an event that conflicting re-deliveries made
    inconsistent has no lead in the fold, but was the lead's before). -#}
{% macro leads_with_changed_events(folded, deliveries, computed_at) -%}
    select folded.lead_id
    from {{ folded }} as folded
    where folded.folded_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
        and folded.lead_id is not null
    union
    select deliveries.lead_id
    from {{ deliveries }} as deliveries
    inner join {{ folded }} as folded
        on deliveries.event_id_key = folded.event_id_key
    where folded.folded_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
        and not folded.is_consistent
        and deliveries.is_row_valid
        and deliveries.lead_id is not null
{%- endmacro %}
