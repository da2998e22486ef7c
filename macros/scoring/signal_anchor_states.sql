{#- The anchor of the rolling states (int_lead_signal_anchor_states): the state of every scoring
    model, lead and signal as of the day before the earliest as-of date of the run, kept between
    runs and moved forward by rolling. -#}


{#- The anchor date of this run, as an SQL date expression: the day before its earliest as-of date
    (`scoring_dates`: int_scoring_dates). -#}
{% macro signal_anchor_date(scoring_dates) -%}
    (select cast({{ dbt.dateadd('day', -1, 'min(as_of_date)') }} as date) from {{ scoring_dates }})
{%- endmacro %}


{#- What the run of `anchor` (the anchor model itself) does, read when it compiles: a dict with
    `rebuild` (every state from every signal day: a first run, a full refresh, or an anchor date
    earlier than the kept one, e.g. a backfill or a backtest cutoff scored again), else
    `previous_anchor_date` (the latest anchor date kept, YYYY-MM-DD) and `computed_at` (when the
    anchor was last written: the leads whose signal days were computed since are computed again from
    all their days). -#}
{% macro signal_anchor_scope(anchor, scoring_dates) %}
    {#- a unit test has no relation of its own (`anchor` is none) -#}
    {%- if not execute or anchor is none or not is_incremental() -%}{{ return({'rebuild': true}) }}{%- endif -%}
    {%- set dates = run_query(
        'select cast(' ~ signal_anchor_date(scoring_dates) ~ ' as ' ~ dbt.type_string() ~ '), '
        ~ 'cast(max(anchor_date) as ' ~ dbt.type_string() ~ '), cast(max(computed_at) as '
        ~ dbt.type_string() ~ ') from ' ~ anchor
    ).rows[0] -%}
    {%- if dates[1] is none or dates[0][:10] < dates[1][:10] -%}{{ return({'rebuild': true}) }}{%- endif -%}
    {{ return({'rebuild': false, 'previous_anchor_date': dates[1][:10], 'computed_at': dates[2]}) }}
{% endmacro %}


{#- The leads whose signal days (`signal_days`) were computed again since `computed_at`. -#}
{% macro leads_with_recomputed_signal_days(signal_days, computed_at) -%}
    select distinct lead_id
    from {{ signal_days }}
    where computed_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- Pre-hook of the anchor: on a rebuild every kept state goes; else the states of the leads computed
    again from all their days (the rows the run writes for them replace these; a lead whose days
    before the anchor are gone, an event taken away or rewritten, keeps none). -#}
{% macro delete_signal_anchor_states(anchor, scoring_dates, signal_days) %}
    {%- if anchor is none or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set scope = signal_anchor_scope(anchor, scoring_dates) -%}
    {%- if scope.rebuild %}
    delete from {{ anchor }}
    {%- else %}
    delete from {{ anchor }}
    where lead_id in ({{ leads_with_recomputed_signal_days(signal_days, scope.computed_at) }})
    {%- endif %}
{% endmacro %}
