#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: the unit tests, the fuzz corpora and
# the end-to-end cases against real Faye and CometD Node servers, on a release build and again
# under AddressSanitizer + UBSan; then each libFuzzer target for a bounded time; then the
# benchmark suite once in its quick mode, to prove that it runs (it never fails on a number).
# .ci/run calls exactly this. FUZZ_SECONDS (default 60) bounds each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/setup.sh
started=$(date +%s)
for preset in release asan; do
  echo "== $preset: build" >&2
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j2
  echo "== $preset: tests" >&2
  ctest --preset "$preset"
done
echo "== fuzz" >&2
tests/fuzz/run.sh "${FUZZ_SECONDS:-60}"
echo "== benchmarks (quick mode: a smoke run, the figures mean little)" >&2
tests/bench/run.sh --quick >/dev/null
tests/bench/bench-client.sh --quick >/dev/null
echo "== all tests passed in $(( $(date +%s) - started ))s" >&2
