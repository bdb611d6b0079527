# Proxy choice as curl makes it (http_proxy lower case only for http, HTTPS_PROXY/https_proxy for
# https, ALL_PROXY, NO_PROXY), --proxy validated, errors that name the proxy when it failed; a
# combined --cert PEM and a key that does not match, on both transports.
. "$(dirname "$0")/lib.sh"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY

: >"$D/proxy.log"
start_node proxy hostile-server.js --mode record-proxy --log "$D/proxy.log"
proxy="http://127.0.0.1:$PORT_proxy"
for type in long-polling websocket; do
  # httpoxy: an upper-case HTTP_PROXY may come from a request header in CGI; curl ignores it.
  HTTP_PROXY=$proxy timeout 20 "$CLI" --connection-type "$type" publish "$FAYE_URL" /t/env 1 \
    >/dev/null 2>"$D/$type.upper.err"
  expect_rc 0 $? "$type: HTTP_PROXY must be ignored for http"
  [ ! -s "$D/proxy.log" ] || fail "$type: HTTP_PROXY was used: $(head -c 300 "$D/proxy.log")"
  # ALL_PROXY is the fallback for every scheme.
  ALL_PROXY=$proxy timeout 20 "$CLI" --timeout 1s --connection-type "$type" publish "$FAYE_URL" /t/env 1 \
    >/dev/null 2>"$D/$type.all.err"
  [ -s "$D/proxy.log" ] || fail "$type: ALL_PROXY was ignored"
  : >"$D/proxy.log"
  # NO_PROXY still wins.
  ALL_PROXY=$proxy NO_PROXY=127.0.0.1 timeout 20 "$CLI" --connection-type "$type" publish "$FAYE_URL" \
    /t/env 1 >/dev/null 2>"$D/$type.no.err"
  expect_rc 0 $? "$type: NO_PROXY"
  [ ! -s "$D/proxy.log" ] || fail "$type: NO_PROXY ignored"
done
say "HTTP_PROXY ignored for http, ALL_PROXY used, NO_PROXY wins, on both transports"

for bad in bogus 'ftp://127.0.0.1:1' 'http://'; do
  timeout 5 "$CLI" --proxy "$bad" publish "$FAYE_URL" /t/env 1 >/dev/null 2>"$D/bad.err"
  expect_rc 64 $? "--proxy '$bad'"
  grep -q -- '--proxy' "$D/bad.err" || fail "--proxy '$bad': $(cat "$D/bad.err")"
done
say "--proxy bogus, ftp:// and no host: usage errors"

closed=$(closed_port)
for type in long-polling websocket; do
  timeout 20 "$CLI" --timeout 1s --proxy "http://127.0.0.1:$closed" --connection-type "$type" \
    publish "$FAYE_URL" /t/env 1 >/dev/null 2>"$D/$type.closed.err"
  expect_rc 69 $? "$type: a closed proxy port"
  grep -q "the proxy 127.0.0.1:$closed refused the connection" "$D/$type.closed.err" ||
    fail "$type: the error does not name the proxy: $(cat "$D/$type.closed.err")"
done
say "a closed proxy port is named as the proxy's refusal"

cat "$TLS_DIR/client.pem" "$TLS_DIR/client.key" >"$D/combined.pem"
for type in long-polling websocket; do
  timeout 20 "$CLI" --connection-type "$type" --cacert "$TLS_DIR/ca.pem" --cert "$D/combined.pem" \
    publish "$FAYE_MTLS_URL" /t/tls 1 >/dev/null 2>"$D/$type.combined.err"
  expect_rc 0 $? "$type: --cert with the key in the same file"
  timeout 20 "$CLI" --timeout 2s --connection-type "$type" --cacert "$TLS_DIR/ca.pem" \
    --cert "$TLS_DIR/client.pem" --key "$TLS_DIR/server.key" publish "$FAYE_MTLS_URL" /t/tls 1 \
    >/dev/null 2>"$D/$type.mismatch.err"
  expect_rc 69 $? "$type: a key that does not match"
  grep -q 'does not match the certificate' "$D/$type.mismatch.err" ||
    fail "$type: $(cat "$D/$type.mismatch.err")"
done
say "combined --cert PEM works and a mismatched key is named, on both transports"
