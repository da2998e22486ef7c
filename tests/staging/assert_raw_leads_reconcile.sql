-- Every raw lead row is a staged lead, a superseded version or a rejected row.
{{ assert_row_counts_reconcile(
    total="select count(*) from " ~ source('crm', 'leads'),
    parts={
        'staged': "select count(*) from " ~ ref('stg_crm__leads'),
        'superseded': "select count(*) from " ~ ref('stg_crm__lead_versions') ~ " where record_status = 'superseded'",
        'rejected': "select count(*) from " ~ ref('stg_crm__lead_rejects'),
    },
) }}
