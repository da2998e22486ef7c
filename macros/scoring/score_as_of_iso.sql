{#- The live scoring date as YYYY-MM-DD text: the var `score_as_of`, or today in UTC when it is not
    set. Every model of one run scores the same day. -#}
{% macro score_as_of_iso() -%}
    {%- set configured = var('score_as_of') -%}
    {%- if configured is none or configured | string | trim == '' -%}
        {{- return(modules.datetime.datetime.utcnow().strftime('%Y-%m-%d')) -}}
    {%- endif -%}
    {%- set as_of = configured | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', as_of) -%}
        {%- do exceptions.raise_compiler_error(
            "var score_as_of must be a date written YYYY-MM-DD (or null for today), got: " ~ as_of
        ) -%}
    {%- endif -%}
    {{- return(as_of) -}}
{%- endmacro %}
