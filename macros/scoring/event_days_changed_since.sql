{#- The lead days whose events changed since `computed_at`, as (lead_id, activity_date) rows: the
    lead and day of every event folded again since, and those every valid delivery of one names when
    conflicting re-deliveries made it inconsistent (it has no lead in the fold, but was counted on
    its deliveries' lead and day before). An event folded again consistently (a re-delivery that
    agrees, a new letter-case variant) kept its lead and day. -#}
{% macro event_days_changed_since(folded, deliveries, computed_at) -%}
    select
        folded.lead_id,
        cast(folded.occurred_at as date) as activity_date
    from {{ folded }} as folded
    where folded.folded_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
        and folded.lead_id is not null
    union
    select
        deliveries.lead_id,
        cast(deliveries.occurred_at as date) as activity_date
    from {{ deliveries }} as deliveries
    inner join {{ folded }} as folded
        on deliveries.event_id_key = folded.event_id_key
    where folded.folded_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
        and not folded.is_consistent
        and deliveries.is_row_valid
        and deliveries.lead_id is not null
{%- endmacro %}
