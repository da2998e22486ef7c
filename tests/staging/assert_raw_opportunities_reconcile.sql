-- Every input opportunity row (base_inputs__opportunities) is a staged opportunity, a superseded
-- copy or a rejected row.
{{ assert_row_counts_reconcile(
    total="select count(*) from " ~ ref('base_inputs__opportunities'),
    parts={
        'staged': "select count(*) from " ~ ref('stg_crm__opportunities'),
        'superseded': "select count(*) from " ~ ref('stg_crm__opportunity_versions') ~ " where record_status = 'superseded'",
        'rejected': "select count(*) from " ~ ref('stg_crm__opportunity_rejects'),
    },
) }}
