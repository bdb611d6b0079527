#!/usr/bin/env bash
# The benchmark suite: cometd-cli against the CometD JavaScript client and the Faye client, on
# real Faye and CometD Node servers and on the blast server, all on loopback. Every figure is
# the median of several runs; every ratio compares figures of the same run.
#
#   tests/bench/run.sh            the full suite (5 runs each, a few minutes); writes
#                                 docs/performance.md
#   tests/bench/run.sh --quick    one small run of everything, to prove that it works (CI);
#                                 writes nothing
#
# Benchmarks are measurements, not tests: the suite fails only when something does not run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
quick=0
[ "${1:-}" = --quick ] && quick=1
if [ $quick -eq 1 ]; then
  runs=1 n_receive=2000 n_publish=500 n_round=50 n_blast=100000 n_oneshot=3
else
  runs=5 n_receive=20000 n_publish=5000 n_round=500 n_blast=1000000 n_oneshot=10
fi

tests/setup.sh >&2
tests/npm-ci.sh tests/bench
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target cometd-cli >/dev/null
cli=$root/build/release/app/cometd-cli

work=$(mktemp -d "${TMPDIR:-/tmp}/cometd-cli-bench.XXXXXX")
bt=$work/benchtool
cc -O2 -o "$bt" tests/bench/benchtool.c
cleanup() {
  kill $(cat "$work/pids" 2>/dev/null) 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_server() {  # NAME SCRIPT ARGS...: prints the port
  local name=$1
  shift
  node "$@" >"$work/$name.port" 2>"$work/$name.err" &
  echo $! >>"$work/pids"
  for _ in $(seq 1 100); do
    local port
    port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/$name.port" 2>/dev/null | head -1)
    [ -n "$port" ] && { echo "$port"; return; }
    sleep 0.1
  done
  echo "bench: $name did not start" >&2
  exit 2
}
faye_port=$(start_server faye tests/integration/faye-server.js)
node_port=$(start_server node tests/integration/cometd-server.js)
blast_port=$(start_server blast tests/bench/blast-server.js)
url_of() { case $1 in faye) echo "http://127.0.0.1:$faye_port/cometd" ;; node) echo "http://127.0.0.1:$node_port/cometd" ;; blast) echo "http://127.0.0.1:$blast_port/cometd" ;; esac; }
control_of() { case $1 in faye) echo "http://127.0.0.1:$faye_port/control" ;; node) echo "http://127.0.0.1:$node_port/control" ;; esac; }

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
now_ns() { date +%s%N; }
# A fresh channel per run (called in $(...) subshells: no counter survives them).
channel() { echo "/bench/$1/$(date +%s%N)"; }

# client_cmd CLIENT MODE URL CHANNEL ARG TRANSPORT: the command line of a client
client_cmd() {
  local client=$1 mode=$2 url=$3 ch=$4 arg=$5 transport=$6
  case $client in
    cometd-cli)
      case $mode in
        receive) echo "$cli -v --connection-type $transport subscribe $url $ch -C $arg" ;;
        publish) echo "$cli --connection-type $transport publish $url $ch" ;;
        oneshot) echo "$cli --connection-type $transport publish $url $ch $arg" ;;
      esac ;;
    cometd-cli-trace) echo "$cli -v --trace $work/trace.ndjson --connection-type $transport subscribe $url $ch -C $arg" ;;
    cometd-js) echo "node $root/tests/bench/cometd-anchor.mjs $mode $url $ch $arg $transport" ;;
    faye-js) echo "node $root/tests/bench/faye-anchor.js $mode $url $ch $arg $transport" ;;
  esac
}

