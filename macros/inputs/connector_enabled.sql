{#- Whether any entity reads the connector `name` (salesforce, hubspot, segment): the connector's
    staging models are enabled with it (config(enabled=...)). -#}
{% macro connector_enabled(name) %}
    {%- for entity in ['leads', 'events', 'opportunities'] -%}
        {%- if name in lead_scoring_input(entity) -%}{{ return(true) }}{%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{% endmacro %}
