{#- Production and development on one warehouse.

    A production build uses the layer schemas as named (staging, intermediate, seeds, marts,
    reports), so BI tools and grants see the same names on every warehouse. Every other build
    prefixes them with its target schema, as the dbt docs recommend (`<target.schema>_marts`, e.g.
    `dbt_alice_marts` with LEAD_SCORING_PG_SCHEMA=dbt_alice), so a developer's or CI's build on a
    shared server can never write into the schemas BI reads.

    Which builds are production: the environment variable LEAD_SCORING_ENV, `prod` or `dev`. Unset,
    it is `prod` on DuckDB and the local Spark session (a file or folder of your own: its path keeps
    dev and prod apart, and `make build` is the production job) and `dev` on PostgreSQL (a shared
    server: the production job there sets LEAD_SCORING_ENV=prod). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif is_production_build() -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
