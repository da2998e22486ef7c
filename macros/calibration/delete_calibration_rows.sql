{#- Pre-hook of a calibration model: on an incremental build, deletes every row when
    `calibration_inputs` (int_calibration_inputs) says this run computes the calibration models
    again; they are then inserted anew. -#}
{% macro delete_calibration_rows(calibration_inputs) %}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif %}
    delete from {{ this }}
    where (select is_recomputed from {{ calibration_inputs }})
{% endmacro %}
