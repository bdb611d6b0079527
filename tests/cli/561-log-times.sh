# From -v up every stderr line starts with the local time to the millisecond; each event is
# logged once (a refused WebSocket upgrade: one line, whatever the verbosity); -vvv shows
# Set-Cookie by cookie name and attributes, the value redacted.
. "$(dirname "$0")/lib.sh"
url=$(url_of node)  # the CometD Node server refuses the upgrade (HTTP 400) and sets a cookie
for v in -v -vv -vvv; do
  timeout 20 "$CLI" $v subscribe "$url" /logtimes/a --duration 1s >/dev/null 2>"$D/$v.err"
  expect_rc 0 $? "$v"
  ! grep -Ev '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} cometd-cli: ' "$D/$v.err" | grep -q . ||
    fail "$v: a line without the time: $(grep -Ev '^[0-9:.]{12} ' "$D/$v.err" | head -3)"
  n=$(grep -c 'upgrade was refused' "$D/$v.err")
  [ "$n" -eq 1 ] || fail "$v: the refusal logged $n times: $(grep 'refused' "$D/$v.err")"
done
hour=$(head -1 "$D/-v.err" | cut -c1-2)
[ "$hour" = "$(date +%H)" ] || [ "$hour" = "$(date -d '-1 min' +%H)" ] || fail "not local time: $hour"
grep -q '< Set-Cookie: BAYEUX_BROWSER=\[redacted\]; HttpOnly$' "$D/-vvv.err" ||
  fail "Set-Cookie: $(grep -i 'set-cookie' "$D/-vvv.err")"
grep -q '> Cookie: BAYEUX_BROWSER=\[redacted\]$' "$D/-vvv.err" || fail "Cookie: $(grep -i '> cookie' "$D/-vvv.err")"
! grep -i 'cookie' "$D/-vvv.err" | grep -q 'BAYEUX_BROWSER=[^[]' || fail "a cookie value shown"
# The default verbosity stays as it was: no time.
timeout 20 "$CLI" --connection-type websocket subscribe "$url" /logtimes/a >/dev/null 2>"$D/quiet.err"
expect_rc 69 $? "websocket only"
grep -q '^cometd-cli: ' "$D/quiet.err" || fail "default verbosity: $(cat "$D/quiet.err")"
say "times, one refusal line, cookies by name ok"
