#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, fuzz preset) and runs each for a bounded time from a copy
# of its seed corpus. A crash fails the run and leaves the input in the work directory.
# Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j2 >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/cometd-cli-fuzz.XXXXXX")
status=0
for target in message publish_line cookie url auth_output; do
  mkdir -p "$work/$target"
  cp tests/fuzz/corpus/"$target"/* "$work/$target/"
  if (cd "$work" && "$OLDPWD/build/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" \
        -print_final_stats=1 -artifact_prefix="$work/crash-$target-" "$work/$target" \
        >"$work/$target.log" 2>&1); then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
    echo "fuzz_$target: ${runs:-?} runs in ${seconds}s, no crash"
  else
    echo "fuzz_$target: CRASH (inputs kept in $work)"
    tail -30 "$work/$target.log"
    status=1
  fi
done
[ $status -ne 0 ] || rm -rf "$work"
exit $status
