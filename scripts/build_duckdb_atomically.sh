#!/usr/bin/env bash
# Runs `dbt build` on a copy of the DuckDB warehouse and puts the copy in place only when the whole
# build passed, so a failed build (an error, or a failing data test) never leaves half-rebuilt marts
# behind: readers see yesterday's complete warehouse or today's, never a mix.
#
#   scripts/build_duckdb_atomically.sh <dbt> [dbt build arguments...]
#
# The warehouse is $LEAD_SCORING_DUCKDB_PATH (default warehouse/lead_scoring.duckdb). Readers that
# hold the old file open keep reading it until they reopen.
set -euo pipefail

dbt="$1"; shift
warehouse="${LEAD_SCORING_DUCKDB_PATH:-warehouse/lead_scoring.duckdb}"
building="$warehouse.building"

mkdir -p "$(dirname "$warehouse")"
rm -f "$building" "$building.wal"
if [[ -f "$warehouse" ]]; then
    # incremental models (the score history) continue from the current warehouse
    cp "$warehouse" "$building"
    if [[ -f "$warehouse.wal" ]]; then cp "$warehouse.wal" "$building.wal"; fi
fi

status=0
LEAD_SCORING_DUCKDB_PATH="$building" "$dbt" build "$@" || status=$?
if [[ "$status" == 0 ]]; then
    mv -f "$building" "$warehouse"
    rm -f "$warehouse.wal"
    if [[ -f "$building.wal" ]]; then mv -f "$building.wal" "$warehouse.wal"; fi
    exit 0
fi
rm -f "$building" "$building.wal"
echo "dbt build failed: $warehouse was left as it was (see the errors above)." >&2
exit "$status"
