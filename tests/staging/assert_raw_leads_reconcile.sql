-- Every input lead row (base_inputs__leads) is a staged lead, a superseded version, a rejected row,
-- or a connector's record merged into another person or deleted.
{{ assert_row_counts_reconcile(
    total="select count(*) from " ~ ref('base_inputs__leads'),
    parts={
        'staged': "select count(*) from " ~ ref('stg_crm__leads'),
        'superseded': "select count(*) from " ~ ref('stg_crm__lead_versions') ~ " where record_status = 'superseded'",
        'rejected': "select count(*) from " ~ ref('stg_crm__lead_rejects'),
        'merged': "select count(*) from " ~ ref('stg_crm__lead_versions') ~ " where record_status = 'merged'",
        'deleted': "select count(*) from " ~ ref('stg_crm__lead_versions') ~ " where record_status = 'deleted'",
    },
) }}
