{#- The live scoring date as a SQL date: the var `score_as_of` (YYYY-MM-DD), or today in UTC when it
    is not set. Rendered as a literal so every model of one run scores the same day. -#}
{% macro score_as_of_date() -%}
    {%- set configured = var('score_as_of') -%}
    {%- if configured is none or configured | string | trim == '' -%}
        {%- set as_of = modules.datetime.datetime.utcnow().strftime('%Y-%m-%d') -%}
    {%- else -%}
        {%- set as_of = configured | string | trim -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', as_of) -%}
            {%- do exceptions.raise_compiler_error(
                "var score_as_of must be a date written YYYY-MM-DD (or null for today), got: " ~ as_of
            ) -%}
        {%- endif -%}
    {%- endif -%}
    cast('{{ as_of }}' as date)
{%- endmacro %}


{#- A one-row query of the live scoring date, the `as_of_dates` argument of the scoring macros. -#}
{% macro live_as_of_dates() -%}
    select {{ score_as_of_date() }} as as_of_date
{%- endmacro %}
