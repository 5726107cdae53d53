#!/bin/sh
# Writes a man page from a program's --help and a template, at build time, so that the page lists
# exactly the options the program has (no display is needed: --help never opens one).
#   help2man.sh PROGRAM TEMPLATE OUTPUT VERSION DATE
# The template is roff with @VERSION@ and @DATE@ in it and two lines of their own,
# @DESCRIPTION@ (the help's text between the usage line and "Options:") and @OPTIONS@ (one .TP
# entry per option).
set -eu
program=$1 template=$2 output=$3 version=$4 date=$5
help=$(env -u DISPLAY -u WAYLAND_DISPLAY LC_ALL=C.UTF-8 LANGUAGE= QT_QPA_PLATFORM=offscreen \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
    "$program" --help)
printf '%s\n' "$help" | awk -v template="$template" -v version="$version" -v date="$date" '
function roff(text) {
    gsub(/\\/, "\\e", text)
    gsub(/-/, "\\-", text)
    return text
}
function line(text) { # a text line that roff must not read as a request
    if (text ~ /^[.'"'"']/)
        text = "\\&" text
    return text
}
function flush() {
    if (spec == "")
        return
    # "-h, --help" or "--db <URL>": names bold, the value italic.
    n = split(spec, names, /, /)
    head = ""
    for (i = 1; i <= n; i++) {
        name = names[i]
        value = ""
        if (match(name, / <[^>]*>$/)) {
            value = substr(name, RSTART + 2, RLENGTH - 3)
            name = substr(name, 1, RSTART - 1)
        }
        head = head (i > 1 ? ", " : "") "\\fB" roff(name) "\\fR" (value != "" ? " \\fI" roff(value) "\\fR" : "")
    }
    options = options ".TP\n" head "\n" line(roff(text)) "\n"
    spec = ""
}
NR == 1 { next } # the usage line: the template has the synopsis
/^Options:$/ { section = "options"; next }
/^Arguments:$/ { flush(); section = "arguments"; next }
section == "" {
    if ($0 == "")
        description = description ".PP\n"
    else
        description = description line(roff($0)) "\n"
    next
}
section == "options" && /^  -/ {
    flush()
    body = substr($0, 3)
    if (match(body, /  +/)) {
        spec = substr(body, 1, RSTART - 1)
        text = substr(body, RSTART + RLENGTH)
    } else {
        spec = body
        text = ""
    }
    next
}
section == "options" && /^   / {
    sub(/^ +/, "")
    text = (text == "" ? $0 : text " " $0)
    next
}
END {
    flush()
    sub(/(\.PP\n)+$/, "", description)
    while ((getline tline < template) > 0) {
        if (tline == "@OPTIONS@") {
            printf "%s", options
            continue
        }
        if (tline == "@DESCRIPTION@") {
            printf "%s", description
            continue
        }
        gsub(/@VERSION@/, version, tline)
        gsub(/@DATE@/, date, tline)
        print tline
    }
}' >"$output.tmp"
mv "$output.tmp" "$output"
