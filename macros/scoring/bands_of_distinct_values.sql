{#- The band of `band_type` (scoring_bands rows: `bands`) that each distinct (scoring_model,
    `value_column`) of `rows` falls in, as a select of scoring_model, the value and `band_columns`
    (null when no band holds it). A band includes its lower bound and excludes its upper one. The
    range join is a nested loop: run over the few thousand distinct scores rather than every scored
    row, and joined back on equality (at 1,000,000 leads, 7 s of joins against 1 s). -#}
{% macro bands_of_distinct_values(rows, value_column, bands, band_type, band_columns) -%}
    select
        distinct_values.scoring_model,
        distinct_values.{{ value_column }},
        {%- for column in band_columns %}
        {{ bands }}.{{ column }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from (
        select distinct
            scoring_model,
            {{ value_column }}
        from {{ rows }}
    ) as distinct_values
    left join {{ bands }}
        on distinct_values.scoring_model = {{ bands }}.scoring_model
        and {{ bands }}.band_type = '{{ band_type }}'
        and ({{ bands }}.lower_bound is null or distinct_values.{{ value_column }} >= {{ bands }}.lower_bound)
        and ({{ bands }}.upper_bound is null or distinct_values.{{ value_column }} < {{ bands }}.upper_bound)
{%- endmacro %}
