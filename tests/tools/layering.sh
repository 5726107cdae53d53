#!/usr/bin/env bash
# Checks the layout's rules (ARCHITECTURE.md) on the source tree; prints each breach and exits 1.
#   - ui/ includes no header of core/store/ and uses no Qt SQL;
#   - core/ uses no widgets;
#   - only core/api/ links Qt HttpServer;
#   - the lower libraries include nothing from the ones above them (log, job < config, schedule <
#     store, source < queue < api); schedule is pure logic: no database, no network.
set -uo pipefail
cd "$(dirname "$0")/../.."
failed=0
breach() {
    echo "layering: $1" >&2
    failed=1
}
check() { # check DESCRIPTION PATTERN PATH...
    local what=$1 pattern=$2
    shift 2
    local found
    found=$(grep -rnE "$pattern" "$@" 2>/dev/null)
    [[ -z $found ]] || breach "$what:"$'\n'"$found"
}
check "ui/ includes a store header" '#include "store/' ui
check "ui/ uses Qt SQL" 'QSql' ui
check "core/ uses widgets" '#include <(QWidget|QtWidgets|QDialog|QMainWindow)' core
check "core/log includes another folder" '#include "(job|config|schedule|store|source|queue|api)/' core/log
check "core/job includes a higher folder" '#include "(log|config|schedule|store|source|queue|api)/' core/job
check "core/config includes a higher folder" '#include "(schedule|store|source|queue|api)/' core/config
check "core/schedule includes a folder other than job" '#include "(config|store|source|queue|api)/' core/schedule
check "core/schedule uses the database or the network" '#include <(QSql|QNetwork|QTcp|QUdp)' core/schedule
check "core/store includes a higher folder" '#include "(source|queue|api)/' core/store
check "core/source includes a higher folder" '#include "(store|queue|api)/' core/source
check "core/alert includes a folder other than job" '#include "(config|schedule|store|source|queue|api)/' core/alert
check "core/queue includes the API" '#include "api/' core/queue
linking=$(grep -rln 'Qt6::HttpServer' --include=CMakeLists.txt core ui app | grep -v '^core/api/')
[[ -z $linking ]] || breach "Qt HttpServer linked outside core/api: $linking"
if ((failed)); then
    exit 1
fi
echo "layering: ok"
