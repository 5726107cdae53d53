#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ (clang, ASan + UBSan) into build-fuzz/ and runs each for
# SECONDS (default 30) on a copy of its seed corpus. One line per target; exits non-zero if any
# target finds a crash (its reproducer is kept under build-fuzz/artifacts/, its log under
# build-fuzz/logs/).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Env: DEALERQ_FUZZ_JOBS (build jobs, default 2), DEALERQ_FUZZ_TZ (zone of fuzz_timewindow),
# DEALERQ_FUZZ_KNOWN_BUGS (see README, Reliability).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-30}
shift || true
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
    echo "fuzz.sh: SECONDS must be a whole number of seconds, not \"$seconds\"" >&2
    exit 2
fi
all_targets=(fuzz_dealerids fuzz_timewindow fuzz_pagedecoder fuzz_profile fuzz_apirequest fuzz_cron)
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")

# The release's clang with libFuzzer's runtime (Debian 12: clang 14, libclang-rt-14-dev;
# Debian 13: clang 19, libclang-rt-19-dev).
if ! command -v clang++ >/dev/null ||
    ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
    clang_rt=libclang-rt-19-dev
    [[ $(. /etc/os-release && echo "${VERSION_CODENAME:-}") == bookworm ]] && clang_rt=libclang-rt-14-dev
    echo "fuzz.sh: installing clang and $clang_rt" >&2
    sudo=()
    ((EUID == 0)) || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq clang "$clang_rt" >/dev/null
fi

build=$root/build-fuzz
if [[ ! -f $build/build.ninja ]]; then
    CC=clang CXX=clang++ cmake -S fuzz -B "$build" -G Ninja >/dev/null
fi
mkdir -p "$build/logs"
if ! cmake --build "$build" -j "${DEALERQ_FUZZ_JOBS:-2}" --target "${targets[@]}" \
    >"$build/logs/build.log" 2>&1; then
    grep -E "error|undefined reference" "$build/logs/build.log" | head -n 20 >&2
    echo "fuzz.sh: the fuzz targets do not build (whole log: $build/logs/build.log)" >&2
    exit 1
fi

failed=0
for target in "${targets[@]}"; do
    corpus=$build/corpus/$target
    artifacts=$build/artifacts/$target
    log=$build/logs/$target.log
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    cp -n fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
    status=0
    "$build/$target" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    inputs=$(find "$corpus" -type f | wc -l)
    if ((status == 0)); then
        printf '%-18s ok     %10s executions in %s s (corpus: %s inputs)\n' \
            "$target" "${runs:-?}" "$seconds" "$inputs"
    else
        failed=1
        reproducer=$(grep -o 'Test unit written to .*' "$log" | tail -1 | sed 's/Test unit written to //')
        printf '%-18s CRASH  %10s executions; reproducer %s; log %s\n' \
            "$target" "${runs:-?}" "${reproducer:-none}" "$log"
        grep -E '^invariant failed|^  [^ ]|ERROR: |runtime error' "$log" | head -4 | sed 's/^/    /'
    fi
done
exit "$failed"
