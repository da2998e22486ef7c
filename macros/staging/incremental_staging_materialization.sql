{#- The materialization of the incremental staging models: `incremental` where the warehouse can
    delete rows (DuckDB, PostgreSQL). dbt-spark's strategies on plain Parquet tables (append,
    insert_overwrite) cannot delete the rows of a changed or removed file, so Spark rebuilds these
    models on every run: the same rows, at the cost of a full staging pass. -#}
{% macro incremental_staging_materialization() %}
    {{ return(adapter.dispatch('incremental_staging_materialization', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__incremental_staging_materialization() %}
    {{ return('incremental') }}
{% endmacro %}

{% macro spark__incremental_staging_materialization() %}
    {{ return('table') }}
{% endmacro %}
