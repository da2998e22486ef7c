-- One row per lead version and attribute, the shape attribute rules (fit and negative) are matched on:
-- a rule names an attribute and is joined to these rows, so adding a rule needs no SQL.
with

leads as (

    select * from {{ ref('int_lead_versions_enriched') }}

),

{%- set text_attributes = var('lead_attributes')['text'] %}
{%- set number_attributes = var('lead_attributes')['number'] %}

unpivoted as (

    {% for attribute in text_attributes %}
    select
        lead_id,
        valid_from_date,
        '{{ attribute }}' as attribute,
        {{ attribute }} as text_value,
        cast(null as {{ dbt.type_numeric() }}) as number_value
    from leads
    where {{ attribute }} is not null

    union all

    {% endfor %}
    {%- for attribute in number_attributes %}
    select
        lead_id,
        valid_from_date,
        '{{ attribute }}' as attribute,
        cast({{ attribute }} as {{ dbt.type_string() }}) as text_value,
        cast({{ attribute }} as {{ dbt.type_numeric() }}) as number_value
    from leads
    where {{ attribute }} is not null
    {%- if not loop.last %}

    union all
    {% endif %}
    {%- endfor %}

)

select * from unpivoted
