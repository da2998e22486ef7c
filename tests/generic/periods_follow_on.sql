{#- For a table of validity periods [from, to) per key (`partition_by`), fails on every period
    whose end is not the start of the key's next period, or that has an end but no next period:
    the periods of a key then follow on without a gap or an overlap, and only the last one is open
    (a null end). A model that reads such a table at a date, joining on from <= date < to, gets at
    most one period per key and date. -#}
{% test periods_follow_on(model, partition_by, from_column, to_column) %}

with

periods as (

    select
        {{ partition_by | join(', ') }},
        {{ from_column }} as period_from,
        {{ to_column }} as period_to,
        lead({{ from_column }}) over (
            partition by {{ partition_by | join(', ') }}
            order by {{ from_column }}
        ) as next_period_from
    from {{ model }}

)

select * from periods
where period_from is null
    or (period_to is null and next_period_from is not null)
    or (period_to is not null and (next_period_from is null or period_to <> next_period_from))

{% endtest %}
