{#- The settings stg_marketing__events stages with, fingerprinted (an SQL text expression): the
    `event_types` seed's rows and the clock skew allowed. -#}
{% macro event_staging_fingerprint(event_types) -%}
    {{ dbt.concat([
        "coalesce(" ~ relation_fingerprint(event_types) ~ ", '-')",
        "'|max_clock_skew_hours=" ~ var('max_clock_skew_hours') ~ "'",
    ]) }}
{%- endmacro %}
