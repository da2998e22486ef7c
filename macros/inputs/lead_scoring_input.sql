{#- Which inputs the project reads, from the var lead_scoring_inputs (docs/connectors.md, "The vars"):
    per entity (leads, events, opportunities) the connectors whose tables are read in place, or
    `files` (the raw files of raw_data_path, the default). A missing entity means files; `events`
    may be one name or a list. An unknown name stops the build with the choices. -#}
{% macro lead_scoring_input(entity) %}
    {%- set choices = {
        'leads': ['files', 'salesforce', 'hubspot'],
        'events': ['files', 'salesforce', 'hubspot', 'segment'],
        'opportunities': ['files', 'salesforce', 'hubspot'],
    } -%}
    {%- if entity not in choices -%}
        {%- do exceptions.raise_compiler_error("lead_scoring_input: unknown entity '" ~ entity ~ "' (leads, events or opportunities)") -%}
    {%- endif -%}
    {%- set inputs = var('lead_scoring_inputs', {}) or {} -%}
    {%- if inputs is string or inputs is not mapping -%}
        {%- do exceptions.raise_compiler_error(
            "var lead_scoring_inputs must be a mapping such as {leads: salesforce, events: [segment, salesforce], "
            ~ "opportunities: salesforce}, not " ~ inputs) -%}
    {%- endif -%}
    {%- set chosen = inputs.get(entity, 'files') or 'files' -%}
    {%- set chosen = [chosen] if chosen is string else chosen | list -%}
    {%- set names = [] -%}
    {%- for name in chosen -%}
        {%- set name = name | string | trim | lower -%}
        {%- if name not in choices[entity] -%}
            {%- do exceptions.raise_compiler_error(
                "var lead_scoring_inputs." ~ entity ~ ": unknown input '" ~ name ~ "'; choose "
                ~ ('one' if entity != 'events' else 'one or more') ~ " of: " ~ choices[entity] | join(', ')) -%}
        {%- endif -%}
        {%- if name not in names -%}{%- do names.append(name) -%}{%- endif -%}
    {%- endfor -%}
    {%- if entity != 'events' and names | length != 1 -%}
        {%- do exceptions.raise_compiler_error(
            "var lead_scoring_inputs." ~ entity ~ ": one input, not " ~ names | join(', ')) -%}
    {%- endif -%}
    {{ return(names) }}
{% endmacro %}
