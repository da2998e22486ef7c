{#- The values of the CRM sync tables (fct_crm_sync_records, fct_crm_push_log), null and typed, in
    their column order: a person's (`person`), an account's (`account`) or both (none). One list, so
    the sync table, its removals and the push journal cannot disagree on a column's type. -#}
{% macro crm_sync_null_values(record_kind=none) %}
    {%- set person_values = [
        ('total_score', 'decimal(18, 2)'),
        ('fit_score', 'decimal(18, 2)'),
        ('engagement_score', 'decimal(18, 2)'),
        ('fit_grade', type_varchar()),
        ('engagement_level', 'integer'),
        ('tier', type_varchar()),
        ('is_mql', 'boolean'),
        ('priority', type_varchar()),
        ('conversion_probability', type_double()),
        ('top_reasons', type_varchar()),
    ] -%}
    {%- set account_values = [
        ('account_score', 'decimal(18, 2)'),
        ('account_tier', type_varchar()),
        ('is_mqa', 'boolean'),
    ] -%}
    {%- if record_kind == 'person' -%}
        {%- set values = person_values -%}
    {%- elif record_kind == 'account' -%}
        {%- set values = account_values -%}
    {%- elif record_kind is none -%}
        {%- set values = person_values + account_values -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("crm_sync_null_values: record_kind is 'person', 'account' or none, not '" ~ record_kind ~ "'") }}
    {%- endif -%}
    {%- for name, data_type in values %}
        cast(null as {{ data_type }}) as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{% endmacro %}
