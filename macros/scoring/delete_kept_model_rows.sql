{#- Pre-hook of a kept model (and of the model recording its plan's inputs) when this run computes
    it again: the plan `kept_inputs` says so, or this run did not build the plan. On an incremental
    build it deletes the model's rows (they are then inserted anew), and on any build it deletes the
    fingerprint recorded by the model the plan's meta `kept_models_recorded_in` names: from then on
    the kept models are not all as the recorded inputs left them (a run that stops halfway, a
    partial selection), and the next run that builds the plan computes them all again. -#}
{% macro delete_kept_model_rows(kept_inputs) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set prefix = 'model.' ~ project_name ~ '.' -%}
    {%- set plan_node = graph.nodes[prefix ~ kept_inputs.identifier] -%}
    {%- set record_name = (plan_node.config.get('meta') or {}).get('kept_models_recorded_in') -%}
    {%- if not record_name or prefix ~ record_name not in graph.nodes -%}
        {%- do exceptions.raise_compiler_error(
            kept_inputs.identifier ~ ' must name the model recording its inputs in meta kept_models_recorded_in'
        ) -%}
    {%- endif -%}
    {%- set record_node = graph.nodes[prefix ~ record_name] -%}
    {%- set recomputed = '(select is_recomputed from ' ~ kept_inputs ~ ')' if kept_inputs_built_by_run(kept_inputs) else 'true' -%}
    {%- set statements = [] -%}
    {%- if is_incremental() -%}
        {%- do statements.append('delete from ' ~ this ~ ' where ' ~ recomputed) -%}
    {%- endif -%}
    {#- the record is read by the next run only where it is kept between runs (not on Spark) -#}
    {%- set record = adapter.get_relation(
        database=record_node.database, schema=record_node.schema, identifier=record_node.alias
    ) if record_node.config.materialized == 'incremental' and record_node.unique_id != model.unique_id else none -%}
    {%- if record is not none -%}
        {%- do statements.append('delete from ' ~ record ~ ' where ' ~ recomputed) -%}
    {%- endif -%}
    {{ return(statements | join(';\n')) }}
{% endmacro %}
