{#- The leads whose per-lead days (`days`) were computed again since `computed_at`. -#}
{% macro leads_with_recomputed_days(days, computed_at) -%}
    select distinct lead_id
    from {{ days }}
    where computed_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
