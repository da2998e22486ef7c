{#- The code the kept models are computed with, as an SQL text literal for the fingerprint of the
    calling model (a plan of kept models: int_calibration_inputs, base_crm__lead_inputs): the
    checksum of every model that reads it and of the views it reads through (`name:checksum`, in
    the order of their ids), and one hash of the source of every macro of this project they call,
    directly or through other macros (with the target's implementation of a dispatched one). An
    edited kept model, view or macro computes them again. -#}
{% macro kept_model_checksums() -%}
    {%- if not execute -%}{{ return("''") }}{%- endif -%}
    {%- set own_macros = 'macro.' ~ project_name ~ '.' -%}
    {#- the kept models, and the views they read through (the list grows while it is walked) -#}
    {%- set pending = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and model.unique_id in node.depends_on.nodes -%}
        {%- do pending.append(node.unique_id) -%}
    {%- endfor -%}
    {%- set models = [] -%}
    {%- for unique_id in pending if unique_id not in models -%}
        {%- do models.append(unique_id) -%}
        {%- for parent in graph.nodes[unique_id].depends_on.nodes
            if parent in graph.nodes and graph.nodes[parent].resource_type == 'model'
            and graph.nodes[parent].config.materialized in ['view', 'ephemeral'] -%}
            {%- do pending.append(parent) -%}
        {%- endfor -%}
    {%- endfor -%}
    {#- the project's macros they call, through other macros too -#}
    {%- set macro_ids = [] -%}
    {%- for unique_id in models -%}
        {%- do macro_ids.extend(graph.nodes[unique_id].depends_on.macros) -%}
    {%- endfor -%}
    {%- set macros = [] -%}
    {%- for macro_id in macro_ids if macro_id.startswith(own_macros) -%}
        {%- set name = macro_id[own_macros | length:] -%}
        {%- if name not in macros and context.get(name) is not none and context[name].macro is defined -%}
            {%- do macros.append(name) -%}
            {%- do macro_ids.extend(context[name].macro.depends_on.macros) -%}
            {%- for implementation in ['default__' ~ name, target.type ~ '__' ~ name] if context.get(implementation) is not none -%}
                {%- do macro_ids.append(own_macros ~ implementation) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set checksums = [] -%}
    {%- for unique_id in models | sort -%}
        {%- do checksums.append(graph.nodes[unique_id].name ~ ':' ~ graph.nodes[unique_id].checksum.checksum) -%}
    {%- endfor -%}
    {%- set sources = [] -%}
    {%- for name in macros | sort -%}
        {%- do sources.append(name ~ ':' ~ local_md5(context[name].macro.macro_sql)) -%}
    {%- endfor -%}
    '{{ checksums | join(',') }}|macros {{ macros | length }}:{{ local_md5(sources | join(',')) }}'
{%- endmacro %}
