-- The CRM change set: one row per sync target and CRM external id whose synced values (total
-- score rounded to var crm_sync_score_decimals, tier, MQL flag, top reason labels) differ from
-- what was last marked as sent to that target (fct_crm_sync_log), or that was never sent. What
-- `lead-scoring export` writes as import files. A lead dropped from the input while its
-- CRM record stays (fct_lead_deletions without a crm_disposition) is `removed`: its values null, so
-- the export clears what was last sent, once (the cleared values are what the log then holds).
{%- set synced_fields = ['total_score', 'tier', 'is_mql', 'top_reasons'] %}
with

targets as (

    select * from {{ ref('crm_sync_targets') }}

),

scores as (

    select * from {{ ref('fct_lead_scores') }}

),

leads as (

    select * from {{ ref('dim_leads') }}

),

sync_log as (

    select * from {{ ref('fct_crm_sync_log') }}

),

deletions as (

    select * from {{ ref('fct_lead_deletions') }}

),

current_values as (

    select
        targets.sync_target,
        targets.crm,
        cast(leads.{{ var('crm_external_id_column') }} as {{ dbt.type_string() }}) as crm_external_id,
        scores.scoring_model,
        scores.lead_id,
        cast(round(scores.total_score, {{ var('crm_sync_score_decimals') }}) as decimal(18, 2)) as total_score,
        scores.tier,
        scores.is_mql,
        -- the reason labels without their points, which move with decay every day
        nullif(
            trim({{ regexp_replace_all('scores.top_reasons', "' [(][-+]?[0-9.]+[)]'", "''") }}), ''
        ) as top_reasons,
        scores.score_as_of
    from targets
    inner join scores
        on targets.scoring_model = scores.scoring_model
    inner join leads
        on scores.lead_id = leads.lead_id

),

ranked_log as (

    select
        sync_log.*,
        row_number() over (
            partition by sync_log.sync_target, sync_log.crm_external_id
            order by sync_log.marked_sent_at desc, sync_log.batch_id desc
        ) as sent_rank
    from sync_log

),

last_sent as (

    select * from ranked_log
    where sent_rank = 1

),

compared as (

    select
        current_values.*,
        last_sent.batch_id as last_sent_batch_id,
        last_sent.marked_sent_at as last_sent_at,
        last_sent.total_score as last_sent_total_score,
        last_sent.tier as last_sent_tier,
        last_sent.is_mql as last_sent_is_mql,
        last_sent.top_reasons as last_sent_top_reasons,
        last_sent.crm_external_id is null as is_new,
        case
            when current_values.total_score = last_sent.total_score then false
            when current_values.total_score is null and last_sent.total_score is null then false
            else true
        end as is_total_score_changed,
        case
            when current_values.tier = last_sent.tier then false
            when current_values.tier is null and last_sent.tier is null then false
            else true
        end as is_tier_changed,
        case
            when current_values.is_mql = last_sent.is_mql then false
            when current_values.is_mql is null and last_sent.is_mql is null then false
            else true
        end as is_is_mql_changed,
        case
            when current_values.top_reasons = last_sent.top_reasons then false
            when current_values.top_reasons is null and last_sent.top_reasons is null then false
            else true
        end as is_top_reasons_changed
    from current_values
    left join last_sent
        on current_values.sync_target = last_sent.sync_target
        and current_values.crm_external_id = last_sent.crm_external_id

),

changes as (

    select
        sync_target,
        crm,
        crm_external_id,
        scoring_model,
        lead_id,
        total_score,
        tier,
        is_mql,
        top_reasons,
        score_as_of,
        case
            when is_new then 'new'
            else concat_ws(
                    ', ',
                    case when is_total_score_changed then 'total_score' end,
                    case when is_tier_changed then 'tier' end,
                    case when is_is_mql_changed then 'is_mql' end,
                    case when is_top_reasons_changed then 'top_reasons' end
                )
        end as changed_fields,
        last_sent_batch_id,
        last_sent_at,
        last_sent_total_score,
        last_sent_tier,
        last_sent_is_mql,
        last_sent_top_reasons
    from compared
    where
        is_new
        or is_total_score_changed
        or is_tier_changed
        or is_is_mql_changed
        or is_top_reasons_changed

),

-- leads dropped from the input whose CRM record stays (merged or deleted ones have no record of
-- their own left to clear)
cleared_leads as (

    select distinct lead_id
    from deletions
    where crm_disposition is null

),

removals as (

    select
        last_sent.sync_target,
        targets.crm,
        last_sent.crm_external_id,
        last_sent.scoring_model,
        last_sent.lead_id,
        cast(null as decimal(18, 2)) as total_score,
        cast(null as {{ dbt.type_string() }}) as tier,
        cast(null as boolean) as is_mql,
        cast(null as {{ dbt.type_string() }}) as top_reasons,
        {{ score_as_of_date() }} as score_as_of,
        'removed' as changed_fields,
        last_sent.batch_id as last_sent_batch_id,
        last_sent.marked_sent_at as last_sent_at,
        last_sent.total_score as last_sent_total_score,
        last_sent.tier as last_sent_tier,
        last_sent.is_mql as last_sent_is_mql,
        last_sent.top_reasons as last_sent_top_reasons
    from last_sent
    inner join targets
        on last_sent.sync_target = targets.sync_target
    inner join cleared_leads
        on last_sent.lead_id = cleared_leads.lead_id
    where
        (
            {%- for field in synced_fields %}
            last_sent.{{ field }} is not null{{ ' or' if not loop.last }}
            {%- endfor %}
        )
        and not exists (
            select 1 as is_current from current_values
            where current_values.sync_target = last_sent.sync_target
                and (
                    current_values.crm_external_id = last_sent.crm_external_id
                    or current_values.lead_id = last_sent.lead_id
                )
        )

),

final as (

    select * from changes
    union all
    select * from removals

)

select * from final
