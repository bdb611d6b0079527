# probe: the transports of --connection-type at the same time (a dead server costs one
# --timeout), the report printed in every case, 77 when every handshake was refused for
# authentication, 69 otherwise, one "cometd-cli: ..." line on stderr when not 0, and error
# strings without escape artefacts.
. "$(dirname "$0")/lib.sh"

# Nothing listening: both transports give up after the one --timeout, not one each.
port=$(closed_port)
t0=$(date +%s%N)
timeout 20 "$CLI" --timeout 2s probe "http://127.0.0.1:$port/cometd" >"$D/down.json" 2>"$D/down.err"
expect_rc 69 $? "probe of nothing"
ms=$(elapsed_ms "$t0")
[ "$ms" -lt 3500 ] || fail "probe of nothing took $ms ms with --timeout 2s"
jq -e '.ok == false and .handshake == null and (.transports | keys) == ["long-polling","websocket"]' \
  "$D/down.json" >/dev/null || fail "down report: $(cat "$D/down.json")"
[ "$(grep -c '' "$D/down.err")" -eq 1 ] && grep -q '^cometd-cli: .*127.0.0.1' "$D/down.err" ||
  fail "stderr: $(cat "$D/down.err")"

# --connection-type: only the transports asked for.
timeout 20 "$CLI" --connection-type long-polling probe "$FAYE_URL" >"$D/lp.json" 2>"$D/lp.err"
expect_rc 0 $? "probe --connection-type long-polling"
jq -e '.ok == true and (.transports | keys) == ["long-polling"]' "$D/lp.json" >/dev/null ||
  fail "long-polling only: $(cat "$D/lp.json")"
empty "$D/lp.err" "stderr of a probe that works"

# Every handshake refused for authentication: 77, the report and one stderr line.
start_node auth faye-server.js --auth
timeout 20 "$CLI" --timeout 5s probe "http://127.0.0.1:$PORT_auth/cometd" >"$D/auth.json" 2>"$D/auth.err"
expect_rc 77 $? "probe refused for authentication"
jq -e '.ok == false and .handshake == null and
  (.transports.websocket.error | test("401")) and (.transports["long-polling"].error | test("401"))' \
  "$D/auth.json" >/dev/null || fail "auth report: $(cat "$D/auth.json")"
[ "$(grep -c '' "$D/auth.err")" -eq 1 ] && grep -q '^cometd-cli: .*401::Authentication required' "$D/auth.err" ||
  fail "stderr: $(cat "$D/auth.err")"

# A web page where the server should be: its lines are text in the JSON report, not \x0a.
start_node html fake-server.js --script html-200
timeout 20 "$CLI" --timeout 2s probe "http://127.0.0.1:$PORT_html/cometd" >"$D/html.json" 2>"$D/html.err"
expect_rc 69 $? "probe of a web page"
jq -e '(.transports["long-polling"].error | test("<body>It works!</body>")) and
  ([.transports[].error | test("\\\\x0a")] | any | not)' "$D/html.json" >/dev/null ||
  fail "html report: $(cat "$D/html.json")"
[ "$(grep -c '' "$D/html.err")" -eq 1 ] || fail "stderr: $(cat "$D/html.err")"
