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
