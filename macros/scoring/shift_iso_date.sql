{#- `iso_date` (YYYY-MM-DD) moved by `days` days, as YYYY-MM-DD text (date arithmetic at compile
    time, so that the dates a run scores are literals every warehouse reads the same way). -#}
{% macro shift_iso_date(iso_date, days) -%}
    {%- set parsed = modules.datetime.datetime.strptime(iso_date, '%Y-%m-%d') -%}
    {{- return((parsed + modules.datetime.timedelta(days=days)).strftime('%Y-%m-%d')) -}}
{%- endmacro %}
