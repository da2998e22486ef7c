{#- Whether this dbt invocation builds the plan of kept models `kept_inputs` (the relation of
    int_calibration_inputs or base_crm__lead_inputs). A kept model follows the plan's row only then:
    otherwise the row is an earlier run's, and the model is computed again. -#}
{% macro kept_inputs_built_by_run(kept_inputs) %}
    {{ return(execute and ('model.' ~ project_name ~ '.' ~ kept_inputs.identifier) in selected_resources) }}
{% endmacro %}
