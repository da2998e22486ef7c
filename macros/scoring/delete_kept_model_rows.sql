{#- Pre-hook of a kept model (and of the model recording its inputs): on an incremental build,
    deletes every row when the plan `kept_inputs` says this run computes the models it plans again;
    they are then inserted anew. -#}
{% macro delete_kept_model_rows(kept_inputs) %}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif %}
    delete from {{ this }}
    where (select is_recomputed from {{ kept_inputs }})
{% endmacro %}
