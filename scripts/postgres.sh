#!/usr/bin/env bash
# A throw-away local PostgreSQL server for `--target postgres` (tests, CI, trying the project out).
#
#   scripts/postgres.sh start   # install PostgreSQL if needed, start a server on 127.0.0.1:<free port>,
#                               # create role + database `lead_scoring`, write warehouse/postgres.env
#   scripts/postgres.sh stop    # stop the server and delete its data directory and warehouse/postgres.env
#   scripts/postgres.sh status  # exit 0 when the server of warehouse/postgres.env answers
#   scripts/postgres.sh env     # print the `export LEAD_SCORING_PG_...` lines (eval "$(scripts/postgres.sh env)")
#
# The data directory lives in a temporary folder (LEAD_SCORING_PG_TMPDIR, default /tmp) and is
# thrown away by `stop`: nothing here is meant to keep data. Authentication is `trust`, and the
# server listens on 127.0.0.1 only. PostgreSQL refuses to run as root, so when run as root the
# server runs as the `postgres` OS user (created by the Debian package).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="${LEAD_SCORING_PG_ENV_FILE:-$ROOT/warehouse/postgres.env}"
PG_TMPDIR="${LEAD_SCORING_PG_TMPDIR:-/tmp}"
DB_NAME="lead_scoring"
DB_ROLE="lead_scoring"

die() { echo "postgres.sh: error: $*" >&2; exit 1; }
info() { echo "postgres.sh: $*" >&2; }

# ---- where the binaries are ------------------------------------------------------------------
find_pg_bin() {
    # Debian keeps initdb/pg_ctl out of PATH (in /usr/lib/postgresql/<major>/bin).
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return 0
    fi
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
        echo "$dir"
        return 0
    fi
    return 1
}

install_postgres() {
    [[ "$(id -u)" == 0 ]] || die "PostgreSQL is not installed (no initdb found) and installing it needs root: run 'apt-get install -y postgresql' as root, or put initdb/pg_ctl on PATH."
    command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed (no initdb found) and apt-get is not available: install PostgreSQL (initdb, pg_ctl, psql) and put its bin folder on PATH."
    info "initdb not found: installing PostgreSQL with apt-get (a minute or two)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || die "apt-get update failed"
    # The Debian package creates the `postgres` OS user and a default cluster; we do not use that
    # cluster (it would take port 5432), so it is stopped if the package started it.
    apt-get install -y -qq --no-install-recommends postgresql >&2 || die "apt-get install postgresql failed"
    if command -v pg_lsclusters >/dev/null 2>&1; then
        pg_lsclusters --no-header 2>/dev/null | while read -r ver name _rest; do
            pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
        done
    fi
}

