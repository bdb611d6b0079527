#!/usr/bin/env bash
# How many sessions one cometd-cli process holds: `bench` with N WebSocket sessions against Faye
# and N long-polling sessions against the CometD Node server, each held for a minute while a
# light load flows (100 msgs/s in rooms of 10), with the client's peak RSS, threads and CPU and
# each server's CPU and peak RSS. Writes the "bench-scale" section of docs/performance.md (the
# rest of the file is tests/bench/run.sh's, which keeps this section).
#
#   tests/bench/bench-scale.sh                 10,000 WebSocket, 1,000 long-polling, 60 s each
#   tests/bench/bench-scale.sh --ws N --lp N --hold SECONDS
#   tests/bench/bench-scale.sh --quick         500 and 100 sessions for 5 s; writes nothing
#
# A measurement, not a test: it fails only when something does not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
ws=10000 lp=1000 hold=60 write=1
while [ $# -gt 0 ]; do
  case $1 in
    --ws) ws=$2; shift 2 ;;
    --lp) lp=$2; shift 2 ;;
    --hold) hold=$2; shift 2 ;;
    --quick) ws=500 lp=100 hold=5 write=0; shift ;;
    *) echo "usage: $0 [--ws N] [--lp N] [--hold SECONDS] [--quick]" >&2; exit 2 ;;
  esac
done

tests/npm-ci.sh tests/integration
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target cometd-cli >/dev/null
cli=$root/build/release/app/cometd-cli
ulimit -n "$(ulimit -Hn)"

work=$(mktemp -d "${TMPDIR:-/tmp}/cometd-cli-scale.XXXXXX")
cleanup() {
  kill $(cat "$work/pids" 2>/dev/null) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_server() {  # NAME SCRIPT ARGS...: sets server_pid and server_port
  local name=$1
  shift
  node "$@" >"$work/$name.port" 2>"$work/$name.err" &
  server_pid=$!
  echo "$server_pid" >>"$work/pids"
  server_port=""
  for _ in $(seq 1 100); do
    server_port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/$name.port" 2>/dev/null | head -1)
    [ -n "$server_port" ] && return
    sleep 0.1
  done
  echo "bench-scale: $name did not start: $(cat "$work/$name.err")" >&2
  exit 2
}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # user + system, in clock ticks
hz=$(getconf CLK_TCK)
field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }

rows=()
measure() {  # SERVER "SCRIPT ARGS" TRANSPORT SESSIONS RAMP_SECONDS
  local server=$1 script=$2 transport=$3 n=$4 ramp=$5
  # shellcheck disable=SC2086
  start_server "$server" $script
  local url="http://127.0.0.1:$server_port/cometd" rooms=$(( n / 10 > 0 ? n / 10 : 1 ))
  local server_t0 client_pid="" max_threads=0 t
  server_t0=$(ticks "$server_pid")
  echo "bench-scale: $n $transport sessions against $server for ${hold}s (ramp ${ramp}s)" >&2
  /usr/bin/time -f '%M %U %S' -o "$work/time" "$cli" --connection-type "$transport" \
    --timeout 60s bench "$url" --clients "$n" --rooms "$rooms" --rate 100 --ramp "${ramp}s" \
    --duration "${hold}s" --json >"$work/out.json" 2>"$work/out.err" &
  local timer=$!
  for _ in $(seq 1 $(( (ramp + hold + 120) * 2 ))); do  # bounded: the run's length + 2 min
    kill -0 "$timer" 2>/dev/null || break
    [ -z "$client_pid" ] && client_pid=$(tr -d ' \n' </proc/"$timer"/task/"$timer"/children 2>/dev/null || true)
    if [ -n "$client_pid" ]; then
      t=$(field "$client_pid" Threads)
      [ -n "$t" ] && [ "$t" -gt "$max_threads" ] && max_threads=$t
    fi
    sleep 0.5
  done
  wait "$timer" || true
  local server_cpu server_hwm
  server_cpu=$(awk -v a="$server_t0" -v b="$(ticks "$server_pid")" -v hz="$hz" 'BEGIN { printf "%.1f", (b - a) / hz }')
  server_hwm=$(field "$server_pid" VmHWM)
  kill "$server_pid" 2>/dev/null || true
  read -r rss user sys <"$work/time"
  jq -e . "$work/out.json" >/dev/null || { echo "bench-scale: no report: $(cat "$work/out.err")" >&2; exit 2; }
  local summary
  summary=$(jq -r '[.sessions.connected, .sessions.failed, .reconnects,
    .counts.expected, .counts.received, .counts.lost,
    .latency_ms.p50, .latency_ms.p99, .latency_ms.max, .handshake_ms.p99] | @tsv' "$work/out.json")
  read -r connected failed reconnects expected received lost p50 p99 max hs99 <<<"$summary"
  rows+=("| $server | $transport | $n | $connected | $failed / $reconnects | $expected / $received / $lost | $p50 / $p99 / $max | $hs99 | $(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }') | $(awk -v k="$rss" -v n="$n" 'BEGIN { printf "%.1f", k / n }') | $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }') | $max_threads | $server_cpu | $(awk -v k="$server_hwm" 'BEGIN { printf "%.0f", k / 1024 }') |")
  echo "${rows[-1]}" >&2
  grep -v '^$' "$work/out.err" | head -3 >&2 || true
}

