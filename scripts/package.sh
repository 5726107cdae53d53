#!/usr/bin/env bash
# Builds the Debian package build/dealerq_<version>_<arch>.deb (SPEC §9) on a Debian 12 or 13
# root, installing what the build needs first (as root; a bare debootstrap root will do).
#   bash scripts/package.sh         # build-deb/ (Release flags from dpkg-buildflags), then lintian
# The package depends on what dpkg-shlibdeps finds plus Qt's SQL driver plugins; it installs
# with `apt-get install ./build/dealerq_*.deb`. scripts/prove-install.sh proves that on fresh roots.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    cmake ninja-build g++ pkg-config file dpkg-dev
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev qt6-l10n-tools
    libsqlite3-dev libpq-dev libgl-dev libxlsxwriter-dev zlib1g-dev
    lintian
)
# Debian 13's xlsxwriter.pc requires minizip and libcrypto, which libxlsxwriter-dev does not pull.
[ "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" = bookworm ] ||
    packages+=(libminizip-dev libssl-dev)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "package: installing ${missing[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then
        echo "package: packages are missing and this is not root; install them with sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's hardening flags (stack protector, fortify, relro, bindnow), as a Debian package gets.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
CXXFLAGS="$(dpkg-buildflags --get CXXFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CXXFLAGS LDFLAGS

build=build-deb
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
    -DDEALERQ_DEBIAN_DOCS=ON >/dev/null
# Only what the package holds: the programs and what is made from them (no tests).
cmake --build "$build" -j"${DEALERQ_JOBS:-$(nproc)}" --target dealerq dealerq-sim dealerq_docs
(cd "$build" && cpack -G DEB >/dev/null)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
deb=dealerq_${version}_${arch}.deb
mkdir -p build
cp "$build/$deb" "build/$deb"
echo "package: build/$deb" >&2
dpkg-deb --field "build/$deb" Depends Recommends >&2

# Lintian's verdict; the overrides shipped in the package explain what stays.
lintian --info --display-info "build/$deb" >&2 || {
    echo "package: lintian found errors (above)" >&2
    exit 1
}
