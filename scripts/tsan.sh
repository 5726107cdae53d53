#!/usr/bin/env bash
# Builds the runner and store tests with ThreadSanitizer (g++ -fsanitize=thread, RelWithDebInfo)
# into build-tsan/ and runs them: tst_jobstore, tst_queuerunner, tst_threadrelay, tst_apiserver,
# tst_retention and tst_multiprocess, whose dealerq and dealerq-sim children are built with TSan as well.
# `--pg` also runs their _pg twins against the throwaway PostgreSQL cluster (CTest fixture).
# Exits non-zero if a test fails or if any process (test or child) printed a TSan report; the
# reports are kept under build-tsan/tsan-logs/.
#   scripts/tsan.sh [--pg]
# Env: DEALERQ_TSAN_JOBS (build and ctest jobs, default nproc).
#
# Debian's Qt is not instrumented, so two things are needed to keep the run meaningful (README,
# "Reliability", says what is and is not covered):
#   - tests/tsan.supp: Qt's queued and blocking-queued calls order the data they hand between
#     threads with futexes TSan cannot see; each line suppresses one such hand-over, no module.
#   - an LD_PRELOAD shim (built below): QProcess starts children with clone(CLONE_VM|CLONE_VFORK)
#     and TSan's clone interceptor runs its "child after fork" code in that child, which shares
#     the parent's memory: the test process then ignores every later thread and hides all its
#     reports (with the default die_after_fork=1 it dies instead). The shim sends CLONE_VM
#     clones straight to glibc.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
pg=0
if [[ ${1:-} == --pg ]]; then
    pg=1
    shift
fi
jobs=${DEALERQ_TSAN_JOBS:-$(nproc)}
build=$root/build-tsan
tests=(tst_jobstore tst_queuerunner tst_threadrelay tst_apiserver tst_multiprocess tst_retention)

if [[ ! -f $build/build.ninja ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DDEALERQ_SANITIZE=thread >/dev/null
fi
cmake --build "$build" -j "$jobs" --target "${tests[@]}" dealerq dealerq-sim

shim=$build/tsan-vforkshim.so
if [[ ! -f $shim || $0 -nt $shim ]]; then
    cc -O2 -fPIC -shared -o "$shim" -x c - -ldl <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/types.h>

typedef int (*clone_fn)(int (*)(void *), void *, int, void *, ...);

/* A CLONE_VM child shares the parent's memory, TSan's state included: bypass TSan's clone
 * interceptor (which treats every clone as a fork) and call glibc directly. */
int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
    va_list ap;
    va_start(ap, arg);
    pid_t *ptid = va_arg(ap, pid_t *);
    void *tls = va_arg(ap, void *);
    pid_t *ctid = va_arg(ap, pid_t *);
    va_end(ap);
    clone_fn next;
    if (flags & CLONE_VM)
        next = (clone_fn)dlsym(dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD), "clone");
    else
        next = (clone_fn)dlsym(RTLD_NEXT, "clone");
    return next(fn, stack, flags, arg, ptid, tls, ctid);
}
EOF
fi

logs=$build/tsan-logs
rm -rf "$logs"
mkdir -p "$logs"
pattern=$(IFS='|'; echo "${tests[*]}")
if ((pg)); then
    pattern="^($pattern)(_pg)?\$"
else
    pattern="^($pattern)\$"
fi
# halt_on_error=0: one run lists every report; a report still makes its process exit with 66.
# history_size=7: keep enough history that both stacks of a hand-over are known (a report with
# a lost stack cannot be matched by tests/tsan.supp).
export TSAN_OPTIONS="suppressions=$root/tests/tsan.supp ignore_noninstrumented_modules=1 \
history_size=7 halt_on_error=0 second_deadlock_stack=1 report_signal_unsafe=0 \
print_suppressions=1 log_path=$logs/tsan"
status=0
LD_PRELOAD=$shim ctest --test-dir "$build" -j "$jobs" --output-on-failure -R "$pattern" ||
    status=$?
unset TSAN_OPTIONS

echo "== suppressions matched (count, line of tests/tsan.supp):" >&2
cat "$logs"/tsan.* 2>/dev/null | awk '$2 ~ /^race(_top)?:/ {n[$2] += $1} END {for (s in n) print "   " n[s], s}' |
    sort -rn >&2
reports=$(grep -l 'WARNING: ThreadSanitizer' "$logs"/tsan.* 2>/dev/null || true)
if [[ -n $reports ]]; then
    echo "tsan.sh: ThreadSanitizer reports in:" >&2
    for f in $reports; do
        echo "   $f ($(grep -c 'WARNING: ThreadSanitizer' "$f") reports)" >&2
    done
    exit 1
fi
if ((status)); then
    echo "tsan.sh: ctest failed (exit $status)" >&2
    exit "$status"
fi
echo "tsan.sh: no ThreadSanitizer reports" >&2
