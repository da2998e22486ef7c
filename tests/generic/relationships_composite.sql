{#- Relationships on several columns at once: fails for every combination of `columns` in the
    model (all of them not null) that has no row with the same values in `to_columns` of `to`,
    optionally only among the rows of `to` that satisfy `to_where`. Filter the model's rows with
    the test's `where` config. Under a column, `columns` defaults to that column. -#}
{% test relationships_composite(model, to, to_columns, columns=none, column_name=none, to_where=none) %}

{%- set columns = columns if columns is not none else [column_name] -%}

{%- if columns | length != to_columns | length -%}
    {%- do exceptions.raise_compiler_error('relationships_composite needs as many to_columns as columns') -%}
{%- endif %}

with

children as (

    select distinct
        {%- for column in columns %}
        {{ column }} as key_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}
    where
        {%- for column in columns %}
        {{ 'and ' if not loop.first }}{{ column }} is not null
        {%- endfor %}

),

parents as (

    select distinct
        {%- for column in to_columns %}
        {{ column }} as key_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ to }}
    {%- if to_where %}
    where {{ to_where }}
    {%- endif %}

),

orphans as (

    select children.*
    from children
    left join parents
        on
        {%- for column in columns %}
        {{ 'and ' if not loop.first }}children.key_{{ loop.index }} = parents.key_{{ loop.index }}
        {%- endfor %}
    where parents.key_1 is null

)

select * from orphans

{% endtest %}
