{#- The checksums of the SQL of every model that reads the calling model (a plan of kept models:
    int_calibration_inputs, base_crm__lead_inputs), as an SQL text literal of `name:checksum` pairs
    joined by ',' in the order of their ids: an edited kept model is computed again. -#}
{% macro kept_model_checksums() -%}
    {%- set checksums = [] -%}
    {%- for node in (graph.nodes.values() if execute else []) | sort(attribute='unique_id')
        if node.resource_type == 'model' and model.unique_id in node.depends_on.nodes -%}
        {%- do checksums.append(node.name ~ ':' ~ node.checksum.checksum) -%}
    {%- endfor -%}
    '{{ checksums | join(',') }}'
{%- endmacro %}
