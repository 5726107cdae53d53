#!/usr/bin/env bash
# Takes docs/screenshot.png: the Job Queue window with demo data, on a virtual display.
# Builds nothing: give it the built dealerq binary. With SIZE (e.g. 1024x700, 1920x1080) the
# screen has that size and the window fills it, as an operator's maximised window would.
#
#   scripts/screenshot.sh build/app/dealerq [out.png] [SIZE]
#
# Needs xvfb (xvfb-run), imagemagick (import), x11-utils (xwininfo) and xdotool:
#   apt-get install xvfb imagemagick x11-utils xdotool
# Everything runs on a throwaway SQLite file and settings file; nothing of yours is touched.
set -euo pipefail

dealerq=${1:?usage: $0 path/to/dealerq [out.png]}
dealerq=$(realpath "$dealerq")
out=${2:-$(dirname "$0")/../docs/screenshot.png}
mkdir -p "$(dirname "$out")"
out=$(realpath "$out")
size=${3:-}
if [[ -n $size && ! $size =~ ^[0-9]+x[0-9]+$ ]]; then
    echo "$0: SIZE must be WIDTHxHEIGHT, e.g. 1024x700, not \"$size\"" >&2
    exit 2
fi
for tool in xvfb-run import xwininfo xdotool; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is missing (apt-get install xvfb imagemagick x11-utils xdotool)" >&2; exit 2; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="sqlite://$tmp/dealerq.db"
# Failures show at once instead of after the usual retries.
printf '[fetch]\nmax_retries=0\ntimeout_ms=2000\n' > "$tmp/dealerq.ini"
export DEALERQ_SETTINGS="$tmp/dealerq.ini"

# History: a batch that ran, and two that failed (nothing listens on port 9).
"$dealerq" --db "$db" --headless --demo --drain --no-api --type prospect \
    --enqueue 12284,00999,10045,20931,31877,D-1001,D-1002,NORTH_7,south-8,44120
"$dealerq" --db "$db" --headless --demo --drain --no-api --type sales --enqueue 12284,10045,20931
"$dealerq" --db "$db" --headless --drain --no-api --source http://127.0.0.1:9/ --type service \
    --enqueue 77001,77002 || true

# The queue: enough waiting jobs that some are still queued when the picture is taken.
ids=$(seq -f 'DLR%05g' 1 1500 | paste -sd,)
"$dealerq" --db "$db" --enqueue "$ids" --type inventory >/dev/null

# The window, alone on a screen of its default size (1280x800) or of SIZE, which it fills.
xvfb-run -a -s "-screen 0 ${size:-1280x800}x24" bash -c '
    "$1" --db "$2" --demo --no-api &
    pid=$!
    for _ in $(seq 1 100); do
        if xwininfo -root -tree 2>/dev/null | grep -q "Job Queue"; then break; fi
        sleep 0.2
    done
    if [ -n "$4" ]; then
        window=$(xdotool search --name "Job Queue" | head -n 1)
        xdotool windowmove "$window" 0 0 windowsize "$window" "${4%x*}" "${4#*x}"
    fi
    sleep 2.5
    import -window root "$3"
    kill -TERM "$pid"
    wait "$pid" || true
' screenshot "$dealerq" "$db" "$out" "$size"
echo "wrote $out" >&2
