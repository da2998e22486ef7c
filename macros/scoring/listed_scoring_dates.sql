{#- The as-of dates a run scores, apart from the backtest cutoffs, as (YYYY-MM-DD, role) pairs: the
    live date; the history days fct_lead_score_history gets this run, each with the day before it
    as context unless the table keeps that day (fct_lead_score_history reads it there); and the
    comparison days of the live score's short and long windows that the history will not have
    after this run (fct_lead_scores reads the others there). The history days are those of the
    last score_history_days the table does not have yet and the last history_recompute_days days
    it has (default 0: an intra-day run, the same live date again, lists no history day). Days older than the table's first day, and every day of the
    window on a full refresh or a first build, count against history_backfill_days_per_run, newest
    first: the rest are left to the next run, so the history always covers one unbroken range.
    The days the table keeps are listed again as `history_repair` (with their `history_repair_context`)
    when leads' inputs up to them changed (`changed`: int_score_history_changed_leads), or as
    `history` for every lead when the whole history is scored again (the scoring configuration
    changed: the pre-hook of fct_lead_score_history emptied it).
    A live date before the table's last day is refused. Reads the history's bounds at run time. -#}
{% macro listed_scoring_dates(changed) -%}
    {%- set live = score_as_of_iso() -%}
    {%- set history_days = var('score_history_days') | int -%}
    {%- set recompute_days = var('history_recompute_days') | int -%}
    {%- set existing = score_history_bounds() -%}
    {%- if existing.last is not none and live < existing.last -%}
        {%- do exceptions.raise_compiler_error(
            'var score_as_of ' ~ live ~ ' is before the last run\'s date ' ~ existing.last
            ~ ' (the newest day of fct_lead_score_history): scores do not go back in time in place. '
            ~ 'Score that date on a fresh warehouse, or rebuild this one as of it with: '
            ~ 'dbt build --full-refresh --vars \'{score_as_of: "' ~ live ~ '"}\''
        ) -%}
    {%- endif -%}
    {%- set repair = history_repair_scope(changed) -%}
    {%- set backfill_limit = var('history_backfill_days_per_run') | int -%}
    {%- if backfill_limit < 1 -%}
        {%- do exceptions.raise_compiler_error(
            'var history_backfill_days_per_run must be at least 1, not ' ~ backfill_limit
        ) -%}
    {%- endif -%}
    {%- set backfill = {'days': 0} -%}
    {%- set listed = [(live, 'live')] -%}
    {%- set history_listed = [] -%}
    {%- set history_role = 'history' if history_repairs_whole_days() else 'history_repair' -%}
    {%- for days_back in range(history_days) -%}
        {%- set day = shift_iso_date(live, -days_back) -%}
        {%- set is_new = existing.last is not none and day > shift_iso_date(existing.last, -recompute_days) -%}
        {%- set is_older = existing.last is none or day < existing.first -%}
        {%- set scored = is_new -%}
        {%- if is_older and backfill.days < backfill_limit -%}
            {%- do backfill.update({'days': backfill.days + 1}) -%}
            {%- set scored = true -%}
        {%- endif -%}
        {%- if scored -%}
            {%- do listed.append((day, 'history')) -%}
            {%- do history_listed.append(day) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- the day before each history day, for whether the lead was an MQL then: read from the table
        when it keeps that day (fct_lead_score_history), else scored as context -#}
    {%- for day in history_listed -%}
        {%- set before = shift_iso_date(day, -1) -%}
        {%- if repair.rebuild or not history_reads_its_kept_days() or (before not in history_listed
            and not (existing.first is not none and existing.first <= before and before <= existing.last)) -%}
            {%- do listed.append((before, 'history_context')) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- every day the table keeps, older ones beyond the window included: for the changed leads, or
        for every lead when the whole history is scored again -#}
    {%- if repair.rebuild -%}{%- set history_role = 'history' -%}{%- endif -%}
    {%- if (repair.leads > 0 or repair.rebuild) and existing.first is not none -%}
        {%- set parse = modules.datetime.datetime.strptime -%}
        {%- set kept_days = (
            parse(existing.last, '%Y-%m-%d') - parse(existing.first, '%Y-%m-%d')
        ).days + 1 - recompute_days -%}
        {%- for days_after in range(kept_days) -%}
            {%- set day = shift_iso_date(existing.first, days_after) -%}
            {%- do listed.append((day, history_role)) -%}
            {%- do listed.append((shift_iso_date(day, -1), history_role ~ '_context')) -%}
        {%- endfor -%}
    {%- endif -%}
    {#- a comparison day the history has after this run is read from it (fct_lead_scores) -#}
    {%- for window_var in ['score_change_short_days', 'score_change_long_days'] -%}
        {%- set day = shift_iso_date(live, -(var(window_var) | int)) -%}
        {%- if day not in history_listed
            and not (existing.first is not none and existing.first <= day and day <= existing.last) -%}
            {%- do listed.append((day, 'comparison')) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(listed) -}}
{%- endmacro %}
