#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `pgcluster.sh start STATE_DIR` creates one in a
# temporary folder, starts it on a free loopback port and writes its admin URL to
# STATE_DIR/url; `pgcluster.sh stop STATE_DIR` stops it and removes the folder. Runs the server
# as the postgres user when started as root (PostgreSQL refuses to run as root).
# The test clusters run with fsync=off; DEALERQ_PG_DURABLE=1 at start keeps the server's default
# durability (fsync=on, synchronous_commit=on), as the benchmarks need, for restarts too.
set -euo pipefail
action=$1
state=$2
mkdir -p "$state"

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "pgcluster: PostgreSQL server binaries not found (Debian: apt-get install postgresql)" >&2
    exit 1
fi

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

server_options() {
    echo "-p $1 -h 127.0.0.1 -k $2 $(cat "$state/durability" 2>/dev/null || echo "-c fsync=off") -c max_connections=200"
}

case "$action" in
start)
    if [ -f "$state/datadir" ] && [ -d "$(cat "$state/datadir")" ]; then
        "$0" stop "$state" || true
    fi
    data=$(mktemp -d /tmp/dealerq-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$data"
    chmod 700 "$data"
    echo "$data" > "$state/datadir"
    if [ "${DEALERQ_PG_DURABLE:-0}" = 1 ]; then
        : > "$state/durability"
    else
        echo "-c fsync=off" > "$state/durability"
    fi
    as_owner "$bindir/initdb" -D "$data/db" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 \
        || { cat "$data/initdb.log" >&2; exit 1; }
    for attempt in $(seq 1 20); do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
        if as_owner "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 30 \
            -o "$(server_options "$port" "$data")" start >/dev/null 2>&1; then
            echo "postgresql://postgres@127.0.0.1:$port/postgres" > "$state/url"
            echo "$port" > "$state/port"
            echo "pgcluster: PostgreSQL running on 127.0.0.1:$port ($data; $(if [ -s "$state/durability" ]; then echo "fsync off"; else echo "fsync on"; fi))" >&2
            exit 0
        fi
        grep -q "could not bind\|already in use" "$data/server.log" 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
    done
    echo "pgcluster: no free port found" >&2
    exit 1
    ;;
stop)
    [ -f "$state/datadir" ] || exit 0
    data=$(cat "$state/datadir")
    as_owner "$bindir/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$data" "$state/url" "$state/datadir" "$state/port" "$state/durability"
    ;;
restart)
    # restart STATE_DIR fast|immediate: as an operator (or a crash) would.
    data=$(cat "$state/datadir")
    port=$(cat "$state/port")
    as_owner "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 30 -m "${3:-fast}" \
        -o "$(server_options "$port" "$data")" restart >/dev/null
    ;;
halt)
    data=$(cat "$state/datadir")
    as_owner "$bindir/pg_ctl" -D "$data/db" -m "${3:-fast}" -w stop >/dev/null
    ;;
resume)
    data=$(cat "$state/datadir")
    port=$(cat "$state/port")
    as_owner "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 30 \
        -o "$(server_options "$port" "$data")" start >/dev/null
    ;;
*)
    echo "usage: $0 start|stop|restart|halt|resume STATE_DIR [mode]" >&2
    exit 2
    ;;
esac
