{#-
    The read-only BI role (PostgreSQL only).

    dbt's `grants` config (dbt_project.yml: marts and reports, `select` for the var bi_reader_role,
    default lead_scoring_bi) grants `select` on each table as dbt builds it. Two things the config
    cannot do are done here, from the same config, so the role is named in one place only:

    - create_bi_reader_roles() (on-run-start): creates every role named in a `select` grant of a
      model, when it does not exist yet, as a group role without login (add your BI tools' login
      roles to it: `grant lead_scoring_bi to looker;`). The dbt user needs CREATEROLE for that,
      or create the role beforehand.
    - grant_bi_reader_schema_usage() (on-run-end): grants USAGE on the schemas of those models
      (marts, reports), which a role needs to see any table in them. Nothing else: raw, staging,
      intermediate and seeds stay out of reach.

    DuckDB has no grants and Spark's local session rejects GRANT: the grants config is empty there
    and these macros do nothing.
-#}
{% macro create_bi_reader_roles() %}
    {{ return(adapter.dispatch('create_bi_reader_roles', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__create_bi_reader_roles() %}
    {{ return('') }}
{% endmacro %}

{% macro postgres__create_bi_reader_roles() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- for role in bi_reader_grant_targets() -%}
        {%- set found = run_query(
            "select count(*) from pg_catalog.pg_roles where rolname = '" ~ role | replace("'", "''") ~ "'"
        ).columns[0].values()[0] -%}
        {%- if found == 0 -%}
            {%- set can_create = run_query(
                "select rolsuper or rolcreaterole from pg_catalog.pg_roles where rolname = current_user"
            ).columns[0].values()[0] -%}
            {%- if not can_create -%}
                {%- do exceptions.raise_compiler_error(
                    "The BI role '" ~ role ~ "' (dbt var bi_reader_role) does not exist and the dbt user '"
                    ~ target.user ~ "' may not create roles: create it once as an administrator "
                    ~ "(create role " ~ adapter.quote(role) ~ " nologin;) or give the dbt user CREATEROLE."
                ) -%}
            {%- endif -%}
            {%- do run_query('create role ' ~ adapter.quote(role) ~ ' nologin') -%}
            {{ log("Created the BI role " ~ role ~ " (nologin; grant it to your BI tools' login roles)", info=true) }}
        {%- endif -%}
    {%- endfor -%}
{% endmacro %}
