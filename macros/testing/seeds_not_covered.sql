{#- The seeds that reach model `target` (by name) other than through the models named in `through`,
    and that are not a direct dependency of any of the models named in `covering`: a list of seed
    names. Walks the graph's dependencies upward, not looking past the `through` models. -#}
{% macro seeds_not_covered(target, through, covering) %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set prefix = 'model.' ~ project_name ~ '.' -%}
    {%- set covered = [] -%}
    {%- for name in covering -%}
        {%- do covered.extend(graph.nodes[prefix ~ name].depends_on.nodes) -%}
    {%- endfor -%}
    {%- set pending = [prefix ~ target] -%}
    {%- set seen = [] -%}
    {%- set missing = [] -%}
    {#- the list grows while it is walked -#}
    {%- for unique_id in pending -%}
        {%- if unique_id not in seen and unique_id[prefix | length:] not in through and unique_id in graph.nodes -%}
            {%- do seen.append(unique_id) -%}
            {%- set node = graph.nodes[unique_id] -%}
            {%- if node.resource_type == 'seed' and unique_id not in covered -%}
                {%- do missing.append(node.name) -%}
            {%- endif -%}
            {%- for parent in node.depends_on.nodes -%}{%- do pending.append(parent) -%}{%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(missing) }}
{% endmacro %}
