{#- The checks every raw event row must pass, as (condition, reason) pairs for reject_reasons(), in
    the order the reasons are listed. With `context_checks=false` only the checks that depend on the
    row itself (and the vars) are returned: those are evaluated once, when a raw file is staged
    (models/staging/marketing/base/base_marketing__event_deliveries.sql). The two context checks, a
    staged lead and a time not in the future, can change from one run to the next without the row
    changing, so they are evaluated on every read (stg_marketing__event_deliveries). -#}
{% macro event_delivery_checks(context_checks=true) %}
    {%- set checks = [
        ('event_id is null', 'missing event_id'),
        ('lead_id is null', 'missing lead_id'),
    ] -%}
    {%- if context_checks -%}
        {%- do checks.append(('lead_id is not null and not is_known_lead', 'lead_id not found among staged leads')) -%}
    {%- endif -%}
    {%- do checks.extend([
        ('event_type is null', 'missing event_type'),
        ('occurred_at_text is null', 'missing occurred_at'),
        ('occurred_at_text is not null and occurred_at is null', 'unparseable occurred_at'),
    ]) -%}
    {%- if context_checks -%}
        {%- do checks.append(('occurred_at > ' ~ latest_plausible_timestamp(), 'occurred_at in the future')) -%}
    {%- endif -%}
    {%- do checks.extend([
        ('duration_seconds_text is not null and (duration_seconds is null or duration_seconds < 0)', 'invalid duration_seconds'),
        ('duration_seconds > ' ~ var('max_duration_seconds'), 'duration_seconds out of range'),
    ]) -%}
    {{ return(checks) }}
{% endmacro %}
