#!/usr/bin/env bash
# Fails when a translated text of the window has no German translation, or no English plural
# forms: runs lupdate over ui/ into copies of translations/*.ts, as update_translations would,
# and lists every message left unfinished. Fix: cmake --build build --target update_translations,
# then translate what it added (Qt Linguist, or by hand in translations/dealerq_de.ts).
#   translationcheck.sh LUPDATE SOURCE_DIR
set -uo pipefail
lupdate=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
check() { # check TS_FILE LUPDATE_OPTION...
    local ts=$1
    shift
    cp "$src/translations/$ts" "$work/$ts"
    if ! "$lupdate" -silent -no-obsolete -locations none "$@" "$src/ui" -ts "$work/$ts" >"$work/log" 2>&1; then
        cat "$work/log" >&2
        echo "translationcheck: lupdate failed on $ts" >&2
        failed=1
        return
    fi
    # Each unfinished message, by its source text.
    local open
    open=$(awk '/<source>/ { source = $0 } /type="unfinished"/ { print source }' "$work/$ts" |
        sed 's/^ *<source>//; s/<\/source>$//')
    if [[ -n $open ]]; then
        echo "translationcheck: $ts lacks a translation for:" >&2
        echo "$open" | sed 's/^/  /' >&2
        failed=1
    fi
    if ! cmp -s "$src/translations/$ts" "$work/$ts"; then
        echo "translationcheck: $ts is not what update_translations makes of the sources:" >&2
        diff -u "$src/translations/$ts" "$work/$ts" | head -n 40 >&2
        failed=1
    fi
}
check dealerq_de.ts
check dealerq_en.ts -pluralonly
((failed)) && exit 1
echo "translationcheck: ok"
