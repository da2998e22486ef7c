{#- The repair of fct_lead_score_history: a day the history keeps from an earlier run is scored
    again for every lead whose inputs up to that day changed since (a late or re-delivered event, a
    new or changed lead version, a late opportunity, a replaced or removed file, a lead deleted or
    its id reused, events that arrived before their lead), and the whole history is scored again
    when the scoring configuration changed. int_lead_score_inputs fingerprints each lead's inputs by
    date, int_score_history_inputs keeps the fingerprints the history was scored from, and
    int_score_history_changed_leads compares the two. -#}


{#- The first and last day of the history an earlier run left, as {'first': YYYY-MM-DD or none,
    'last': YYYY-MM-DD or none}: both none on a first build or a full refresh. -#}
{% macro score_history_bounds() %}
    {%- set bounds = {'first': none, 'last': none} -%}
    {%- set history_relation = previous_run_relation('fct_lead_score_history') -%}
    {%- if history_relation -%}
        {%- set row = run_query(
            'select cast(min(score_date) as ' ~ dbt.type_string() ~ '), cast(max(score_date) as '
            ~ dbt.type_string() ~ ') from ' ~ history_relation
        ).rows[0] -%}
        {%- if row[0] -%}
            {%- do bounds.update({'first': row[0][:10], 'last': row[1][:10]}) -%}
        {%- endif -%}
    {%- endif -%}
    {{ return(bounds) }}
{% endmacro %}


{#- The last day of the history this run keeps as it is (YYYY-MM-DD): the days after it are scored
    again anyway (the last history_recompute_days days the history has), the days up to it only for
    the leads whose inputs up to it changed. Counted back from the history's last day, or from the
    live date on a first build. `bounds`: score_history_bounds() when the caller has read them. -#}
{% macro history_kept_through(bounds=none) %}
    {%- set bounds = bounds if bounds is not none else score_history_bounds() -%}
    {%- set last = bounds.last if bounds.last is not none else score_as_of_iso() -%}
    {{ return(shift_iso_date(last, -(var('history_recompute_days') | int))) }}
{% endmacro %}


{#- Whether a repair scores its days again for every lead (the history's rows are replaced a whole
    day at a time: Spark's insert_overwrite by score_date) or only for the changed leads. -#}
{% macro history_repairs_whole_days() %}
    {{ return(adapter.dispatch('history_repairs_whole_days', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__history_repairs_whole_days() %}
    {{ return(false) }}
{% endmacro %}

{% macro spark__history_repairs_whole_days() %}
    {{ return(true) }}
{% endmacro %}


{#- What this run repairs, read from int_score_history_changed_leads (`changed`) when a model
    compiles: {'rebuild': the reason the whole history is scored again, or none; 'leads': how many
    leads have their history scored again}. -#}
{% macro history_repair_scope(changed) %}
    {%- if not execute or changed is none -%}{{ return({'rebuild': none, 'leads': 0}) }}{%- endif -%}
    {#- not built yet (a compile or a lint on an empty warehouse): nothing to repair -#}
    {%- if adapter.get_relation(database=changed.database, schema=changed.schema, identifier=changed.identifier) is none -%}
        {{ return({'rebuild': none, 'leads': 0}) }}
    {%- endif -%}
    {%- set row = run_query(
        'select max(case when lead_id is null then change_reason end), count(lead_id) from ' ~ changed
    ).rows[0] -%}
    {{ return({'rebuild': row[0], 'leads': row[1] | int}) }}
{% endmacro %}


{#- Pre-hook of fct_lead_score_history: deletes the rows the run writes again beyond its listed
    days: every row when the whole history is scored again, else every row of the changed leads
    (a lead that left the inputs keeps none). On Spark the rows are replaced a day at a time by the
    run itself (history_repairs_whole_days); a rebuild empties the table first. -#}
{% macro delete_history_to_repair(history, changed) %}
    {%- if not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- if target.type == 'spark' -%}
        {%- if history_repair_scope(changed).rebuild -%}{{ return('truncate table ' ~ history) }}{%- endif -%}
        {{ return('') }}
    {%- endif %}
    delete from {{ history }}
    where exists (select 1 from {{ changed }} as changed where changed.lead_id is null)
        or lead_id in (select changed.lead_id from {{ changed }} as changed where changed.lead_id is not null)
{% endmacro %}
