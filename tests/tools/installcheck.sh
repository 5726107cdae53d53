#!/usr/bin/env bash
# Installs the build into a temporary root (DESTDIR, the configured prefix) and checks every file
# SPEC §9 lists: present, consistent with the application ID and version, and valid by the
# tools that judge them (desktop-file-validate, appstreamcli, man, systemd-analyze, bash
# completion), where those tools are installed; then runs the installed dealerq.
#   installcheck.sh BUILD_DIR APP_ID VERSION [QM_FILE_NAME...]
set -uo pipefail
build=$1 id=$2 version=$3
shift 3
qm_files=("$@")
failed=0
fail() {
    echo "installcheck: FAIL: $*" >&2
    failed=1
}
skip() { echo "installcheck: SKIP: $*" >&2; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
if ! DESTDIR=$stage/root cmake --install "$build" >"$stage/install.log" 2>&1; then
    cat "$stage/install.log" >&2
    fail "cmake --install failed"
    exit 1
fi
root=$stage/root$prefix

for file in bin/dealerq bin/dealerq-sim; do
    [[ -x $root/$file ]] || fail "$file is not installed or not executable"
done
files=(
    "share/applications/$id.desktop"
    "share/metainfo/$id.metainfo.xml"
    "share/icons/hicolor/256x256/apps/$id.png"
    "share/icons/hicolor/scalable/apps/$id.svg"
    share/man/man1/dealerq.1
    share/man/man1/dealerq-sim.1
    share/bash-completion/completions/dealerq
    lib/systemd/system/dealerq.service
    lib/sysusers.d/dealerq.conf
)
for qm in "${qm_files[@]}"; do
    files+=("share/dealerq/translations/$qm")
done
for file in "${files[@]}"; do
    [[ -s $root/$file ]] || fail "$file is not installed (or empty)"
done
((failed)) && exit 1

# The desktop entry and the metainfo name the same ID, icon and program.
desktop=$root/share/applications/$id.desktop
grep -qx "Icon=$id" "$desktop" || fail "the desktop entry's Icon is not $id"
grep -qx "Exec=dealerq" "$desktop" || fail "the desktop entry does not run dealerq"
metainfo=$root/share/metainfo/$id.metainfo.xml
grep -q "<id>$id</id>" "$metainfo" || fail "the metainfo's <id> is not $id"
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo" ||
    fail "the metainfo does not launch $id.desktop"
newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -n 1 | cut -d'"' -f2)
[[ $newest == "$version" ]] || fail "the metainfo's newest release is $newest, not $version"
if command -v desktop-file-validate >/dev/null; then
    out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate: $out"
    [[ -z $out ]] || fail "desktop-file-validate warns: $out"
else
    skip "desktop-file-validate is not installed (desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null; then
    appstreamcli validate --no-net --no-color "$metainfo" >"$stage/as.log" 2>&1 ||
        fail "appstreamcli validate: $(cat "$stage/as.log")"
else
    skip "appstreamcli is not installed (appstream)"
fi

# The man page lists every option --help has, and man reads it without a warning.
page=$root/share/man/man1/dealerq.1
for option in $("$root/bin/dealerq" --help | grep -o '^  \(-[a-z], \)\?--[a-z-]*' | grep -o -- '--[a-z-]*'); do
    grep -qF "\\fB${option//-/\\-}\\fR" "$page" || fail "dealerq.1 does not describe $option"
done
if command -v man >/dev/null; then
    for page in dealerq dealerq-sim; do
        warnings=$(MANWIDTH=80 man --warnings -l "$root/share/man/man1/$page.1" 2>&1 >/dev/null)
        [[ -z $warnings ]] || fail "man warns on $page.1: $warnings"
    done
else
    skip "man is not installed (man-db)"
fi

# Bash completion, through bash-completion itself.
completer=/usr/share/bash-completion/bash_completion
if [[ -r $completer ]]; then
    complete_line() { # complete_line WORD... : the candidates for the last word
        bash -c '
            source "$1" && source "$2" || exit 1
            shift 2
            COMP_WORDS=("$@")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMP_LINE="${COMP_WORDS[*]}"
            COMP_POINT=${#COMP_LINE}
            _dealerq dealerq "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf "%s\n" "${COMPREPLY[@]}"' _ "$completer" \
            "$root/share/bash-completion/completions/dealerq" "$@" | sort | xargs
    }
    got=$(complete_line dealerq --exp)
    [[ $got == "--export-csv --export-xlsx" ]] || fail "completion of --exp: \"$got\""
    got=$(complete_line dealerq --type s)
    [[ $got == "sales service" ]] || fail "completion of --type s: \"$got\""
    touch "$stage/ids-a.txt" "$stage/ids-b.txt"
    got=$(cd "$stage" && complete_line dealerq --bulk-file ids-)
    [[ $got == "ids-a.txt ids-b.txt" ]] || fail "completion of --bulk-file ids-: \"$got\""
else
    skip "bash-completion is not installed: completion not exercised"
fi

# The service: the installed program, as its own user, and a unit systemd accepts.
unit=$root/lib/systemd/system/dealerq.service
grep -qx "ExecStart=$prefix/bin/dealerq --headless" "$unit" ||
    fail "the unit does not run $prefix/bin/dealerq --headless"
grep -qx "User=dealerq" "$unit" || fail "the unit does not run as the user dealerq"
grep -q '^u dealerq ' "$root/lib/sysusers.d/dealerq.conf" ||
    fail "sysusers.d/dealerq.conf does not create the user dealerq"
if command -v systemd-analyze >/dev/null; then
    # Checked where it is staged: the unit's program is looked up in the staged tree.
    sed "s|^ExecStart=$prefix/|ExecStart=$root/|" "$unit" >"$stage/dealerq.service"
    out=$(systemd-analyze verify --man=no "$stage/dealerq.service" 2>&1) ||
        fail "systemd-analyze verify: $out"
else
    skip "systemd-analyze is not installed (systemd)"
fi

# The installed program runs from there.
[[ $("$root/bin/dealerq" --version) == "dealerq $version" ]] || fail "dealerq --version"
if ! env -u DISPLAY -u WAYLAND_DISPLAY -u DEALERQ_DB -u DEALERQ_SETTINGS HOME="$stage" \
    XDG_CONFIG_HOME="$stage/config" XDG_DATA_HOME="$stage/data" \
    "$root/bin/dealerq" --headless --demo --drain --no-api --enqueue 1,2 >"$stage/run.log" 2>&1; then
    fail "the installed dealerq --headless --demo --drain: $(cat "$stage/run.log")"
fi

if ((failed)); then
    exit 1
fi
echo "installcheck: ok ($(cd "$stage/root" && find . -type f | wc -l) files under $prefix)"
