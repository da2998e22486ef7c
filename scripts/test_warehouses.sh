#!/usr/bin/env bash
# The same project on three warehouses (`make test-warehouses`): builds the messy fixture
# (data/fixtures/messy, vars in data/fixtures/vars.yml) with `dbt build` (seeds, models, unit and
# data tests) on DuckDB in one go, and on a throw-away PostgreSQL server (scripts/postgres.sh,
# stopped on exit whatever happens) and a local Spark session as an incremental run on top of an
# earlier state of the fixture (its last two days of events held back); on Spark with its unit tests,
# the data tests' work left to the row-for-row comparison. It writes the Spark marts and reports out
# as Parquet (dbt run-operation export_relations). Then it stages connector-shaped
# tables on the three (the Salesforce, HubSpot and Segment adapters; see "connector-shaped inputs"
# below) and runs python/tests/test_warehouses.py, which compares the marts row for row and checks
# the BI role's grants on PostgreSQL, and python/tests/test_warehouses_connectors.py, which compares
# the connector builds' staged rows. A failing build does not stop the others (one run shows every
# broken warehouse), but then nothing is compared and the exit code is 1.
#
#   scripts/test_warehouses.sh DBT PYTHON [OUT_DIR]      (default OUT_DIR: warehouse/warehouses)
#
# Everything lands in OUT_DIR (deleted first): duckdb.duckdb, postgres.env (while the server runs),
# spark/ (metastore + tables), spark_export/, target_*/, connectors/, logs/, timings.tsv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DBT="${1:?usage: $0 DBT PYTHON [OUT_DIR]}"
PYTHON="${2:?usage: $0 DBT PYTHON [OUT_DIR]}"
OUT="${3:-warehouse/warehouses}"
FIXTURE_VARS="$(cat data/fixtures/vars.yml)"
FIXTURE_RAW="data/fixtures/messy"

die() { echo "test_warehouses.sh: error: $*" >&2; exit 1; }
info() { echo "test_warehouses.sh: $*" >&2; }

# Spark needs a Java runtime (17 or later): installed from Debian's packages when missing.
"$ROOT/scripts/install_java.sh"

