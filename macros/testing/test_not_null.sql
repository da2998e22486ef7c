{#- dbt's not_null returns only the (null) column unless failures are stored: return the whole row,
    so the failure output shows which row it is. -#}
{% macro default__test_not_null(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} is null

{% endmacro %}
