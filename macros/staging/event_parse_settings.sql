{#- The settings a staged row's parse results depend on (vars read by clean_text and by the checks
    of event_delivery_checks), as one SQL string literal. Incremental staging stores it beside each
    row and stages every file again when it changes, so a changed var never leaves rows parsed
    under the old one. `ids` names how ids are made plain (clean_id): rows parsed before it are
    parsed again. -#}
{% macro event_parse_settings() %}
    {%- set settings = {
        'null_markers': var('null_markers'),
        'max_duration_seconds': var('max_duration_seconds'),
        'ids': 'clean_id',
    } -%}
    {{ return("'" ~ tojson(settings, sort_keys=true) | replace("'", "''") ~ "'") }}
{% endmacro %}
