{#- Fails on every row whose `column_name` lies outside the range from min_value to max_value.
    Either end is optional; each is inclusive unless `min_inclusive` / `max_inclusive` is false.
    Nulls pass: pair with not_null when the value is required. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, min_inclusive=true, max_inclusive=true) %}

{%- if min_value is none and max_value is none -%}
    {%- do exceptions.raise_compiler_error('accepted_range needs min_value, max_value or both') -%}
{%- endif -%}
{%- set lower_operator = '>=' if min_inclusive else '>' -%}
{%- set upper_operator = '<=' if max_inclusive else '<' %}

select *
from {{ model }}
where {{ column_name }} is not null
    and not (
        {%- if min_value is not none %}
        {{ column_name }} {{ lower_operator }} {{ min_value }}
        {%- endif %}
        {%- if min_value is not none and max_value is not none %}
        and
        {%- endif %}
        {%- if max_value is not none %}
        {{ column_name }} {{ upper_operator }} {{ max_value }}
        {%- endif %}
    )

{% endtest %}
