{#-
    The scoring core. Each macro returns ledger rows: one per as-of date, scoring model, lead,
    component and rule or signal, with the evidence and the points it adds to its component:

      as_of_date, scoring_model, lead_id, component, rule_id, reason_label, matched_value,
      event_count, last_occurred_at, raw_points, decay_factor, points_after_decay, cap_points, points

    `points` is what the row adds to its component (negative rows carry magnitudes: negative_score
    is the sum of their points). `as_of_dates` is a query returning a column `as_of_date`; a score
    as of a date counts events up to the end of that date and none after. The live score, the
    backtests and the score history all call these macros, so they cannot drift apart.
-#}

{#- Fit or negative points from lead attributes: a matched rule adds its points, undecayed. -#}
{% macro attribute_rule_ledger(component, as_of_dates) -%}
    select
        scored_leads.as_of_date,
        scored_leads.scoring_model,
        scored_leads.lead_id,
        matched.component,
        matched.rule_id,
        matched.reason_label,
        matched.matched_value,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at,
        cast(matched.points as {{ type_double() }}) as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        cast(matched.points as {{ type_double() }}) as points_after_decay,
        cast(null as {{ type_double() }}) as cap_points,
        cast(matched.points as {{ type_double() }}) as points
    from ({{ scored_leads(as_of_dates) }}) as scored_leads
    inner join {{ ref('int_lead_attribute_rules_matched') }} as matched
        on scored_leads.scoring_model = matched.scoring_model
        and scored_leads.lead_id = matched.lead_id
    where matched.component = '{{ component }}'
{%- endmacro %}


{#- The FROM ... WHERE of the event components: every scored lead and as-of date joined to the
    lead's signal days up to that date (aliases scored_leads, signal_days, signals), for the signals
    of `component`. -#}
{% macro signal_days_up_to(as_of_dates, component) -%}
    from ({{ scored_leads(as_of_dates) }}) as scored_leads
    inner join {{ ref('int_lead_signal_days') }} as signal_days
        on scored_leads.scoring_model = signal_days.scoring_model
        and scored_leads.lead_id = signal_days.lead_id
        and signal_days.activity_date <= scored_leads.as_of_date
    inner join {{ ref('int_scoring_event_signals') }} as signals
        on signal_days.scoring_model = signals.scoring_model
        and signal_days.signal_id = signals.signal_id
        and signal_days.component = signals.component
    where signals.component = '{{ component }}'
{%- endmacro %}


{#- Behavioral points: each event earns points_per_unit per unit, decayed by
    0.5 ^ (age_days / half_life_days), summed per signal and capped at cap_points. -#}
{% macro behavioral_signal_ledger(as_of_dates) -%}
    {%- set age_days = dbt.datediff('signal_days.activity_date', 'scored_leads.as_of_date', 'day') -%}
    select
        as_of_date,
        scoring_model,
        lead_id,
        'behavioral' as component,
        signal_id as rule_id,
        reason_label,
        cast(null as {{ dbt.type_string() }}) as matched_value,
        event_count,
        last_occurred_at,
        cast(raw_points as {{ type_double() }}) as raw_points,
        cast(case when raw_points <> 0 then points_after_decay / raw_points end as {{ type_double() }})
            as decay_factor,
        cast(points_after_decay as {{ type_double() }}) as points_after_decay,
        cast(cap_points as {{ type_double() }}) as cap_points,
        cast(
            case
                when cap_points is not null and points_after_decay > cap_points then cap_points
                else points_after_decay
            end as {{ type_double() }}
        ) as points
    from (
        select
            scored_leads.as_of_date,
            scored_leads.scoring_model,
            scored_leads.lead_id,
            signals.signal_id,
            min(signals.reason_label) as reason_label,
            min(signals.cap_points) as cap_points,
            sum(signal_days.event_count) as event_count,
            max(signal_days.last_occurred_at) as last_occurred_at,
            sum(signal_days.units * signals.points_per_unit) as raw_points,
            sum(
                signal_days.units * signals.points_per_unit
                * power(0.5, {{ age_days }} / cast(signals.half_life_days as {{ type_double() }}))
            ) as points_after_decay
        {{ signal_days_up_to(as_of_dates, 'behavioral') }}
        group by scored_leads.as_of_date, scored_leads.scoring_model, scored_leads.lead_id, signals.signal_id
    ) as decayed
{%- endmacro %}


{#- Negative points from events: a rule adds its points once when any matching event happened in
    its window (the last window_days days up to the as-of date; no window = ever). -#}
{% macro negative_event_ledger(as_of_dates) -%}
    {%- set age_days = dbt.datediff('signal_days.activity_date', 'scored_leads.as_of_date', 'day') -%}
    select
        scored_leads.as_of_date,
        scored_leads.scoring_model,
        scored_leads.lead_id,
        'negative' as component,
        signals.signal_id as rule_id,
        min(signals.reason_label) as reason_label,
        cast(null as {{ dbt.type_string() }}) as matched_value,
        sum(signal_days.event_count) as event_count,
        max(signal_days.last_occurred_at) as last_occurred_at,
        cast(min(signals.points_per_unit) as {{ type_double() }}) as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        cast(min(signals.points_per_unit) as {{ type_double() }}) as points_after_decay,
        cast(null as {{ type_double() }}) as cap_points,
        cast(min(signals.points_per_unit) as {{ type_double() }}) as points
    {{ signal_days_up_to(as_of_dates, 'negative') }}
        and (signals.window_days is null or {{ age_days }} < signals.window_days)
    group by scored_leads.as_of_date, scored_leads.scoring_model, scored_leads.lead_id, signals.signal_id
{%- endmacro %}


{#- Days since each scored lead's last engagement event up to the as-of date (since creation when
    there is none). -#}
{% macro lead_engagement_as_of(as_of_dates) -%}
    select
        scored_leads.as_of_date,
        scored_leads.scoring_model,
        scored_leads.lead_id,
        max(engagement_days.activity_date) as last_engagement_date,
        {{ dbt.datediff(
            'coalesce(max(engagement_days.activity_date), min(scored_leads.created_date))',
            'scored_leads.as_of_date',
            'day'
        ) }} as days_since_last_engagement
    from ({{ scored_leads(as_of_dates) }}) as scored_leads
    left join {{ ref('int_lead_engagement_days') }} as engagement_days
        on scored_leads.lead_id = engagement_days.lead_id
        and engagement_days.activity_date <= scored_leads.as_of_date
    group by scored_leads.as_of_date, scored_leads.scoring_model, scored_leads.lead_id
{%- endmacro %}


{#- Negative points for inactivity: a rule adds its points when the lead had no engagement event in
    the last window_days days up to the as-of date (counting from creation when it never engaged). -#}
{% macro inactivity_ledger(as_of_dates) -%}
    select
        engagement.as_of_date,
        engagement.scoring_model,
        engagement.lead_id,
        'negative' as component,
        rules.rule_id,
        rules.reason_label,
        cast(engagement.days_since_last_engagement as {{ dbt.type_string() }}) as matched_value,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(engagement.last_engagement_date as {{ dbt.type_timestamp() }}) as last_occurred_at,
        cast(rules.points as {{ type_double() }}) as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        cast(rules.points as {{ type_double() }}) as points_after_decay,
        cast(null as {{ type_double() }}) as cap_points,
        cast(rules.points as {{ type_double() }}) as points
    from ({{ lead_engagement_as_of(as_of_dates) }}) as engagement
    inner join {{ ref('scoring_negative_rules') }} as rules
        on engagement.scoring_model = rules.scoring_model
    where rules.rule_type = 'inactivity'
        and engagement.days_since_last_engagement >= rules.window_days
{%- endmacro %}


{#- The whole ledger: every component's rows. -#}
{% macro score_ledger(as_of_dates) -%}
    {{ attribute_rule_ledger('fit', as_of_dates) }}
    union all
    {{ behavioral_signal_ledger(as_of_dates) }}
    union all
    {{ negative_ledger(as_of_dates) }}
{%- endmacro %}


{#- The negative component's rows: attribute disqualifiers, negative events and inactivity. -#}
{% macro negative_ledger(as_of_dates) -%}
    {{ attribute_rule_ledger('negative', as_of_dates) }}
    union all
    {{ negative_event_ledger(as_of_dates) }}
    union all
    {{ inactivity_ledger(as_of_dates) }}
{%- endmacro %}
