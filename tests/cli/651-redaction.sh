# Secrets stay out of stderr at every verbosity, by rule: header names of any spelling, JSON keys
# with any value type, URL query values; the probe report redacts the server's handshake reply;
# a malformed -H prints the header's name, never its value.
. "$(dirname "$0")/lib.sh"
start_node sec fake-server.js --script secrets
url="http://127.0.0.1:$PORT_sec/cometd?access_token=Q-SECRET-1&token=Q-SECRET-2&x=visible"
headers=(-H 'X-ApiKey: H-SECRET-1' -H 'X-Api_Key: H-SECRET-2' -H 'X-Access-Key: H-SECRET-3'
  -H 'Ocp-Apim-Subscription-Key: H-SECRET-4' -H 'X-Signature: H-SECRET-5' --bearer H-SECRET-6)
data='{"api_key":"D-SECRET-1","jwt":"D-SECRET-2","accessKey":"D-SECRET-3","signature":"D-SECRET-4","password":98765432,"text":"visible"}'

# clean FILE WHAT: no secret of this case in FILE.
clean() {
  ! grep -q 'SECRET\|98765432\|424242' "$1" ||
    fail "$2: a secret in clear: $(grep -o '.\{40\}\(SECRET\|98765432\|424242\).\{4\}' "$1" | head -3)"
}

for type in long-polling websocket; do
  for v in "" -v -vv -vvv; do
    timeout 10 "$CLI" $v --connection-type "$type" "${headers[@]}" publish "$url" /a "$data" \
      >"$D/pub.out" 2>"$D/pub$v.$type.err"
    expect_rc 0 $? "$type $v: publish"
    clean "$D/pub$v.$type.err" "$type $v"
  done
  # Still useful: the URL, the headers' names, the data and Bayeux's own fields are shown.
  grep -q 'x=visible' "$D/pub-vvv.$type.err" || fail "$type: the URL is not shown"
  grep -q 'X-ApiKey: \[redacted\]' "$D/pub-vvv.$type.err" || [ "$type" = websocket ] ||
    fail "$type: the header names are not shown"
  grep -q '"text":"visible"' "$D/pub-vv.$type.err" || fail "$type: the data is not shown"
  grep -q '"clientId":"fake-' "$D/pub-vv.$type.err" || fail "$type: clientId is not shown"
done

timeout 10 "$CLI" "${headers[@]}" probe "$url" >"$D/probe.out" 2>"$D/probe.err"
expect_rc 0 $? "probe"
clean "$D/probe.out" "probe report"
clean "$D/probe.err" "probe stderr"
jq -e '.handshake.ext.auth.token == "[redacted]" and .handshake.ext.password == "[redacted]"
       and (.handshake.clientId | startswith("fake-")) and (.url | contains("x=visible"))' \
  "$D/probe.out" >/dev/null || fail "probe report: $(cat "$D/probe.out")"

timeout 10 "$CLI" -H 'Authorization Bearer eyJ-SECRET-7' publish "$url" /a 1 >"$D/usage.out" 2>"$D/usage.err"
expect_rc 64 $? "a malformed -H"
clean "$D/usage.err" "usage error"
grep -q "not 'Authorization …'" "$D/usage.err" || fail "the header name is not shown: $(cat "$D/usage.err")"
say "ok"
