#!/usr/bin/env bash
# A PostgreSQL server of our own for the tests: installed from Debian if missing (start only), data
# in target/postgres ($SEGMENTATION_PG_DIR), listening on 127.0.0.1 only (port $SEGMENTATION_PG_PORT,
# default 55432), with the roles the project uses (owner `segmentation`, BI reader
# `segmentation_bi`, passwords $SEGMENTATION_PG_PASSWORD and $SEGMENTATION_PG_BI_PASSWORD) and the
# database `segmentation`.
#   scripts/local_postgres.sh start | stop | status
#
# Authentication (pg_hba.conf, rewritten on every start):
#   - TCP (127.0.0.1): scram-sha-256 password for every role; the superuser `postgres` is refused.
#   - unix socket, in a folder only the server's OS user may enter: `postgres` by peer, for the
#     set-up this script does (roles, database) as that OS user.
# A server already listening on the port is used only if it serves this data directory.
# `stop` and `status` never install anything, and `stop` succeeds when there is nothing to stop.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${SEGMENTATION_PG_PORT:-55432}"
ROOT="${SEGMENTATION_PG_DIR:-target/postgres}"
case "$ROOT" in /*) ;; *) ROOT="$(pwd)/$ROOT" ;; esac
DATA="$ROOT/data"
OWNER="${SEGMENTATION_PG_USER:-segmentation}"
OWNER_PASSWORD="${SEGMENTATION_PG_PASSWORD:-segmentation}"
BI_ROLE="${SEGMENTATION_PG_BI_ROLE:-segmentation_bi}"
BI_PASSWORD="${SEGMENTATION_PG_BI_PASSWORD:-segmentation_bi}"
DATABASE="${SEGMENTATION_PG_DATABASE:-segmentation}"

# the newest installed PostgreSQL's bin folder, or nothing
installed_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true
}

install_bin() {
    local found
    found=$(installed_bin)
    if [ -z "$found" ]; then
        echo "installing PostgreSQL from the Debian packages..." >&2
        if [ "$(id -u)" != 0 ]; then
            echo "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)" >&2
            exit 1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
        found=$(installed_bin)
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

server_os_user() {
    if [ "$(id -u)" = 0 ]; then echo postgres; else id -un; fi
}

# the superuser, through the socket in $ROOT (peer authentication)
psql_admin() {
    as_server_user "$BIN/psql" -X -h "$ROOT" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
}

write_auth_config() {
    as_server_user tee "$DATA/pg_hba.conf" >/dev/null <<CONF
# Written by scripts/local_postgres.sh on every start: edits are lost.
# TYPE  DATABASE  USER      ADDRESS        METHOD
# the superuser only through the unix socket (in $ROOT, mode 0700), as the server's OS user
local   all       postgres                 peer map=server_user
# TCP: never the superuser; every other role with its password
host    all       postgres  127.0.0.1/32   reject
host    all       all       127.0.0.1/32   scram-sha-256
CONF
    as_server_user tee "$DATA/pg_ident.conf" >/dev/null <<CONF
# Written by scripts/local_postgres.sh on every start: edits are lost.
# MAPNAME      SYSTEM-USERNAME   PG-USERNAME
server_user    $(server_os_user)   postgres
CONF
}

# the data directory of the server listening on the port, if it lets us ask: through our socket
# folder (a server started from $DATA), else over TCP as the superuser without password (a server
# trusting loopback, such as one started by an older version of this script)
served_data_directory() {
    as_server_user "$BIN/psql" -X -w -At -h "$ROOT" -p "$PORT" -U postgres -d postgres \
        -c 'show data_directory' 2>/dev/null \
        || PGPASSWORD='' PGPASSFILE=/nonexistent/pgpass "$BIN/psql" -X -w -At -h 127.0.0.1 -p "$PORT" -U postgres \
            -d postgres -c 'show data_directory' 2>/dev/null \
        || true
}

port_taken() {
    echo "127.0.0.1:$PORT is taken by $1, not the server of $DATA that this script manages." >&2
    echo "Use another port, e.g. SEGMENTATION_PG_PORT=$((PORT + 2)) make test-postgres" >&2
    echo "(or stop that server if it is yours)." >&2
    exit 1
}

start() {
    BIN=$(install_bin)
    mkdir -p "$ROOT"
    chmod 0700 "$ROOT"
    [ "$(id -u)" = 0 ] && chown postgres "$ROOT"
    if [ ! -f "$DATA/PG_VERSION" ]; then
        as_server_user "$BIN/initdb" -D "$DATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
            --no-sync >/dev/null
    fi
    chmod 0700 "$DATA"
    write_auth_config
    if as_server_user "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        local running_port
        running_port=$(sed -n 4p "$DATA/postmaster.pid")
        if [ "$running_port" != "$PORT" ]; then
            echo "the server of $DATA already runs on port $running_port, not $PORT:" \
                "use SEGMENTATION_PG_PORT=$running_port, or stop it first (scripts/local_postgres.sh stop)" >&2
            exit 1
        fi
    elif "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
        local served
        served=$(served_data_directory)
        if [ -z "$served" ]; then
            port_taken "a PostgreSQL server whose data directory could not be read"
        elif [ "$(realpath -m "$served")" != "$(realpath -m "$DATA")" ]; then
            port_taken "the PostgreSQL server of $served"
        fi
        echo "the server of $DATA already listens on 127.0.0.1:$PORT: using it" >&2
    elif ! as_server_user "$BIN/pg_ctl" -D "$DATA" -l "$ROOT/server.log" -w \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -k $ROOT -c password_encryption=scram-sha-256 -c fsync=off -c full_page_writes=off" \
        start >/dev/null; then
        tail -n 5 "$ROOT/server.log" >&2 || true
        port_taken "something else (the server could not start: see $ROOT/server.log)"
    fi
    # the roles with their passwords (set again each time: scram hashes, the current variables),
    # the database, and the authentication rules above in force
    psql_admin -v owner="$OWNER" -v owner_password="$OWNER_PASSWORD" -v bi_role="$BI_ROLE" \
        -v bi_password="$BI_PASSWORD" -v database="$DATABASE" <<'SQL'
select pg_reload_conf() as reloaded \gset
select format('create role %I login', :'owner')
where not exists (select 1 from pg_roles where rolname = :'owner') \gexec
select format('create role %I login', :'bi_role')
where not exists (select 1 from pg_roles where rolname = :'bi_role') \gexec
select format('alter role %I login password %L', :'owner', :'owner_password') \gexec
select format('alter role %I login password %L', :'bi_role', :'bi_password') \gexec
select format('create database %I owner %I', :'database', :'owner')
where not exists (select 1 from pg_database where datname = :'database') \gexec
SQL
    echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (data in $DATA)"
}

stop() {
    BIN=$(installed_bin)
    if [ -z "$BIN" ] || [ ! -f "$DATA/PG_VERSION" ]; then
        return 0  # nothing installed or nothing made: nothing to stop
    fi
    if as_server_user "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        as_server_user "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    fi
}

status() {
    BIN=$(installed_bin)
    if [ -z "$BIN" ]; then
        echo "PostgreSQL is not installed" >&2
        exit 3
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        echo "no server in $DATA" >&2
        exit 3
    fi
    as_server_user "$BIN/pg_ctl" -D "$DATA" status
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
