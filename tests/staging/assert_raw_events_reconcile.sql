-- Every input event row (the raw files' and the connectors', base_inputs__events) is a staged
-- event, a repeated delivery of one, or a rejected row with its reason: a reject without a reason
-- is not counted, and fails the reconciliation (one scan of the rejects proves both, in place of a
-- not_null test that would scan every raw row again).
{{ assert_row_counts_reconcile(
    total="select count(*) from " ~ ref('base_inputs__events'),
    parts={
        'staged': "select count(*) from " ~ ref('stg_marketing__events'),
        'duplicate': "select sum(delivery_count - 1) from " ~ ref('stg_marketing__events'),
        'rejected_with_reason': "select count(reject_reason) from " ~ ref('stg_marketing__event_rejects'),
    },
) }}
