{#- Whether an incremental model built from `deliveries` (rows with loaded_at and is_row_valid) must
    be rebuilt from all of them: true when deliveries that `folded` (with last_loaded_at and
    delivery_count) had counted were deleted since (a raw file changed or is gone), which shows as
    fewer valid deliveries loaded up to its last load than it counted. -#}
{% macro staged_deliveries_were_removed(deliveries, folded) %}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set counts = run_query(
        'select (select coalesce(sum(delivery_count), 0) from ' ~ folded ~ ') as folded_deliveries, '
        ~ '(select count(*) from ' ~ deliveries ~ ' where is_row_valid and loaded_at <= '
        ~ '(select max(last_loaded_at) from ' ~ folded ~ ')) as loaded_deliveries'
    ) -%}
    {{ return(counts.rows[0][0] != counts.rows[0][1]) }}
{% endmacro %}
