#!/usr/bin/env bash
# CTest prometheus_rules: the example alert rules in docs/prometheus/ load, and their unit tests
# (series in, alerts out) pass. Exit 77 (skipped) when promtool is not installed.
set -euo pipefail
rules_dir=${1:?usage: $0 docs/prometheus}
command -v promtool >/dev/null || { echo "promtool is not installed (apt-get install prometheus)"; exit 77; }
cd "$rules_dir"
promtool check rules dealerq-alerts.yml
promtool test rules dealerq-alerts.test.yml
