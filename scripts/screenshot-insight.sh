#!/usr/bin/env bash
# Takes docs/screenshot-dashboard.png and docs/screenshot-dealers.png: the window with the
# splitter dragged up, its Dashboard tab forward (Alt+4), then its Dealers tab (Alt+5), over a
# month of history for 150 dealers and three types — most jobs completed, some failing, a few
# dealers not fetched for days — on a virtual display.
#
#   scripts/screenshot-insight.sh build/app/dealerq [OUTDIR] [SIZE]
#
# Needs what scripts/screenshot.sh needs, and sqlite3 (a month of finished jobs is written
# straight into the throwaway database; running them would take a month):
#   apt-get install xvfb imagemagick x11-utils xdotool sqlite3
# Nothing of yours is touched.
set -euo pipefail

dealerq=${1:?usage: $0 path/to/dealerq [outdir] [SIZE]}
dealerq=$(realpath "$dealerq")
outdir=${2:-$(dirname "$0")/../docs}
mkdir -p "$outdir"
outdir=$(realpath "$outdir")
size=${3:-1280x860}
for tool in xvfb-run import xwininfo xdotool sqlite3; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install xvfb imagemagick x11-utils xdotool sqlite3)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file="$tmp/dealerq.db"
db="sqlite://$file"
printf '[fetch]\nmax_retries=0\n' > "$tmp/dealerq.ini"
export DEALERQ_SETTINGS="$tmp/dealerq.ini"
export TZ=Europe/Berlin
"$dealerq" --db "$db" --enqueue 12284 >/dev/null # the schema
now=$(($(date +%s) * 1000))

# 9,000 finished jobs: half of them in the last 24 hours, busier by day, slower from 02:00 to
# 04:00; dealers D-0001 and D-0002 last fetched two days ago or more (stale); D-0003's sales
# failing since yesterday; D-0004's inventory cancelled before it ever ran (never fetched).
sqlite3 "$file" <<SQL
DELETE FROM jobs;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000),
j AS (
  SELECT i, printf('D-%04d', i % 150) AS dealer,
         CASE (i / 150) % 3 WHEN 0 THEN 'prospect' WHEN 1 THEN 'sales' ELSE 'service' END AS type,
         CASE WHEN i % 150 IN (1, 2) THEN $now - 2 * 86400000 - (i * 104729) % (20 * 86400000)
              WHEN i % 2 = 0 THEN $now - ((i * 7919) % 86400000) * (0.4 + 0.6 * ((i / 2) % 5 != 0))
              ELSE $now - (i * 104729) % (30 * 86400000) END AS finished
  FROM n),
k AS (
  SELECT *, CASE WHEN dealer = 'D-0003' AND type = 'sales' AND finished > $now - 86400000 THEN 'fail'
                 WHEN i % 23 = 0 THEN 'fail' WHEN i % 97 = 0 THEN 'cancel' ELSE 'ok' END AS outcome,
            1500 + (i * 37) % 9000
              + CASE WHEN CAST(strftime('%H', finished / 1000, 'unixepoch', 'localtime') AS INTEGER)
                          BETWEEN 2 AND 4 THEN 12000 ELSE 0 END AS took
  FROM j)
INSERT INTO jobs (dealer_id, fetch_type, from_ms, to_ms, status, priority, position, created_ms,
    started_ms, finished_ms, attempts, pages, fetched, inserted, updated, unchanged,
    error_message, error_category, created_by)
SELECT dealer, type, finished - 86400000 - 3600000, finished - 3600000,
       CASE outcome WHEN 'ok' THEN 'completed' WHEN 'fail' THEN 'failed' ELSE 'cancelled' END,
       0, i, finished - took - 4000, CASE outcome WHEN 'cancel' THEN NULL ELSE finished - took END,
       finished, CASE outcome WHEN 'fail' THEN 3 WHEN 'cancel' THEN 0 ELSE 1 END,
       CASE outcome WHEN 'ok' THEN 1 + i % 9 END, CASE outcome WHEN 'ok' THEN 20 + (i * 13) % 400 END,
       CASE outcome WHEN 'ok' THEN (i * 13) % 90 END, CASE outcome WHEN 'ok' THEN (i * 7) % 40 END,
       CASE outcome WHEN 'ok' THEN 20 + (i * 13) % 400 - (i * 13) % 90 - (i * 7) % 40 END,
       CASE outcome WHEN 'fail' THEN CASE WHEN i % 2 = 0 THEN 'HTTP 503 Service Unavailable'
                                          ELSE 'connection refused' END
                    WHEN 'cancel' THEN 'cancelled before it ran' END,
       CASE outcome WHEN 'fail' THEN CASE WHEN i % 2 = 0 THEN 'http' ELSE 'network' END
                    WHEN 'cancel' THEN 'cancelled' END,
       'schedule:nightly'
FROM k;
INSERT INTO jobs (dealer_id, fetch_type, from_ms, to_ms, status, priority, position, created_ms,
    finished_ms, attempts, error_message, error_category, created_by)
VALUES ('D-0004', 'inventory', $now - 2 * 86400000, $now - 86400000, 'cancelled', 0, 9001,
        $now - 7200000, $now - 7000000, 0, 'cancelled before it ran', 'cancelled',
        'window:anna@ops-01');
INSERT INTO job_attempts (job_id, attempt, runner_id, started_ms, finished_ms, outcome,
    error_category, error_message, fetched)
SELECT id, 1, 'ops-01', started_ms, finished_ms, status, error_category, error_message, fetched
FROM jobs WHERE started_ms IS NOT NULL;
DELETE FROM record_counts;
INSERT INTO record_counts (dealer_id, fetch_type, records)
SELECT dealer_id, fetch_type, 1200 + SUM(inserted) FROM jobs WHERE status = 'completed'
GROUP BY dealer_id, fetch_type;
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
    # The tabs get most of the height, as an operator drags the splitter for a look at them.
    xdotool mousemove 793 541 mousedown 1 mousemove 793 300 mousemove 793 200 mouseup 1
    sleep 0.5
    xdotool key alt+4                  # View > Dashboard
    sleep 2
    import -window root "$3/screenshot-dashboard.png"
    xdotool key alt+5                  # View > Dealers
    sleep 2
    import -window root "$3/screenshot-dealers.png"
    kill -TERM "$pid"
    wait "$pid" || true
' screenshot "$dealerq" "$db" "$outdir" "$size"
echo "wrote $outdir/screenshot-dashboard.png and $outdir/screenshot-dealers.png" >&2
