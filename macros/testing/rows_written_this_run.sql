{#- The rows a `dbt build` wrote into the model a data test reads, as an SQL predicate on the model's
    columns, or none when the test must read every row. `test_node`: the test being run (dbt's
    `model` in get_where_subquery).
    Only for a model that declares how to tell them (meta `rows_written_by_run` in its YAML) and only
    when this invocation is a `dbt build` that built the model incrementally (not a full refresh,
    not `dbt test` on its own): a model's rows a run did not write were tested by the run that
    wrote them. The declaration is one of
    - `{stamped_column: computed_at}`: the rows whose column holds this run's start time;
    - `{history_days: score_date}`: the days int_scoring_dates plans as history days this run, and
      every row of the leads int_score_history_changed_leads repairs (fct_lead_score_history);
    - `{backtest_dates: as_of_date}`: the backtest cutoffs int_scoring_dates plans to score this run
      (the backtest tables, written by cutoff);
    - `{whole_model_when_recomputed: <plan>}`: every row when the plan of kept models named
      (int_calibration_inputs, base_crm__lead_inputs) says the run computes them again, or when the
      run did not build the plan; none when it keeps them.
    A model built as a table on this warehouse (Spark builds the per-lead and backtest models as
    tables) has every row tested. -#}
{% macro rows_written_this_run(test_node) %}
    {%- if not execute or flags.WHICH != 'build' or flags.FULL_REFRESH or test_node is not mapping -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set attached = test_node.get('attached_node') -%}
    {%- if not attached or attached not in selected_resources -%}{{ return(none) }}{%- endif -%}
    {%- set model_node = graph.nodes.get(attached) -%}
    {%- set declared = (model_node.config.get('meta') or {}).get('rows_written_by_run') if model_node else none -%}
    {%- if not declared or model_node.config.materialized != 'incremental' -%}{{ return(none) }}{%- endif -%}
    {#- the run's plan: the relations of the run-planning models, by name -#}
    {%- set plan = {} -%}
    {%- set kept_plan = declared.get('whole_model_when_recomputed') if declared is mapping else none -%}
    {%- for name in ['int_scoring_dates', 'int_score_history_changed_leads', kept_plan] if name -%}
        {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ name) -%}
        {%- if not node -%}
            {%- do exceptions.raise_compiler_error(
                'meta rows_written_by_run of ' ~ attached ~ ' names ' ~ name ~ ', which is not a model'
            ) -%}
        {%- endif -%}
        {%- do plan.update({name: api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)}) -%}
    {%- endfor -%}
    {%- if declared.get('stamped_column') -%}
        {{ return(declared.stamped_column ~ ' = ' ~ run_started_at_timestamp()) }}
    {%- elif declared.get('backtest_dates') -%}
        {{ return(
            declared.backtest_dates ~ ' in (select as_of_date from ' ~ plan.int_scoring_dates ~ ' where is_backtest)'
        ) }}
    {%- elif declared.get('whole_model_when_recomputed') -%}
        {#- a run that did not build the plan computed the model whole -#}
        {%- if not kept_inputs_built_by_run(plan[kept_plan]) -%}{{ return(none) }}{%- endif -%}
        {{ return('(select is_recomputed from ' ~ plan[kept_plan] ~ ')') }}
    {%- elif declared.get('history_days') -%}
        {{ return(
            declared.history_days ~ ' in (select as_of_date from ' ~ plan.int_scoring_dates ~ ' where is_history)'
            ~ ' or lead_id in (select lead_id from ' ~ plan.int_score_history_changed_leads ~ ' where lead_id is not null)'
        ) }}
    {%- endif -%}
    {%- do exceptions.raise_compiler_error(
        'meta rows_written_by_run of ' ~ attached ~ ' must be {stamped_column: <column>}, '
        ~ '{history_days: <date column>}, {backtest_dates: <date column>} or '
        ~ '{whole_model_when_recomputed: <plan model>}, not ' ~ declared
    ) -%}
{% endmacro %}
