{#- For a table of numeric bands [lower, upper) grouped by `partition_by`, fails on every band whose
    rank is not its position when the group's bands are sorted by lower bound (no lower bound
    first): rank 1 must be the lowest band, rank 2 the next, and so on. -#}
{% test band_ranks_follow_bounds(model, rank_column, lower_column, partition_by) %}

with

bands as (

    select
        {{ partition_by | join(', ') }},
        {{ rank_column }} as band_rank,
        {{ lower_column }} as lower_bound,
        row_number() over (
            partition by {{ partition_by | join(', ') }}
            order by case when {{ lower_column }} is null then 0 else 1 end, {{ lower_column }}
        ) as position_by_bounds
    from {{ model }}

)

select * from bands
where band_rank is null or band_rank <> position_by_bounds

{% endtest %}
