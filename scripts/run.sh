#!/usr/bin/env bash
# Sets up what is missing, builds, and runs dealerq: the Job Queue window when there is a
# display, otherwise the headless demo (a handful of demo dealers drained against the built-in
# simulator, then the history exported as CSV).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dealerq=build/app/dealerq

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "$dealerq" "$@"
fi

demo_dir=${DEALERQ_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/dealerq/demo}
mkdir -p "$demo_dir"
db="sqlite://$demo_dir/demo.db"
echo "No display: running the headless demo on $demo_dir/demo.db" >&2
status=0
"$dealerq" --db "$db" --headless --demo --drain --no-api \
    --enqueue 12284,00999,D-1001,D-1002,NORTH_7,south-8 || status=$?
"$dealerq" --db "$db" --export-csv "$demo_dir/jobs.csv"
echo "CSV of every job: $demo_dir/jobs.csv" >&2
exit $status
