#!/usr/bin/env bash
# How fast a default subscriber is back after a server restart: for each real server and
# transport, ROUNDS times, a subscriber (no --timeout) is started, the server is killed and
# restarted on the same port after OUTAGE seconds, and the time from the server listening again
# to the client's "reconnected … resubscribed" status line is taken (stderr is time-stamped as
# it is read). Prints a Markdown section with the median and the maximum per server and
# transport; run by tests/bench/run.sh, or alone:
#
#   tests/bench/restart.sh CLI [ROUNDS [OUTAGE-SECONDS...]]     (defaults: 5 rounds; 1 3 15 s)
#
# A measurement, not a test: it fails only when something does not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=$1
tests/setup.sh >&2
rounds=${2:-5}
outages=("${@:3}")
[ ${#outages[@]} -gt 0 ] || outages=(1 3 15)

work=$(mktemp -d "${TMPDIR:-/tmp}/cometd-cli-restart.XXXXXX")
cleanup() {
  kill $(cat "$work/pids" 2>/dev/null) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start() {  # SCRIPT PORT: starts the server, waits for its port line; sets server_pid
  local out=$work/server.out
  : >"$out"
  node "tests/integration/$1" ${2:+--port "$2"} >"$out" 2>/dev/null &
  server_pid=$!
  echo "$server_pid" >>"$work/pids"
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$out" | head -1)
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  echo "restart: $1 did not start" >&2
  exit 2
}

stamp_lines() {
  local line
  while IFS= read -r line; do printf '%s %s\n' "$(date +%s%N)" "$line"; done
}

one_round() {  # SCRIPT TYPE OUTAGE: prints the milliseconds from ready to resubscribed
  local script=$1 type=$2 outage=$3 port=""
  start "$script" ""
  local err=$work/client.err
  "$cli" --connection-type "$type" subscribe "http://127.0.0.1:$port/cometd" /r/a \
    >/dev/null 2> >(stamp_lines >"$err") &
  local client=$!
  for _ in $(seq 1 100); do
    [ "$(curl -sf "http://127.0.0.1:$port/control/stats" | jq .subscribes)" -ge 1 ] 2>/dev/null && break
    sleep 0.05
  done
  sleep 2
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  sleep "$outage"
  start "$script" "$port"
  local ready
  ready=$(date +%s%N)
  for _ in $(seq 1 400); do
    grep -q 'reconnected after' "$err" 2>/dev/null && break
    sleep 0.05
  done
  local back
  back=$(grep -m1 'reconnected after' "$err" | cut -d' ' -f1)
  kill "$client" "$server_pid" 2>/dev/null || true
  wait "$client" "$server_pid" 2>/dev/null || true
  [ -n "$back" ] || { echo "restart: no reconnection ($script $type ${outage}s)" >&2; exit 1; }
  echo $(( (back - ready) / 1000000 ))
}

echo "### Reconnecting after a server restart (tests/bench/restart.sh, $rounds rounds each)"
echo
echo "A default subscriber; the server is killed and restarted on the same port after the outage."
echo "Time from the server listening again to the client's \`reconnected … resubscribed\` line."
echo
echo "| server | transport | outage | median ms | max ms |"
echo "|---|---|---:|---:|---:|"
for combo in "faye-server.js websocket" "faye-server.js long-polling" "cometd-server.js long-polling"; do
  set -- $combo
  for outage in "${outages[@]}"; do
    times=()
    for _ in $(seq 1 "$rounds"); do
      times+=("$(one_round "$1" "$2" "$outage")")
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    median=$(echo "$sorted" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')
    max=$(echo "$sorted" | tail -1)
    server=${1%-server.js}
    [ "$server" = cometd ] && server=node
    echo "| $server | $2 | ${outage} s | $median | $max |"
  done
done
echo
