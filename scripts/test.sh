#!/usr/bin/env bash
# Sets up what is missing, builds, and runs the whole test suite (PostgreSQL tests start their
# own throwaway server). Benchmarks and fuzzers are not part of it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd build
ctest -j"$(nproc)" --output-on-failure "$@"
