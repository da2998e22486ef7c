{#- The as-of dates a run scores, apart from the backtest cutoffs, as (YYYY-MM-DD, role) pairs: the
    live date; the history days fct_lead_score_history gets this run, each with the day before it
    as context; and the comparison days of the live score's short and long windows. The history
    days are those of the last score_history_days the table does not have yet and the last
    history_recompute_days days it has. Days older than the table's first day, and every day of the
    window on a full refresh or a first build, count against history_backfill_days_per_run, newest
    first: the rest are left to the next run, so the history always covers one unbroken range.
    Reads the bounds of the existing history table at run time. -#}
{% macro listed_scoring_dates() -%}
    {%- set live = score_as_of_iso() -%}
    {%- set history_days = var('score_history_days') | int -%}
    {%- set recompute_days = var('history_recompute_days') | int -%}
    {%- set existing = {'first': none, 'last': none} -%}
    {%- set history_relation = previous_run_relation('fct_lead_score_history') -%}
    {%- if history_relation -%}
        {%- set bounds = run_query(
            'select cast(min(score_date) as ' ~ dbt.type_string() ~ '), cast(max(score_date) as '
            ~ dbt.type_string() ~ ') from ' ~ history_relation
        ) -%}
        {%- if bounds.rows[0][0] -%}
            {%- do existing.update({'first': bounds.rows[0][0][:10], 'last': bounds.rows[0][1][:10]}) -%}
        {%- endif -%}
    {%- endif -%}
    {%- set backfill_limit = var('history_backfill_days_per_run') | int -%}
    {%- if backfill_limit < 1 -%}
        {%- do exceptions.raise_compiler_error(
            'var history_backfill_days_per_run must be at least 1, not ' ~ backfill_limit
        ) -%}
    {%- endif -%}
    {%- set backfill = {'days': 0} -%}
    {%- set listed = [(live, 'live')] -%}
    {%- for days_back in range(history_days) -%}
        {%- set day = shift_iso_date(live, -days_back) -%}
        {%- set is_new = existing.last is not none and day > shift_iso_date(existing.last, -recompute_days) -%}
        {%- set is_older = existing.last is none or day < existing.first -%}
        {%- set scored = is_new -%}
        {%- if is_older and backfill.days < backfill_limit -%}
            {%- do backfill.update({'days': backfill.days + 1}) -%}
            {%- set scored = true -%}
        {%- endif -%}
        {%- if scored -%}
            {%- do listed.append((day, 'history')) -%}
            {%- do listed.append((shift_iso_date(day, -1), 'history_context')) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for window_var in ['score_change_short_days', 'score_change_long_days'] -%}
        {%- do listed.append((shift_iso_date(live, -(var(window_var) | int)), 'comparison')) -%}
    {%- endfor -%}
    {{- return(listed) -}}
{%- endmacro %}


{#- The relation a downstream incremental model (`model_name`) left in the warehouse on an earlier
    run, read when a model upstream of it compiles (so not a ref: it would be a cycle); none on a
    full refresh, before the model's first run, or when it is not kept between runs. -#}
{% macro previous_run_relation(model_name) %}
    {%- if not execute or flags.FULL_REFRESH -%}{{ return(none) }}{%- endif -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {%- if not node or node.config.materialized != 'incremental' -%}{{ return(none) }}{%- endif -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
{% endmacro %}


{#- Post-hook of the persisted backtest tables: deletes the rows of as-of dates that are no longer
    a backtest cutoff (`cutoffs`: int_backtest_cutoffs), e.g. the oldest one when a month passes. -#}
{% macro delete_rows_of_dropped_cutoffs(persisted, cutoffs) %}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif %}
    delete from {{ persisted }}
    where as_of_date not in (select as_of_date from {{ cutoffs }})
{% endmacro %}
