# WebSocket against Faye: subscribe -C, and thousands of stdin publishes with the server's count.
. "$(dirname "$0")/lib.sh"
ch=$(unique_channel ws)
timeout 20 "$CLI" -v --connection-type websocket subscribe "$FAYE_URL" "$ch" -C 5 >"$D/sub.out" 2>"$D/sub.err" &
pid=$!
wait_for "$D/sub.err" "subscribed to"
grep -q 'handshake done .* over websocket' "$D/sub.err" || fail "not on websocket"
server_publish faye "$ch" 5
wait "$pid"
expect_rc 0 $? "subscribe over websocket"
ndjson "$D/sub.out"
[ "$(grep -c '' "$D/sub.out")" -eq 5 ] || fail "expected 5 lines"

bulk=$(unique_channel ws-bulk)
seq 1 5000 | awk '{ printf "{\"n\":%d}\n", $1 }' |
  timeout 60 "$CLI" --connection-type websocket publish "$FAYE_URL" "$bulk" >"$D/pub.out" 2>"$D/pub.err"
expect_rc 0 $? "publish over websocket"
empty "$D/pub.err" "stderr"
[ "$(published faye "$bulk")" -eq 5000 ] || fail "server counted $(published faye "$bulk") of 5000"

# --acks over websocket: replies arrive in any frame, matched by id.
printf '{"channel":"%s","data":1,"id":"w-1"}\n{"channel":"%s","data":2}\n' "$bulk" "$bulk" |
  timeout 20 "$CLI" --connection-type websocket publish "$FAYE_URL" --acks >"$D/acks.out" 2>"$D/acks.err"
expect_rc 0 $? "acks over websocket"
[ "$(jq -s -c 'map([.line, .successful]) | sort' "$D/acks.out")" = "[[1,true],[2,true]]" ] ||
  fail "acks: $(cat "$D/acks.out")"
