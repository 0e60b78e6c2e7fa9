#!/usr/bin/env bash
# Runs one must-fail case (a scenario file) with `understudy run` and passes
# only if the run fails the way the case says it must. The case states it in
# its opening comment lines:
#   # must-fail: what is broken and which check must catch it
#   # exit: 1                       (optional; 1 = a failed scenario, 2 = a rejected file)
#   # expect-output: TEXT           (one or more; each must appear in the output)
# A case that passes, fails with another exit code, or fails without the
# text has lost its check, and so fails here.
set -uo pipefail
understudy=$1
case_file=$2
report_dir=$3

header=$(sed -n '/^#/!q;p' "$case_file")
want_exit=$(printf '%s\n' "$header" | sed -n 's/^# exit: *\([0-9]*\).*/\1/p' | head -n 1)
want_exit=${want_exit:-1}
mapfile -t texts < <(printf '%s\n' "$header" | sed -n 's/^# expect-output: //p')
# A here-string, not a pipe: under pipefail, grep -q leaving at its first
# match can kill printf with SIGPIPE and fail the pipeline at random.
if ! grep -q '^# must-fail: ' <<<"$header"; then
  echo "must-fail: $case_file has no '# must-fail: ...' line saying what it proves" >&2
  exit 1
fi
if [ "${#texts[@]}" -eq 0 ]; then
  echo "must-fail: $case_file has no '# expect-output: ...' line; a case must name the" \
       "failure text it produces" >&2
  exit 1
fi

rm -rf "$report_dir"
output=$("$understudy" run "$case_file" --report-dir "$report_dir" 2>&1)
code=$?
status=0
if [ "$code" -ne "$want_exit" ]; then
  echo "must-fail: expected '$case_file' to exit $want_exit, it exited $code" >&2
  status=1
fi
for text in "${texts[@]}"; do
  if ! grep -qF -- "$text" <<<"$output"; then
    echo "must-fail: expected the output of '$case_file' to contain: $text" >&2
    status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "--- understudy's output (reports and logs in $report_dir):" >&2
  printf '%s\n' "$output" >&2
fi
exit "$status"
