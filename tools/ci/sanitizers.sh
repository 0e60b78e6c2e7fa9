#!/usr/bin/env bash
# Builds Understudy with sanitizers and runs its tests under them.
#
#   tools/ci/sanitizers.sh              ASan+UBSan, then TSan: the CI subset
#   tools/ci/sanitizers.sh asan         only ASan+UBSan (or: tsan)
#   tools/ci/sanitizers.sh --full asan  every test and scenario except slow ones
#
# asan: AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer, in
# build-asan/. tsan: ThreadSanitizer, in build-tsan/. Line tables for the
# reports, no full debug info to build. asan at -O0: optimizing the UBSan
# checks is most of its build (-O1 took 4 minutes of this 2-core machine,
# -O0 3), and the tests run only 20% slower for it. tsan at -O1: TSan's
# instrumentation is slow to run unoptimized. Both are unity builds (a batch
# of sources per compiler run): the ASan build of the CI subset takes 5
# minutes instead of 9.
#
# The CI subset: the engine and the engine's Boost.Test suites (unit, python,
# e2e) built with the sanitizer, those suites, the conformance suites and the
# pytest RPC suite run,
# then the scenarios tagged "sanitizers" (a deadlock, asyncio timers, the TCP
# spawn server, redis pub/sub, a client killed mid-call, a reload with a busy
# client) run by the plain build's harness (build/, from tools/setup.sh) on
# the sanitized engine. The harness's own C++ is left to --full, which builds
# everything but the benchmarks with the sanitizer and runs every test and
# every scenario that is not slow: a sanitized build of everything takes
# about 9 minutes of a 2-core machine, too much for every CI run.
#
# Every sanitizer report fails the run, whichever process wrote it: ASan,
# LSan and TSan reports go to build-<name>/sanitizer-reports/ (one file per
# process), which must be empty at the end, and are printed; UBSan aborts the
# process at the first report (-fno-sanitize-recover), which prints it to its
# stderr: the test's output, or the engine's log of a scenario. Known reports
# that are not ours are suppressed in tools/ci/lsan.supp, each with its
# reason; TSan needs none.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

full=0
configs=()
for arg in "$@"; do
  case "$arg" in
    --full) full=1 ;;
    asan | tsan) configs+=("$arg") ;;
    *)
      echo "usage: $0 [--full] [asan] [tsan]" >&2
      exit 2
      ;;
  esac
