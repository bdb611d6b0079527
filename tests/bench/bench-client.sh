#!/usr/bin/env bash
# What `bench` itself adds to the latency it reports, at 20,000 deliveries/s: one publisher at
# 2,000 msgs/s into a room of 10 WebSocket sessions.
#
# The server is tests/bench/echo_server.cpp (native, one thread, spinning on epoll so that a
# frame does not wait for a wake-up): it delivers each publish as soon as it reads it and moves
# the message's intended time later by its own residence time. bench's receive − intended is then
# the client's work on both sides, the operating system's (timer wake-up, system calls, context
# switches, two loopback hops) and the time a frame waits in the server's socket.
# tests/bench/echo_floor.cpp runs the same shape with no library and no session: the floor of
# this machine and this server. bench − floor, pair by pair, is what bench's own code adds.
# Writes the "bench-client" section of docs/performance.md (tests/bench/run.sh keeps it).
#
#   tests/bench/bench-client.sh [RUNS]     9 pairs by default, 10 s measured each (~4 min)
#   tests/bench/bench-client.sh --quick    one pair of 2 s, to prove that it works; writes nothing
#
# A measurement, not a test: it fails only when something does not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=9 seconds=10 write=1
case "${1:-}" in
  --quick) runs=1 seconds=2 write=0 ;;
  '') ;;
  *[!0-9]* | 0) echo "usage: $0 [RUNS | --quick]" >&2; exit 2 ;;
  *) runs=$1 ;;
esac
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target cometd-cli >/dev/null
cli=$(pwd)/build/release/app/cometd-cli
work=$(mktemp -d "${TMPDIR:-/tmp}/cometd-cli-client.XXXXXX")
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
c++ -O2 -std=c++17 -o "$work/echo_server" tests/bench/echo_server.cpp -lsimdjson -lcrypto
c++ -O2 -std=c++17 -o "$work/echo_floor" tests/bench/echo_floor.cpp

# One server per run: a run's leftovers (held connects, closed sessions) do not meet the next.
start_server() {
  : >"$work/port"
  "$work/echo_server" --spin >"$work/port" &
  server=$!
  for _ in $(seq 1 50); do grep -q port "$work/port" && break; sleep 0.1; done
  port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/port")
  [ -n "$port" ] || { echo "bench-client: echo_server did not start" >&2; exit 1; }
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for i in $(seq 1 "$runs"); do
  start_server
  "$cli" --connection-type websocket bench "ws://127.0.0.1:$port/cometd" --clients 10 \
    --publishers 1 --rate 2000 --warmup 1s --duration "${seconds}s" --json 2>/dev/null |
    jq -r '.latency_ms | "\(.p50) \(.p90) \(.p99) \(.["p99.9"])"' >>"$work/bench"
  stop_server
  start_server
  "$work/echo_floor" "$port" 10 2000 "$seconds" |
    jq -r '"\(.p50) \(.p90) \(.p99) \(.["p99.9"])"' >>"$work/floor"
  stop_server
  echo "bench-client: pair $i of $runs: bench $(tail -1 "$work/bench"), floor $(tail -1 "$work/floor") (ms: p50 p90 p99 p99.9)" >&2
done
paste -d' ' "$work/bench" "$work/floor" |
  awk '{ printf "%.3f %.3f %.3f %.3f\n", $1 - $5, $2 - $6, $3 - $7, $4 - $8 }' >"$work/added"
row() {  # NAME FILE
  local out="| $1 |"
  for c in 1 2 3 4; do out+=" $(awk -v c="$c" '{ print $c }' "$2" | median) |"; done
  echo "$out"
}
section=$(
  echo "<!-- bench-client: begin (tests/bench/bench-client.sh writes this section; tests/bench/run.sh keeps it) -->"
  echo "## What \`bench\` itself adds"
  echo
  echo "Measured by \`tests/bench/bench-client.sh\` on $(date -u +%Y-%m-%d), median of $runs pairs of ${seconds}-second runs:"
  echo "20,000 deliveries/s (one publisher at 2,000 msgs/s, a room of 10 WebSocket sessions) against"
  echo "tests/bench/echo_server.cpp, a native server that spins on epoll and takes its own residence"
  echo "time out of each message's intended time. The floor is tests/bench/echo_floor.cpp, the same"
  echo "shape with no library and no session: what the machine (timer wake-up, system calls, two"
  echo "loopback hops) and the server cost any client. bench − floor is taken pair by pair. Figures"
  echo "are receive − intended in ms."
  echo
  echo "| client | p50 | p90 | p99 | p99.9 |"
  echo "|---|---:|---:|---:|---:|"
  row "cometd-cli bench" "$work/bench"
  row "floor (echo_floor)" "$work/floor"
  row "**bench − floor**" "$work/added"
  echo
  echo "bench − floor at p99, pair by pair (ms): $(awk '{ print $3 }' "$work/added" | paste -sd' ')."
  echo "A stall of the shared machine of a few ms moves one run's p99 (and any p99.9), on either"
  echo "side of a pair; the median of the pairs is the figure, and the pairs show the spread."
  echo "<!-- bench-client: end -->"
)
echo "$section"
if [ "$write" -eq 1 ] && [ -f docs/performance.md ]; then
  # Replace the section, or append it.
  awk -v section="$section" '
    /^<!-- bench-client: begin/ { skip = 1; print section; done = 1; next }
    /^<!-- bench-client: end/ { skip = 0; next }
    !skip { print }
    END { if (!done) { print ""; print section } }' docs/performance.md >"$work/perf.md"
  cp "$work/perf.md" docs/performance.md
  echo "bench-client: wrote the bench-client section of docs/performance.md" >&2
fi
