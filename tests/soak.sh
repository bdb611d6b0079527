#!/usr/bin/env bash
# Soak test (minutes, loopback only; not part of CI): real servers are killed and restarted on
# the same port again and again while the server publishes a steady numbered stream; one
# subscriber per server and transport runs throughout with --timeout 0. At the end it reports
# messages published, received, lost while disconnected, duplicates, and the peak RSS of each
# client.  Usage: tests/soak.sh [MINUTES] [RESTART_EVERY_SECONDS]   (defaults 3 and 15)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-3}
every=${2:-15}
cli=build/release/app/cometd-cli
[ -x "$cli" ] || { echo "soak: build first (cmake --preset release && cmake --build --preset release)" >&2; exit 2; }
tests/setup.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/cometd-cli-soak.XXXXXX")
pids=()
# Clients in pids; servers (started in $(...) subshells) in $work/NAME.pid.
trap 'kill "${pids[@]}" $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

start() {  # NAME SCRIPT [ARGS]: starts a server, prints its port
  node "tests/integration/$2" "${@:3}" >"$work/$1.port" 2>>"$work/$1.err" &
  echo $! >"$work/$1.pid"
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/$1.port")
    [ -n "$port" ] && { echo "$port"; return; }
    sleep 0.1
  done
  echo "soak: $1 did not start" >&2
  exit 2
}

declare -A port
port[faye]=$(start faye faye-server.js)
port[node]=$(start node cometd-server.js)
clients=("faye websocket" "faye long-polling" "node long-polling")
for c in "${clients[@]}"; do
  set -- $c
  "$cli" --timeout 0 --connection-type "$2" subscribe "http://127.0.0.1:${port[$1]}/cometd" /soak/stream \
    >"$work/$1-$2.out" 2>"$work/$1-$2.err" &
  pids+=($!)
  echo $! >"$work/$1-$2.client"
done

declare -A published peak
published[faye]=0
published[node]=0
end=$(( $(date +%s) + minutes * 60 ))
next_restart=$(( $(date +%s) + every ))
restarts=0
while [ "$(date +%s)" -lt "$end" ]; do
  for s in faye node; do
    # 20 numbered messages every 100 ms per server; those published while it is down fail.
    if curl -sf "http://127.0.0.1:${port[$s]}/control/publish?channel=/soak/stream&n=20&size=60&from=$(( published[$s] + 1 ))" >/dev/null 2>&1; then
      published[$s]=$(( published[$s] + 20 ))
    fi
  done
  for c in "${clients[@]}"; do
    set -- $c
    rss=$(awk '/VmHWM/ { print $2 }' "/proc/$(cat "$work/$1-$2.client")/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "${peak[$1-$2]:-0}" ] && peak[$1-$2]=$rss
  done
  if [ "$(date +%s)" -ge "$next_restart" ]; then
    for s in faye node; do
      kill "$(cat "$work/$s.pid")"
      wait "$(cat "$work/$s.pid")" 2>/dev/null || true
    done
    sleep 1
    for s in faye node; do
      script=faye-server.js
      [ "$s" = node ] && script=cometd-server.js
      start "$s" "$script" --port "${port[$s]}" >/dev/null
    done
    restarts=$((restarts + 1))
    next_restart=$(( $(date +%s) + every ))
  fi
  sleep 0.1
done
sleep 3  # the last messages in flight

printf '%-20s %10s %10s %10s %10s %12s\n' client published received lost duplicates "peak RSS"
for c in "${clients[@]}"; do
  set -- $c
  out="$work/$1-$2.out"
  received=$(jq -r '.data.n' "$out" | sort -n | uniq | grep -c '' || true)
  total=$(grep -c '' "$out" || true)
  kill -0 "$(cat "$work/$1-$2.client")" 2>/dev/null || echo "soak: the $1 $2 client died" >&2
  printf '%-20s %10d %10d %10d %10d %9d KiB\n' "$1 $2" "${published[$1]}" "$received" \
    $(( published[$1] - received )) $(( total - received )) "${peak[$1-$2]:-0}"
done
echo "($minutes min, $restarts restarts of each server, one every ${every}s)"
