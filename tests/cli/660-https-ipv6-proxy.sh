# https to an IPv6 literal: through a proxy it is always CONNECT + TLS (the bearer never goes
# out in clear), and without a proxy long-polling reaches the server like WebSocket does.
. "$(dirname "$0")/lib.sh"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY

# Through a proxy that records what it receives and refuses every CONNECT.
for type in long-polling websocket; do
  : >"$D/proxy-$type.log"
  start_node "proxy_$type" hostile-server.js --mode record-proxy --log "$D/proxy-$type.log"
  port_var="PORT_proxy_${type//-/_}"
  timeout 20 "$CLI" --timeout 2s --proxy "http://127.0.0.1:${!port_var}" --bearer SECRET-TOKEN-660 \
    --connection-type "$type" publish 'https://[2001:db8::1]:8443/cometd' /a 1 \
    >/dev/null 2>"$D/$type.err"
  rc=$?
  [ "$rc" -ne 0 ] || fail "$type: published through a proxy that refuses everything"
  [ -s "$D/proxy-$type.log" ] || fail "$type: the proxy saw nothing"
  ! grep -q 'SECRET-TOKEN-660' "$D/proxy-$type.log" ||
    fail "$type: the bearer token reached the proxy in clear: $(head -c 300 "$D/proxy-$type.log")"
  jq -r '.head // empty' "$D/proxy-$type.log" | grep -v '^$' | head -1 |
    grep -q '^CONNECT \[2001:db8::1\]:8443 HTTP/1.1' ||
    fail "$type: expected CONNECT [2001:db8::1]:8443, the proxy got: $(head -c 300 "$D/proxy-$type.log")"
  grep -q 'proxy' "$D/$type.err" || fail "$type: the error does not name the proxy: $(cat "$D/$type.err")"
  # A 4xx to CONNECT is the proxy's policy, not an outage: one attempt, 69 at once, the status
  # in the line, the same on both transports (WebSocket used to retry it until --timeout).
  [ "$rc" -eq 69 ] || fail "$type: a CONNECT refused with 403 exited $rc, not 69: $(cat "$D/$type.err")"
  connects=$(jq -r '.head // empty' "$D/proxy-$type.log" | grep -c '^CONNECT ')
  [ "$connects" -eq 1 ] || fail "$type: a CONNECT refused with 403 was tried $connects times"
  grep -q "refused CONNECT \[2001:db8::1\]:8443 (HTTP 403 Forbidden)" "$D/$type.err" ||
    fail "$type: the line does not say the proxy's status: $(cat "$D/$type.err")"
  say "$type: CONNECT [2001:db8::1]:8443, no token in clear, exit $rc at once: $(tail -1 "$D/$type.err")"
done

# A 502 to CONNECT is the proxy failing to reach the server: retried until --timeout, as a
# refused connection is, and the last line says so.
for type in long-polling websocket; do
  : >"$D/gw-$type.log"
  start_node "gw_$type" hostile-server.js --mode refuse-proxy --status 502 --log "$D/gw-$type.log"
  port_var="PORT_gw_${type//-/_}"
  timeout 20 "$CLI" --timeout 2500ms --proxy "http://127.0.0.1:${!port_var}" \
    --connection-type "$type" publish "https://127.0.0.1:9/cometd" /a 1 >/dev/null 2>"$D/gw-$type.err"
  expect_rc 69 $? "$type: CONNECT answered 502 until --timeout"
  connects=$(jq -r '.head // empty' "$D/gw-$type.log" | grep -c '^CONNECT ')
  [ "$connects" -ge 2 ] || fail "$type: a CONNECT answered 502 was not retried ($connects attempts)"
  grep -q "the proxy 127.0.0.1:${!port_var} could not reach 127.0.0.1:9 (HTTP 502 Refused)" "$D/gw-$type.err" ||
    fail "$type: the line does not say the proxy could not reach the server: $(cat "$D/gw-$type.err")"
  say "$type: CONNECT answered 502 tried $connects times: $(tail -1 "$D/gw-$type.err")"
done

# Without a proxy: a TLS server on [::1] with a certificate for ::1.
tls=$D/tls
mkdir -p "$tls"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$tls/v6.key" \
  -out "$tls/v6.csr" -subj "/CN=::1" 2>/dev/null &&
  printf 'subjectAltName=IP:::1\n' >"$tls/v6.ext" &&
  openssl x509 -req -in "$tls/v6.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" \
    -CAcreateserial -CAserial "$tls/ca.srl" -out "$tls/v6.pem" -days 2 -extfile "$tls/v6.ext" 2>/dev/null ||
  fail "cannot make a certificate for ::1"
: >"$D/v6.log"
start_node v6 hostile-server.js --mode bayeux --host ::1 --tls-cert "$tls/v6.pem" \
  --tls-key "$tls/v6.key" --log "$D/v6.log"
timeout 20 "$CLI" --timeout 5s --cacert "$TLS_DIR/ca.pem" --connection-type long-polling \
  publish "https://[::1]:$PORT_v6/cometd" /a 1 >/dev/null 2>"$D/v6.err"
expect_rc 0 $? "long-polling to https://[::1]:$PORT_v6"
grep -qi "host: \[::1\]:$PORT_v6" "$D/v6.log" || fail "no Host: [::1]:$PORT_v6 header: $(head -c 300 "$D/v6.log")"
say "long-polling to https://[::1]:$PORT_v6 (verified) ok"
