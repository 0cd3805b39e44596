#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suite.
#
#   scripts/pg-test-cluster.sh start   init (if needed) and start it; print its URL
#   scripts/pg-test-cluster.sh url     print postgresql://confab@127.0.0.1:PORT/confab
#   scripts/pg-test-cluster.sh stop    stop it and delete its directory
#
# PostgreSQL refuses to run as root and CI runs as root, so as root the cluster belongs to
# the `postgres` user (or `nobody` before the Debian package has created it). Durability is
# switched off: the data is thrown away after the run anyway.
#
# Environment: CONFAB_PG_DIR (default /tmp/confab-test-pg; must be reachable by that user),
# CONFAB_PG_PORT (default 54329), CONFAB_PG_BIN (default /usr/lib/postgresql/15/bin).
set -euo pipefail

DIR="${CONFAB_PG_DIR:-/tmp/confab-test-pg}"
PORT="${CONFAB_PG_PORT:-54329}"
BIN="${CONFAB_PG_BIN:-/usr/lib/postgresql/15/bin}"
DB_USER=confab
DB_NAME=confab
DATA="$DIR/data"
LOG="$DIR/server.log"
# Marks a directory this script made, so `stop` never deletes anything else.
MARKER="$DIR/.confab-test-pg"

url() {
    echo "postgresql://$DB_USER@127.0.0.1:$PORT/$DB_NAME"
}

# Run a server-side command as the unprivileged owner of the cluster.
if [ "$(id -u)" -eq 0 ]; then
    if id postgres >/dev/null 2>&1; then OWNER=postgres; else OWNER=nobody; fi
    as_owner() { (cd / && runuser -u "$OWNER" -- "$@"); }
else
    OWNER="$(id -un)"
    as_owner() { "$@"; }
fi

is_running() {
    [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

start() {
    if [ ! -x "$BIN/initdb" ]; then
        echo "PostgreSQL 15 server binaries not found in $BIN; run scripts/ensure-system-packages.sh test" >&2
        exit 1
    fi
    if is_running; then
        url
        return
    fi
    if [ ! -f "$DATA/PG_VERSION" ]; then
        if [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
            if [ ! -f "$MARKER" ]; then
                echo "$DIR is not empty and was not made by $0; set CONFAB_PG_DIR" >&2
                exit 1
            fi
            rm -rf "$DIR" # leftovers of an interrupted run: start clean
        fi
        mkdir -p "$DIR"
        touch "$MARKER"
        chmod 700 "$DIR"
        if [ "$(id -u)" -eq 0 ]; then chown -R "$OWNER": "$DIR"; fi
        as_owner "$BIN/initdb" -D "$DATA" -A trust -U "$DB_USER" -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 || {
            cat "$DIR/initdb.log" >&2
            echo "initdb failed (as $OWNER in $DIR)" >&2
            exit 1
        }
    fi
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null; then
        tail -n 30 "$LOG" >&2 || true
        echo "PostgreSQL did not start on port $PORT (another server there? set CONFAB_PG_PORT)" >&2
        exit 1
    fi
    exists=$("$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")
    if [ "$exists" != 1 ]; then
        "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$DB_NAME"
    fi
    url
}

stop() {
    if is_running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null
    fi
    if [ -f "$MARKER" ]; then
        rm -rf "$DIR"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
