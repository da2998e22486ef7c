{#- An identifier (lead_id, event_id, opportunity_id, a lead_id on an event or opportunity) as staging
    compares it: normalize_text() (full-width forms as ASCII, Unicode spaces as spaces; tabs, line
    feeds and zero-width characters removed), then clean_text() (trimmed; null when blank or a
    null marker). Letter case is kept: ids are compared exactly, and two raw ids that become one
    here (`L001`, `L001<tab>`, `Ｌ001`) are a collision the staging model rejects with a reason,
    as it rejects ids that differ only in letter case. -#}
{% macro clean_id(expression) -%}
    {{ clean_text(normalize_text(expression)) }}
{%- endmacro %}
