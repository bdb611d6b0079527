# CR/LF (and any control byte or space) in the server URL or the proxy URL: a usage error (64)
# before anything is sent, on both transports, with or without a proxy.
. "$(dirname "$0")/lib.sh"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY

: >"$D/server.log"
start_node server hostile-server.js --mode echo-request --log "$D/server.log"
: >"$D/proxy.log"
start_node proxy hostile-server.js --mode record-proxy --log "$D/proxy.log"
inject=$' HTTP/1.1\r\nHost: evil\r\nX-Injected: yes\r\n\r\nGET /smuggled'
for type in websocket long-polling; do
  for via in direct proxy; do
    extra=()
    [ "$via" = proxy ] && extra=(--proxy "http://127.0.0.1:$PORT_proxy")
    timeout 10 "$CLI" --timeout 2s "${extra[@]}" --connection-type "$type" \
      publish "http://127.0.0.1:$PORT_server/cometd$inject" /a 1 >/dev/null 2>"$D/$type-$via.err"
    expect_rc 64 $? "$type $via: a URL with CR/LF"
    grep -q "bad URL" "$D/$type-$via.err" || fail "$type $via: $(cat "$D/$type-$via.err")"
  done
done
timeout 10 "$CLI" --timeout 2s --proxy $'http://127.0.0.1:'"$PORT_proxy"$'\r\nX-Injected: yes' \
  publish "http://127.0.0.1:$PORT_server/cometd" /a 1 >/dev/null 2>"$D/proxy-url.err"
expect_rc 64 $? "a proxy URL with CR/LF"
timeout 10 "$CLI" --timeout 2s publish "http://127.0.0.1:$PORT_server/co met" /a 1 >/dev/null 2>"$D/space.err"
expect_rc 64 $? "a URL with a space"
timeout 10 "$CLI" --timeout 2s publish "http://evil\"host:$PORT_server/cometd" /a 1 >/dev/null 2>"$D/host.err"
expect_rc 64 $? "a host with a quote"
! grep -q 'X-Injected\|smuggled\|evil' "$D/server.log" "$D/proxy.log" ||
  fail "injected text reached the wire: $(cat "$D/server.log" "$D/proxy.log" | head -c 600)"
[ ! -s "$D/server.log" ] && [ ! -s "$D/proxy.log" ] || fail "something was sent: $(head -c 300 "$D/server.log" "$D/proxy.log")"
say "8 injected URLs and 3 bad ones refused with 64, nothing on the wire"

# Non-ASCII in the path is percent-encoded on the request line.
timeout 10 "$CLI" --timeout 2s --connection-type long-polling publish \
  "http://127.0.0.1:$PORT_server/cömetd?q=ä" /a 1 >/dev/null 2>"$D/utf8.err"
grep -q 'POST /c%C3%B6metd?q=%C3%A4 HTTP/1.1' "$D/server.log" ||
  fail "non-ASCII path not percent-encoded: $(head -c 300 "$D/server.log")"
say "non-ASCII path percent-encoded"
