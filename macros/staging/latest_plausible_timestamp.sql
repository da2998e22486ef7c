{#- The latest time an event can plausibly have happened: when this run started, plus the clock skew
    allowed by the var `max_clock_skew_hours`. Anything later is future-dated. -#}
{% macro latest_plausible_timestamp() -%}
    {{ dbt.dateadd(
        'hour',
        var('max_clock_skew_hours'),
        "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp() ~ ")"
    ) }}
{%- endmacro %}