# W1: receive N messages of ~100 B that the server publishes as fast as it can. The rate runs
# from the publish request to the arrival of the last line on the client's stdout.
w1() {  # CLIENT SERVER TRANSPORT: prints "msgs/s cpu_us_per_msg rss_kb" (one run)
  local client=$1 server=$2 transport=$3 ch
  ch=$(channel w1)
  local cmd
  cmd=$(client_cmd "$client" receive "$(url_of "$server")" "$ch" "$n_receive" "$transport")
  # shellcheck disable=SC2086
  "$bt" run "$work/usage" $cmd 2>"$work/client.err" | "$bt" lines "$n_receive" >"$work/lines" &
  local pid=$!
  for _ in $(seq 1 200); do
    grep -q 'ready\|subscribed to' "$work/client.err" 2>/dev/null && break
    sleep 0.05
  done
  local t0
  t0=$(date +%s.%N)
  curl -sf "$(control_of "$server")/publish?channel=$ch&n=$n_receive&size=62" >/dev/null
  if ! wait "$pid"; then echo "n/a n/a n/a"; return; fi
  local got last wall user sys rss
  read -r got last <"$work/lines"
  read -r wall user sys rss <"$work/usage"
  [ "$got" -ge "$n_receive" ] || { echo "bench: $client received $got of $n_receive" >&2; echo "n/a n/a n/a"; return; }
  awk -v n="$n_receive" -v t0="$t0" -v t1="$last" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN { printf "%.0f %.2f %d\n", n / (t1 - t0), (u + s) * 1e6 / n, r }'
}