done
[ ${#configs[@]} -gt 0 ] || configs=(asan tsan)

# Each entry is one ctest selection. Scenario tags are labels too (a redis
# scenario is labelled "redis", like the redis suite), so the suites are
# chosen by label with the scenarios left out; the CI subset's scenarios are
# run by `understudy run --tag sanitizers` after them.
if [ "$full" -eq 1 ]; then
  # The soak scenarios last: they hold the engine's RSS to a baseline, and
  # ASan's quarantine (256 MiB of freed memory kept back by default) grows
  # it by tens of MiB in a round; they run with a small one (see below).
  soak_selection="-L ^soak$ -LE ^slow$"
  selections=("-LE ^(slow|format|soak)$" "$soak_selection")
else
  # Scenario suites need the harness, which the subset does not build: they
  # run after the tests, with the plain build's harness (pfu_scenarios too).
  selections=("-L ^(unit|python|e2e|rpc|conformance)$ -E ^(scenario/|pfu_scenarios$)")
  harness="$root/build/harness/understudy"
  pfu_package=${UNDERSTUDY_PFU_CORPUS:-$root/../shared/corpora/pfu-2.1.1}
  if [ ! -x "$harness" ]; then
    echo "sanitizers: the CI subset runs its scenarios with the plain build's harness," \
         "$harness, which is missing: run tools/setup.sh first (or use --full)" >&2
    exit 2
  fi
fi

phase_start=0
phase() {
  phase_start=$SECONDS
  echo "sanitizers: $*"
}
phase_done() { echo "sanitizers: $* took $((SECONDS - phase_start)) s"; }

run_config() {
  local name=$1 sanitize optimize build reports status=0
  case "$name" in
    asan) sanitize=address,undefined optimize=-O0 ;;
    tsan) sanitize=thread optimize=-O1 ;;
  esac
  build="$root/build-$name"
  reports="$build/sanitizer-reports"

  phase "$name: configuring $build"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_CXX_FLAGS_DEBUG=$optimize -g1" -DUNDERSTUDY_BENCHMARKS=OFF \
    "-DUNDERSTUDY_SANITIZE=$sanitize" -DCMAKE_UNITY_BUILD=ON >/dev/null
  phase_done "$name: configure"

  # With the benchmarks off, the default target is what the tests run: the
  # engine, the harness and the test programs. The CI subset builds the
  # engine and the engine's test programs only.
  phase "$name: building"
  if [ "$full" -eq 1 ]; then
    cmake --build "$build" -j 2
  else
    local targets
    targets=$(ninja -C "$build" -t targets all | grep -oE '^(unit|python|e2e)_[a-z_]+_test:' |
      tr -d ':' | sort -u)
    # shellcheck disable=SC2086 # one target per word
    cmake --build "$build" -j 2 --target understudy-engine $targets
  fi
  phase_done "$name: build"

  rm -rf "$reports"
  mkdir -p "$reports"
  local common="halt_on_error=1:log_path=$reports/$name"
  export ASAN_OPTIONS="$common:detect_leaks=1:strict_string_checks=1:check_initialization_order=1"
  export LSAN_OPTIONS="suppressions=$root/tools/ci/lsan.supp:print_suppressions=0"
  # Python's objects on malloc rather than in pymalloc's mmap'd arenas, which
  # LeakSanitizer does not scan: otherwise every allocation of ours that only
  # a Python object points to (pybind11's function records, for a start)
  # looks leaked when an embedding process exits.
  export PYTHONMALLOC=malloc
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
  export TSAN_OPTIONS="$common:second_deadlock_stack=1"

  local selection
  for selection in "${selections[@]}"; do
    if [[ "$name" == asan && "$selection" == "${soak_selection:-}" ]]; then
      # RSS is measured there; use-after-free is still caught within 4 MiB
      # of frees, and leaks by LeakSanitizer as everywhere.
      export ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=4"
    fi
    phase "$name: testing ($selection)"
    # shellcheck disable=SC2086 # a selection is several ctest arguments
    ctest --test-dir "$build" --output-on-failure --no-tests=error -j 2 $selection || status=$?
    phase_done "$name: tests ($selection)"
  done
  if [ "$full" -eq 0 ]; then
    phase "$name: scenarios tagged sanitizers, on the sanitized engine"
    "$harness" run "$root/scenarios" --tag sanitizers \
      --engine "$build/fake_engine/understudy-engine" \
      --report-dir "$build/scenario-reports" || status=$?
    phase_done "$name: scenarios"
    if [ -f "$pfu_package/Python~/site-packages/unity_python/client/unity_client.py" ]; then
      phase "$name: PfU's conformance scenarios, on the sanitized engine"
      "$harness" run "$root/tests/conformance/pfu/scenarios" --pfu-package "$pfu_package" \
        --engine "$build/fake_engine/understudy-engine" --jobs 2 \
        --report-dir "$build/pfu-scenario-reports" || status=$?
      phase_done "$name: PfU's scenarios"
    else
      echo "sanitizers: $name: no PfU 2.1.1 package at $pfu_package (UNDERSTUDY_PFU_CORPUS):" \
           "PfU's conformance scenarios skipped"
    fi
  fi

  if compgen -G "$reports/*" >/dev/null; then
    for report in "$reports"/*; do
      echo "=== sanitizer report $report"
      cat "$report"
    done
    echo "sanitizers: $name: the reports above were written during the tests" \
         "(one file per process in $reports)" >&2
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    echo "sanitizers: $name FAILED: see the failed tests above, their logs in" \
         "$build/Testing/Temporary/LastTest.log and scenario logs in $build/scenario-reports/" \
         "and $build/pfu-scenario-reports/" >&2
  fi
  return "$status"
}

overall=0
for config in "${configs[@]}"; do
  run_config "$config" || overall=1
done
exit "$overall"
