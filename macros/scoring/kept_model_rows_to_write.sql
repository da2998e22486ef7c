{#- The last statement of a kept model (a model that reads the plan `kept_inputs`, such as
    int_calibration_inputs or base_crm__lead_inputs): its CTE `final_cte` when the model is computed
    (a full build, a unit test, a build that did not build the plan, or an incremental build whose
    inputs changed: its pre-hook delete_kept_model_rows emptied it), else no row, read from the
    model itself so that none of its CTEs is computed: the rows an earlier run wrote stay. Reads
    the plan when the model compiles. -#}
{% macro kept_model_rows_to_write(final_cte, kept_inputs) -%}
    {#- a unit test has no relation of its own (`this`): it computes the model -#}
    {%- set kept = false -%}
    {%- if execute and this is not none and is_incremental() and kept_inputs_built_by_run(kept_inputs) -%}
        {%- set plan = run_query('select is_recomputed from ' ~ kept_inputs) -%}
        {%- if plan.rows | length != 1 -%}
            {%- do exceptions.raise_compiler_error(
                kept_inputs ~ ' must hold one row, not ' ~ (plan.rows | length)
            ) -%}
        {%- endif -%}
        {%- set kept = not plan.columns[0].values()[0] -%}
    {%- endif -%}
    {%- if kept -%}
    -- nothing it reads changed since an earlier run computed its rows ({{ kept_inputs.identifier }})
    select * from {{ this }} where 1 = 0
    {%- else -%}
    select * from {{ final_cte }}
    {%- endif -%}
{%- endmacro %}
