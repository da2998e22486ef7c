{#- The live scoring date as a SQL date literal. -#}
{% macro score_as_of_date() -%}
    cast('{{ score_as_of_iso() }}' as date)
{%- endmacro %}
