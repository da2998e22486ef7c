{#- Ledger rows of the attribute rules of `component` (fit or negative): every scored lead of
    `population` (int_scoring_population rows) joined to the rules its attribute version valid at
    the as-of date matches (`matched_rules`, int_lead_attribute_rules_matched rows). A matched rule
    adds its points, undecayed. -#}
{% macro attribute_rule_ledger_rows(population, matched_rules, component) -%}
    select
        {{ population }}.as_of_date,
        {{ population }}.is_live,
        {{ population }}.is_backtest,
        {{ population }}.scoring_model,
        {{ population }}.lead_id,
        {{ matched_rules }}.component,
        {{ matched_rules }}.rule_id,
        {{ matched_rules }}.reason_label,
        {{ matched_rules }}.matched_value,
        cast(null as {{ dbt.type_bigint() }}) as event_count,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at,
        cast(null as {{ type_double() }}) as decayed_units,
        cast({{ matched_rules }}.points as {{ type_double() }}) as raw_points,
        cast(1 as {{ type_double() }}) as decay_factor,
        cast({{ matched_rules }}.points as {{ type_double() }}) as points_after_decay,
        cast(null as {{ type_double() }}) as cap_points,
        cast({{ matched_rules }}.points as {{ type_double() }}) as points
    from {{ population }}
    inner join {{ matched_rules }}
        on {{ population }}.scoring_model = {{ matched_rules }}.scoring_model
        and {{ population }}.lead_id = {{ matched_rules }}.lead_id
        and {{ population }}.version_valid_from_date = {{ matched_rules }}.valid_from_date
    where {{ matched_rules }}.component = '{{ component }}'
{%- endmacro %}
