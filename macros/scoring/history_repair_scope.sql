{#- The repair of fct_lead_score_history: a day the history keeps from an earlier run is scored
    again for every lead whose inputs up to that day changed since (a late or re-delivered event, a
    new or changed lead version, a late opportunity, a replaced or removed file, a lead deleted or
    its id reused, events that arrived before their lead), and the whole history is scored again
    when the scoring configuration changed. int_lead_score_inputs fingerprints each lead's inputs by
    date, int_score_history_inputs keeps the fingerprints the history was scored from, and
    int_score_history_changed_leads compares the two. -#}

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
