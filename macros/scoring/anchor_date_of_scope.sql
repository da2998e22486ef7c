{#- The anchor date of the run of an anchor model, as an SQL date expression: on a rolling run a
    constant (read when the model compiles, `scope.anchor_date`), else anchor_date_of_run. With the
    scalar subquery in its filters DuckDB cannot estimate how few days a rolling run reads, and
    built its joins on the 49M signal days (54 s for a day's run at 1M leads, 6 s with constants). -#}
{% macro anchor_date_of_scope(scope, scoring_dates) -%}
    {%- if scope.rebuild -%}
    {{ anchor_date_of_run(scoring_dates) }}
    {%- else -%}
    cast('{{ scope.anchor_date }}' as date)
    {%- endif -%}
{%- endmacro %}
