#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang into build-fuzz/ and runs
# each for a bounded time, one after the other:
#
#   tools/ci/fuzz.sh [seconds]     seconds per target, 60 unless given
#
# A run starts from the committed seeds (fuzz/corpus/<target>/, never
# written to) and the inputs earlier runs found (build-fuzz/fuzz-runs/<target>/
# corpus/). Any crash, sanitizer report, leak, slow input (-timeout) or
# excess memory (-rss_limit_mb) fails the run; the input is saved in
# build-fuzz/fuzz-runs/<target>/artifacts/ and the command to replay it is
# printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${1:-60}
build="$root/build-fuzz"
targets=(scenario_parser control_request control_session spawn_line schema_loader)

start=$SECONDS
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DUNDERSTUDY_BENCHMARKS=OFF -DUNDERSTUDY_FUZZ=ON -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build "$build" -j 2 --target fuzzers
echo "fuzz: configure and build took $((SECONDS - start)) s"

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

failed=()
for target in "${targets[@]}"; do
  work="$build/fuzz-runs/$target"
  rm -rf "$work/artifacts"
  mkdir -p "$work/corpus" "$work/artifacts"
  flags=()
  [ -f "fuzz/$target.dict" ] && flags+=("-dict=fuzz/$target.dict")
  # libFuzzer checks for leaks after every input that allocated more than it
  # freed; with Python's objects on malloc that is nearly every input and
  # each check scans Python's whole heap: 6 inputs/s instead of hundreds. So
  # the spawn-line fuzzer runs without, and its corpus is replayed below with
  # one leak check at exit.
  leaks_at_exit=0
  [ "$target" = spawn_line ] && leaks_at_exit=1 && flags+=(-detect_leaks=0)
  echo "fuzz: $target for $seconds s"
  status=0
  "$build/fuzz/${target}_fuzzer" "$work/corpus" "fuzz/corpus/$target" "${flags[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" >"$work/log" 2>&1 || status=$?
  if [ "$status" -eq 0 ] && [ "$leaks_at_exit" -eq 1 ]; then
    find "$work/corpus" "fuzz/corpus/$target" -type f -print0 |
      xargs -0 "$build/fuzz/${target}_fuzzer" >>"$work/log" 2>&1 || status=$?
  fi
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
  corpus=$(find "$work/corpus" "fuzz/corpus/$target" -type f | wc -l)
  echo "fuzz: $target: ${execs:-?} executions/s, corpus of $corpus inputs, exit status $status"
  if [ "$status" -ne 0 ] || compgen -G "$work/artifacts/*" >/dev/null; then
    tail -n 60 "$work/log"
    for input in "$work/artifacts"/*; do
      [ -e "$input" ] || continue
      echo "fuzz: $target FAILED on the input saved as $input;" \
           "replay it with: $build/fuzz/${target}_fuzzer $input" >&2
    done
    echo "fuzz: $target's whole log: $work/log" >&2
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all targets ran $seconds s without a finding ($((SECONDS - start)) s in all)"
