{#- True for a production build (see generate_schema_name.sql). -#}
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
