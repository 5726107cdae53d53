#!/usr/bin/env bash
# Takes docs/screenshot.png: the Job Queue window in the middle of a working day — a job running
# with its progress, jobs waiting, a history with completed and failed jobs and their errors,
# schedules — on a virtual display. The jobs fetch from dealerq-sim over loopback: a quick one
# made the history, a slow one (latency per page) runs the job that is on screen.
# Builds nothing: give it the built dealerq binary (dealerq-sim is looked for beside it, in
# sim/, or named by DEALERQ_SIM). With SIZE (e.g. 1024x700, 1920x1080) the screen has that size
# and the window fills it, as an operator's maximised window would.
#
#   scripts/screenshot.sh build/app/dealerq [out.png] [SIZE]
#   PALETTE=dark scripts/screenshot.sh build/app/dealerq docs/screenshot-dark.png
#   LANGUAGE=de LANG=de_DE.UTF-8 scripts/screenshot.sh build/app/dealerq docs/screenshot-de.png
#
# PALETTE (light, the default here, or dark) is the [window] palette setting; the window runs
# in Qt's Fusion style (the style there is under Xvfb, with no desktop). LANGUAGE passes through
# to the window.
# Needs xvfb (xvfb-run), imagemagick (import), x11-utils (xwininfo) and xdotool:
#   apt-get install xvfb imagemagick x11-utils xdotool
# Everything runs on a throwaway SQLite file and settings file; nothing of yours is touched.
set -euo pipefail

dealerq=${1:?usage: $0 path/to/dealerq [out.png] [SIZE]}
dealerq=$(realpath "$dealerq")
out=${2:-$(dirname "$0")/../docs/screenshot.png}
mkdir -p "$(dirname "$out")"
out=$(realpath "$out")
size=${3:-}
palette=${PALETTE:-light}
if [[ -n $size && ! $size =~ ^[0-9]+x[0-9]+$ ]]; then
    echo "$0: SIZE must be WIDTHxHEIGHT, e.g. 1024x700, not \"$size\"" >&2
    exit 2
fi
if [[ ! $palette =~ ^(light|dark|system)$ ]]; then
    echo "$0: PALETTE must be light, dark or system, not \"$palette\"" >&2
    exit 2
fi
sim=${DEALERQ_SIM:-$(dirname "$dealerq")/sim/dealerq-sim}
[[ -x $sim ]] || { echo "$0: no dealerq-sim at $sim (set DEALERQ_SIM)" >&2; exit 2; }
for tool in xvfb-run import xwininfo xdotool; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install xvfb imagemagick x11-utils xdotool)" >&2; exit 2; }
done

tmp=$(mktemp -d)
sims=()
cleanup() {
    for pid in "${sims[@]:-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
db="sqlite://$tmp/dealerq.db"
# Failures show at once instead of after the usual retries.
printf '[fetch]\nmax_retries=0\ntimeout_ms=4000\n[window]\npalette=%s\n' "$palette" > "$tmp/dealerq.ini"
export DEALERQ_SETTINGS="$tmp/dealerq.ini"

# Starts dealerq-sim with the given options; sets url to its base URL. (Not in a command
# substitution: its subshell would keep the process ID from the cleanup.)
start_sim() {
    local name=$1
    shift
    "$sim" --listen 127.0.0.1:0 "$@" > "$tmp/$name.out" 2>/dev/null &
    sims+=($!)
    for _ in $(seq 1 50); do
        if [[ -s $tmp/$name.out ]]; then
            url="http://127.0.0.1:$(head -n 1 "$tmp/$name.out")/"
            return
        fi
        sleep 0.1
    done
    echo "$0: dealerq-sim did not start" >&2
    exit 1
}
start_sim quick --latency-ms 120 --records 180 --records-for 00999=2400 --fault 500:D-1002 \
    --fault 404:south-8 --fault malformed:77002
quick=$url
start_sim slow --records 40000 --page-size 250 --latency-ms 900
slow=$url

# History: batches that ran, some jobs failing with the source's errors.
"$dealerq" --db "$db" --headless --drain --no-api --source "$quick" --type prospect \
    --enqueue 12284,00999,10045,20931,31877,D-1001,D-1002,NORTH_7,south-8,44120 || true
"$dealerq" --db "$db" --headless --drain --no-api --source "$quick" --type sales \
    --enqueue 12284,10045,20931,77001,77002 || true

# Schedules.
"$dealerq" --db "$db" --schedule-add nightly-prospects --cron '0 2 * * *' --type prospect \
    --window previous_day --enqueue "$(seq -f 'D%04g' 1001 1240 | paste -sd,)" >/dev/null 2>&1
"$dealerq" --db "$db" --schedule-add sales-service-weekdays --cron '30 6 * * 1-5' \
    --type sales,service --window since_last_success \
    --enqueue "$(seq -f 'NORTH_%g' 1 85 | paste -sd,)" >/dev/null 2>&1
"$dealerq" --db "$db" --schedule-add inventory-every-2h --cron '0 */2 * * *' --type inventory \
    --window last_hours:2 --enqueue 12284,00999,10045,20931,31877,44120 >/dev/null 2>&1

# The queue: a long job first, then jobs waiting behind it.
"$dealerq" --db "$db" --enqueue 31877 --type inventory >/dev/null
"$dealerq" --db "$db" --enqueue "$(seq -f 'DLR%05g' 1 60 | paste -sd,)" --type service >/dev/null

# The window, alone on a screen of its default size (1280x800) or of SIZE, which it fills.
xvfb-run -a -s "-screen 0 ${size:-1280x800}x24" bash -c '
    "$1" --db "$2" --source "$5" --no-api &
    pid=$!
    for _ in $(seq 1 100); do
        if xwininfo -root -tree 2>/dev/null | grep -q "Job Queue"; then break; fi
        sleep 0.2
    done
    if [ -n "$4" ]; then
        window=$(xdotool search --name "Job Queue" | head -n 1)
        xdotool windowmove "$window" 0 0 windowsize "$window" "${4%x*}" "${4#*x}"
    fi
    sleep 7  # the running job some pages in
    import -window root "$3"
    kill -TERM "$pid"
    sleep 0.5
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" || true
' screenshot "$dealerq" "$db" "$out" "$size" "$slow"
echo "wrote $out" >&2
