{#-
    on-run-end: for every data test that failed (or warned) in the run, prints the rows its query
    returned (at most var `failing_test_rows_shown`, default 10), column by column, under the test's
    name and the seed or model it tests. dbt itself only says "Got 1 result, configured to fail if
    != 0"; with these lines an analyst sees which seed row (its key values) broke which rule and can
    fix the CSV without reading SQL. The query is the test's own compiled SQL, run again: nothing is
    stored, and a passing build runs no extra query.

    Tests of this project return the offending rows: `not_null` is overridden below to return the
    whole row (dbt's returns only the null column), `unique` and `relationships` return the
    duplicated or unknown key, the project's generic tests (tests/generic) return the rows or groups
    with a `problem` column where the rule needs explaining.
-#}
{% macro log_failing_test_rows(results) %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set shown = var('failing_test_rows_shown', 10) | int -%}
    {%- for result in results
        if result.node.resource_type == 'test' and (result.status | string) in ('fail', 'warn')
            and result.node.compiled_code -%}
        {%- set node = result.node -%}
        {%- set tested = node.attached_node or '' -%}
        {%- set rows = run_query(
            'select * from (' ~ node.compiled_code ~ ') as failing_rows limit ' ~ shown
        ) -%}
        {%- do log(
            (result.status | string | upper) ~ ' ' ~ node.name
            ~ (' on ' ~ tested.split('.')[-1] if tested else '')
            ~ ' (' ~ node.original_file_path ~ '): ' ~ result.failures ~ ' failing row(s)'
            ~ (', the first ' ~ shown if (result.failures or 0) > shown else '') ~ ':',
            info=true
        ) -%}
        {%- for row in rows.rows -%}
            {%- set fields = [] -%}
            {%- for column in rows.column_names -%}
                {%- do fields.append(column ~ '=' ~ (row[loop.index0] if row[loop.index0] is not none else 'null')) -%}
            {%- endfor -%}
            {%- do log('    ' ~ fields | join(', '), info=true) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
