#!/usr/bin/env bash
# Proves the README's two commands on a fresh Debian root (as root, with network; slow: a
# debootstrap, the packages, two builds and the whole suite with its sanitizer stages, 30-60
# minutes on two cores):
#   1. a fresh minbase root of RELEASE gets a copy of this tree in /root/dealerq (no build output,
#      no .git), and nothing else;
#   2. `bash scripts/run.sh` there, with no display: it installs what it needs, builds, and runs
#      the headless demo, whose CSV must list every demo job;
#   3. `bash scripts/test.sh` there (or `--quick`, stage 1 only): the whole suite, PostgreSQL
#      included, must pass.
#   bash scripts/prove-readme.sh [RELEASE] [--quick] [--keep]
# RELEASE: bookworm (default) or trixie. The root lives in
# ${DEALERQ_PROVE_DIR:-/var/tmp/dealerq-prove}/RELEASE-readme, removed at the end unless --keep.
set -euo pipefail
cd "$(dirname "$0")/.."
release=bookworm
keep=0
quick=
while (($#)); do
    case $1 in
    --keep) keep=1 ;;
    --quick) quick=--quick ;;
    bookworm | trixie) release=$1 ;;
    *)
        echo "prove-readme: unknown argument \"$1\" (RELEASE bookworm|trixie, --quick, --keep)" >&2
        exit 2
        ;;
    esac
    shift
done
if [ "$(id -u)" -ne 0 ]; then
    echo "prove-readme: needs root (debootstrap, chroot, mounts)" >&2
    exit 2
fi
prog=prove-readme
source scripts/freshroot.sh

root=$top/$release-readme
cleanup() {
    local status=$?
    unmount_roots
    ((keep == 1)) || rm -rf "$root"
    if ((status == 0)); then
        echo "prove-readme: $release: both commands work" >&2
    else
        echo "prove-readme: $release: FAILED (exit $status)" >&2
    fi
}
trap cleanup EXIT

fresh_root "$root"
mkdir -p "$root/root/dealerq"
tar --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$root/root/dealerq"

echo "prove-readme: bash scripts/run.sh (no display: the headless demo)" >&2
in_root "$root" 'cd /root/dealerq && bash scripts/run.sh'
# The demo's six dealers, each in the CSV the demo wrote.
in_root "$root" '
    csv=/root/.local/share/dealerq/demo/jobs.csv
    for dealer in 12284 00999 D-1001 D-1002 NORTH_7 south-8; do
        grep -q ",$dealer," "$csv" || { echo "prove-readme: $dealer is not in $csv" >&2; exit 1; }
    done
    echo "prove-readme: the demo exported $(($(wc -l <"$csv") - 1)) jobs" >&2'

echo "prove-readme: bash scripts/test.sh $quick" >&2
in_root "$root" "cd /root/dealerq && bash scripts/test.sh $quick"
