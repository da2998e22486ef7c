{#- Human-readable reasons a row is rejected: every failed check, joined with "; ", or null when the
    row passes. `checks` is a list of (condition, reason) pairs. -#}
{% macro reject_reasons(checks) -%}
    nullif(concat_ws('; '
        {%- for condition, reason in checks %},
        case when {{ condition }} then '{{ reason }}' end
        {%- endfor %}
    ), '')
{%- endmacro %}
