# Fresh Debian roots for the proofs (sourced by scripts/prove-install.sh and
# scripts/prove-readme.sh, as root). Before sourcing, set `release` (bookworm|trixie) and `prog`
# (the name log lines start with). Defines `mirror`, `top`, the `mounts` made so far, and:
#   fresh_root DIR        a new minbase root of $release in DIR, mounted and ready to chroot into
#   in_root DIR COMMAND   runs bash -c COMMAND inside DIR as root, with a clean environment
#   unmount_roots         unmounts every mount fresh_root made (call it from an EXIT trap)

command -v debootstrap >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

# The mirror this machine uses (deb822 sources first, then a one-line list), else Debian's.
mirror=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)\/\?$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\/debian\)\/\? .*/\2/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

top=${DEALERQ_PROVE_DIR:-/var/tmp/dealerq-prove}
mounts=()

unmount_roots() {
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount -R "${mounts[i]}" 2>/dev/null || umount -lR "${mounts[i]}" 2>/dev/null || true
    done
    mounts=()
}

fresh_root() {
    local dir=$1
    rm -rf "$dir"
    mkdir -p "$top/cache"
    echo "$prog: debootstrap $release into $dir from $mirror" >&2
    debootstrap --variant=minbase --cache-dir="$top/cache" "$release" "$dir" "$mirror" >"$dir.log" 2>&1 || {
        tail -n 20 "$dir.log" >&2
        return 1
    }
    # Services are never started inside (postgresql and the like would try).
    printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
    chmod +x "$dir/usr/sbin/policy-rc.d"
    cp /etc/resolv.conf "$dir/etc/resolv.conf"
    mount -t proc proc "$dir/proc"
    mounts+=("$dir/proc")
    mount --rbind /dev "$dir/dev"
    mounts+=("$dir/dev")
    mount --make-rslave "$dir/dev"
    mount -t sysfs sys "$dir/sys"
    mounts+=("$dir/sys")
}

in_root() {
    local dir=$1
    shift
    chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 bash -euo pipefail -c "$1"
}
