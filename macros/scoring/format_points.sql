{#- Readable text for a signed number of points: "+30", "-10", "+21.21". -#}
{% macro format_points(expression) -%}
    concat(
        case when {{ expression }} > 0 then '+' else '' end,
        case
            when {{ round_points(expression) }} = round(cast({{ expression }} as {{ dbt.type_numeric() }}), 0)
                then cast(cast(round(cast({{ expression }} as {{ dbt.type_numeric() }}), 0) as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }})
            else cast({{ round_points(expression) }} as {{ dbt.type_string() }})
        end
    )
{%- endmacro %}
