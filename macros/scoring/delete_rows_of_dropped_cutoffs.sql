{#- Post-hook of the persisted backtest tables: deletes the rows of as-of dates that are no longer
    a backtest cutoff (`cutoffs`: int_backtest_cutoffs), e.g. the oldest one when a month passes. -#}
{% macro delete_rows_of_dropped_cutoffs(persisted, cutoffs) %}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif %}
    delete from {{ persisted }}
    where as_of_date not in (select as_of_date from {{ cutoffs }})
{% endmacro %}
