-- Every raw event row is a staged event, a repeated delivery of one, or a rejected row.
{{ assert_row_counts_reconcile(
    total="select count(*) from " ~ source('marketing', 'events'),
    parts={
        'staged': "select count(*) from " ~ ref('stg_marketing__events'),
        'duplicate': "select sum(delivery_count - 1) from " ~ ref('stg_marketing__events'),
        'rejected': "select count(*) from " ~ ref('stg_marketing__event_rejects'),
    },
) }}
