{#- dbt's `where` for data tests, extended: on a `dbt build` that wrote into an incremental model
    incrementally, the row tests (not_null, accepted_values, accepted_range, expression_is_true)
    read only the rows this run wrote, and the grain tests (unique, unique_combination_of_columns)
    every row whose key is a key this run wrote, so a duplicate of an older row is still caught
    (rows_written_this_run). Relationship tests and every other test read the whole model: a
    change on the other side can break a row this run did not write. A test's own `where` config
    still applies. -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set written = rows_written_this_run(model) -%}
    {%- set test_name = (model.get('test_metadata') or {}).get('name') if model is mapping else none -%}
    {%- set kwargs = (model.get('test_metadata') or {}).get('kwargs', {}) if model is mapping else {} -%}
    {%- set conditions = [] -%}
    {%- if where -%}{%- do conditions.append('(' ~ where ~ ')') -%}{%- endif -%}
    {%- if written and test_name in ['not_null', 'accepted_values', 'accepted_range', 'expression_is_true'] -%}
        {%- do conditions.append('(' ~ written ~ ')') -%}
    {%- elif written and test_name in ['unique', 'unique_combination_of_columns'] -%}
        {#- a join with the distinct keys written, not a correlated exists: DuckDB would first take
            the distinct keys of the whole table -#}
        {%- set keys = kwargs.get('columns') or [kwargs.get('column_name')] -%}
        {%- set matches = [] -%}
        {%- for key in keys -%}
            {%- do matches.append('written_keys.' ~ key ~ ' = tested_rows.' ~ key) -%}
        {%- endfor -%}
        {%- set joined -%}
            (select tested_rows.* from {{ relation }} as tested_rows
            inner join (select distinct {{ keys | join(', ') }} from {{ relation }} where {{ written }}) as written_keys
                on {{ matches | join(' and ') }}
            {%- if conditions %} where {{ conditions | join(' and ') }}{% endif %}) dbt_subquery
        {%- endset -%}
        {{ return(joined) }}
    {%- endif -%}
    {%- if conditions -%}
        {{ return('(select * from ' ~ relation ~ ' as tested_rows where ' ~ conditions | join(' and ') ~ ') dbt_subquery') }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