# Both servers hold a /meta/connect 30 s (Faye counts in seconds, CometD in milliseconds).
measure faye "tests/integration/faye-server.js --timeout 30" websocket "$ws" $(( ws / 400 + 1 ))
measure node "tests/integration/cometd-server.js --timeout 30000" long-polling "$lp" \
  $(( lp / 100 + 1 ))

section=$work/section.md
{
  echo "<!-- bench-scale: begin (tests/bench/bench-scale.sh writes this section; tests/bench/run.sh keeps it) -->"
  echo "## Sessions one process holds (\`bench\`)"
  echo
  echo "Measured by \`tests/bench/bench-scale.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores"
  echo "($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(uname -sr), Node.js $(node --version),"
  echo "open-file limit $(ulimit -n), loopback; client, servers and other users share the cores."
  echo "Each row is one run of"
  echo "\`cometd-cli --connection-type TYPE --timeout 60s bench URL --clients N --rooms N/10 --rate 100 --ramp R --duration ${hold}s\`:"
  echo "N sessions, each with its own cookie jar, handshake over R (N/400 s on WebSocket, N/100 s on"
  echo "long-polling), then stay connected for ${hold} s while 100 msgs/s flow in rooms of 10 subscribers."
  echo "Client peak RSS is ru_maxrss (GNU time), client CPU its user + system seconds for the whole run;"
  echo "threads is the most the client had at once; server CPU is the server process's user + system"
  echo "seconds over the same run, its RSS the peak (VmHWM)."
  echo
  echo "| server | transport | sessions | connected | failed / reconnects | deliveries expected / received / lost | latency p50 / p99 / max ms | handshake p99 ms | client peak RSS MiB | KiB per session | client CPU s | client threads | server CPU s | server peak RSS MiB |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Targets: 10,000 WebSocket sessions in at most 300 MiB, 1,000 long-polling sessions in at most"
  echo "200 MiB. All sessions run on one io thread; on long-polling each session's transport also has"
  echo "two blocking HTTP worker threads (the held /meta/connect and the request lane, each with its"
  echo "own HTTP/1.1 connection), hence about 2 threads per session there, while WebSocket sessions add"
  echo "none. KiB per session is the whole peak RSS divided by the sessions (the ~10 MiB of shared"
  echo "libraries included, so it overstates small runs)."
  echo "<!-- bench-scale: end -->"
} >"$section"
cat "$section"
if [ "$write" -eq 1 ]; then
  doc=docs/performance.md
  if grep -q '^<!-- bench-scale: begin' "$doc"; then
    awk -v f="$section" '
      /^<!-- bench-scale: begin/ { while ((getline line < f) > 0) print line; skip = 1; next }
      /^<!-- bench-scale: end/ { skip = 0; next }
      !skip' "$doc" >"$work/doc" && cp "$work/doc" "$doc"
  else
    { echo; cat "$section"; } >>"$doc"
  fi
  echo "bench-scale: wrote the bench-scale section of $doc" >&2
fi
