#!/usr/bin/env bash
# Runs `dbt build` on a copy of the DuckDB warehouse and puts the copy in place only when the whole
# build passed, so a failed build (an error, or a failing data test) never leaves half-rebuilt marts
# behind: readers see yesterday's complete warehouse or today's, never a mix.
#
#   scripts/build_duckdb_atomically.sh <dbt> [dbt build arguments...]
#
# The warehouse is $LEAD_SCORING_DUCKDB_PATH (default warehouse/lead_scoring.duckdb). Readers that
# hold the old file open keep reading it until they reopen.
#
# One build at a time: a build holds an exclusive lock on "<warehouse>.lock" (flock) from before it
# copies the warehouse until it has published or discarded its copy. A second build WAITS for the
# lock, saying so, then starts from the warehouse the first one left (published or not), so two
# nightly runs queue instead of racing. LEAD_SCORING_BUILD_LOCK_WAIT (seconds, default 3600) bounds
# the wait; 0 fails at once. Either way a build that cannot get the lock exits with code 75 and a
# message naming the lock file, and changes nothing.
#
# Each build works in its own folder beside the warehouse (mktemp -d "<warehouse>.building.XXXXXX"),
# so no two builds ever share a file; it is published by one rename (same folder, so atomic) only
# after dbt exited 0, and removed whatever happens (an error, a failing test, Ctrl-C, kill).
set -euo pipefail

dbt="$1"; shift
warehouse="${LEAD_SCORING_DUCKDB_PATH:-warehouse/lead_scoring.duckdb}"
lock_wait="${LEAD_SCORING_BUILD_LOCK_WAIT:-3600}"
lock_file="$warehouse.lock"

mkdir -p "$(dirname "$warehouse")"

exec {lock_fd}>>"$lock_file"
if ! flock --exclusive --nonblock "$lock_fd"; then
    holder="$(cat "$lock_file" 2>/dev/null || true)"
    if [[ "$lock_wait" == 0 ]]; then
        echo "another build of $warehouse is running (${holder:-lock held}; lock $lock_file):" \
            "not starting (LEAD_SCORING_BUILD_LOCK_WAIT=0). $warehouse was left as it was." >&2
        exit 75
    fi
    echo "another build of $warehouse is running (${holder:-lock held}; lock $lock_file):" \
        "waiting for it to finish (at most ${lock_wait}s, LEAD_SCORING_BUILD_LOCK_WAIT)..." >&2
    if ! flock --exclusive --timeout "$lock_wait" "$lock_fd"; then
        echo "gave up waiting ${lock_wait}s for the other build of $warehouse (lock $lock_file):" \
            "$warehouse was left as it was." >&2
        exit 75
    fi
    echo "the other build finished: starting this one." >&2
fi
# Who holds the lock, for the message of a build that has to wait (the lock is the flock, not this text).
printf 'pid %s since %s\n' "$$" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$lock_file"

building_dir="$(mktemp -d "$warehouse.building.XXXXXX")"
building="$building_dir/$(basename "$warehouse")"
cleanup() { rm -rf -- "$building_dir"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -f "$warehouse" ]]; then
    # incremental models (the score history) continue from the current warehouse
    cp "$warehouse" "$building"
    if [[ -f "$warehouse.wal" ]]; then cp "$warehouse.wal" "$building.wal"; fi
fi

status=0
LEAD_SCORING_DUCKDB_PATH="$building" "$dbt" build "$@" || status=$?
if [[ "$status" != 0 ]]; then
    echo "dbt build failed: $warehouse was left as it was (see the errors above)." >&2
    exit "$status"
fi

# Fold a write-ahead log left beside the copy into it, so that publishing is one rename of one file.
python="$(dirname "$dbt")/python"
if [[ -f "$building.wal" && -x "$python" ]]; then
    "$python" -c 'import sys, duckdb; duckdb.connect(sys.argv[1]).execute("checkpoint").close()' "$building"
fi
# (the old warehouse's log, if any, went into the copy: it must not be replayed on the new file)
rm -f "$warehouse.wal"
mv -f "$building" "$warehouse"
if [[ -f "$building.wal" ]]; then mv -f "$building.wal" "$warehouse.wal"; fi
exit 0
