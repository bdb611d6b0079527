# SIGINT/SIGTERM while connecting, while reconnecting, and while the disconnect is pending:
# prompt, the documented code, /meta/disconnect when a session exists; a second SIGINT is final.
. "$(dirname "$0")/lib.sh"

# While connecting (the server never answers): no session, no disconnect, out at once.
start_node silent fake-server.js --script silent
for sig in INT TERM; do
  timeout 20 "$CLI" subscribe "http://127.0.0.1:$PORT_silent/cometd" /x >/dev/null 2>"$D/connecting.$sig.err" &
  pid=$!
  wait_until 5 fake_at_least silent .requests 1 || fail "no request reached the server"
  t0=$(date +%s%N)
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  [ "$sig" = INT ] && expect_rc 130 $rc "SIGINT while connecting"
  [ "$sig" = TERM ] && expect_rc 143 $rc "SIGTERM while connecting"
  ms=$(elapsed_ms "$t0")
  [ "$ms" -lt 1500 ] || fail "SIG$sig while connecting took $ms ms"
done
[ "$(fake_stats silent .disconnects)" -eq 0 ] || fail "a disconnect without a session"

# While reconnecting (every connect after the first gets 503): the session exists, so
# /meta/disconnect is sent.
start_node flaky fake-server.js --script flaky
timeout 20 "$CLI" --connection-type long-polling subscribe "http://127.0.0.1:$PORT_flaky/cometd" /x \
  >/dev/null 2>"$D/reconnecting.err" &
pid=$!
wait_until 10 fake_at_least flaky .connects 3 || fail "not reconnecting"
kill -INT "$pid"
wait "$pid"
expect_rc 130 $? "SIGINT while reconnecting"
[ "$(fake_stats flaky .disconnects)" -eq 1 ] || fail "no /meta/disconnect while reconnecting"

# The disconnect is never answered: the first SIGINT waits at most 1 s for it ...
start_node nodisc fake-server.js --script no-disconnect
timeout 20 "$CLI" -v subscribe "http://127.0.0.1:$PORT_nodisc/cometd" /x >/dev/null 2>"$D/nodisc.err" &
pid=$!
wait_for "$D/nodisc.err" "subscribed to"
t0=$(date +%s%N)
kill -INT "$pid"
wait "$pid"
expect_rc 130 $? "SIGINT, disconnect unanswered"
ms=$(elapsed_ms "$t0")
[ "$ms" -ge 900 ] && [ "$ms" -lt 2500 ] || fail "waited $ms ms for the unanswered disconnect"
# ... and a second SIGINT does not wait at all.
timeout 20 "$CLI" -v subscribe "http://127.0.0.1:$PORT_nodisc/cometd" /x >/dev/null 2>"$D/nodisc2.err" &
pid=$!
wait_for "$D/nodisc2.err" "subscribed to"
client=$(child_of "$pid")
t0=$(date +%s%N)
kill -INT "$client"
sleep 0.4
kill -INT "$client" 2>/dev/null
wait "$pid"
expect_rc 130 $? "second SIGINT"
ms=$(elapsed_ms "$t0")
[ "$ms" -lt 900 ] || fail "the second SIGINT took $ms ms"
