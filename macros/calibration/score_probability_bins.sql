{#- CTEs (quantiles, edges, bin_bounds, bounded, members, base_rates, probability_bins) to place in
    a model's `with`; `probability_bins` holds the score-to-probability mapping learned from `scores` (rows with total_score and is_converted):
    per group of `group_columns`, score bins at the quantiles (var calibration_bins) of the scores,
    each with its observed conversion rate shrunk towards the group's base rate (var
    calibration_prior_strength). Bins cover the whole number line: the first has no lower bound,
    the last no upper bound, each includes its lower bound. Tied scores straddling two quantiles
    share one bin (bins are defined by their distinct lower edges). -#}
{% macro score_probability_bins(scores, group_columns) -%}
    {%- set groups = group_columns | join(', ') -%}
    {%- set joined = [] -%}
    {%- for column in group_columns -%}
        {%- do joined.append('bounded.' ~ column ~ ' = ' ~ scores ~ '.' ~ column) -%}
    {%- endfor -%}
    quantiles as (

        select
            {{ groups }},
            total_score,
            ntile({{ var('calibration_bins') }}) over (
                partition by {{ groups }}
                order by total_score
            ) as score_quantile
        from {{ scores }}

    ),

    edges as (

        select distinct
            {{ groups }},
            min(total_score) over (partition by {{ groups }}, score_quantile) as edge_score
        from quantiles

    ),

    bin_bounds as (

        select
            {{ groups }},
            row_number() over (partition by {{ groups }} order by edge_score) as score_bin,
            edge_score as lower_edge,
            lead(edge_score) over (partition by {{ groups }} order by edge_score) as upper_score
        from edges

    ),

    bounded as (

        select
            {{ groups }},
            score_bin,
            case when score_bin = 1 then null else lower_edge end as lower_score,
            upper_score
        from bin_bounds

    ),

    members as (

        select
            {%- for column in group_columns %}
            bounded.{{ column }},
            {%- endfor %}
            bounded.score_bin,
            count(*) as leads,
            sum(case when {{ scores }}.is_converted then 1 else 0 end) as conversions,
            min({{ scores }}.total_score) as min_observed_score,
            max({{ scores }}.total_score) as max_observed_score
        from bounded
        inner join {{ scores }}
            on {{ joined | join(' and ') }}
            and (bounded.lower_score is null or bounded.lower_score <= {{ scores }}.total_score)
            and (bounded.upper_score is null or bounded.upper_score > {{ scores }}.total_score)
        group by
            {%- for column in group_columns %}
            bounded.{{ column }},
            {%- endfor %}
            bounded.score_bin

    ),

    base_rates as (

        select
            {{ groups }},
            avg(case when is_converted then 1.0 else 0.0 end) as base_rate
        from {{ scores }}
        group by {{ groups }}

    ),

    probability_bins as (

    select
        {%- for column in group_columns %}
        bounded.{{ column }},
        {%- endfor %}
        bounded.score_bin,
        cast(bounded.lower_score as decimal(18, 2)) as lower_score,
        cast(bounded.upper_score as decimal(18, 2)) as upper_score,
        cast(members.min_observed_score as decimal(18, 2)) as min_observed_score,
        cast(members.max_observed_score as decimal(18, 2)) as max_observed_score,
        coalesce(members.leads, 0) as leads,
        coalesce(members.conversions, 0) as conversions,
        cast(members.conversions as {{ type_double() }}) / nullif(members.leads, 0) as observed_conversion_rate,
        cast(
            (coalesce(members.conversions, 0) + {{ var('calibration_prior_strength') }} * base_rates.base_rate)
            / (coalesce(members.leads, 0) + {{ var('calibration_prior_strength') }})
            as {{ type_double() }}
        ) as conversion_probability
    from bounded
    inner join base_rates
        on {{ joined | join(' and ') | replace(scores ~ '.', 'base_rates.') }}
    left join members
        on {{ joined | join(' and ') | replace(scores ~ '.', 'members.') }}
        and bounded.score_bin = members.score_bin

    )
{%- endmacro %}
