#!/usr/bin/env bash
# Runs `dbt build` on a copy of the DuckDB warehouse and puts the copy in place only when the whole
# build passed, so a failed build (an error, or a failing data test) never leaves half-rebuilt marts
# behind: readers see yesterday's complete warehouse or today's, never a mix.
#
#   scripts/build_duckdb_atomically.sh <dbt> [dbt build arguments...]
#
# The warehouse is $LEAD_SCORING_DUCKDB_PATH (default warehouse/lead_scoring.duckdb). The work is
# done by python -m lead_scoring.atomic.build (python/lead_scoring/atomic/), which the backfill and
# the CRM export share: one writer at a time under "<warehouse>.lock" (a second one waits at most
# LEAD_SCORING_BUILD_LOCK_WAIT seconds, default 3600, 0 = not at all, then exits 75 naming the job
# that holds it), copies left by killed runs removed, the build on a copy in its own folder
# "<warehouse>.building.XXXXXXXX", published by one rename after dbt exited 0, removed whatever happens.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# the Python beside dbt (the venv's), else the repository's venv, else python3
python="$(dirname "${1:?usage: $0 <dbt> [dbt build arguments...]}")/python"
if [[ ! -x "$python" ]]; then python="$repo/.venv/bin/python"; fi
if [[ ! -x "$python" ]]; then python="$(command -v python3)"; fi
export PYTHONPATH="$repo/python${PYTHONPATH:+:$PYTHONPATH}"
exec "$python" -m lead_scoring.atomic.build "$@"
