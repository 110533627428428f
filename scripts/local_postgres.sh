#!/usr/bin/env bash
# A PostgreSQL server of our own for the tests: installed from Debian if missing, data in
# target/postgres, listening on 127.0.0.1 only (port $SEGMENTATION_PG_PORT, default 55432), with
# the roles the project uses (owner `segmentation`, BI reader `segmentation_bi`) and the database
# `segmentation`.
#   scripts/local_postgres.sh start | stop | status
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${SEGMENTATION_PG_PORT:-55432}"
ROOT="$(pwd)/target/postgres"
DATA="$ROOT/data"
OWNER="${SEGMENTATION_PG_USER:-segmentation}"
OWNER_PASSWORD="${SEGMENTATION_PG_PASSWORD:-segmentation}"
BI_ROLE="${SEGMENTATION_PG_BI_ROLE:-segmentation_bi}"
BI_PASSWORD="${SEGMENTATION_PG_BI_PASSWORD:-segmentation_bi}"
DATABASE="${SEGMENTATION_PG_DATABASE:-segmentation}"

bin_dir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$found" ]; then
        echo "installing PostgreSQL from the Debian packages..." >&2
        if [ "$(id -u)" != 0 ]; then
            echo "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)" >&2
            exit 1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
        found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    echo "$found"
}

# initdb and the server refuse to run as root: run them as the postgres user when we are root
as_server_user() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

psql_admin() {
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
}

start() {
    BIN=$(bin_dir)
    mkdir -p "$ROOT"
    [ "$(id -u)" = 0 ] && chown postgres "$ROOT"
    if [ ! -f "$DATA/PG_VERSION" ]; then
        as_server_user "$BIN/initdb" -D "$DATA" -U postgres -A trust --no-sync >/dev/null
    fi
    if as_server_user "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        :  # ours, already running
    elif "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        echo "a PostgreSQL server already listens on 127.0.0.1:$PORT (another checkout?): using it" >&2
    else
        as_server_user "$BIN/pg_ctl" -D "$DATA" -l "$ROOT/server.log" -w \
            -o "-p $PORT -c listen_addresses=127.0.0.1 -k $ROOT -c fsync=off -c full_page_writes=off" start >/dev/null
    fi
    psql_admin <<SQL
select 'create role $OWNER login password ''$OWNER_PASSWORD'''
where not exists (select 1 from pg_roles where rolname = '$OWNER') \gexec
select 'create role $BI_ROLE login password ''$BI_PASSWORD'''
where not exists (select 1 from pg_roles where rolname = '$BI_ROLE') \gexec
select 'create database $DATABASE owner $OWNER'
where not exists (select 1 from pg_database where datname = '$DATABASE') \gexec
SQL
    echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
}

stop() {
    BIN=$(bin_dir)
    if [ -f "$DATA/PG_VERSION" ]; then
        as_server_user "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    fi
}

status() {
    BIN=$(bin_dir)
    as_server_user "$BIN/pg_ctl" -D "$DATA" status
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
