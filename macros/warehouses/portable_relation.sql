{#- The relation as SQL should name it: on DuckDB without the database when that is the target's own
    (why: ref.sql); elsewhere unchanged. Also for a relation a model builds itself with
    api.Relation.create (e.g. a connector's table chosen by a var). -#}
{% macro portable_relation(relation) %}
    {{ return(adapter.dispatch('portable_relation', 'lead_scoring')(relation)) }}
{% endmacro %}

{% macro default__portable_relation(relation) %}
    {{ return(relation) }}
{% endmacro %}

{% macro duckdb__portable_relation(relation) %}
    {#- at parse time ref() returns a stand-in without a database: nothing to leave out -#}
    {%- if relation is not none and relation.database is defined and relation.database is not none
        and relation.database | lower == target.database | lower -%}
        {{ return(relation.include(database=false)) }}
    {%- endif -%}
    {{ return(relation) }}
{% endmacro %}
