{#- Whether this dbt invocation builds int_calibration_inputs and every calibration model (a model
    that reads it), as int_calibration_computed must be sure of before it records their inputs.
    Fails, naming it, when such a model is not a dependency of int_calibration_computed. -#}
{% macro calibration_models_selected() %}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set prefix = 'model.' ~ project_name ~ '.' -%}
    {%- set record = graph.nodes[prefix ~ 'int_calibration_computed'] -%}
    {%- set selected = [prefix ~ 'int_calibration_inputs' in selected_resources] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and prefix ~ 'int_calibration_inputs' in node.depends_on.nodes
            and node.unique_id != record.unique_id -%}
            {%- if node.unique_id not in record.depends_on.nodes -%}
                {%- do exceptions.raise_compiler_error(
                    node.name ~ ' reads int_calibration_inputs: int_calibration_computed must depend on it too '
                    ~ '(add a depends_on comment naming it to models/intermediate/calibration/int_calibration_computed.sql)'
                ) -%}
            {%- endif -%}
            {%- do selected.append(node.unique_id in selected_resources) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(selected | length > 1 and false not in selected) }}
{% endmacro %}
