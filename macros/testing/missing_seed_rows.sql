{#- The failing rows of a seed coverage test: one per seed name in `missing` with the `problem`
    (what to do about it), or none. -#}
{% macro missing_seed_rows(missing, problem) %}
{%- for seed in missing %}
    select
        '{{ seed }}' as seed_name,
        '{{ problem }}' as problem
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}
{%- if not missing %}
    select
        cast(null as {{ dbt.type_string() }}) as seed_name,
        cast(null as {{ dbt.type_string() }}) as problem
    where 1 = 0
{%- endif %}
{% endmacro %}
