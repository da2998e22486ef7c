{#- The anchors of the rolling states (int_lead_signal_anchor_states, int_lead_engagement_anchor_states):
    the state as of the day before the earliest as-of date of the run, kept between runs and moved
    forward by rolling. -#}


{#- The anchor date of this run, as an SQL date expression: the day before its earliest as-of date
    other than a backtest cutoff (`scoring_dates`: int_scoring_dates), so that the anchor follows the
    live date a day at a time. The backtest cutoffs a run scores (a new month's, or one whose inputs
    changed) lie before it: int_lead_signal_states then reads every signal day, not the anchor
    (`run_reads_before_anchor`). -#}
{% macro anchor_date_of_run(scoring_dates) -%}
    (
        select cast({{ dbt.dateadd('day', -1, 'min(as_of_date)') }} as date)
        from {{ scoring_dates }}
        where is_live or is_history or is_history_context or is_comparison
    )
{%- endmacro %}


{#- Whether the run scores a date on or before its anchor date, as an SQL boolean expression. -#}
{% macro run_reads_before_anchor(scoring_dates) -%}
    exists (
        select 1 from {{ scoring_dates }} as early_dates
        where early_dates.as_of_date <= {{ anchor_date_of_run(scoring_dates) }}
    )
{%- endmacro %}


{#- What the run of `anchor` (an anchor model itself) does, read when it compiles: a dict with
    `rebuild` (every state from every day: a first run, a full refresh, or an anchor date
    earlier than the kept one, e.g. a history backfill), else `anchor_date` (this run's, YYYY-MM-DD),
    `previous_anchor_date` (the latest anchor date kept, YYYY-MM-DD) and `computed_at` (when the
    anchor was last written: the leads whose days were computed since are computed again from
    all their days). -#}
{% macro anchor_scope(anchor, scoring_dates) %}
    {#- a unit test has no relation of its own (`anchor` is none) -#}
    {%- if not execute or anchor is none or not is_incremental() -%}{{ return({'rebuild': true}) }}{%- endif -%}
    {%- set dates = run_query(
        'select cast(' ~ anchor_date_of_run(scoring_dates) ~ ' as ' ~ dbt.type_string() ~ '), '
        ~ 'cast(max(anchor_date) as ' ~ dbt.type_string() ~ '), cast(max(computed_at) as '
        ~ dbt.type_string() ~ ') from ' ~ anchor
    ).rows[0] -%}
    {%- if dates[1] is none or dates[0][:10] < dates[1][:10] -%}{{ return({'rebuild': true}) }}{%- endif -%}
    {{ return({
        'rebuild': false,
        'anchor_date': dates[0][:10],
        'previous_anchor_date': dates[1][:10],
        'computed_at': dates[2],
    }) }}
{% endmacro %}


{#- The leads whose per-lead days (`days`) were computed again since `computed_at`. -#}
{% macro leads_with_recomputed_days(days, computed_at) -%}
    select distinct lead_id
    from {{ days }}
    where computed_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- Pre-hook of the anchor: on a rebuild every kept state goes; else the states of the leads computed
    again from all their days (the rows the run writes for them replace these; a lead whose days
    before the anchor are gone, an event taken away or rewritten, keeps none). -#}
{% macro delete_anchor_states_to_recompute(anchor, scoring_dates, days) %}
    {%- if anchor is none or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set scope = anchor_scope(anchor, scoring_dates) -%}
    {%- if scope.rebuild %}
    delete from {{ anchor }}
    {%- else %}
    delete from {{ anchor }}
    where lead_id in ({{ leads_with_recomputed_days(days, scope.computed_at) }})
    {%- endif %}
{% endmacro %}


{#- The anchor date of the run of an anchor model, as an SQL date expression: on a rolling run a
    constant (read when the model compiles, `scope.anchor_date`), else anchor_date_of_run. With the
    scalar subquery in its filters DuckDB cannot estimate how few days a rolling run reads, and
    built its joins on the 49M signal days (54 s for a day's run at 1M leads, 6 s with constants). -#}
{% macro anchor_date_of_scope(scope, scoring_dates) -%}
    {%- if scope.rebuild -%}
    {{ anchor_date_of_run(scoring_dates) }}
    {%- else -%}
    cast('{{ scope.anchor_date }}' as date)
    {%- endif -%}
{%- endmacro %}


{#- The per-lead days (`days`: a relation with lead_id, activity_date and computed_at) an anchor run
    reads, as a select: on a rebuild every day up to the anchor date; else every day up to it of the
    leads whose days were computed again since the anchor was last written (the pre-hook deleted
    their kept rows), and of the other leads only the days since the kept anchor date (added to
    their kept rows). A relation, not a CTE: DuckDB copies a CTE read more than once whole, and a
    rolling run reads `days` four times. -#}
{% macro anchor_days_to_read(days, scope, anchor_date) -%}
    {%- if scope.rebuild %}
    select * from {{ days }}
    where activity_date <= {{ anchor_date }}
    {%- else %}
    select days.*
    from {{ days }} as days
    where days.lead_id in ({{ leads_with_recomputed_days(days, scope.computed_at) }})
        and days.activity_date <= {{ anchor_date }}
    union all
    select days.*
    from {{ days }} as days
    left join ({{ leads_with_recomputed_days(days, scope.computed_at) }}) as recomputed_leads
        on days.lead_id = recomputed_leads.lead_id
    where days.activity_date > cast('{{ scope.previous_anchor_date }}' as date)
        and days.activity_date <= {{ anchor_date }}
        and recomputed_leads.lead_id is null
    {%- endif %}
{%- endmacro %}
