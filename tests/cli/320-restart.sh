# A real server killed and restarted on the same port mid-stream: the client keeps running,
# re-handshakes, resubscribes and receives what is published after the restart. Down for good:
# exit 75 within --timeout. --timeout 0: still waiting long after, and recovering.
. "$(dirname "$0")/lib.sh"

restart_case() {  # SERVER-SCRIPT TYPE
  local script=$1 type=$2 name=${1%-server.js}-$2
  start_node "$name" "$script"
  local port_var="PORT_${name//-/_}" pid_var="PID_${name//-/_}"
  local port=${!port_var}
  local url="http://127.0.0.1:$port/cometd" control="http://127.0.0.1:$port/control"
  timeout 60 "$CLI" -v --timeout 30s --connection-type "$type" subscribe "$url" /r/a -C 2 \
    >"$D/$name.out" 2>"$D/$name.err" &
  local client=$!
  wait_for "$D/$name.err" "subscribed to"
  curl -sf "$control/publish?channel=/r/a&n=1" >/dev/null
  wait_until 10 lines_are "$D/$name.out" 1 || fail "$name: first message"
  kill "${!pid_var}"
  wait "${!pid_var}" 2>/dev/null
  sleep 1
  kill -0 "$client" || fail "$name: the client died with the server"
  start_node "$name" "$script" --port "$port"
  wait_until 20 matches_at_least "$D/$name.err" 'subscribed to' 2 || fail "$name: not resubscribed"
  curl -sf "$control/publish?channel=/r/a&n=1&from=2" >/dev/null
  wait "$client"
  expect_rc 0 $? "$name: after the restart"
  [ "$(jq -r .data.n "$D/$name.out" | tr '\n' ' ')" = "1 2 " ] || fail "$name: $(cat "$D/$name.out")"
  say "$name ok"
}
# The three at once (each with its own server), then the two below at once too.
restart_case faye-server.js websocket &
a=$!
restart_case faye-server.js long-polling &
b=$!
restart_case cometd-server.js long-polling &
c=$!
for pid in $a $b $c; do
  wait "$pid" || fail "a restart case failed"
done

gone_for_good() {
  start_node gone faye-server.js
  timeout 30 "$CLI" -v --timeout 3s subscribe "http://127.0.0.1:$PORT_gone/cometd" /r/b >/dev/null 2>"$D/gone.err" &
  client=$!
  wait_for "$D/gone.err" "subscribed to"
  kill "$PID_gone"
  t0=$(date +%s%N)
  wait "$client"
  expect_rc 75 $? "server gone for good"
  ms=$(elapsed_ms "$t0")
  [ "$ms" -ge 2500 ] && [ "$ms" -lt 6000 ] || fail "gave up after $ms ms, expected ~3 s"
  grep -q 'lost and not re-established within 3s' "$D/gone.err" || fail "75 message: $(tail -1 "$D/gone.err")"
}

never_give_up() {
  start_node back faye-server.js
  port=$PORT_back
  timeout 60 "$CLI" -v --timeout 0 --connection-type long-polling subscribe "http://127.0.0.1:$port/cometd" /r/c -C 1 \
    >"$D/back.out" 2>"$D/back.err" &
  client=$!
  wait_for "$D/back.err" "subscribed to"
  kill "$PID_back"
  sleep 12
  kill -0 "$client" || fail "--timeout 0 gave up"
  start_node back faye-server.js --port "$port"
  wait_until 40 matches_at_least "$D/back.err" 'subscribed to' 2 || fail "--timeout 0: not resubscribed"
  curl -sf "http://127.0.0.1:$port/control/publish?channel=/r/c&n=1" >/dev/null
  wait "$client"
  expect_rc 0 $? "--timeout 0 recovery"
}
gone_for_good &
a=$!
never_give_up &
b=$!
wait "$a" || fail "server gone for good"
wait "$b" || fail "--timeout 0"
