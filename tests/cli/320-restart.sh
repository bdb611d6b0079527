# Server restarts, as a matrix (INTERFACE.md, "Reconnecting"): each real server and transport
# (Faye over WebSocket and long-polling, the CometD Node server over long-polling) is killed and
# restarted on the same port after 1, 3 and 15 s, under sessions 2 s and 60 s old. A default
# subscriber (no --timeout) rides through every one: it says "connection lost" and
# "reconnected … new session, resubscribed 1 channel" once each, and receives what is published
# after the restart. The time from the server being ready again to the resubscription is
# printed (tests/bench/restart.sh measures it properly, one restart at a time).
# Then: --timeout given and the server gone for good is 75 after that long; --timeout 0 waits.
. "$(dirname "$0")/lib.sh"

round() {  # SERVER-SCRIPT TYPE OUTAGE-S AGE-S
  local script=$1 type=$2 outage=$3 age=$4
  local name=${script%-server.js}-$type-${outage}s-${age}s
  local tag=${name//-/_}
  start_node "$name" "$script"
  local port_var="PORT_$tag" pid_var="PID_$tag"
  local port=${!port_var} server=${!pid_var}
  local url="http://127.0.0.1:$port/cometd" control="http://127.0.0.1:$port/control"
  timeout $((age + outage + 60)) "$CLI" --connection-type "$type" subscribe "$url" /r/a -C 2 \
    >"$D/$name.out" 2> >(stamp_lines >"$D/$name.err") &
  local client=$!
  local started
  started=$(date +%s%N)
  for _ in $(seq 1 100); do
    [ "$(curl -sf "$control/stats" | jq .subscribes)" -ge 1 ] 2>/dev/null && break
    sleep 0.1
  done
  curl -sf "$control/publish?channel=/r/a&n=1" >/dev/null
  wait_until 10 lines_are "$D/$name.out" 1 || fail "$name: first message"
  # The session's age at the kill.
  sleep "$(awk -v a="$age" -v s="$started" -v n="$(date +%s%N)" \
    'BEGIN { w = a - (n - s) / 1e9; print (w > 0 ? w : 0) }')"
  kill "$server"
  wait "$server" 2>/dev/null
  sleep "$outage"
  kill -0 "$client" 2>/dev/null || fail "$name: the client died with the server"
  start_node "$name" "$script" --port "$port"
  local ready
  ready=$(date +%s%N)
  wait_until 30 matches_at_least "$D/$name.err" 'reconnected after' 1 ||
    fail "$name: not reconnected: $(cut -d' ' -f2- "$D/$name.err")"
  local resubscribed
  resubscribed=$(grep -m1 'reconnected after' "$D/$name.err" | cut -d' ' -f1)
  grep -q 'reconnected after .*; new session, resubscribed 1 channel$' "$D/$name.err" ||
    fail "$name: $(grep 'reconnected' "$D/$name.err")"
  curl -sf "$control/publish?channel=/r/a&n=1&from=2" >/dev/null
  wait "$client"
  expect_rc 0 $? "$name: after the restart"
  [ "$(jq -r .data.n "$D/$name.out" | tr '\n' ' ')" = "1 2 " ] ||
    fail "$name: received $(cat "$D/$name.out")"
  [ "$(grep -c 'connection lost' "$D/$name.err")" -eq 1 ] &&
    [ "$(grep -c 'reconnected after' "$D/$name.err")" -eq 1 ] ||
    fail "$name: the status lines, once each: $(cut -d' ' -f2- "$D/$name.err")"
  # Nothing else at the default verbosity.
  [ "$(grep -vc 'connection lost\|reconnected after' "$D/$name.err")" -eq 0 ] ||
    fail "$name: stderr: $(cut -d' ' -f2- "$D/$name.err")"
  echo "$name $(( (resubscribed - ready) / 1000000 ))" >>"$D/times"
}

pids=()
for outage in 1 3 15; do
  for age in 2 60; do
    for combo in "faye-server.js websocket" "faye-server.js long-polling" \
      "cometd-server.js long-polling"; do
      # shellcheck disable=SC2086
      round $combo "$outage" "$age" &
      pids+=($!)
    done
  done
done
wait_all "a restart round" "${pids[@]}"
sort "$D/times" | while read -r name ms; do say "$name: resubscribed $ms ms after the server was ready"; done

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
