{#- The score ledger at the as-of dates flagged `date_flag` (is_live, is_backtest): the rows of the
    three component ledgers (`fit_rows`, `behavioral_rows`, `negative_rows`) plus one row for each
    component or total cap that lowered a score (`scores`, int_leads_scored_by_date rows), so that a
    component's points always sum to its score. -#}
{% macro ledger_with_cap_rows(fit_rows, behavioral_rows, negative_rows, scores, date_flag) -%}
    {%- set columns = [
        'as_of_date', 'scoring_model', 'lead_id', 'component', 'rule_id', 'reason_label', 'matched_value',
        'event_count', 'last_occurred_at', 'decayed_units', 'raw_points', 'decay_factor',
        'points_after_decay', 'cap_points', 'points',
    ] -%}
    {%- for rows in [fit_rows, behavioral_rows, negative_rows] %}
    select {{ columns | join(', ') }}
    from {{ rows }}
    where {{ date_flag }}
    union all
    {%- endfor %}
    {%- for component, adjustment, rule_id in [
        ('fit', 'fit_cap_adjustment', 'fit_cap'),
        ('behavioral', 'behavioral_cap_adjustment', 'behavioral_cap'),
        ('negative', 'negative_cap_adjustment', 'negative_cap'),
        ('negative', 'total_cap_adjustment', 'total_cap'),
    ] %}
    select
        as_of_date,
        scoring_model,
        lead_id,
        '{{ component }}' as component,
        '{{ rule_id }}' as rule_id,
        '{{ rule_id | replace("_", " ") }}' as reason_label,
        cast(null as {{ dbt.type_string() }}) as matched_value,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at,
        cast(null as {{ type_double() }}) as decayed_units,
        {{ adjustment }} as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        {{ adjustment }} as points_after_decay,
        cast(null as {{ type_double() }}) as cap_points,
        {{ adjustment }} as points
    from {{ scores }}
    where {{ date_flag }} and {{ adjustment }} <> 0
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
