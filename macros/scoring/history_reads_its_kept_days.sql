{#- Whether fct_lead_score_history reads its own kept rows in the statement that writes it, for
    whether a lead was an MQL the day before a new history day. Not on Spark: its insert_overwrite
    cannot overwrite a table the same statement reads, so there the day before is scored again. -#}
{% macro history_reads_its_kept_days() %}
    {{ return(adapter.dispatch('history_reads_its_kept_days', 'lead_scoring')()) }}
{% endmacro %}

{% macro default__history_reads_its_kept_days() %}
    {{ return(true) }}
{% endmacro %}

{% macro spark__history_reads_its_kept_days() %}
    {{ return(false) }}
{% endmacro %}
