# Exit codes of INTERFACE.md that need no fault injection, each with one clear stderr line.
. "$(dirname "$0")/lib.sh"

# 64: usage errors
timeout 5 "$CLI" subscribe >/dev/null 2>"$D/usage.err"
expect_rc 64 $? "no arguments to subscribe"
grep -q '^cometd-cli: ' "$D/usage.err" || fail "usage error line"
timeout 5 "$CLI" --no-such-flag subscribe http://127.0.0.1:1/c /a >/dev/null 2>&1
expect_rc 64 $? "unknown flag"
timeout 5 "$CLI" subscribe http://127.0.0.1:1/c no-slash >/dev/null 2>&1
expect_rc 64 $? "channel without /"

# 69: nothing listens; --timeout bounds the retries
port=$(closed_port)
start=$(date +%s%N)
timeout 20 "$CLI" --timeout 2s subscribe "http://127.0.0.1:$port/cometd" /a >"$D/down.out" 2>"$D/down.err"
expect_rc 69 $? "unreachable server"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -ge 1900 ] && [ "$elapsed" -lt 6000 ] || fail "gave up after ${elapsed} ms, expected ~2 s"
[ "$(grep -c '' "$D/down.err")" -eq 1 ] || fail "expected one stderr line: $(cat "$D/down.err")"
grep -q "could not connect to http://127.0.0.1:$port/cometd within 2s" "$D/down.err" ||
  fail "unclear message: $(cat "$D/down.err")"
empty "$D/down.out" "stdout"
timeout 20 "$CLI" --timeout 1s publish "http://127.0.0.1:$port/cometd" /a 1 >/dev/null 2>&1
expect_rc 69 $? "one-shot publish to an unreachable server"

for s in $SERVERS; do
  # 76: an HTTP endpoint that is not Bayeux (404 beside the real one)
  base=$(url_of "$s")
  timeout 10 "$CLI" subscribe "${base%/cometd}/control/nothing" /a >/dev/null 2>"$D/$s.404.err"
  expect_rc 76 $? "$s: not a Bayeux endpoint"
  # The status line and the first bytes of the body say what answered (as curl -i would).
  grep -q 'HTTP 404 Not Found: {"error":"unknown control path"}$' "$D/$s.404.err" ||
    fail "$s: 404 not named: $(cat "$D/$s.404.err")"

  # 74: stdout that cannot be written (/dev/full)
  ch=$(unique_channel "$s")
  timeout 20 "$CLI" -v subscribe "$base" "$ch" >/dev/full 2>"$D/$s.full.err" &
  pid=$!
  wait_for "$D/$s.full.err" "subscribed to"
  server_publish "$s" "$ch" 1
  wait "$pid"
  expect_rc 74 $? "$s: write error on stdout"
  grep -q 'write error on stdout: No space left on device' "$D/$s.full.err" || fail "$s: 74 message"

  # 124: --duration before --count
  timeout 20 "$CLI" subscribe "$base" "$(unique_channel "$s-d")" -C 3 --duration 1s >/dev/null 2>"$D/$s.dur.err"
  expect_rc 124 $? "$s: --duration before --count"
  # 0: --duration without --count, and --idle-timeout
  timeout 20 "$CLI" subscribe "$base" "$(unique_channel "$s-d")" --duration 1s >/dev/null 2>&1
  expect_rc 0 $? "$s: --duration alone"
  timeout 20 "$CLI" subscribe "$base" "$(unique_channel "$s-i")" --idle-timeout 1s >/dev/null 2>&1
  expect_rc 0 $? "$s: --idle-timeout"
  say "$s ok"
done
