# probe as a monitoring check: a publish-to-self round trip per transport, --format text,
# nagios (0/1/2 by --warn/--crit on the slowest step, 2 when nothing works) and prometheus (a
# strict check of the text exposition format; promtool where it is installed).
. "$(dirname "$0")/lib.sh"
start_node fast fake-server.js
start_node slow fake-server.js --delay 400
fast="http://127.0.0.1:$PORT_fast/cometd"
slow="http://127.0.0.1:$PORT_slow/cometd"

# The round trip, in the JSON report, on both transports of a real server.
timeout 30 "$CLI" probe "$FAYE_URL" >"$D/faye.json" 2>"$D/faye.err"
expect_rc 0 $? "probe Faye"
jq -e '(.transports.websocket.roundtrip_ms | type) == "number" and
  (.transports["long-polling"].roundtrip_ms | type) == "number"' "$D/faye.json" >/dev/null ||
  fail "no round trip: $(cat "$D/faye.json")"
empty "$D/faye.err" "stderr"

# nagios: OK, WARNING, CRITICAL by the slowest step (the slow server holds its handshake
# replies 400 ms).
nagios() {  # EXPECTED-EXIT STATUS-WORD URL ARGS...
  local want=$1 word=$2 url=$3
  shift 3
  timeout 30 "$CLI" probe "$url" --format nagios "$@" >"$D/nagios.out" 2>"$D/nagios.err"
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "nagios $*: exit $rc, expected $want: $(cat "$D/nagios.out")"
  [ "$(grep -c '' "$D/nagios.out")" -eq 1 ] || fail "nagios: not one line: $(cat "$D/nagios.out")"
  grep -q "^COMETD $word - " "$D/nagios.out" || fail "nagios $*: $(cat "$D/nagios.out")"
  grep -Eq " \| (websocket|long_polling)_handshake=[0-9.]+s;" "$D/nagios.out" ||
    [ "$word" = CRITICAL ] || fail "nagios: no performance data: $(cat "$D/nagios.out")"
}
nagios 0 OK "$fast" --warn 300ms --crit 2s
grep -q 'transports work, messages flow; slowest step' "$D/nagios.out" || fail "OK line: $(cat "$D/nagios.out")"
nagios 1 WARNING "$slow" --warn 200ms --crit 2s
grep -q 'slowest step 4[0-9][0-9]\.[0-9] ms (.* handshake) over 200 ms' "$D/nagios.out" ||
  fail "WARNING line: $(cat "$D/nagios.out")"
nagios 2 CRITICAL "$slow" --warn 100ms --crit 300ms
nagios 0 OK "$slow"  # no thresholds: slow is not a fault
port=$(closed_port)
nagios 2 CRITICAL "http://127.0.0.1:$port/cometd" --timeout 1s --warn 1s --crit 2s
grep -q '0 of 2 transports work' "$D/nagios.out" || fail "CRITICAL line: $(cat "$D/nagios.out")"

# --warn without --format nagios, and --warn over --crit, are usage errors.
timeout 10 "$CLI" probe "$fast" --warn 1s >/dev/null 2>"$D/usage.err"
expect_rc 64 $? "--warn without nagios"
timeout 10 "$CLI" probe "$fast" --format nagios --warn 2s --crit 1s >/dev/null 2>"$D/usage.err"
expect_rc 64 $? "--warn over --crit"

# text: one aligned row per transport, the verdict.
timeout 30 "$CLI" probe "$fast" --format text >"$D/text.out" 2>"$D/text.err"
expect_rc 0 $? "text"
grep -Eq '^websocket    ok    handshake [0-9.]+ ms, connect [0-9.]+ ms, round trip [0-9.]+ ms$' "$D/text.out" &&
  grep -Eq '^long-polling ok    handshake [0-9.]+ ms' "$D/text.out" &&
  grep -q '^verdict      ok$' "$D/text.out" || fail "text: $(cat "$D/text.out")"

# prometheus: every line a HELP, a TYPE or a sample of a metric typed before it.
timeout 30 "$CLI" probe "$fast" --format prometheus >"$D/prom.out" 2>"$D/prom.err"
expect_rc 0 $? "prometheus"
awk '
  /^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* [^ ]/ { next }
  /^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (gauge|counter)$/ { typed[$3] = 1; next }
  /^[a-zA-Z_:][a-zA-Z0-9_:]*\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\} -?[0-9.e+-]+$/ {
    name = $0; sub(/\{.*/, "", name); if (!(name in typed)) { print "untyped: " $0; bad = 1 }; next }
  { print "bad line: " $0; bad = 1 }
  END { exit bad }' "$D/prom.out" || fail "prometheus format: $(cat "$D/prom.out")"
grep -q '^cometd_probe_success{url="'"$fast"'"} 1$' "$D/prom.out" &&
  grep -q '^cometd_probe_messages_flow{url=".*",transport="websocket"} 1$' "$D/prom.out" &&
  grep -Eq '^cometd_probe_step_seconds\{url=".*",transport="long-polling",step="roundtrip"\} [0-9.]+$' "$D/prom.out" ||
  fail "prometheus samples: $(cat "$D/prom.out")"
if command -v promtool >/dev/null; then
  promtool check metrics <"$D/prom.out" || fail "promtool"
fi
say "round trip, nagios 0/1/2, text, prometheus ok"
