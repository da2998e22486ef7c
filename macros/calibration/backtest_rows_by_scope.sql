{#- The calibrated backtest rows (`backtest_scores`: int_backtest_scores_calibrated, imported by the
    calling model) twice: once per cutoff (is_overall false) and once pooled over all cutoffs
    (is_overall true, cutoff_date null), so a report computes both with one group by on
    (scoring_model, is_overall, cutoff_date). -#}
{% macro backtest_rows_by_scope(backtest_scores) -%}
    {%- for is_overall in [false, true] %}
    select
        scoring_model,
        {{ 'true' if is_overall else 'false' }} as is_overall,
        {{ 'cast(null as date)' if is_overall else 'cutoff_date' }} as cutoff_date,
        lead_id,
        total_score,
        tier,
        tier_rank,
        is_mql,
        score_bin,
        conversion_probability,
        held_out_conversion_probability,
        case when is_converted then 1 else 0 end as converted
    from {{ backtest_scores }}
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}
{%- endmacro %}