# Runs a command as the OS user that owns the server (postgres when we are root).
as_pg_user() {
    if [[ "$(id -u)" == 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

free_port() {
    local py
    py="$(command -v python3 || command -v python || true)"
    [[ -n "$py" ]] || die "python3 is needed to pick a free port"
    "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---- state -----------------------------------------------------------------------------------
# Reads warehouse/postgres.env (if any) into PG_* shell variables.
load_env_file() {
    PG_PORT="" PG_DATA="" PG_BIN=""
    [[ -f "$ENV_FILE" ]] || return 1
    PG_PORT="$(sed -n 's/^export LEAD_SCORING_PG_PORT=//p' "$ENV_FILE" | tr -d "'\"")"
    PG_DATA="$(sed -n 's/^export LEAD_SCORING_PG_DATA_DIR=//p' "$ENV_FILE" | tr -d "'\"")"
    PG_BIN="$(sed -n 's/^export LEAD_SCORING_PG_BIN=//p' "$ENV_FILE" | tr -d "'\"")"
    [[ -n "$PG_PORT" && -n "$PG_DATA" ]]
}

server_is_up() {
    # $1 = bin dir, $2 = port
    [[ -n "${1:-}" && -n "${2:-}" ]] || return 1
    "$1/pg_isready" -q -h 127.0.0.1 -p "$2" -t 2 >/dev/null 2>&1 \
        && "$1/psql" -h 127.0.0.1 -p "$2" -U "$DB_ROLE" -d "$DB_NAME" -Atqc 'select 1' >/dev/null 2>&1
}

remove_data_dir() {
    local dir="$1"
    [[ -n "$dir" ]] || return 0
    # Only ever delete what this script created.
    case "$(basename "$dir")" in
        lead_scoring_pg.*) rm -rf -- "$dir" ;;
        *) info "not deleting $dir: not a folder this script created" ;;
    esac
}

HALF_MADE_BASE=""
HALF_MADE_BIN=""
cleanup_half_made() {
    if [[ -n "$HALF_MADE_BASE" ]]; then
        as_pg_user "$HALF_MADE_BIN/pg_ctl" -D "$HALF_MADE_BASE/data" -m immediate stop >/dev/null 2>&1 || true
        remove_data_dir "$HALF_MADE_BASE"
    fi
}

# ---- commands --------------------------------------------------------------------------------
cmd_start() {
    if load_env_file && server_is_up "$PG_BIN" "$PG_PORT"; then
        info "already running on 127.0.0.1:$PG_PORT (data in $PG_DATA); settings in $ENV_FILE"
        return 0
    fi
    if [[ -f "$ENV_FILE" ]]; then
        info "found a stale $ENV_FILE (server not answering): cleaning it up"
        cmd_stop
    fi

    local bin
    bin="$(find_pg_bin || true)"
    if [[ -z "$bin" ]]; then
        install_postgres
        bin="$(find_pg_bin || true)"
        [[ -n "$bin" ]] || die "PostgreSQL was installed but initdb is still not found"
    fi
    if [[ "$(id -u)" == 0 ]] && ! id postgres >/dev/null 2>&1; then
        die "running as root but there is no 'postgres' OS user to run the server as (PostgreSQL refuses to run as root); create it with: useradd --system --home /var/lib/postgresql postgres"
    fi

    mkdir -p "$(dirname "$ENV_FILE")"
    local base data port log
    base="$(mktemp -d "$PG_TMPDIR/lead_scoring_pg.XXXXXX")" || die "could not create a temporary folder in $PG_TMPDIR"
    chmod 0755 "$base"
    data="$base/data"
    log="$base/server.log"
    if [[ "$(id -u)" == 0 ]]; then
        chown postgres: "$base"
    fi
    # If anything below fails (or we are interrupted), do not leave a half-made server behind.
    HALF_MADE_BASE="$base" HALF_MADE_BIN="$bin"
    trap cleanup_half_made EXIT

    info "initdb in $data"
    as_pg_user "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >"$base/initdb.log" 2>&1 \
        || { cat "$base/initdb.log" >&2; die "initdb failed (log above)"; }
    # Only loopback TCP and the unix socket in the data folder; no durability (throw-away server).
    cat >>"$data/postgresql.conf" <<EOF

# --- scripts/postgres.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$base'
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_timezone = 'UTC'
EOF
    cat >"$data/pg_hba.conf" <<EOF
# scripts/postgres.sh: trust, local socket and loopback only
local   all  all                 trust
host    all  all  127.0.0.1/32   trust
EOF

    # The port is free when picked; another process could take it before the server binds, so try a few.
    local tries=0
    while :; do
        port="$(free_port)"
        tries=$((tries + 1))
        if as_pg_user "$bin/pg_ctl" -D "$data" -l "$log" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
            break
        fi
        if [[ $tries -ge 5 ]]; then
            tail -n 30 "$log" >&2 || true
            die "the server did not start (log above, full log in $log)"
        fi
        info "start on port $port failed, trying another port"
    done

    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq >/dev/null <<SQL
create role $DB_ROLE with login superuser;
create database $DB_NAME owner $DB_ROLE;
SQL
    HALF_MADE_BASE=""
    trap - EXIT

    local tmp="$ENV_FILE.tmp.$$"
    cat >"$tmp" <<EOF
# Written by scripts/postgres.sh start; removed by scripts/postgres.sh stop.
export LEAD_SCORING_PG_HOST=127.0.0.1
export LEAD_SCORING_PG_PORT=$port
export LEAD_SCORING_PG_USER=$DB_ROLE
export LEAD_SCORING_PG_PASSWORD=
export LEAD_SCORING_PG_DATABASE=$DB_NAME
export LEAD_SCORING_PG_DATA_DIR=$base
export LEAD_SCORING_PG_BIN=$bin
EOF
    mv "$tmp" "$ENV_FILE"
    info "PostgreSQL $("$bin/postgres" -V | awk '{print $3}') running on 127.0.0.1:$port (database $DB_NAME, role $DB_ROLE); settings in $ENV_FILE"
}

cmd_stop() {
    if ! load_env_file; then
        if [[ -f "$ENV_FILE" ]]; then
            info "$ENV_FILE is incomplete: removing it"
            rm -f "$ENV_FILE"
        else
            info "not running (no $ENV_FILE)"
        fi
        return 0
    fi
    local bin="${PG_BIN:-$(find_pg_bin || true)}"
    if [[ -d "$PG_DATA/data" && -n "$bin" ]]; then
        as_pg_user "$bin/pg_ctl" -D "$PG_DATA/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
            || as_pg_user "$bin/pg_ctl" -D "$PG_DATA/data" -m immediate -w stop >/dev/null 2>&1 \
            || true
    fi
    remove_data_dir "$PG_DATA"
    rm -f "$ENV_FILE"
    info "stopped (port $PG_PORT) and removed $PG_DATA"
}

cmd_status() {
    if load_env_file && server_is_up "$PG_BIN" "$PG_PORT"; then
        info "running on 127.0.0.1:$PG_PORT (data in $PG_DATA)"
        return 0
    fi
    info "not running"
    return 1
}

cmd_env() {
    load_env_file || die "no server: run 'scripts/postgres.sh start' first"
    grep '^export ' "$ENV_FILE"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
