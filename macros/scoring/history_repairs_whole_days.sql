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
