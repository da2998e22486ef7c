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


{#- True for a production build (see generate_schema_name above). -#}
{% macro is_production_build() -%}
    {%- set default_env = 'dev' if target.type == 'postgres' else 'prod' -%}
    {%- set lead_scoring_env = env_var('LEAD_SCORING_ENV', default_env) | trim | lower -%}
    {%- if lead_scoring_env not in ['prod', 'dev'] -%}
        {%- do exceptions.raise_compiler_error(
            "LEAD_SCORING_ENV must be prod or dev, not '" ~ lead_scoring_env ~ "'"
        ) -%}
    {%- endif -%}
    {{ return(lead_scoring_env == 'prod') }}
{%- endmacro %}


{#- The schema of the raw relations. dbt registers them itself on DuckDB and Spark (on-run-start),
    so a development build registers its own, `<target.schema>_<raw_schema>`, and never replaces
    production's; on PostgreSQL the loader fills var raw_schema and every build only reads it. -#}
{% macro raw_schema_name() -%}
    {%- if is_production_build() or target.type == 'postgres' -%}
        {{ return(var('raw_schema')) }}
    {%- else -%}
        {{ return(target.schema ~ '_' ~ var('raw_schema')) }}
    {%- endif -%}
{%- endmacro %}
