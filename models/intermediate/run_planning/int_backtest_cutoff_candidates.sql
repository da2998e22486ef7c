-- Every candidate backtest cutoff (var backtest_step_months months apart from the first one, var
-- backtest_cutoff_count of them), with the reason it cannot be used, if any: too little history
-- before it, or an outcome window that is not complete yet. Outcomes are complete up to the
-- data's last day (the last lead created or opportunity opened), not up to score_as_of: the live
-- score can be as of today while an export's data ended long ago, and the cutoffs stay where the
-- outcomes are known. A score at a cutoff is as of the end of the day before it, so it sees only
-- events before the cutoff.
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

data_end as (

    select max(cast(created_at as date)) as last_opportunity_date
    from opportunities

),

bounds as (

    select
        min(leads.created_date) as first_data_date,
        -- outcomes are known up to the data's last day, and never after the scoring date
        least(
            {{ score_as_of_date() }},
            greatest(
                max(leads.created_date),
                coalesce(max(data_end.last_opportunity_date), max(leads.created_date))
            )
        ) as outcomes_known_until
    from leads
    cross join data_end

),

bounded as (

    select
        first_data_date,
        outcomes_known_until,
        cast(
            {{ dbt.dateadd('day', '-' ~ var('outcome_window_days') ~ ' + 1', 'outcomes_known_until') }} as date
        ) as last_cutoff_allowed
    from bounds

),

{%- if var('backtest_first_cutoff') %}
    {%- set first_cutoff = "cast('" ~ var('backtest_first_cutoff') ~ "' as date)" %}
{%- else %}
    {%- set first_cutoff = dbt.dateadd(
        'month',
        '-' ~ (var('backtest_step_months') * (var('backtest_cutoff_count') - 1)),
        dbt.date_trunc('month', 'last_cutoff_allowed'),
    ) %}
{%- endif %}

anchored as (

    select
        bounded.*,
        cast({{ first_cutoff }} as date) as first_cutoff
    from bounded

),

cutoff_numbers as (

    {{ dbt.generate_series(var('backtest_cutoff_count')) }}

),

cutoffs as (

    select
        {%- set months_after_first = '(cutoff_numbers.generated_number - 1) * ' ~ var('backtest_step_months') %}
        cast({{ dbt.dateadd('month', months_after_first, 'anchored.first_cutoff') }} as date) as cutoff_date,
        anchored.first_data_date,
        anchored.last_cutoff_allowed,
        anchored.outcomes_known_until
    from anchored
    cross join cutoff_numbers

),

candidate_rows as (

    select
        cutoff_date,
        cast({{ dbt.dateadd('day', -1, 'cutoff_date') }} as date) as as_of_date,
        cast({{ dbt.dateadd('day', var('outcome_window_days'), 'cutoff_date') }} as date)
            as outcome_window_end_date,
        first_data_date,
        outcomes_known_until,
        {{ dbt.datediff('first_data_date', 'cutoff_date', 'day') }}
            as history_days,
        case
            when cutoff_date > last_cutoff_allowed
                then 'outcome window incomplete: it ends after the last day of the data'
            when
                {{ dbt.datediff('first_data_date', 'cutoff_date', 'day') }}
                < {{ var('backtest_min_history_days') }}
                then 'too little history before the cutoff'
        end as unusable_reason
    from cutoffs

),

-- the earliest cutoff with enough history before it: with the cutoffs anchored on the data (no
-- backtest_first_cutoff), the first month start backtest_min_history_days after the first day of
-- data, since a shorter outcome window moves the last cutoff there; else the earliest of the
-- fixed cutoffs that has the history
{%- if var('backtest_first_cutoff') %}
    {%- set earliest_cutoff =
        'min(case when history_days >= ' ~ var('backtest_min_history_days') ~ ' then cutoff_date end)' %}
{%- else %}
    {%- set earliest_cutoff = dbt.dateadd(
        'month',
        1,
        dbt.date_trunc(
            'month',
            dbt.dateadd('day', var('backtest_min_history_days') ~ ' - 1', 'min(first_data_date)'),
        ),
    ) %}
{%- endif %}

earliest_cutoffs as (

    select cast({{ earliest_cutoff }} as date) as earliest_cutoff_with_history
    from candidate_rows

),

final as (

    select
        candidate_rows.*,
        {{ var('outcome_window_days') }} as outcome_window_days,
        -- the longest outcome window that leaves one usable cutoff: from the earliest cutoff with
        -- enough history to the data's last day (what `make weights` proposes when none is usable)
        case
            when earliest_cutoffs.earliest_cutoff_with_history <= candidate_rows.outcomes_known_until
                then {{ dbt.datediff(
                    'earliest_cutoffs.earliest_cutoff_with_history', 'candidate_rows.outcomes_known_until', 'day'
                ) }} + 1
        end as longest_usable_outcome_window_days
    from candidate_rows
    cross join earliest_cutoffs

)

select * from final
