{#- Join clause that attaches the score bin (and so the calibrated conversion probability) of
    `bins` (int_score_probability_bins rows, imported by the calling model) to rows of
    `scores_alias` with a scoring_model and total_score. A bin includes its lower score and
    excludes its upper one. -#}
{% macro join_score_bins(scores_alias, bins) -%}
    left join {{ bins }}
        on {{ scores_alias }}.scoring_model = {{ bins }}.scoring_model
        and ({{ bins }}.lower_score is null or {{ scores_alias }}.total_score >= {{ bins }}.lower_score)
        and ({{ bins }}.upper_score is null or {{ scores_alias }}.total_score < {{ bins }}.upper_score)
{%- endmacro %}