# W2: publish N stdin lines, whole process; the server's count is checked.
w2() {  # CLIENT SERVER TRANSPORT: prints seconds (one run)
  local client=$1 server=$2 transport=$3 ch cmd
  ch=$(channel w2)
  cmd=$(client_cmd "$client" publish "$(url_of "$server")" "$ch" "" "$transport")
  seq 1 "$n_publish" | awk '{ printf "{\"n\":%d,\"text\":\"message number %d\"}\n", $1, $1 }' >"$work/lines"
  local t0 t1
  t0=$(now_ns)
  # shellcheck disable=SC2086
  $cmd <"$work/lines" >/dev/null 2>"$work/client.err" || { echo n/a; return; }
  t1=$(now_ns)
  local got
  got=$(curl -sf "$(control_of "$server")/stats" | jq -r ".published[\"$ch\"] // 0")
  [ "$got" -eq "$n_publish" ] || { echo "bench: $client published $got of $n_publish" >&2; echo n/a; return; }
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

# W3: one-shot publish (handshake, publish, disconnect), as a cron job runs it.
w3() {  # CLIENT SERVER TRANSPORT
  local client=$1 server=$2 transport=$3 ch cmd t0 t1
  ch=$(channel w3)
  if [ "$client" = curl ]; then
    cmd="$root/tests/bench/curl-oneshot.sh $(url_of "$server") $ch"
  else
    cmd=$(client_cmd "$client" oneshot "$(url_of "$server")" "$ch" '{"text":"cron"}' "$transport")
  fi
  t0=$(now_ns)
  # shellcheck disable=SC2086
  $cmd >/dev/null 2>"$work/client.err" || { echo n/a; return; }
  t1=$(now_ns)
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.4f\n", ns / 1e9 }'
}

# W4: publish-to-self round trips, one at a time: "p50 p99" in ms.
w4() {  # CLIENT SERVER TRANSPORT
  local client=$1 server=$2 transport=$3 ch out
  ch=$(channel w4)
  if [ "$client" = cometd-cli ]; then
    out=$(timeout 120 node tests/bench/cli-roundtrip.js "$cli" "$(url_of "$server")" "$ch" "$n_round" "$transport" 2>/dev/null) || { echo "n/a n/a"; return; }
  else
    # shellcheck disable=SC2046
    out=$(timeout 120 $(client_cmd "$client" roundtrip "$(url_of "$server")" "$ch" "$n_round" "$transport") 2>/dev/null) || { echo "n/a n/a"; return; }
  fi
  jq -r '"\(.p50_ms * 1000 | round / 1000) \(.p99_ms * 1000 | round / 1000)"' <<<"$out"
}

# Runs FN ARGS... $runs times; prints the median of each output column.
repeat() {
  : >"$work/runs"
  for _ in $(seq 1 "$runs"); do "$@" >>"$work/runs"; done
  local columns
  columns=$(head -1 "$work/runs" | wc -w)
  local out=""
  for c in $(seq 1 "$columns"); do
    out+="$(awk -v c="$c" '$c != "n/a" { print $c }' "$work/runs" | median) "
  done
  echo "${out% }"
}

report=$work/report.md
: >"$report"
row() { printf '%s\n' "$*" | tee -a "$report"; }
combos=("faye websocket" "faye long-polling" "node long-polling")
clients=(cometd-cli cometd-js faye-js)

row "### W1: receive $n_receive messages of ~100 B (median of $runs)"
row ""
row "| server | transport | client | msgs/s | CPU µs/msg | peak RSS MiB | msgs/s vs best anchor | CPU vs best anchor |"
row "|---|---|---|---:|---:|---:|---:|---:|"
for combo in "${combos[@]}"; do
  set -- $combo
  declare -A rate=() cpu=() rss=()
  for client in "${clients[@]}"; do
    read -r rate[$client] cpu[$client] rss[$client] < <(repeat w1 "$client" "$1" "$2")
  done
  best_rate=$(for c in cometd-js faye-js; do echo "${rate[$c]}"; done | { grep -v n/a || true; } | sort -g | tail -1)
  best_cpu=$(for c in cometd-js faye-js; do echo "${cpu[$c]}"; done | { grep -v n/a || true; } | sort -g | head -1)
  for client in "${clients[@]}"; do
    ratio_rate=$(awk -v a="${rate[$client]}" -v b="$best_rate" 'BEGIN { if (a == "n/a" || b == "") print "n/a"; else printf "%.2f×", a / b }')
    ratio_cpu=$(awk -v a="${cpu[$client]}" -v b="$best_cpu" 'BEGIN { if (a == "n/a" || b == "") print "n/a"; else printf "%.3f×", a / b }')
    rss_mib=$(awk -v r="${rss[$client]}" 'BEGIN { if (r == "n/a") print "n/a"; else printf "%.1f", r / 1024 }')
    row "| $1 | $2 | $client | ${rate[$client]} | ${cpu[$client]} | $rss_mib | $ratio_rate | $ratio_cpu |"
  done
done

# What --trace costs: W1 again, the trace on a file, against W1 without it, run for run.
trace_pair() {  # SERVER TRANSPORT: "cpu_plain cpu_traced trace_bytes_per_msg"
  local plain traced
  plain=$(w1 cometd-cli "$1" "$2" | awk '{ print $2 }')
  traced=$(w1 cometd-cli-trace "$1" "$2" | awk '{ print $2 }')
  echo "$plain $traced $(( $(stat -c %s "$work/trace.ndjson") / n_receive ))"
}
row ""
row "### --trace on a file: W1's CPU with and without it (median of $runs pairs)"
row ""
row "| server | transport | CPU µs/msg | with --trace | ratio | trace bytes/msg |"
row "|---|---|---:|---:|---:|---:|"
for combo in "${combos[@]}"; do
  set -- $combo
  read -r plain traced per_msg < <(repeat trace_pair "$1" "$2")
  row "| $1 | $2 | $plain | $traced | $(awk -v a="$traced" -v b="$plain" 'BEGIN { if (a == "n/a" || b == "n/a") print "n/a"; else printf "%.2f×", a / b }') | $per_msg |"
done

row ""
row "### W2: publish $n_publish stdin lines, whole process (median of $runs; server count checked)"
row ""
row "| server | transport | client | seconds | vs best anchor |"
row "|---|---|---|---:|---:|"
for combo in "${combos[@]}"; do
  set -- $combo
  declare -A secs=()
  for client in "${clients[@]}"; do secs[$client]=$(repeat w2 "$client" "$1" "$2"); done
  best=$(for c in cometd-js faye-js; do echo "${secs[$c]}"; done | { grep -v n/a || true; } | sort -g | head -1)
  for client in "${clients[@]}"; do
    row "| $1 | $2 | $client | ${secs[$client]} | $(awk -v a="${secs[$client]}" -v b="$best" 'BEGIN { if (a == "n/a" || b == "") print "n/a"; else printf "%.3f×", a / b }') |"
  done
done

row ""
row "### W3: one-shot publish (handshake, publish, disconnect), whole process (median of $n_oneshot)"
row ""
row "| server | transport | client | seconds | vs best anchor |"
row "|---|---|---|---:|---:|"
saved_runs=$runs
runs=$n_oneshot
for combo in "${combos[@]}"; do
  set -- $combo
  declare -A secs=()
  for client in "${clients[@]}" curl; do
    [ "$client" = curl ] && [ "$2" = websocket ] && continue
    secs[$client]=$(repeat w3 "$client" "$1" "$2")
  done
  best=$(for c in cometd-js faye-js; do echo "${secs[$c]}"; done | { grep -v n/a || true; } | sort -g | head -1)
  for client in "${clients[@]}" curl; do
    [ -n "${secs[$client]:-}" ] || continue
    label=$client
    [ "$client" = curl ] && label="3 × curl"
    row "| $1 | $2 | $label | ${secs[$client]} | $(awk -v a="${secs[$client]}" -v b="$best" 'BEGIN { if (a == "n/a" || b == "") print "n/a"; else printf "%.3f×", a / b }') |"
  done
done
runs=$saved_runs

row ""
row "### W4: publish-to-self round trip, one at a time, $n_round messages (median of $runs)"
row ""
row "| server | transport | client | p50 ms | p99 ms |"
row "|---|---|---|---:|---:|"
for combo in "${combos[@]}"; do
  set -- $combo
  for client in "${clients[@]}"; do
    read -r p50 p99 < <(repeat w4 "$client" "$1" "$2")
    row "| $1 | $2 | $client | $p50 | $p99 |"
  done
done

# The blast ceiling: messages/s written to a pipe, against cat of the same bytes.
blast() {  # TRANSPORT
  local t0 t1
  t0=$(now_ns)
  "$cli" --connection-type "$1" subscribe "$(url_of blast)" /blast -C "$n_blast" | cat >/dev/null
  t1=$(now_ns)
  awk -v n="$n_blast" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f %.3f\n", n / (ns / 1e9), ns / 1e9 }'
}
"$cli" --connection-type long-polling subscribe "$(url_of blast)" /blast -C "$n_blast" >"$work/blast.ndjson"
cat_run() {
  local t0 t1
  t0=$(now_ns)
  cat "$work/blast.ndjson" | cat >/dev/null
  t1=$(now_ns)
  awk -v n="$n_blast" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f %.3f\n", n / (ns / 1e9), ns / 1e9 }'
}
row ""
row "### The blast ceiling: $n_blast messages of ~100 B written to a pipe (median of $runs)"
row ""
row "| source | msgs/s | seconds | vs cat |"
row "|---|---:|---:|---:|"
read -r cat_rate cat_secs < <(repeat cat_run)
for transport in long-polling websocket; do
  read -r rate secs < <(repeat blast "$transport")
  row "| cometd-cli, $transport | $rate | $secs | $(awk -v a="$secs" -v b="$cat_secs" 'BEGIN { printf "%.1f× the time", a / b }') |"
done
row "| cat of the same $(du -m "$work/blast.ndjson" | cut -f1) MB | $cat_rate | $cat_secs | 1 |"

# Memory: an idle subscriber, and a reader that stopped reading (bounded by --max-pending).
# RSS counts the pages of shared libraries too; "private" is the process's own (RssAnon).
mem_of() { awk '/^VmRSS/ { r = $2 } /^RssAnon/ { a = $2 } END { print r, a }' "/proc/$1/status"; }
loaded() {  # what the dynamic loader alone costs: cometd-cli --version
  "$bt" run "$work/usage" "$cli" --version >/dev/null
  awk '{ print $4 }' "$work/usage"
}
idle() {
  "$cli" subscribe "$(url_of faye)" /bench/idle >/dev/null 2>&1 &
  local pid=$!
  sleep 2
  mem_of "$pid"
  kill -INT "$pid"
  wait "$pid" || true
}
stalled() {  # MAX_PENDING
  # The reader (sleep) never reads: the pipe fills, then --max-pending stops the fetching.
  "$cli" --max-pending "$1" subscribe "$(url_of blast)" /blast | sleep 6 &
  local pipeline=$!
  sleep 4
  local pid
  pid=$(pgrep -n -f "max-pending $1 subscribe")
  mem_of "$pid"
  kill -INT "$pid" 2>/dev/null || true
  wait "$pipeline" 2>/dev/null || true
}
mib() { awk -v k="$1" 'BEGIN { if (k == "n/a") print k; else printf "%.1f", k / 1024 }'; }
row ""
row "### Memory (median of $runs)"
row ""
row "| case | RSS MiB | private MiB |"
row "|---|---:|---:|"
row "| \`cometd-cli --version\`: the shared libraries, loaded | $(mib "$(repeat loaded)") | |"
read -r rss anon < <(repeat idle)
row "| idle subscriber (Faye, WebSocket) | $(mib "$rss") | $(mib "$anon") |"
for pending in 100 1000 10000; do
  read -r rss anon < <(repeat stalled "$pending")
  row "| stalled reader, --max-pending $pending (blast, ~100 B messages) | $(mib "$rss") | $(mib "$anon") |"
done

# Reconnecting after a server restart: its own servers, killed and restarted on their ports.
if [ $quick -eq 1 ]; then
  tests/bench/restart.sh "$cli" 1 1 | tee -a "$report"
else
  tests/bench/restart.sh "$cli" "$runs" 1 3 15 | tee -a "$report"
fi

if [ $quick -eq 0 ]; then
  mkdir -p docs
  cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
  # The sections tests/bench/bench-scale.sh and bench-client.sh write are kept as they are.
  kept=$(sed -n '/^<!-- bench-scale: begin/,/^<!-- bench-scale: end/p' docs/performance.md 2>/dev/null || true)
  kept_client=$(sed -n '/^<!-- bench-client: begin/,/^<!-- bench-client: end/p' docs/performance.md 2>/dev/null || true)
  {
    echo "# Performance"
    echo
    echo "Measured by \`tests/bench/run.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),"
    echo "$(uname -sr), Node.js $(node --version), loopback only. Anchors: the CometD JavaScript client"
    echo "(npm cometd 9.0.0 + cometd-nodejs-client 2.0.0, autoBatch on) and the Faye client (npm faye 1.4.3);"
    echo "servers: Faye 1.4.3 and cometd-nodejs-server 1.2.1 (tests/integration), and the blast server"
    echo "(tests/bench/blast-server.js), which answers every /meta/connect with 1000 prebuilt messages."
    echo "Medians of several runs; every ratio compares figures of the same run. The machine is shared and"
    echo "noisy: compare ratios, not absolute figures, across runs."
    echo
    echo "Reproduce: \`tests/bench/run.sh\` (a few minutes; \`--quick\` for a smoke run)."
    echo
    echo "How the figures are taken: W1's msgs/s runs from the server's publish request to the last line"
    echo "on the client's stdout (the server publishes as fast as it can, so this is mostly the server's"
    echo "rate); CPU is the client process's user + system time (getrusage) divided by the messages;"
    echo "peak RSS is ru_maxrss. W2 and W3 time the whole process. In W4 cometd-cli's round trip goes"
    echo "through its stdin and stdout (tests/bench/cli-roundtrip.js drives it), the anchors' stay inside"
    echo "their process. RSS counts the shared libraries' pages; private is RssAnon."
    echo
    cat "$report"
    [ -z "$kept" ] || printf '\n%s\n' "$kept"
    [ -z "$kept_client" ] || printf '\n%s\n' "$kept_client"
  } >docs/performance.md
  echo "bench: wrote docs/performance.md" >&2
fi
