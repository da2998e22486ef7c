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
