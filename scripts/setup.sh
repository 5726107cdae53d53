#!/usr/bin/env bash
# Installs what is missing (Debian 12 or 13, as root) and builds dealerq into ./build.
# Quick the second time: packages already there are not touched, and the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

# The package names that differ between releases: clang's sanitizer and libFuzzer runtime
# follows the release's default clang (Debian 12: Qt 6.4, clang 14; Debian 13: Qt 6.8, clang 19).
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
# Debian 13's xlsxwriter.pc requires minizip and libcrypto, which libxlsxwriter-dev does not pull.
case $codename in
bookworm) release_packages=(libclang-rt-14-dev) ;;
trixie) release_packages=(libclang-rt-19-dev libminizip-dev libssl-dev) ;;
*)
    echo "setup: this is \"${codename:-an unknown release}\", not Debian 12 (bookworm) or 13 (trixie); trying the Debian 13 package names" >&2
    release_packages=(libclang-rt-19-dev libminizip-dev libssl-dev)
    ;;
esac
packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev
    qt6-tools-dev qt6-l10n-tools qt6-translations-l10n
    libqt6sql6-sqlite libqt6sql6-psql libsqlite3-dev libpq-dev libgl-dev libxlsxwriter-dev zlib1g-dev
    postgresql xvfb xauth fonts-dejavu-core curl
    clang "${release_packages[@]}" prometheus openssl dbus-daemon
    desktop-file-utils appstream bash-completion man-db
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: packages are missing and this is not root; install them with sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_type=${CMAKE_BUILD_TYPE:-RelWithDebInfo}
if [ ! -f build/build.ninja ]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" ${DEALERQ_CMAKE_ARGS:-} >/dev/null
fi
cmake --build build -j"$(nproc)"
