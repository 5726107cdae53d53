#!/usr/bin/env bash
# Proves SPEC §9's package promise on fresh Debian roots (as root, with network; slow: two
# debootstraps and a build, 10-20 minutes):
#   1. a fresh minbase root of RELEASE runs `bash scripts/package.sh` on a copy of this tree, which
#      installs its own build dependencies and writes build/dealerq_<version>_<arch>.deb;
#   2. another fresh minbase root installs it with `apt-get install ./dealerq_*.deb` (every
#      runtime dependency pulled from the archive), then: the service's user exists though systemd
#      is not running there, `dealerq --version` and `dealerq --headless --demo --drain --enqueue
#      1,2` work from /usr/bin, the unit's command as its user and with its environment keeps its
#      settings and database owner-only in /var/lib/dealerq, desktop-file-validate, appstreamcli
#      validate --no-net and systemd-analyze verify pass on the installed files, the postinst's
#      useradd path works too, and the package purges cleanly.
#   bash scripts/prove-install.sh [RELEASE] [--keep] [--deb FILE]
# RELEASE: bookworm (default) or trixie. --deb FILE skips step 1 and proves that package.
# Roots live in ${DEALERQ_PROVE_DIR:-/var/tmp/dealerq-prove}/RELEASE-{build,install}, removed at
# the end unless --keep; debootstrap's downloads are kept in .../cache for the next run. Every
# mount made is unmounted on exit, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
release=bookworm
keep=0
given_deb=
while (($#)); do
    case $1 in
    --keep) keep=1 ;;
    --deb)
        given_deb=$(realpath "${2:?--deb needs a file}")
        shift
        ;;
    bookworm | trixie) release=$1 ;;
    *)
        echo "prove-install: unknown argument \"$1\" (RELEASE bookworm|trixie, --keep, --deb FILE)" >&2
        exit 2
        ;;
    esac
    shift
done
if [ "$(id -u)" -ne 0 ]; then
    echo "prove-install: needs root (debootstrap, chroot, mounts)" >&2
    exit 2
fi
prog=prove-install
source scripts/freshroot.sh

build_root=$top/$release-build
install_root=$top/$release-install
cleanup() {
    local status=$?
    unmount_roots
    if ((keep == 0)); then
        rm -rf "$build_root" "$install_root"
    fi
    if ((status == 0)); then
        echo "prove-install: $release: all proven" >&2
    else
        echo "prove-install: $release: FAILED (exit $status)" >&2
    fi
}
trap cleanup EXIT

# 1. Build the package where nothing is installed yet.
if [ -z "$given_deb" ]; then
    fresh_root "$build_root"
    mkdir -p "$build_root/src"
    # This tree as it is (committed or not), without build output.
    tar --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$build_root/src"
    echo "prove-install: bash scripts/package.sh in the fresh $release root" >&2
    in_root "$build_root" "cd /src && DEALERQ_JOBS=${DEALERQ_JOBS:-2} bash scripts/package.sh"
    given_deb=$(ls "$build_root"/src/build/dealerq_*.deb)
fi
deb=$(basename "$given_deb")
[[ $deb =~ ^dealerq_[0-9][^_]*_[a-z0-9]+\.deb$ ]] || {
    echo "prove-install: unexpected package name $deb" >&2
    exit 1
}

# 2. Install it on another fresh root and use it.
fresh_root "$install_root"
cp "$given_deb" "$install_root/root/"
echo "prove-install: apt-get install ./$deb in a fresh $release root" >&2
in_root "$install_root" "cd /root && apt-get update -qq && apt-get install -y -qq ./$deb >/dev/null"
in_root "$install_root" '
    test ! -d /run/systemd/system # systemd does not run here: the postinst must cope
    getent passwd dealerq | grep -q ":/var/lib/dealerq:" || { echo "no user dealerq" >&2; exit 1; }
    if command -v systemd-sysusers >/dev/null; then
        echo "the user dealerq was made by systemd-sysusers from /usr/lib/sysusers.d/dealerq.conf"
    else
        echo "the user dealerq was made by useradd (systemd is not installed)"
    fi
    test "$(command -v dealerq)" = /usr/bin/dealerq
    dealerq --version
    cd /tmp && dealerq --headless --demo --drain --no-api --enqueue 1,2
    test -s /root/.local/share/dealerq/dealerq.db
    man -w dealerq >/dev/null 2>&1 || test -s /usr/share/man/man1/dealerq.1.gz
    test -s /usr/share/bash-completion/completions/dealerq'
echo "prove-install: the service's command as the service's user, with the unit's environment" >&2
in_root "$install_root" '
    install -d -o dealerq -g dealerq -m 0750 /var/lib/dealerq # what StateDirectory= does, and UMask=:
    env_line=$(sed -n "s/^Environment=//p" /usr/lib/systemd/system/dealerq.service)
    cd / && umask 0077 && runuser -u dealerq -- env $env_line /usr/bin/dealerq --headless --demo --drain \
        --api-listen 127.0.0.1:0 --enqueue S1 >/dev/null
    test "$(stat -c "%U %a" /var/lib/dealerq/dealerq.db)" = "dealerq 600"
    test "$(stat -c "%U %a" /var/lib/dealerq/dealerq.ini)" = "dealerq 600" # the generated API token
    echo "the service user'"'"'s files: /var/lib/dealerq/dealerq.ini, /var/lib/dealerq/dealerq.db"'
echo "prove-install: validating the installed files" >&2
in_root "$install_root" '
    apt-get install -y -qq --no-install-recommends desktop-file-utils appstream systemd man-db >/dev/null
    desktop-file-validate /usr/share/applications/io.github.dealerq.dealerq.desktop
    appstreamcli validate --no-net /usr/share/metainfo/io.github.dealerq.dealerq.metainfo.xml
    for unit in /lib/systemd/system/dealerq.service /usr/lib/systemd/system/dealerq.service; do
        if [ -f "$unit" ]; then systemd-analyze verify "$unit"; found=1; fi
    done
    test "${found:-0}" = 1
    echo "validated: desktop entry, metainfo, unit"'
echo "prove-install: the postinst without systemd-sysusers (useradd)" >&2
in_root "$install_root" '
    userdel dealerq
    mkdir -p /tmp/nosysusers && ln -sf /usr/bin/getent /usr/sbin/useradd /tmp/nosysusers/
    PATH=/tmp/nosysusers /bin/sh /var/lib/dpkg/info/dealerq.postinst configure
    getent passwd dealerq | grep -q ":/var/lib/dealerq:/usr/sbin/nologin$"
    getent group dealerq >/dev/null
    echo "the user dealerq was made by useradd"'
echo "prove-install: removing the package" >&2
in_root "$install_root" '
    apt-get purge -y -qq dealerq >/dev/null
    test ! -e /usr/bin/dealerq
    ! dpkg -s dealerq >/dev/null 2>&1'
