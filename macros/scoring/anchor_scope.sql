{#- The anchors of the rolling states (int_lead_signal_anchor_states, int_lead_engagement_anchor_states):
    the state as of the day before the earliest as-of date of the run, kept between runs and moved
    forward by rolling. -#}

{#- What the run of `anchor` (an anchor model itself, built from the per-lead days `days`) does,
    read when it compiles: a dict with `rebuild` (every state from every day: a first run, a full
    refresh, an anchor date earlier than the kept one, e.g. a history backfill, or days that were
    all computed again since the anchor was last written: the fold was rebuilt or the seeds changed,
    and a day that disappeared then leaves no trace), else `anchor_date` (this run's, YYYY-MM-DD),
    `previous_anchor_date` (the latest anchor date kept, YYYY-MM-DD) and `computed_at` (when the
    anchor was last written: the leads with a day on or before the kept anchor date that changed
    since are rolled again from all their days, leads_to_roll_again). -#}
{% macro anchor_scope(anchor, scoring_dates, days) %}
    {#- a unit test has no relation of its own (`anchor` is none) -#}
    {%- if not execute or anchor is none or not is_incremental() -%}{{ return({'rebuild': true}) }}{%- endif -%}
    {%- set dates = run_query(
        'select cast(' ~ anchor_date_of_run(scoring_dates) ~ ' as ' ~ dbt.type_string() ~ '), '
        ~ 'cast(max(anchor_date) as ' ~ dbt.type_string() ~ '), cast(max(computed_at) as '
        ~ dbt.type_string() ~ '), '
        ~ 'case when (select min(computed_at) from ' ~ days ~ ') <= max(computed_at) then 1 else 0 end'
        ~ ' from ' ~ anchor
    ).rows[0] -%}
    {%- if dates[1] is none or dates[0][:10] < dates[1][:10] or dates[3] | int == 0 -%}
        {{ return({'rebuild': true}) }}
    {%- endif -%}
    {{ return({
        'rebuild': false,
        'anchor_date': dates[0][:10],
        'previous_anchor_date': dates[1][:10],
        'computed_at': dates[2],
    }) }}
{% endmacro %}
