#!/usr/bin/env bash
# What `bench` itself adds to the latency it reports, at 20,000 deliveries/s: one publisher at
# 2,000 msgs/s into a room of 10 WebSocket sessions, against tests/bench/echo-server.js, which
# delivers each publish as soon as it reads it and moves the message's intended time later by
# its own residence time. What remains is the client's work on both sides, two loopback hops and
# the time a frame waits in the server's socket before Node reads it: an upper bound. The same
# run with the leanest Node client (tests/bench/echo-baseline.js, no Bayeux library) is the
# baseline. Writes the "bench-client" section of docs/performance.md (run.sh keeps it).
#
#   tests/bench/bench-client.sh [RUNS]     5 pairs by default, 10 s each
#
# A measurement, not a test: it fails only when something does not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
stamp=tests/bench/node_modules/.installed-from-lock.json
if ! cmp -s tests/bench/package-lock.json "$stamp" 2>/dev/null; then
  (cd tests/bench && npm ci --no-audit --no-fund --loglevel=error) >&2
  cp tests/bench/package-lock.json "$stamp"
fi
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target cometd-cli >/dev/null
cli=$(pwd)/build/release/app/cometd-cli
work=$(mktemp -d "${TMPDIR:-/tmp}/cometd-cli-client.XXXXXX")
node tests/bench/echo-server.js >"$work/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do grep -q port "$work/port" && break; sleep 0.1; done
url="ws://127.0.0.1:$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/port")/cometd"

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for i in $(seq 1 "$runs"); do
  "$cli" --connection-type websocket bench "$url" --clients 10 --publishers 1 --rate 2000 \
    --warmup 1s --duration 10s --json 2>/dev/null |
    jq -r '.latency_ms | "\(.p50) \(.p90) \(.p99) \(.["p99.9"])"' >>"$work/bench"
  node tests/bench/echo-baseline.js "$url" 10 2000 10 |
    jq -r '"\(.p50) \(.p90) \(.p99) \(.["p99.9"])"' >>"$work/baseline"
done
row() {  # NAME FILE
  local out="| $1 |"
  for c in 1 2 3 4; do out+=" $(awk -v c="$c" '{ print $c }' "$2" | median) |"; done
  echo "$out"
}
section=$(
  echo "<!-- bench-client: begin (tests/bench/bench-client.sh writes this section; tests/bench/run.sh keeps it) -->"
  echo "## What \`bench\` itself adds"
  echo
  echo "Measured by \`tests/bench/bench-client.sh\` on $(date -u +%Y-%m-%d) (median of $runs runs of 10 s): 20,000 deliveries/s"
  echo "(one publisher at 2,000 msgs/s, a room of 10 WebSocket sessions) against tests/bench/echo-server.js,"
  echo "which takes its own residence time out of each message's intended time. The figures are"
  echo "receive − intended in ms: the client's work on both sides, two loopback hops and the time a frame"
  echo "waits in Node's socket, an upper bound of what the client adds. The baseline is the leanest Node"
  echo "client (no Bayeux library, the same schedule and stamps; it spins a core to send on time)."
  echo
  echo "| client | p50 | p90 | p99 | p99.9 |"
  echo "|---|---:|---:|---:|---:|"
  row "cometd-cli bench" "$work/bench"
  row "Node baseline (ws)" "$work/baseline"
  echo "<!-- bench-client: end -->"
)
echo "$section"
if [ -f docs/performance.md ]; then
  # Replace the section, or append it.
  awk -v section="$section" '
    /^<!-- bench-client: begin/ { skip = 1; print section; done = 1; next }
    /^<!-- bench-client: end/ { skip = 0; next }
    !skip { print }
    END { if (!done) { print ""; print section } }' docs/performance.md >"$work/perf.md"
  cp "$work/perf.md" docs/performance.md
  echo "bench-client: wrote the bench-client section of docs/performance.md" >&2
fi
