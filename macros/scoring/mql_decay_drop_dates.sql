{#- For each live MQL of `live_scores` (int_leads_scored_by_date rows at the live date): the first
    day on which decay alone would take its total below the MQL line (`mql_thresholds`: scoring
    model, mql_threshold) if nothing else happened: fit and disqualifiers held as they are, every
    behavioral signal's state (`signal_states` at the live date, `signals`) decaying, with signal,
    component and total caps (`scoring_models`). Null when it stays an MQL for the next
    var mql_drop_horizon_days days. Decay only lowers a score, so a bisection over the days finds
    the first day in ceil(log2(horizon + 1)) steps, each reading the states of the MQLs once and
    the previous step once (so the plan grows linearly with the steps on every warehouse). -#}
{% macro mql_decay_drop_dates(live_scores, signal_states, signals, scoring_models, mql_thresholds) -%}
    {%- set horizon = var('mql_drop_horizon_days') | int -%}
    {%- set search = namespace(steps=0) -%}
    {%- for _ in range(64) -%}
        {%- if 2 ** search.steps < horizon + 1 -%}
            {%- set search.steps = search.steps + 1 -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set steps = search.steps -%}
    with

    mqls as (

        select
            {{ live_scores }}.as_of_date,
            {{ live_scores }}.scoring_model,
            {{ live_scores }}.lead_id,
            {{ live_scores }}.fit_score,
            {{ live_scores }}.negative_score - {{ live_scores }}.total_cap_adjustment as negative_before_total_cap,
            {{ scoring_models }}.behavioral_cap_points,
            {{ scoring_models }}.total_cap_points,
            {{ mql_thresholds }}.mql_threshold
        from {{ live_scores }}
        inner join {{ scoring_models }}
            on {{ live_scores }}.scoring_model = {{ scoring_models }}.scoring_model
        inner join {{ mql_thresholds }}
            on {{ live_scores }}.scoring_model = {{ mql_thresholds }}.scoring_model
        where {{ live_scores }}.is_mql

    ),

    mql_signals as (

        select
            mqls.scoring_model,
            mqls.lead_id,
            {{ signal_states }}.decayed_units * {{ signals }}.points_per_unit as points_after_decay,
            {{ signals }}.cap_points,
            cast({{ signals }}.half_life_days as {{ type_double() }}) as half_life_days
        from mqls
        inner join {{ signal_states }}
            on mqls.as_of_date = {{ signal_states }}.as_of_date
            and mqls.scoring_model = {{ signal_states }}.scoring_model
            and mqls.lead_id = {{ signal_states }}.lead_id
        inner join {{ signals }}
            on {{ signal_states }}.scoring_model = {{ signals }}.scoring_model
            and {{ signal_states }}.component = {{ signals }}.component
            and {{ signal_states }}.signal_id = {{ signals }}.signal_id
        where {{ signal_states }}.component = 'behavioral'

    ),

    search_0 as (

        select
            scoring_model,
            lead_id,
            0 as still_mql_day,
            {{ horizon + 1 }} as below_day
        from mqls

    ),

    {%- for step in range(1, steps + 1) %}

    probe_behavior_{{ step }} as (

        select
            probe.scoring_model,
            probe.lead_id,
            probe.still_mql_day,
            probe.below_day,
            probe.probe_day,
            sum(
                case
                    when mql_signals.cap_points is not null
                        and mql_signals.points_after_decay * power(0.5, probe.probe_day / mql_signals.half_life_days)
                        > mql_signals.cap_points
                        then mql_signals.cap_points
                    else mql_signals.points_after_decay * power(0.5, probe.probe_day / mql_signals.half_life_days)
                end
            ) as behavioral_points
        from (
            select
                search.*,
                cast(floor((search.still_mql_day + search.below_day) / 2) as integer) as probe_day
            from search_{{ step - 1 }} as search
        ) as probe
        left join mql_signals
            on probe.scoring_model = mql_signals.scoring_model
            and probe.lead_id = mql_signals.lead_id
        group by probe.scoring_model, probe.lead_id, probe.still_mql_day, probe.below_day, probe.probe_day

    ),

    probe_total_{{ step }} as (

        select
            probe.scoring_model,
            probe.lead_id,
            probe.still_mql_day,
            probe.below_day,
            probe.probe_day,
            mqls.fit_score
            + case
                when mqls.behavioral_cap_points is not null
                    and coalesce(probe.behavioral_points, 0) > mqls.behavioral_cap_points
                    then mqls.behavioral_cap_points
                else coalesce(probe.behavioral_points, 0)
            end
            - mqls.negative_before_total_cap as uncapped_total,
            mqls.total_cap_points,
            mqls.mql_threshold
        from probe_behavior_{{ step }} as probe
        inner join mqls
            on probe.scoring_model = mqls.scoring_model
            and probe.lead_id = mqls.lead_id

    ),

    search_{{ step }} as (

        select
            scoring_model,
            lead_id,
            case when is_below then still_mql_day else probe_day end as still_mql_day,
            case when is_below then probe_day else below_day end as below_day
        from (
            select
                probe_total.*,
                probe_total.still_mql_day < probe_total.probe_day
                and {{ round_points(
                    'case when probe_total.total_cap_points is not null and probe_total.uncapped_total > probe_total.total_cap_points then probe_total.total_cap_points else probe_total.uncapped_total end'
                ) }} < probe_total.mql_threshold as is_below
            from probe_total_{{ step }} as probe_total
        ) as probed

    ),
    {%- endfor %}

    final as (

        select
            search.scoring_model,
            search.lead_id,
            case
                when search.below_day <= {{ horizon }}
                    then cast({{ dbt.dateadd('day', 'search.below_day', 'mqls.as_of_date') }} as date)
            end as mql_decay_drop_date
        from search_{{ steps }} as search
        inner join mqls
            on search.scoring_model = mqls.scoring_model
            and search.lead_id = mqls.lead_id

    )

    select * from final
{%- endmacro %}
