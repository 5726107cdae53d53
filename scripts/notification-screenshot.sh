#!/usr/bin/env bash
# Takes a screenshot of dealerq's "N jobs failed" desktop notification (freedesktop
# notifications over D-Bus, drawn by dunst) over the Job Queue window, then clicks it and
# takes a second one of the window showing the history filtered to failed jobs.
# Everything runs on a private Xvfb display, a private session bus, a throwaway SQLite file
# and settings file, and XDG dirs under $work; nothing of the user's is touched.
#
#   scripts/notification-screenshot.sh build/app/dealerq [outdir]   (default outdir: docs/)
# Needs: apt-get install xvfb imagemagick x11-utils xdotool dunst dbus-x11 (dbus-monitor is in dbus)
set -euo pipefail

dealerq=$(realpath "${1:?usage: $0 path/to/dealerq [outdir]}")
sim=${DEALERQ_SIM:-$(dirname "$dealerq")/sim/dealerq-sim}
here=$(dirname "$(realpath "$0")")
out=$(realpath "${2:-$here/../docs}")
display=${DISPLAY_NUM:-:97}
work=$(mktemp -d)
pids=()
dbus_pid=
cleanup() {
    # Newest first: the window before the bus and the display it uses.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
    sleep 0.5
    [[ -n $dbus_pid ]] && kill "$dbus_pid" 2>/dev/null || true
    [[ -n ${xvfb_pid:-} ]] && kill "$xvfb_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The display, the session bus (dbus-launch ties it to the display) and the daemon.
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 1 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
eval "$(dbus-launch --sh-syntax)"
dbus_pid=$DBUS_SESSION_BUS_PID
mkdir -p "$work/icons"
# The icon an installed dealerq has (hicolor/…/io.github.dealerq.dealerq.png), for dunst.
cp "$here/../resources/dealerq.png" "$work/icons/io.github.dealerq.dealerq.png"
sed "s|@ICONS@|$work/icons|" "$here/notification-dunstrc.in" >"$work/dunstrc"
dunst -config "$work/dunstrc" >"$work/dunst.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null |
        grep -q 'boolean true' && break
    sleep 0.1
done
# What dealerq asks of the notification server, to know when the notice is on screen.
dbus-monitor --session "interface='org.freedesktop.Notifications'" >"$work/monitor.log" 2>&1 &
pids+=($!)

# dealerq's own state, all under $work.
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data XDG_CACHE_HOME=$work/cache
export XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export QT_STYLE_OVERRIDE=Fusion
# Failures show at once instead of after the usual retries.
printf '[fetch]\nmax_retries=0\ntimeout_ms=4000\n[window]\npalette=light\n' >"$work/dealerq.ini"
export DEALERQ_SETTINGS=$work/dealerq.ini
db="sqlite://$work/dealerq.db"

start_sim() { # name, options...; sets url
    local name=$1
    shift
    "$sim" --listen 127.0.0.1:0 "$@" >"$work/$name.out" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 1 50); do
        [[ -s $work/$name.out ]] && { url="http://127.0.0.1:$(head -n 1 "$work/$name.out")/"; return; }
        sleep 0.1
    done
    echo "$0: dealerq-sim did not start" >&2
    exit 1
}
# Earlier runs, for a history: quick, some failing.
start_sim quick --latency-ms 120 --records 180 --records-for 00999=2400 --fault 500:D-1002 \
    --fault 404:south-8 --fault malformed:77002
quick=$url
# The run on screen: 1.5 s a job (6 pages of 250, 250 ms each), four dealers failing.
start_sim live --latency-ms 250 --records 1500 --page-size 250 --fault 404:D-2001 \
    --fault 500:D-2002 --fault malformed:D-2003 --fault 403:D-2004
live=$url

"$dealerq" --db "$db" --headless --drain --no-api --source "$quick" --type prospect \
    --enqueue 12284,00999,10045,20931,31877,D-1001,D-1002,NORTH_7,south-8,44120 >/dev/null 2>&1 || true
"$dealerq" --db "$db" --headless --drain --no-api --source "$quick" --type sales \
    --enqueue 12284,10045,20931,77001,77002 >/dev/null 2>&1 || true
"$dealerq" --db "$db" --schedule-add nightly-prospects --cron '0 2 * * *' --type prospect \
    --window previous_day --enqueue "$(seq -f 'D%04g' 1001 1240 | paste -sd,)" >/dev/null 2>&1
"$dealerq" --db "$db" --schedule-add inventory-every-2h --cron '0 */2 * * *' --type inventory \
    --window last_hours:2 --enqueue 12284,00999,10045,20931,31877,44120 >/dev/null 2>&1

# The window, fetching from the live simulator.
"$dealerq" --db "$db" --source "$live" --no-api >"$work/window.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do xdotool search --name "Job Queue" >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1

# The run: the first failure is notified at once ("1 job failed"); the next three come within
# 10 s and are gathered into one notice, shown 10 s after the first while jobs still run, that
# replaces the first and so counts all four ("4 jobs failed").
"$dealerq" --db "$db" --type prospect --enqueue \
    20931,D-2001,44120,D-2002,10045,D-2003,D-2004,12284,31877,NORTH_7,D-1001,00999,77001,south-9,60210 \
    >/dev/null
gathered='string "[2-9] jobs failed"'
for _ in $(seq 1 300); do grep -q "$gathered" "$work/monitor.log" && break; sleep 0.1; done
grep -q "$gathered" "$work/monitor.log" || { echo "$0: no notification" >&2; exit 1; }
sleep 1 # dunst draws it
import -window root "$out/screenshot-notification.png"

# Click it: dunst's left click (mouse_left_click = do_action) invokes the default action.
note=$(xdotool search --class dunst | head -n 1)
geom=$(xwininfo -id "$note")
x=$(awk '/Absolute upper-left X/ {print $4}' <<<"$geom")
y=$(awk '/Absolute upper-left Y/ {print $4}' <<<"$geom")
w=$(awk '/Width:/ {print $2}' <<<"$geom")
h=$(awk '/Height:/ {print $2}' <<<"$geom")
xdotool mousemove $((x + w / 2)) $((y + h / 2)) click 1
for _ in $(seq 1 30); do grep -q 'member=ActionInvoked' "$work/monitor.log" && break; sleep 0.1; done
sleep 1.5
import -window root "$out/screenshot-notification-clicked.png"
grep -A2 'member=ActionInvoked' "$work/monitor.log" | sed 's/^/  /' >&2 || echo "$0: no ActionInvoked" >&2
echo "wrote $out/screenshot-notification.png $out/screenshot-notification-clicked.png" >&2
