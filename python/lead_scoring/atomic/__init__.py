"""One writer at a time on the DuckDB warehouse file, and rebuilds published all at once.

Every job that writes the warehouse (or, like the CRM export, must not interleave with one) takes
the same lock first, `<warehouse>.lock` (``lock``): the build (scripts/build_duckdb_atomically.sh,
which runs ``python -m lead_scoring.atomic.build``), the history backfill (``lead_scoring.backfill``),
the CRM export and its ``--mark-sent`` (``lead_scoring.export``). A second writer waits for the first
(at most LEAD_SCORING_BUILD_LOCK_WAIT seconds, default 3600; 0 = not at all) or is refused with one
line naming the job that holds the lock, and exits with code 75; it never changes anything.

The build and the backfill work on a copy of the file in a folder beside it (``building``) and
rename the copy over the warehouse only when every dbt step passed, so a failed or killed run
leaves the published warehouse as it was. A copy whose owner died (SIGKILL, power loss) is removed
by the next writer.

Modules: ``lock`` (the lock, who holds it, waiting for DuckDB's own file lock), ``building`` (the
copy, publishing it, removing stale copies), ``build`` (the atomic ``dbt build``).
"""
