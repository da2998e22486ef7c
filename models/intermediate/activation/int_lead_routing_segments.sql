-- The segment values routing rules can narrow on, one row per scoring model, lead and attribute
-- (the lead's current attributes): country_code, industry and lead_source as staged, and the
-- company_size band (scoring_bands, band_type company_size) holding the employee count. A lead
-- without a value has no row for that attribute and takes its tier's fallback rule.
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

bands as (

    select * from {{ ref('scoring_bands') }}

),

scoring_models as (

    select * from {{ ref('scoring_models') }}

),

text_segments as (

    select
        lead_id,
        'country_code' as segment_attribute,
        country_code as segment_value
    from leads
    union all
    select
        lead_id,
        'industry' as segment_attribute,
        industry as segment_value
    from leads
    union all
    select
        lead_id,
        'lead_source' as segment_attribute,
        lead_source as segment_value
    from leads

),

model_text_segments as (

    select
        scoring_models.scoring_model,
        text_segments.lead_id,
        text_segments.segment_attribute,
        text_segments.segment_value
    from text_segments
    cross join scoring_models
    where text_segments.segment_value is not null

),

company_size_segments as (

    select
        size_bands.scoring_model,
        leads.lead_id,
        'company_size' as segment_attribute,
        size_bands.band as segment_value
    from leads
    inner join bands as size_bands
        on size_bands.band_type = 'company_size'
        and (size_bands.lower_bound is null or leads.employee_count >= size_bands.lower_bound)
        and (size_bands.upper_bound is null or leads.employee_count < size_bands.upper_bound)
    where leads.employee_count is not null

),

final as (

    select * from model_text_segments
    union all
    select * from company_size_segments

)

select * from final
