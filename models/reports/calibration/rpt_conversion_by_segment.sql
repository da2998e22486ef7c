-- Does the score work equally well for every kind of lead? Per scoring model, segment type (the
-- lead attributes of var segment_attributes: by default industry, company size band, country and
-- lead source) and segment, over all backtest cutoffs:
-- leads, conversions, observed conversion rate against the mean calibrated probability (a large
-- gap means the score under- or over-rates that segment), and mean score.
with

backtest_scores as (

    select * from {{ ref('int_backtest_scores_calibrated') }}

),

{%- set segment_types = var('segment_attributes') %}

segmented as (

    {%- for segment_type in segment_types %}
    select
        scoring_model,
        '{{ segment_type }}' as segment_type,
        coalesce(cast({{ segment_type }} as {{ dbt.type_string() }}), 'unknown') as segment,
        total_score,
        conversion_probability,
        case when is_converted then 1 else 0 end as converted,
        case when is_mql then 1 else 0 end as is_mql_flag
    from backtest_scores
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

by_segment as (

    select
        scoring_model,
        segment_type,
        segment,
        count(*) as leads,
        sum(converted) as conversions,
        avg(converted * 1.0) as conversion_rate,
        avg(conversion_probability) as mean_predicted_probability,
        avg(cast(total_score as {{ type_double() }})) as mean_total_score,
        avg(is_mql_flag * 1.0) as mql_share
    from segmented
    group by scoring_model, segment_type, segment

),

final as (

    select
        scoring_model,
        segment_type,
        segment,
        leads,
        cast(conversions as {{ dbt.type_bigint() }}) as conversions,
        cast(conversion_rate as {{ type_double() }}) as conversion_rate,
        cast(mean_predicted_probability as {{ type_double() }}) as mean_predicted_probability,
        cast(conversion_rate - mean_predicted_probability as {{ type_double() }}) as calibration_gap,
        cast(mean_total_score as {{ type_double() }}) as mean_total_score,
        cast(mql_share as {{ type_double() }}) as mql_share
    from by_segment

)

select * from final
