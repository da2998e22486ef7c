{#- Join clause that attaches the score bin (and so the calibrated conversion probability) of
    int_score_probability_bins to rows of `scores_alias` with a scoring_model and total_score. -#}
{% macro join_score_bins(scores_alias, bins_alias) -%}
    left join {{ ref('int_score_probability_bins') }} as {{ bins_alias }}
        on {{ scores_alias }}.scoring_model = {{ bins_alias }}.scoring_model
        and ({{ bins_alias }}.lower_score is null or {{ scores_alias }}.total_score >= {{ bins_alias }}.lower_score)
        and ({{ bins_alias }}.upper_score is null or {{ scores_alias }}.total_score < {{ bins_alias }}.upper_score)
{%- endmacro %}
