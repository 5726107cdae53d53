#!/usr/bin/env bash
# The schedules' slow proof (ctest label `slow`, left out of CI by scripts/test.sh): three dealerq
# instances share one database and an every-minute schedule for about four minutes of real time,
# the one running jobs is SIGKILLed, and every slot must be queued exactly once; on SQLite, then
# on PostgreSQL (a throwaway cluster, CTest fixture). About ten minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cd build
ctest --output-on-failure -L slow "$@"
