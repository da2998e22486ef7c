{#- `ref()` and `source()` as dbt's own, rendered through portable_relation(): on DuckDB a relation of
    the warehouse file itself is written without its database.

    Why: dbt-duckdb names the database after the file (`warehouse/lead_scoring.duckdb` is catalog
    `lead_scoring`), and DuckDB stores a view's SQL as written. A view that selected from
    `lead_scoring.staging.stg_crm__leads` failed in a copy of the file under another name (a backup
    restored as `leads_2026-07-01.duckdb`, a BI tool's copy, `make build`'s own working copy) with
    `Catalog "lead_scoring" does not exist`, and so did a partial build on such a file. Written as
    `staging.stg_crm__leads`, the name resolves in whatever catalog holds the view.

    Only the target's own database is left out: a relation in another database (a connector's
    tables in an attached file, `hubspot_database` / `segment_database`) keeps its name, as it must.
    Other warehouses render relations as dbt does (their database is a server's, not a file name).
    ref() and source() cannot be dispatched themselves (dbt reads them from the project before any
    package), so the warehouse difference lives in portable_relation(). Arguments are dbt's own:
    ref('model'), ref('package', 'model'), ref('model', v=2); source('source', 'table'). -#}
{% macro ref() %}
    {%- set version = kwargs.get('version') or kwargs.get('v') -%}
    {%- if varargs | length == 1 -%}
        {%- set relation = builtins.ref(varargs[0], version=version) -%}
    {%- else -%}
        {%- set relation = builtins.ref(varargs[0], varargs[1], version=version) -%}
    {%- endif -%}
    {{ return(portable_relation(relation)) }}
{% endmacro %}
