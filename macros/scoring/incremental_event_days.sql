{#- Per-lead incremental models built from the event fold (int_lead_signal_days,
    int_lead_engagement_days). A run computes again only the leads whose events changed since the
    model's last run, and every lead when that cannot be known. A lead's events changed when an event
    naming it was folded again (base_marketing__events.folded_at is later than the model's last
    computed_at), which also covers an event that a conflicting re-delivery took away from it. -#}


{#- An order-independent fingerprint of every row and column of `relation`, as an SQL expression
    (a scalar subquery of text): changes when any seed row the model matches with changes. -#}
{% macro relation_fingerprint(relation) -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list if execute else [] -%}
    {%- if columns -%}
    (select cast(coalesce({{ fingerprint_sum(columns) }}, 0) as {{ dbt.type_string() }}) from {{ relation }})
    {%- else -%}
    {#- a relation that is not in the warehouse (a unit test's input) -#}
    cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}


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


{#- The leads whose events changed since `computed_at`: the lead of every event folded again since,
    and every lead its valid deliveries name (an event that conflicting re-deliveries made
    inconsistent has no lead in the fold, but was the lead's before). -#}
{% macro leads_with_changed_events(folded, deliveries, computed_at) -%}
    select folded.lead_id
    from {{ folded }} as folded
    where folded.folded_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
        and folded.lead_id is not null
    union
    select deliveries.lead_id
    from {{ deliveries }} as deliveries
    inner join {{ folded }} as folded
        on deliveries.event_id_key = folded.event_id_key
    where folded.folded_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
        and not folded.is_consistent
        and deliveries.is_row_valid
        and deliveries.lead_id is not null
{%- endmacro %}


{#- Pre-hook of a per-lead incremental model: deletes the rows the run computes again (every row on
    a rebuild, else the rows of the leads whose events changed). Runs in the model's transaction. -#}
{% macro delete_event_days_to_recompute(days, folded, deliveries, seed_fingerprint) %}
    {%- if days is none or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set scope = event_days_scope(days, folded, seed_fingerprint) -%}
    {%- if scope.rebuild %}
    delete from {{ days }}
    {%- else %}
    delete from {{ days }}
    where lead_id in ({{ leads_with_changed_events(folded, deliveries, scope.computed_at) }})
    {%- endif %}
{% endmacro %}


{#- The folded events a per-lead incremental model reads: the consistent events without a letter-
    case variant (as stg_marketing__events stages them), of every lead on a rebuild, else of the
    leads whose events changed. Events of leads that are not staged and future-dated events are
    kept: scores read only the scoring population's leads, as of dates that are not in the future. -#}
{% macro events_to_recompute(folded, deliveries, scope) -%}
    select folded.*
    from {{ folded }} as folded
    {%- if not scope.rebuild %}
    inner join ({{ leads_with_changed_events(folded, deliveries, scope.computed_at) }}) as changed_leads
        on folded.lead_id = changed_leads.lead_id
    {%- endif %}
    where folded.is_consistent
        and not folded.has_case_variant
        and folded.lead_id is not null
{%- endmacro %}


{#- A fingerprint of the scoring configuration, as an SQL text expression: every row of the seed
    `relations` and the values of the vars named in `var_names`. -#}
{% macro configuration_fingerprint(relations, var_names) -%}
    {%- set parts = [] -%}
    {%- for relation in relations -%}
        {%- do parts.append("coalesce(" ~ relation_fingerprint(relation) ~ ", '-')") -%}
        {%- do parts.append("'|'") -%}
    {%- endfor -%}
    {%- set settings = {} -%}
    {%- for name in var_names -%}{%- do settings.update({name: var(name)}) -%}{%- endfor -%}
    {%- do parts.append("'" ~ (tojson(settings, sort_keys=true) | replace("'", "''")) ~ "'") -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}


{#- The leads whose staged events (`staged_events`: stg_marketing__events itself) can change without
    an event being folded again: a lead no longer staged or created at another time than its rows
    were staged with, a staged lead without staged events that has folded ones (it arrived after
    its events), and the leads of events that were in the future at the last run (`computed_at`)
    and are not any more. -#}
{% macro leads_with_changed_staging(staged_events, staged_leads, folded, computed_at) -%}
    select kept.lead_id
    from (select distinct lead_id, lead_created_at from {{ staged_events }}) as kept
    left join {{ staged_leads }} as staged_leads
        on kept.lead_id = staged_leads.lead_id
    where staged_leads.lead_id is null
        or staged_leads.created_at <> kept.lead_created_at
    union
    select staged_leads.lead_id
    from {{ staged_leads }} as staged_leads
    where not exists (
        select 1 from {{ staged_events }} as kept
        where kept.lead_id = staged_leads.lead_id
    )
        and exists (
            select 1 from {{ folded }} as folded
            where folded.lead_id = staged_leads.lead_id
        )
    union
    select folded.lead_id
    from {{ folded }} as folded
    where folded.occurred_at > {{ dbt.dateadd(
            'hour', var('max_clock_skew_hours'), "cast('" ~ computed_at ~ "' as " ~ dbt.type_timestamp() ~ ")"
        ) }}
        and folded.occurred_at <= {{ latest_plausible_timestamp() }}
        and folded.lead_id is not null
{%- endmacro %}


{#- The event ids folded again since `computed_at` (every delivery of a letter-case key with a new
    delivery is folded again: a new case variant, a re-delivery that agrees or disagrees). -#}
{% macro events_folded_since(folded, computed_at) -%}
    select folded.event_id
    from {{ folded }} as folded
    where folded.folded_at > cast('{{ computed_at }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- Pre-hook of stg_marketing__events: deletes the rows the run stages again: every row on a
    rebuild, else the rows of the events folded again since the model's last run (by event_id: a
    re-delivery that moved an event to another lead, or made it inconsistent, takes the old row
    away) and every row of the leads whose staging changed (leads_with_changed_staging). -#}
{% macro delete_staged_events_to_recompute(staged_events, folded, staged_leads, settings_fingerprint) %}
    {%- if staged_events is none or not is_incremental() -%}{{ return('') }}{%- endif -%}
    {%- set scope = event_days_scope(staged_events, folded, settings_fingerprint) -%}
    {%- if scope.rebuild %}
    delete from {{ staged_events }}
    {%- else %}
    delete from {{ staged_events }}
    where event_id in ({{ events_folded_since(folded, scope.computed_at) }})
        or lead_id in ({{ leads_with_changed_staging(staged_events, staged_leads, folded, scope.computed_at) }})
    {%- endif %}
{% endmacro %}


{#- The settings stg_marketing__events stages with, fingerprinted (an SQL text expression): the
    `event_types` seed's rows and the clock skew allowed. -#}
{% macro event_staging_fingerprint(event_types) -%}
    {{ dbt.concat([
        "coalesce(" ~ relation_fingerprint(event_types) ~ ", '-')",
        "'|max_clock_skew_hours=" ~ var('max_clock_skew_hours') ~ "'",
    ]) }}
{%- endmacro %}