case "$OUT" in
    /*) ;;
    *) OUT="$ROOT/$OUT" ;;
esac
# The folder is deleted on every run: refuse anything that is not a folder of its own.
case "$OUT" in
    "$ROOT" | "$ROOT/" | / | "$ROOT/warehouse" | "$ROOT/warehouse/") die "refusing to use $OUT as the output folder" ;;
esac

export DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false DBT_USE_COLORS=false
# The three warehouses are throw-away and built as production, so the schemas compared and the BI
# role's grants are production's (marts, reports; macros/generate_schema_name.sql).
export LEAD_SCORING_ENV=prod
export DBT_PROFILES_DIR="$ROOT" PYTHONPATH="$ROOT/python"
export LEAD_SCORING_PG_ENV_FILE="$OUT/postgres.env"
export LEAD_SCORING_DUCKDB_PATH="$OUT/duckdb.duckdb"
export LEAD_SCORING_SPARK_DIR="$OUT/spark"

# A server left by an interrupted run would be orphaned by deleting its env file: stop it first.
if [[ -f "$LEAD_SCORING_PG_ENV_FILE" ]]; then
    scripts/postgres.sh stop || true
fi
rm -rf -- "$OUT"
mkdir -p "$OUT/logs"

TIMINGS="$OUT/timings.tsv"
printf 'step\tseconds\n' >"$TIMINGS"
FAILED=()
timed() {
    # timed NAME COMMAND...: runs the command, logs its wall time in seconds to timings.tsv; a
    # failure is recorded in FAILED and returned, so that the other warehouses still build.
    local name="$1" started status
    shift
    started=$EPOCHREALTIME
    info "$name: $*"
    status=0
    "$@" || status=$?
    awk -v name="$name" -v started="$started" -v ended="$EPOCHREALTIME" \
        'BEGIN { printf "%s\t%.1f\n", name, ended - started }' >>"$TIMINGS"
    if [[ $status -ne 0 ]]; then
        info "$name failed (exit code $status)"
        FAILED+=("$name")
    fi
    return $status
}

dbt_on() {
    # dbt_on TARGET COMMAND ARGS...: dbt with the fixture vars (or $RUN_VARS), its own target folder
    # per target
    local target="$1" command="$2"
    shift 2
    "$DBT" "$command" --target "$target" --vars "${RUN_VARS:-$FIXTURE_VARS}" \
        --target-path "$OUT/target_$target" --log-path "$OUT/logs" "$@"
}

# PostgreSQL and Spark first build the fixture as it was two days earlier (the events of its last
# two days held back), then the main build below runs on top of that as an incremental run (new raw
# events restaged, history days added): it must still agree with DuckDB's single build row for row.
EARLIER_RAW="$OUT/earlier_raw"
mkdir -p "$EARLIER_RAW"
cp "$FIXTURE_RAW/leads.csv" "$FIXTURE_RAW/opportunities.csv" "$EARLIER_RAW/"
grep -v -e ',2026-06-29T' -e ',2026-06-30T' "$FIXTURE_RAW/events.csv" >"$EARLIER_RAW/events.csv"
EARLIER_VARS="${FIXTURE_VARS/$FIXTURE_RAW/$EARLIER_RAW}"
[[ "$EARLIER_VARS" != "$FIXTURE_VARS" ]] || die "data/fixtures/vars.yml does not name $FIXTURE_RAW"

# ---- PostgreSQL: started first, stopped on exit (success, failure or interrupt) ----------------------
stop_postgres() { scripts/postgres.sh stop || true; }
trap stop_postgres EXIT
trap 'exit 130' INT TERM

# ---- the three builds: each runs even when another failed, to show every broken warehouse at once ---
timed duckdb_build dbt_on duckdb build || true
POSTGRES_UP=0
if timed postgres_start scripts/postgres.sh start; then
    # shellcheck disable=SC1090
    source "$LEAD_SCORING_PG_ENV_FILE"
    POSTGRES_UP=1
    timed postgres_earlier_load "$PYTHON" -m lead_scoring.load --target postgres --raw-data-path "$EARLIER_RAW" \
        && RUN_VARS="$EARLIER_VARS" timed postgres_earlier_run dbt_on postgres build --exclude-resource-type test unit_test \
        && timed postgres_load "$PYTHON" -m lead_scoring.load --target postgres --raw-data-path "$FIXTURE_RAW" \
        && timed postgres_build dbt_on postgres build || true
fi
# Spark: the build (unit tests and models; where every data test is a Spark job of 1 to 3 s, their
# work is done by the row-for-row comparison with DuckDB's build, which ran every data test) and the
# export in one dbt process (one parse, one Spark session; the Derby metastore admits one process at
# a time anyway), python/lead_scoring/common/dbt_steps.py.
RUN_VARS="$EARLIER_VARS" timed spark_earlier_run dbt_on spark build --exclude-resource-type test unit_test \
    && timed spark_build_export "$PYTHON" -m lead_scoring.common.dbt_steps \
        --target spark --vars "$FIXTURE_VARS" --target-path "$OUT/target_spark" --log-path "$OUT/logs" \
        --step build --exclude-resource-type test \
        --step run-operation export_relations --args "{path: '$OUT/spark_export'}" \
    || true

# ---- connector-shaped inputs (docs/connectors.md): the adapters on the three warehouses -------------
# One planted truth written as HubSpot tables and then as Salesforce + Segment tables into one DuckDB
# file (each shape replaces only its own schemas), read by one set of vars that enables all three
# adapters: leads and opportunities from Salesforce, events from Salesforce, HubSpot and Segment
# (HubSpot's email events find their person by email; its contact-keyed rows, whose ids Salesforce
# does not know, are rejected with their reason). Only the staging layer is built (the adapters,
# the inputs layer and the staged leads, events and opportunities they feed), with its unit and data
# tests on DuckDB and PostgreSQL; on Spark, where every test is a job of 1 to 3 s, with the unit
# tests only: its rows are compared with DuckDB's instead (python/tests/test_warehouses_connectors.py).
# Everything lands in OUT/connectors: duckdb.duckdb (the tables, then DuckDB's build in the same
# file), parquet/ (the tables for Spark), spark/, spark_export/, target_*/; on PostgreSQL the
# database lead_scoring_connectors of the same server.
CONNECTORS="$OUT/connectors"
CONNECTORS_VARS='{lead_scoring_inputs: {leads: salesforce, events: [salesforce, hubspot, segment], opportunities: salesforce}}'
CONNECTORS_SELECT=(+stg_crm__lead_versions +stg_marketing__events +stg_marketing__event_rejects
    +stg_crm__opportunity_versions staging.salesforce staging.hubspot staging.segment staging.inputs)
