{#- Whether this dbt invocation builds the plan `inputs_model` (int_calibration_inputs,
    base_crm__lead_inputs) and every model that reads it, as the model recording their inputs
    (`record_model`: int_calibration_computed, int_lead_models_computed) must be sure of before it
    records them. Fails, naming it, when such a model is not a dependency of `record_model`. -#}
{% macro kept_models_selected(inputs_model, record_model) %}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set prefix = 'model.' ~ project_name ~ '.' -%}
    {%- set record = graph.nodes[prefix ~ record_model] -%}
    {%- set selected = [prefix ~ inputs_model in selected_resources] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and prefix ~ inputs_model in node.depends_on.nodes
            and node.unique_id != record.unique_id -%}
            {%- if node.unique_id not in record.depends_on.nodes -%}
                {%- do exceptions.raise_compiler_error(
                    node.name ~ ' reads ' ~ inputs_model ~ ': ' ~ record_model ~ ' must depend on it too '
                    ~ '(add a depends_on comment naming it to ' ~ record.original_file_path ~ ')'
                ) -%}
            {%- endif -%}
            {%- do selected.append(node.unique_id in selected_resources) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(selected | length > 1 and false not in selected) }}
{% endmacro %}
