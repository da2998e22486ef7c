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
