# SIGTERM acts at once whatever the connection is stuck in: a TLS peer that accepted the TCP
# connection and never answers, and an HTTPS proxy that refuses CONNECT with HTTP/1.0 and
# Connection: close (cpp-httplib 0.11.4 deadlocked there, and so did our stop()). Both
# transports; the run ends with 143 within 1 s of the signal.
. "$(dirname "$0")/lib.sh"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY

# term_within NAME LOG PATTERN ARGS...: starts cometd-cli ARGS, waits for PATTERN in LOG (the
# hostile peer saw it), sends SIGTERM and checks exit 143 within 1000 ms.
term_within() {
  local name=$1 log=$2 pattern=$3
  shift 3
  "$CLI" "$@" >/dev/null 2>"$D/$name.err" &
  local pid=$!
  wait_until 10 grep -q -- "$pattern" "$log" || { kill -9 $pid; fail "$name: the peer saw nothing"; }
  sleep 0.3  # well inside the stalled phase
  kill -0 $pid 2>/dev/null || fail "$name: ended before the signal: $(cat "$D/$name.err")"
  local t0 rc ms
  t0=$(date +%s%N)
  kill -TERM $pid
  for _ in $(seq 1 50); do kill -0 $pid 2>/dev/null || break; sleep 0.02; done
  kill -0 $pid 2>/dev/null && { kill -9 $pid; wait $pid; fail "$name: still running 1 s after SIGTERM"; }
  wait $pid
  rc=$?
  ms=$(elapsed_ms "$t0")
  expect_rc 143 $rc "$name"
  [ "$ms" -lt 1000 ] || fail "$name: $ms ms after SIGTERM"
  say "$name: exit $rc, $ms ms after SIGTERM"
}

: >"$D/silent.log"
start_node silent hostile-server.js --mode silent --log "$D/silent.log"
: >"$D/proxy.log"
start_node proxy hostile-server.js --mode refuse-proxy --status 503 --log "$D/proxy.log"
for type in long-polling websocket; do
  : >"$D/silent.log"
  term_within "$type-stalled-tls" "$D/silent.log" accepted --connection-type "$type" \
    subscribe "https://127.0.0.1:$PORT_silent/cometd" /a
  : >"$D/proxy.log"
  term_within "$type-refusing-proxy" "$D/proxy.log" CONNECT --connection-type "$type" \
    --proxy "http://127.0.0.1:$PORT_proxy" subscribe "https://127.0.0.1:$PORT_silent/cometd" /a
done
