{#- Fails for every value of `group_by` whose number of rows in the model differs from the count the
    relation `expected` gives for it in its column `expected_count` (a value missing on either side
    counts as 0 rows there). -#}
{% test row_counts_match_by_group(model, group_by, expected, expected_count) %}

with

actual_counts as (

    select
        {{ group_by }} as group_value,
        count(*) as actual_rows
    from {{ model }}
    group by {{ group_by }}

),

expected_counts as (

    select
        {{ group_by }} as group_value,
        {{ expected_count }} as expected_rows
    from {{ expected }}

)

select
    coalesce(actual_counts.group_value, expected_counts.group_value) as group_value,
    coalesce(actual_counts.actual_rows, 0) as actual_rows,
    coalesce(expected_counts.expected_rows, 0) as expected_rows
from actual_counts
full outer join expected_counts
    on actual_counts.group_value = expected_counts.group_value
where coalesce(actual_counts.actual_rows, 0) <> coalesce(expected_counts.expected_rows, 0)

{% endtest %}