CONNECTORS_EXPORT="[staging.stg_crm__lead_versions, staging.stg_marketing__events, staging.stg_marketing__event_rejects,
    staging.stg_crm__opportunity_versions, staging.base_inputs__identities, staging.stg_hubspot__people,
    staging.stg_hubspot__opportunities, staging.stg_hubspot__opportunity_links]"
mkdir -p "$CONNECTORS"

generate_connectors() {
    local shape
    for shape in hubspot salesforce; do
        "$PYTHON" -m lead_scoring.generate --leads 80 --days 60 --seed 7 --end-date 2026-06-30 --threads 1 --quiet \
            --out "$CONNECTORS/truth" --shape "$shape" --duckdb "$CONNECTORS/duckdb.duckdb" || return
    done
}

dbt_connectors() {
    # dbt_connectors TARGET COMMAND ARGS...: dbt with the connector vars, its own target folder
    local target="$1" command="$2"
    shift 2
    "$DBT" "$command" --target "$target" --vars "$CONNECTORS_VARS" \
        --target-path "$CONNECTORS/target_$target" --log-path "$OUT/logs" "$@"
}

load_connectors_postgres() {
    # the throw-away server's own database holds the fixture build: the connector tables and their
    # build get a database of their own, so that the two builds' schemas (staging, seeds) never meet
    "$LEAD_SCORING_PG_BIN/psql" -h "$LEAD_SCORING_PG_HOST" -p "$LEAD_SCORING_PG_PORT" -U "$LEAD_SCORING_PG_USER" \
        -d "$LEAD_SCORING_PG_DATABASE" -v ON_ERROR_STOP=1 -qc 'create database lead_scoring_connectors' \
        && LEAD_SCORING_PG_DATABASE=lead_scoring_connectors "$PYTHON" -m lead_scoring.load --target postgres \
            --from-duckdb "$CONNECTORS/duckdb.duckdb"
}

if timed connectors_generate generate_connectors; then
    LEAD_SCORING_DUCKDB_PATH="$CONNECTORS/duckdb.duckdb" timed connectors_duckdb_build \
        dbt_connectors duckdb build --select "${CONNECTORS_SELECT[@]}" --indirect-selection cautious || true
    if [[ $POSTGRES_UP -eq 1 ]]; then
        timed connectors_postgres_load load_connectors_postgres \
            && LEAD_SCORING_PG_DATABASE=lead_scoring_connectors timed connectors_postgres_build \
                dbt_connectors postgres build --select "${CONNECTORS_SELECT[@]}" --indirect-selection cautious \
            || true
    fi
    # register the tables, build, export: one dbt process (one parse, one Spark session; the Derby
    # metastore admits one process at a time anyway), python/lead_scoring/common/dbt_steps.py
    timed connectors_spark_load "$PYTHON" -m lead_scoring.load --target spark \
        --from-duckdb "$CONNECTORS/duckdb.duckdb" --parquet-dir "$CONNECTORS/parquet" \
        && LEAD_SCORING_SPARK_DIR="$CONNECTORS/spark" timed connectors_spark_build "$PYTHON" -m lead_scoring.common.dbt_steps \
            --target spark --vars "$CONNECTORS_VARS" --target-path "$CONNECTORS/target_spark" --log-path "$OUT/logs" \
            --step run-operation register_parquet_relations --args "{path: '$CONNECTORS/parquet'}" \
            --step build --select "${CONNECTORS_SELECT[@]}" --exclude-resource-type test \
            --step run-operation export_relations \
            --args "{path: '$CONNECTORS/spark_export', schemas: [], count_schemas: [], relations: $CONNECTORS_EXPORT}" \
        || true
fi

report_timings() {
    info "wall times (seconds), also in $TIMINGS:"
    awk -F '\t' 'NR > 1 { printf "  %-26s %8s\n", $1, $2 }' "$TIMINGS" >&2
}

# ---- compare ---------------------------------------------------------------------------------------
if [[ ${#FAILED[@]} -gt 0 ]]; then
    report_timings
    die "failed: ${FAILED[*]} (dbt's output above; logs in $OUT/logs); the warehouses were not compared"
fi
timed compare env LEAD_SCORING_WAREHOUSES=1 LEAD_SCORING_WAREHOUSES_DIR="$OUT" \
    "$PYTHON" -m pytest python/tests/test_warehouses.py python/tests/test_warehouses_connectors.py \
    -p no:cacheprovider -q || true
report_timings
[[ ${#FAILED[@]} -eq 0 ]] || die "the warehouses differ (test output above)"
