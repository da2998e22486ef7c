{#- {role: [schema, ...]} of the `select` grants configured on the models of the graph. -#}
{% macro bi_reader_grant_targets() %}
    {%- set targets = {} -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id')
        if node.resource_type == 'model' and node.config.get('enabled', true) -%}
        {%- set grants = node.config.get('grants') or {} -%}
        {%- set grantees = grants.get('select') or [] -%}
        {%- for role in ([grantees] if grantees is string else grantees) -%}
            {%- set schemas = targets.setdefault(role, []) -%}
            {%- if node.schema not in schemas -%}{%- do schemas.append(node.schema) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(targets) }}
{% endmacro %}
