{#- An order-independent fingerprint of every row and column of `relation`, as an SQL expression
    (a scalar subquery of text): changes when any seed row the model matches with changes. -#}
{% macro relation_fingerprint(relation) -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list if execute else [] -%}
    {%- if columns -%}
    (select cast(coalesce({{ fingerprint_sum(columns) }}, 0) as {{ dbt.type_string() }}) from {{ relation }})
    {%- else -%}
    {#- a relation that is not in the warehouse (a unit test's input) -#}
    cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
