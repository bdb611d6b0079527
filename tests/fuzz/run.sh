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
# fuzz TARGET: runs one target for $seconds from a copy of its corpus; its report on stdout.
fuzz() {
  local target=$1
  mkdir -p "$work/$target"
  cp tests/fuzz/corpus/"$target"/* "$work/$target/"
  if (cd "$work" && "$root/build/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" \
        -print_final_stats=1 -artifact_prefix="$work/crash-$target-" "$work/$target" \
        >"$work/$target.log" 2>&1); then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
    echo "fuzz_$target: ${runs:-?} runs in ${seconds}s, no crash"
  else
    echo "fuzz_$target: CRASH (inputs kept in $work)"
    tail -30 "$work/$target.log"
    return 1
  fi
}
# One target per core at a time: each still gets its whole time, the run takes half as long.
root=$(pwd)
status=0
targets=(message publish_line cookie url auth_output http_reply)
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  fuzz "${targets[i]}" >"$work/${targets[i]}.report" &
  first=$!
  second=""
  if [ $((i + 1)) -lt ${#targets[@]} ]; then
    fuzz "${targets[i + 1]}" >"$work/${targets[i + 1]}.report" &
    second=$!
  fi
  wait "$first" || status=1
  [ -z "$second" ] || wait "$second" || status=1
  cat "$work/${targets[i]}.report"
  [ -z "$second" ] || cat "$work/${targets[i + 1]}.report"
done
[ $status -ne 0 ] || rm -rf "$work"
exit $status
