{#- The last load `folded` (with last_loaded_at) has folded, as text, or none when it has no row.
    Read when the model compiles and written into its SQL as a constant: compared with a scalar
    subquery instead, DuckDB cannot estimate how few deliveries are new, and at 55M deliveries it
    built its hash join on all of them (28 s and gigabytes for a day of 150k). -#}
{% macro folded_high_water(folded) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set result = run_query(
        'select cast(max(last_loaded_at) as ' ~ dbt.type_string() ~ ') from ' ~ folded
    ) -%}
    {{ return(result.rows[0][0]) }}
{% endmacro %}
