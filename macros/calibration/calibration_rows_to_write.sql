{#- The last statement of a calibration model (a model that reads `calibration_inputs`:
    int_calibration_inputs): its CTE `final_cte` when the model is computed (a full build, a unit
    test, or an incremental build whose inputs changed: its pre-hook delete_calibration_rows emptied
    it), else no row, read from the model itself so that none of its CTEs is computed: the rows an
    earlier run wrote stay. Reads int_calibration_inputs when the model compiles. -#}
{% macro calibration_rows_to_write(final_cte, calibration_inputs) -%}
    {#- a unit test has no relation of its own (`this`): it computes the model -#}
    {%- set kept = false -%}
    {%- if execute and this is not none and is_incremental() -%}
        {%- set plan = run_query('select is_recomputed from ' ~ calibration_inputs) -%}
        {%- if plan.rows | length != 1 -%}
            {%- do exceptions.raise_compiler_error(
                calibration_inputs ~ ' must hold one row, not ' ~ (plan.rows | length)
            ) -%}
        {%- endif -%}
        {%- set kept = not plan.columns[0].values()[0] -%}
    {%- endif -%}
    {%- if kept -%}
    -- nothing it reads changed since an earlier run computed its rows (int_calibration_inputs)
    select * from {{ this }} where 1 = 0
    {%- else -%}
    select * from {{ final_cte }}
    {%- endif -%}
{%- endmacro %}
