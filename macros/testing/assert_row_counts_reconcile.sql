{#- Body of a singular test: returns one row (failing the test) when the row count given by the query
    `total` differs from the sum of the counts given by the queries in `parts` (a dict label -> query
    returning one number). The failing row names every part, so the failure says where rows went. -#}
{% macro assert_row_counts_reconcile(total, parts) %}

with

counts as (

    select
        ({{ total }}) as total_rows
        {%- for label, query in parts.items() %},
        ({{ query }}) as {{ label }}_rows
        {%- endfor %}

)

select *
from counts
where total_rows <> {% for label in parts %}coalesce({{ label }}_rows, 0){% if not loop.last %} + {% endif %}{% endfor %}

{% endmacro %}
