#!/bin/sh
# Writes dealerq's bash completion from its --help at build time, so that it offers exactly the
# options dealerq has: file names after an option whose value is <FILE>, the default fetch types
# after --type, nothing to choose from after other values.
#   help2bash.sh PROGRAM OUTPUT
set -eu
program=$1 output=$2
help=$(env -u DISPLAY -u WAYLAND_DISPLAY LC_ALL=C.UTF-8 LANGUAGE= QT_QPA_PLATFORM=offscreen \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
    "$program" --help)
printf '%s\n' "$help" | awk -v name="$(basename "$program")" '
/^Options:$/ { inOptions = 1; next }
/^[A-Z][a-z]*:$/ { inOptions = 0 }
inOptions && /^  -/ {
    body = substr($0, 3)
    if (match(body, /  +/))
        body = substr(body, 1, RSTART - 1)
    n = split(body, names, /, /)
    for (i = 1; i <= n; i++) {
        option = names[i]
        value = ""
        if (match(option, / <[^>]*>$/)) {
            value = substr(option, RSTART + 2, RLENGTH - 3)
            option = substr(option, 1, RSTART - 1)
        }
        if (option !~ /^--/)
            continue
        all = all (all == "" ? "" : " ") option
        if (value == "FILE")
            files = files (files == "" ? "" : "|") option
        else if (option == "--type")
            types = option
        else if (value != "")
            others = others (others == "" ? "" : "|") option
    }
}
END {
    fn = "_" name
    gsub(/[^A-Za-z0-9_]/, "_", fn)
    print "# bash completion for " name ", generated from `" name " --help` when it was built."
    print fn "()"
    print "{"
    print "    local cur prev words cword"
    print "    _init_completion || return"
    print "    case $prev in"
    if (files != "") {
        print "    " files ")"
        print "        _filedir"
        print "        return"
        print "        ;;"
    }
    if (types != "") {
        print "    " types ")"
        print "        COMPREPLY=($(compgen -W \"prospect sales service inventory\" -- \"$cur\"))"
        print "        return"
        print "        ;;"
    }
    if (others != "") {
        print "    " others ")"
        print "        return"
        print "        ;;"
    }
    print "    esac"
    print "    COMPREPLY=($(compgen -W \"" all "\" -- \"$cur\"))"
    print "} &&"
    print "    complete -F " fn " " name
}' >"$output.tmp"
mv "$output.tmp" "$output"
