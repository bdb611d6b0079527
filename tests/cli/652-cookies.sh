# The cookie jar against a server that floods it: at most 50 cookies for the domain, a 5000-byte
# cookie refused, far-future Expires/Max-Age kept (clamped), and one Cookie header that merges
# -H 'Cookie: …' and the jar, on both transports.
. "$(dirname "$0")/lib.sh"
start_node lp fake-server.js --script cookies
start_node ws fake-server.js --script cookies

# cookies_of VALUE: its cookie names and values, one a line.
cookies_of() { echo "$1" | sed 's/; /\n/g'; }

timeout 10 "$CLI" --connection-type long-polling -H 'Cookie: user=1' \
  publish "http://127.0.0.1:$PORT_lp/cometd" /a 1 >"$D/lp.out" 2>"$D/lp.err"
expect_rc 0 $? "long-polling publish"
empty "$D/lp.err" "long-polling stderr"
# Request 2 (the publish) follows the handshake reply that set the cookies.
[ "$(fake_stats lp '.cookies[1] | length')" -eq 1 ] ||
  fail "long-polling: not one Cookie header: $(fake_stats lp '.cookies[1]' | cut -c 1-300)"
cookie=$(fake_stats lp '.cookies[1][0]')
cookies_of "$cookie" >"$D/lp.cookies"
[ "$(head -1 "$D/lp.cookies")" = user=1 ] || fail "the -H cookie is not first: ${cookie:0:100}"
grep -qx far=1 "$D/lp.cookies" || fail "Max-Age=99999999999999999999 dropped the cookie"
grep -qx far2=1 "$D/lp.cookies" || fail "Expires in 9999 dropped the cookie"
! grep -q '^big=' "$D/lp.cookies" || fail "a 5000-byte cookie was kept"
n=$(grep -c '' "$D/lp.cookies")
[ "$n" -eq 51 ] || fail "$n cookies sent: the -H one and 50 for the domain expected"

# WebSocket: the first upgrade is answered with ws_jar=1 (far-future Max-Age) and closed; the
# second carries -H's cookie and the jar's, in one header.
timeout 15 "$CLI" --connection-type websocket --timeout 8s -H 'Cookie: user=1' \
  publish "http://127.0.0.1:$PORT_ws/cometd" /a 1 >"$D/ws.out" 2>"$D/ws.err"
expect_rc 0 $? "websocket publish"
[ "$(fake_stats ws '.cookies[1] | length')" -eq 1 ] ||
  fail "websocket: not one Cookie header: $(fake_stats ws '.cookies')"
cookie=$(fake_stats ws '.cookies[1][0]')
[ "$cookie" = "user=1; ws_jar=1" ] || fail "websocket: Cookie: $cookie"
say "ok"
