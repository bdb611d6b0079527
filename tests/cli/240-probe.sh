# probe: one JSON report, checked field by field, against both real servers.
. "$(dirname "$0")/lib.sh"
timeout 30 "$CLI" probe "$FAYE_URL" >"$D/faye.json" 2>"$D/faye.err"
expect_rc 0 $? "probe Faye"
ndjson "$D/faye.json"
jq -e --arg url "$FAYE_URL" '
  .url == $url and .ok == true and
  .handshake.successful == true and .handshake.channel == "/meta/handshake" and
  (.handshake.supportedConnectionTypes | index("websocket")) != null and
  .transports.websocket.ok == true and .transports["long-polling"].ok == true and
  (.transports.websocket.handshake_ms | type) == "number" and
  (.transports.websocket.connect_ms | type) == "number" and
  (.transports["long-polling"].connect_ms | type) == "number" and
  .cookies == []' "$D/faye.json" >/dev/null || fail "Faye report: $(cat "$D/faye.json")"
empty "$D/faye.err" "stderr"

timeout 30 "$CLI" probe "$NODE_URL" >"$D/node.json" 2>"$D/node.err"
expect_rc 0 $? "probe CometD Node"
jq -e '
  .ok == true and .handshake.supportedConnectionTypes == ["long-polling"] and
  .transports.websocket.ok == false and
  (.transports.websocket.error | test("HTTP 400")) and
  (.transports.websocket | has("handshake_ms") | not) and
  .transports["long-polling"].ok == true and
  .cookies == ["BAYEUX_BROWSER"]' "$D/node.json" >/dev/null || fail "CometD Node report: $(cat "$D/node.json")"

# Nothing listening: the report is still printed, handshake null, exit 69.
port=$(closed_port)
timeout 30 "$CLI" --timeout 1s probe "http://127.0.0.1:$port/cometd" >"$D/down.json" 2>"$D/down.err"
expect_rc 69 $? "probe of nothing"
jq -e '.ok == false and .handshake == null and .transports.websocket.ok == false and
  .transports["long-polling"].ok == false' "$D/down.json" >/dev/null || fail "down report: $(cat "$D/down.json")"
