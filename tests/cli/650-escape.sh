# A hostile server cannot drive the terminal or forge a line: its bytes are printed escaped
# (\x1b, \x07, \x0d as text) in a subscribe error, a WebSocket close reason (-v) and a reply
# body (-vv and the exit 76 line).
. "$(dirname "$0")/lib.sh"
start_node esc fake-server.js --script escape
start_node body fake-server.js --script escape-body
url="http://127.0.0.1:$PORT_esc/cometd"

# escaped FILE WHAT: no control byte, no forged line, the escapes shown as text.
escaped() {
  ! LC_ALL=C grep -q '[[:cntrl:]]' "$1" || fail "$2: raw control bytes: $(od -c "$1" | head -5)"
  ! grep -q '^cometd-cli: subscribed OK' "$1" || fail "$2: a forged line"
  grep -qF '\x1b]0;owned\x07\x1b[2K\x0dcometd-cli: subscribed OK' "$1" ||
    fail "$2: not escaped as text: $(cat "$1")"
}

for type in long-polling websocket; do
  timeout 10 "$CLI" --connection-type "$type" subscribe "$url" /deny/a >"$D/deny.$type.out" 2>"$D/deny.$type.err"
  expect_rc 77 $? "$type: a subscription refused with 403"
  escaped "$D/deny.$type.err" "$type: subscribe error"
  ! grep -qv '^cometd-cli: ' "$D/deny.$type.err" || fail "$type: a line not from cometd-cli"
done

# The first connect after subscribing to /close/a is answered by a close frame whose reason
# holds the escapes.
timeout 10 "$CLI" -v --connection-type websocket subscribe "$url" /close/a --duration 2s >"$D/close.out" 2>"$D/close.err"
expect_rc 0 $? "websocket close reason"
grep -q 'was closed (4000 ' "$D/close.err" || fail "the close is not reported: $(cat "$D/close.err")"
escaped "$D/close.err" "close reason"

burl="http://127.0.0.1:$PORT_body/cometd"
timeout 10 "$CLI" -vv --connection-type long-polling subscribe "$burl" /x >"$D/body.out" 2>"$D/body.err"
expect_rc 76 $? "a body of escapes"
escaped "$D/body.err" "body"
say "ok"
