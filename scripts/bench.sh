#!/usr/bin/env bash
# Runs every benchmark in one go (docs/performance.md): installs what is missing, builds,
# starts a private PostgreSQL cluster, runs tests/bench's bench_engine (queue overhead, ingest,
# operations, plus bench_window and bench_api when built), prints the table and writes it as
# JSON to $BUILD/bench.json; without arguments also bench_insight (SPEC §10), bench_bigjob (one
# job of 2,000,000 records) and bench_retention (SPEC §7), on their own lines. The cluster keeps
# the server's default durability.
# Extra arguments go to bench_engine (e.g. --only queue, --no-pg).
#
# Environment: DEALERQ_BENCH_BUILD, the build folder (default build, the one scripts/setup.sh
# makes; any other is configured here with CMAKE_BUILD_TYPE, default Release), and
# DEALERQ_BENCH_JOBS, parallel build jobs (default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${DEALERQ_BENCH_BUILD:-build}

# The peer and the baselines: Celery with a Redis broker, SQLAlchemy and requests (Debian's
# python3), redis-server, and the sqlite3 C API for the bare insert loop.
packages=(python3-celery python3-redis python3-sqlalchemy python3-requests redis-server
          libsqlite3-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then
        echo "bench: packages are missing and this is not root; install them with sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$build" = build ]; then
    bash scripts/setup.sh # the project's packages and build/
fi
if [ ! -f "$build/build.ninja" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" >/dev/null
fi
cmake -S . -B "$build" -DDEALERQ_BENCH=ON >/dev/null
targets=(bench_engine dealerq dealerq-sim)
for t in bench_window bench_api bench_insight bench_bigjob bench_retention; do
    if ninja -C "$build" -t targets all 2>/dev/null | grep -q "^$t:"; then
        targets+=("$t")
    fi
done
cmake --build "$build" -j"${DEALERQ_BENCH_JOBS:-$(nproc)}" --target "${targets[@]}"

pgstate=$(mktemp -d)
cleanup() {
    bash tests/pg/pgcluster.sh stop "$pgstate" >/dev/null 2>&1 || true
    rm -rf "$pgstate"
}
trap cleanup EXIT
pg_args=()
# With the server's default durability (fsync=on), unlike the test suite's clusters.
if DEALERQ_PG_DURABLE=1 bash tests/pg/pgcluster.sh start "$pgstate"; then
    pg_args=(--pg "$(cat "$pgstate/url")")
else
    echo "bench: no PostgreSQL cluster; PostgreSQL figures are skipped" >&2
    pg_args=(--no-pg)
fi

echo "bench: machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -m | awk '/^Mem:/ {print $2}') MB; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
bin=$(find "$build/tests/bench" -maxdepth 1 -name bench_engine -type f | head -n 1)
"$bin" --json "$build/bench.json" "${pg_args[@]}" "$@"
echo "bench: figures written to $build/bench.json" >&2

# The benchmarks of their own, in a full run only: each on SQLite, then on the private cluster.
# The window on a history of 1,000,000 finished jobs; SPEC §10 at 1,000,000 jobs (stats,
# coverage, the Dashboard and Dealers views); one job of 2,000,000 records (peak memory, adds
# meanwhile); retention (SPEC §7) removing 1,000,000 finished jobs beside a runner's writes and
# the window's reads.
run_on_both() {
    local bin
    bin=$(find "$build/tests/bench" "$build/tests" -maxdepth 1 -name "$1" -type f | head -n 1)
    [ -n "$bin" ] || return 0
    shift
    env -u DEALERQ_TEST_PG -u DEALERQ_TEST_PG_STATE "$bin" "$@"
    if [ "${pg_args[0]}" = --pg ]; then
        DEALERQ_TEST_PG="${pg_args[1]}" "$bin" "$@"
    fi
}
if [ $# -eq 0 ]; then
    QT_QPA_PLATFORM=offscreen run_on_both bench_window --jobs 1000000
    run_on_both bench_insight
    run_on_both bench_bigjob
    run_on_both bench_retention
fi
