# Both transports through an HTTP proxy (CONNECT for WebSocket and TLS), from --proxy and from
# the environment; NO_PROXY bypasses it.
. "$(dirname "$0")/lib.sh"
proxy_stat() { curl -sf "$PROXY_URL/stats" | jq -r ".$1"; }
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY no_proxy NO_PROXY

for type in websocket long-polling; do
  ch=$(unique_channel "$type")
  c0=$(proxy_stat connect); f0=$(proxy_stat forward)
  timeout 20 "$CLI" --proxy "$PROXY_URL" --connection-type "$type" publish "$FAYE_URL" "$ch" '"via proxy"' \
    >/dev/null 2>"$D/$type.err"
  expect_rc 0 $? "$type via --proxy"
  [ "$(published faye "$ch")" -eq 1 ] || fail "$type: not published"
  if [ "$type" = websocket ]; then
    [ "$(proxy_stat connect)" -gt "$c0" ] || fail "websocket did not tunnel through the proxy"
  else
    [ "$(proxy_stat forward)" -gt "$f0" ] || fail "long-polling did not go through the proxy"
  fi

  # HTTPS through a CONNECT tunnel.
  c0=$(proxy_stat connect)
  timeout 20 "$CLI" --proxy "$PROXY_URL" --cacert "$TLS_DIR/ca.pem" --connection-type "$type" \
    publish "$FAYE_TLS_URL" /t/proxy '"tls via proxy"' >/dev/null 2>"$D/$type.tls.err"
  expect_rc 0 $? "$type: https via proxy"
  [ "$(proxy_stat connect)" -gt "$c0" ] || fail "$type: https did not tunnel"

  # From the environment; the lower-case form wins.
  f0=$(proxy_stat forward); c0=$(proxy_stat connect)
  http_proxy=$PROXY_URL HTTP_PROXY=http://127.0.0.1:1 timeout 20 "$CLI" --connection-type "$type" \
    publish "$FAYE_URL" /t/proxy 1 >/dev/null 2>"$D/$type.env.err"
  expect_rc 0 $? "$type: http_proxy"
  [ $(( $(proxy_stat forward) + $(proxy_stat connect) )) -gt $(( f0 + c0 )) ] || fail "$type: http_proxy ignored"

  # NO_PROXY: straight to the server, the proxy sees nothing.
  f0=$(proxy_stat forward); c0=$(proxy_stat connect)
  HTTP_PROXY=$PROXY_URL NO_PROXY=localhost,127.0.0.1 timeout 20 "$CLI" --connection-type "$type" \
    publish "$FAYE_URL" /t/proxy 1 >/dev/null 2>"$D/$type.noproxy.err"
  expect_rc 0 $? "$type: NO_PROXY"
  [ "$(proxy_stat forward)" -eq "$f0" ] && [ "$(proxy_stat connect)" -eq "$c0" ] ||
    fail "$type: NO_PROXY did not bypass the proxy"
  say "$type ok"
done
