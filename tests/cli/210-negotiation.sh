# --connection-type is an ordered preference intersected with what the server offers.
. "$(dirname "$0")/lib.sh"

# Default preference against Faye: websocket.
ch=$(unique_channel faye)
timeout 20 "$CLI" -v subscribe "$FAYE_URL" "$ch" -C 1 >"$D/faye.out" 2>"$D/faye.err" &
pid=$!
wait_for "$D/faye.err" "subscribed to"
server_publish faye "$ch" 1
wait "$pid"
expect_rc 0 $? "default preference against Faye"
grep -q 'connected over websocket' "$D/faye.err" || fail "Faye: not on websocket"

# Default preference against CometD Node (long-polling only, upgrade answered 400): falls back.
ch=$(unique_channel node)
timeout 20 "$CLI" -v subscribe "$NODE_URL" "$ch" -C 1 >"$D/node.out" 2>"$D/node.err" &
pid=$!
wait_for "$D/node.err" "subscribed to"
server_publish node "$ch" 1
wait "$pid"
expect_rc 0 $? "default preference against CometD Node"
grep -q 'upgrade was refused .*(HTTP 400 Bad Request); falling back to long-polling' "$D/node.err" ||
  fail "CometD Node: no fallback line"
grep -q 'handshake done .* over long-polling' "$D/node.err" || fail "CometD Node: not on long-polling"
ndjson "$D/node.out"

# A preference for long-polling first is honoured against Faye.
timeout 20 "$CLI" -v --connection-type long-polling,websocket subscribe "$FAYE_URL" /t/x --duration 0.5s \
  >/dev/null 2>"$D/lp-first.err"
expect_rc 0 $? "long-polling first"
grep -q 'handshake done .* over long-polling' "$D/lp-first.err" || fail "long-polling first ignored"

# Strict websocket against CometD Node: 69, naming what the server offers.
timeout 20 "$CLI" --connection-type websocket subscribe "$NODE_URL" /t/x >"$D/strict.out" 2>"$D/strict.err"
expect_rc 69 $? "strict websocket against CometD Node"
[ "$(grep -c '' "$D/strict.err")" -eq 1 ] || fail "expected one stderr line: $(cat "$D/strict.err")"
grep -q 'does not offer websocket; it offers: long-polling' "$D/strict.err" || fail "message: $(cat "$D/strict.err")"
empty "$D/strict.out" "stdout"
