#!/usr/bin/env bash
# Takes docs/screenshot-schedules.png (the window with its Schedules tab forward) and
# docs/screenshot-schedule-dialog.png (the edit dialog of nightly-prospects), with demo jobs and
# four schedules as they stand after a few days of running, on a virtual display.
#
#   scripts/screenshot-schedules.sh build/app/dealerq [OUTDIR] [SIZE]
#
# Needs what scripts/screenshot.sh needs, and sqlite3 (the schedules' past fires are written
# straight into the throwaway database, which no command can do):
#   apt-get install xvfb imagemagick x11-utils xdotool sqlite3
# Times are shown in Europe/Berlin. Nothing of yours is touched.
set -euo pipefail

dealerq=${1:?usage: $0 path/to/dealerq [outdir] [SIZE]}
dealerq=$(realpath "$dealerq")
outdir=${2:-$(dirname "$0")/../docs}
mkdir -p "$outdir"
outdir=$(realpath "$outdir")
size=${3:-1280x800}
for tool in xvfb-run import xwininfo xdotool sqlite3; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install xvfb imagemagick x11-utils xdotool sqlite3)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file="$tmp/dealerq.db"
db="sqlite://$file"
printf '[fetch]\nmax_retries=0\ntimeout_ms=2000\n' > "$tmp/dealerq.ini"
export DEALERQ_SETTINGS="$tmp/dealerq.ini"
export TZ=Europe/Berlin

# Some history, and jobs still waiting when the picture is taken.
"$dealerq" --db "$db" --headless --demo --drain --no-api --type prospect \
    --enqueue 12284,00999,10045,20931,31877,D-1001,D-1002,NORTH_7,south-8,44120
for type in inventory service; do
    "$dealerq" --db "$db" --enqueue "$(seq -f 'DLR%05g' 1 10000 | paste -sd,)" --type $type >/dev/null
done

# The latest time at or before now that `date` words as "$1" (a time of day) on a day that
# `$2` (a `date +%u` test, Monday 1) accepts, in milliseconds.
latest() {
    local back t
    for back in $(seq 0 8); do
        t=$(date -d "$back days ago $1" +%s)
        if ((t <= $(date +%s))) && [[ $(date -d "@$t" +%u) =~ $2 ]]; then
            echo $((t * 1000))
            return
        fi
    done
}
now=$(($(date +%s) * 1000))
created=$((now - 9 * 86400000))
nightly=$(latest 02:00 '[1-7]')
weekdays=$(latest 06:30 '[1-5]')
hour=$(date +%H)
twohourly=$(($(date -d "today $(printf '%02d' $((10#$hour / 2 * 2))):00" +%s) * 1000))
ids() { seq -f "$1" "$2" "$3" | paste -sd$'\n'; }

# Each one as after its latest slot fired (a few seconds late, as fires are).
sqlite3 "$file" <<SQL
INSERT INTO schedules (name, cron, timezone, dealer_ids, fetch_types, window_rule, fallback_days,
    priority, enabled, catch_up, created_ms, created_by, changed_ms, enabled_since_ms,
    last_fired_ms, last_slot_ms) VALUES
('nightly-prospects', '0 2 * * *', 'Europe/Berlin', '$(ids 'D%04g' 1001 1240)', 'prospect',
    'previous_day', 1, 0, 1, 'once', $created, 'window:anna@ops-01', $created, $created,
    $((nightly + 2400)), $nightly),
('sales-service-weekdays', '30 6 * * 1-5', 'Europe/Berlin', '$(ids 'NORTH_%g' 1 85)',
    'sales,service', 'since_last_success', 2, 10, 1, 'once', $created, 'window:anna@ops-01',
    $created, $created, $((weekdays + 3100)), $weekdays),
('inventory-every-2h', '0 */2 * * *', 'Europe/Berlin', '12284
00999
10045
20931
31877
44120', 'inventory', 'last_hours:2', 1, -5, 1, 'skip', $created, 'cli:jonas@ops-02', $created,
    $created, $((twohourly + 1800)), $twohourly),
('us-east-month-end', '0 23 28-31 * *', 'America/New_York', '$(ids 'US%03g' 1 40)',
    'sales', 'last_days:31', 1, 0, 0, 'once', $created, 'api:default', $created, $created,
    NULL, NULL);
SQL

xvfb-run -a -s "-screen 0 ${size}x24" bash -c '
    set -e
    "$1" --db "$2" --demo --no-api &
    pid=$!
    for _ in $(seq 1 100); do
        if xwininfo -root -tree 2>/dev/null | grep -q "Job Queue"; then break; fi
        sleep 0.2
    done
    window=$(xdotool search --name "Job Queue" | head -n 1)
    xdotool windowmove "$window" 0 0 windowsize "$window" "${4%x*}" "${4#*x}"
    sleep 1.5
    xdotool windowfocus --sync "$window"
    xdotool key ctrl+shift+s        # Schedules > Show Schedules: the first one selected
    sleep 2
    import -window root "$3/screenshot-schedules.png"
    xdotool key Down Return         # edit the second, nightly-prospects
    for _ in $(seq 1 50); do
        dialog=$(xdotool search --name "Edit Schedule" | head -n 1 || true)
        [ -n "$dialog" ] && break
        sleep 0.2
    done
    sleep 1
    import -window "$dialog" "$3/screenshot-schedule-dialog.png"
    kill -TERM "$pid"
    wait "$pid" || true
' screenshot "$dealerq" "$db" "$outdir" "$size"
echo "wrote $outdir/screenshot-schedules.png and $outdir/screenshot-schedule-dialog.png" >&2
