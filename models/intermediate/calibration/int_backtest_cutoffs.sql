-- The backtest cutoffs: every var backtest_step_months months from the first cutoff, keeping those
-- with a complete outcome window before the scoring date and enough history before them. A score at
-- a cutoff is as of the end of the day before it, so it sees only events before the cutoff.
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

bounds as (

    select
        min(created_date) as first_data_date,
        {{ score_as_of_date() }} as score_as_of,
        {{ dbt.dateadd('day', '-' ~ var('outcome_window_days') ~ ' + 1', score_as_of_date()) }} as last_cutoff_allowed
    from leads

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
        bounds.*,
        cast({{ first_cutoff }} as date) as first_cutoff
    from bounds

),

cutoff_numbers as (

    {{ dbt.generate_series(var('backtest_cutoff_count')) }}

),

cutoffs as (

    select
        {%- set months_after_first = '(cutoff_numbers.generated_number - 1) * ' ~ var('backtest_step_months') %}
        cast({{ dbt.dateadd('month', months_after_first, 'anchored.first_cutoff') }} as date) as cutoff_date,
        anchored.first_data_date,
        anchored.last_cutoff_allowed
    from anchored
    cross join cutoff_numbers

),

final as (

    select
        cutoff_date,
        cast({{ dbt.dateadd('day', -1, 'cutoff_date') }} as date) as as_of_date,
        cast({{ dbt.dateadd('day', var('outcome_window_days'), 'cutoff_date') }} as date)
            as outcome_window_end_date
    from cutoffs
    where cutoff_date <= last_cutoff_allowed
        and {{ dbt.datediff('first_data_date', 'cutoff_date', 'day') }}
        >= {{ var('backtest_min_history_days') }}

)

select * from final
