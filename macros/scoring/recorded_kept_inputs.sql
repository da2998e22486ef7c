{#- The statement of a model recording the inputs fingerprint its kept models were computed from
    (int_calibration_computed, int_lead_models_computed): the plan's (`kept_inputs`) fingerprint,
    written when this run built the plan and every kept model (`writes_row`, from
    kept_models_selected) and computed them (is_recomputed; on a first or full build, always);
    no row otherwise, so the recorded one stays. -#}
{% macro recorded_kept_inputs(kept_inputs, writes_row) -%}
with

kept_inputs as (

    select * from {{ kept_inputs }}

),

final as (

    select inputs_fingerprint
    from kept_inputs
    {%- if not writes_row %}
    -- not every kept model was built by this run
    where 1 = 0
    {%- elif is_incremental() %}
    where is_recomputed
    {%- endif %}

)

select * from final
{%- endmacro %}
