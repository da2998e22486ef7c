{#- Per-lead incremental models built from the event fold (int_lead_signal_days,
    int_lead_engagement_days). A run computes again only the lead days whose events changed since
    the model's last run (event_days_changed_since), and every lead day when that cannot be known.
    A lead day's events changed when an event on it was folded again (base_marketing__events.folded_at
    is later than the model's last computed_at), which also covers an event that a conflicting
    re-delivery took away from it. -#}

{#- What the incremental run of `days` (the model itself) must compute again, read when the model
    compiles: {'rebuild': true} when every lead must be computed again (a first run, a full refresh,
    the fold was rebuilt since the model's last run, or the seeds fingerprinted by `seed_fingerprint`
    changed), else {'rebuild': false, 'computed_at': the model's last run}. -#}
{% macro event_days_scope(days, folded, seed_fingerprint) %}
    {#- a unit test has no relation of its own (`days` is none) -#}
    {%- if not execute or days is none or not is_incremental() -%}{{ return({'rebuild': true}) }}{%- endif -%}
    {%- set result = run_query(
        'select cast(max(computed_at) as ' ~ dbt.type_string() ~ '), max(seed_fingerprint), '
        ~ seed_fingerprint ~ ', '
        ~ 'case when exists (select 1 from ' ~ folded ~ ' as folded where folded.folded_at <= '
        ~ '(select max(computed_at) from ' ~ days ~ ')) then 1 else 0 end '
        ~ 'from ' ~ days
    ) -%}
    {%- set row = result.rows[0] -%}
    {%- set rebuild = row[0] is none or row[1] != row[2] or row[3] == 0 -%}
    {{ return({'rebuild': rebuild, 'computed_at': row[0]}) }}
{% endmacro %}
