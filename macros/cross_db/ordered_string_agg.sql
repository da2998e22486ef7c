{#- Aggregates the text `value` of a group into one string, the values in the order of `order_by`
    and separated by `separator` (a SQL string literal): a sorted, readable list. -#}
{% macro ordered_string_agg(value, separator, order_by) %}
    {{ return(adapter.dispatch('ordered_string_agg', 'lead_scoring')(value, separator, order_by)) }}
{% endmacro %}

{% macro default__ordered_string_agg(value, separator, order_by) -%}
    string_agg({{ value }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(value, separator, order_by) -%}
    listagg({{ value }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}
