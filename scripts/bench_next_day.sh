#!/usr/bin/env bash
# One more day on a copy of a bench warehouse, with a given checkout of the project: what a change
# saves on the daily run, old SQL against new on the same rows, in minutes rather than the 40 of a
# whole `make bench LEADS=1000000`. Run it once per checkout, one at a time, with nothing else on
# the machine, then compare their run_results.json (model and test seconds) and tables.
#
#   scripts/bench_next_day.sh PROJECT_DIR OUT_DIR [BENCH_WORK]
#
# BENCH_WORK (default warehouse/bench-1000000) is the folder a `make bench` left: its bench.duckdb,
# after the bench's incremental day and hourly run, is at data.json's end_date + 1. The script
# writes the events of end_date + 2 (lead_scoring.bench.extra_day, the bench's own generator) into
# its raw events folder (the warehouse's files are known by their path: a copy elsewhere would be
# loaded again whole), copies bench.duckdb to OUT_DIR, runs `dbt build` (models and data tests) at
# end_date + 2 there with PROJECT_DIR's models, and prints the wall seconds. The next `make bench`
# deletes the extra day's file before it starts.
#
# A checkout that keeps tables between runs pays for writing them on its first run. To measure its
# day once they are written: BENCH_DAY_OFFSET=1 first (the bench's last day again, nothing new),
# then BENCH_DAY_OFFSET=2 BENCH_DATABASE=<the first OUT_DIR>/day.duckdb, which runs on that database
# in place (no copy). A run refuses to start while the events folder holds an extra day after its
# own (move it aside): it would fold those events a day early.
set -euo pipefail

project=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(cd "${3:-$repo/warehouse/bench-1000000}" && pwd)
python=$repo/.venv/bin/python

offset=${BENCH_DAY_OFFSET:-2}
day=$("$python" -c "import datetime as d, json, sys; print(d.date.fromisoformat(json.load(open(sys.argv[1]))['end_date']) + d.timedelta(days=int(sys.argv[2])))" "$work/data.json" "$offset")
days=$("$python" -c "import json, sys; print(json.load(open(sys.argv[1]))['days'])" "$work/data.json")
for later in "$work"/raw/events/part-extra-*.parquet; do
    name=$(basename "$later" .parquet)
    if [ -e "$later" ] && [[ ${name: -10} > $day ]]; then
        echo "bench_next_day.sh: $later is after the run's day $day: move it aside first" >&2
        exit 2
    fi
done
extra=$work/raw/events/part-extra-$day.parquet
if [ ! -f "$extra" ]; then
    "$python" -c "
import datetime as dt, sys
from pathlib import Path
from lead_scoring.bench.extra_day import write_extra_day
print(write_extra_day(Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]), Path(sys.argv[3]), days=int(sys.argv[4])))
" "$work/raw/events" "$day" "$out/part-extra-$day.parquet" "$days"
    cp "$out/part-extra-$day.parquet" "$extra"
fi

if [ -n "${BENCH_DATABASE:-}" ]; then
    database=$(cd "$(dirname "$BENCH_DATABASE")" && pwd)/$(basename "$BENCH_DATABASE")
else
    database=$out/day.duckdb
    cp "$work/bench.duckdb" "$database"
fi
export DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false DBT_PROFILES_DIR="$project" \
    PYTHONPATH="$project/python" LEAD_SCORING_TARGET=duckdb LEAD_SCORING_DUCKDB_PATH="$database" \
    LEAD_SCORING_DUCKDB_MEMORY_LIMIT="${LEAD_SCORING_DUCKDB_MEMORY_LIMIT:-4GB}" LEAD_SCORING_THREADS=2 \
    DBT_TARGET_PATH="$out/target" DBT_LOG_PATH="$out/logs"
cd "$project"
start=$(date +%s.%N)
status=0
"$repo/.venv/bin/dbt" build --exclude-resource-type unit_test \
    --vars "{\"raw_data_path\": \"$work/raw\", \"score_as_of\": \"$day\"}" > "$out/build.log" 2>&1 || status=$?
stop=$(date +%s.%N)
"$python" -c "import sys; print(f'{sys.argv[1]}: dbt build at {sys.argv[2]}, {float(sys.argv[4]) - float(sys.argv[3]):.1f} s wall, exit {sys.argv[5]}')" \
    "$project" "$day" "$start" "$stop" "$status"
exit "$status"
