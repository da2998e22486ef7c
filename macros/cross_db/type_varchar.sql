{#- The text type the marts' contracts declare (`varchar`; `string` on Spark). dbt.type_string() is
    `text` on PostgreSQL: an incremental mart casts its text columns to this type, so that the rows a
    run adds have the types of the table its first run created from the contract (dbt compares them,
    on_schema_change='fail'). -#}
{% macro type_varchar() %}
    {{ return(adapter.dispatch('type_varchar', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__type_varchar() -%}
    varchar
{%- endmacro %}

{% macro spark__type_varchar() -%}
    string
{%- endmacro %}
