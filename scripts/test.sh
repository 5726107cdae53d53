#!/usr/bin/env bash
# Sets up what is missing, builds, and runs every check:
#   1. the test suite (ctest: SQLite, a throwaway PostgreSQL cluster, the simulator, the window
#      offscreen, the benchmark smoke run);
#   2. the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer;
#   3. the runner and store tests built with ThreadSanitizer (scripts/tsan.sh);
#   4. each libFuzzer target for a short, fixed time.
# `--quick` runs stage 1 only. Extra arguments go to the first ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
if [ "${1:-}" = "--quick" ]; then
    quick=1
    shift
fi
bash scripts/setup.sh
jobs=$(nproc)

echo "== test suite" >&2
# Label `slow`: the proofs that take minutes of real time (scripts/prove-schedules.sh).
(cd build && ctest -j"$jobs" --output-on-failure -LE slow "$@")
[ $quick -eq 1 ] && exit 0

echo "== test suite under AddressSanitizer + UndefinedBehaviorSanitizer" >&2
if [ ! -f build-asan/build.ninja ]; then
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
        -DDEALERQ_SANITIZE=address,undefined >/dev/null
fi
cmake --build build-asan -j"$jobs"
# Leak checking is off: Debian's uninstrumented Qt and fontconfig keep caches until exit.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
(cd build-asan && ctest -j"$jobs" --output-on-failure -LE slow)
unset ASAN_OPTIONS UBSAN_OPTIONS

echo "== runner and store tests under ThreadSanitizer" >&2
bash scripts/tsan.sh

echo "== fuzz targets" >&2
bash scripts/fuzz.sh "${DEALERQ_FUZZ_SECONDS:-20}"
