{#- Which of `column_names` the connector table `relation` has (lower case, in the order asked), for
    the columns a connector writes only sometimes (Fivetran's history-mode columns, an org's optional
    field). Read when the model compiles, so the SQL names only columns that exist. Empty while dbt
    parses, and for a unit test's input (a CTE, not the warehouse table): a unit test that needs
    them sets them with `overrides: macros: {optional_columns_present: [...]}`. -#}
{% macro optional_columns_present(relation, column_names) %}
    {%- if not execute or relation.is_cte -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set present = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}
    {%- set found = [] -%}
    {%- for name in column_names -%}
        {%- if name | lower in present -%}{%- do found.append(name | lower) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}
