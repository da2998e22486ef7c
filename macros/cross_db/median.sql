{#- The median of `expression` over the group (interpolated between the two middle values, like
    percentile_cont(0.5)); nulls are ignored. -#}
{% macro median(expression) %}
    {{ return(adapter.dispatch('median', 'lead_scoring')(expression)) }}
{% endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}

{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
