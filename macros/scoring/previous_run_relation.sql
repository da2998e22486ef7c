{#- The relation a downstream incremental model (`model_name`) left in the warehouse on an earlier
    run, read when a model upstream of it compiles (so not a ref: it would be a cycle); none on a
    full refresh, before the model's first run, or when it is not kept between runs. -#}
{% macro previous_run_relation(model_name) %}
    {%- if not execute or flags.FULL_REFRESH -%}{{ return(none) }}{%- endif -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {%- if not node or node.config.materialized != 'incremental' -%}{{ return(none) }}{%- endif -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
{% endmacro %}
