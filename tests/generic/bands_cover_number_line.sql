{#- For a table of numeric bands [lower, upper) grouped by `partition_by`, fails when the bands of a
    group leave a gap, overlap, or do not run from minus to plus infinity (a null lower bound on the
    first band, a null upper bound on the last). -#}
{% test bands_cover_number_line(model, lower_column, upper_column, partition_by) %}

with

bands as (

    select
        {{ partition_by | join(', ') }},
        {{ lower_column }} as lower_bound,
        {{ upper_column }} as upper_bound,
        row_number() over (
            partition by {{ partition_by | join(', ') }}
            order by case when {{ lower_column }} is null then 0 else 1 end, {{ lower_column }}
        ) as band_number,
        count(*) over (partition by {{ partition_by | join(', ') }}) as band_count,
        lead({{ lower_column }}) over (
            partition by {{ partition_by | join(', ') }}
            order by case when {{ lower_column }} is null then 0 else 1 end, {{ lower_column }}
        ) as next_lower_bound
    from {{ model }}

),

problems as (

    select
        bands.*,
        case
            when band_number = 1 and lower_bound is not null then 'first band must have no lower bound'
            when band_number > 1 and lower_bound is null then 'only the first band may have no lower bound'
            when band_number = band_count and upper_bound is not null then 'last band must have no upper bound'
            when band_number < band_count and upper_bound is null then 'only the last band may have no upper bound'
            when band_number < band_count and upper_bound <> next_lower_bound
                then 'upper bound must equal the next band''s lower bound (gap or overlap)'
            when lower_bound >= upper_bound then 'lower bound must be below upper bound'
        end as problem
    from bands

)

select * from problems
where problem is not null

{% endtest %}
