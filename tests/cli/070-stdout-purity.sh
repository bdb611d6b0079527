# At -vv (Bayeux messages) and -vvv (HTTP detail) stdout still carries only the data, and no
# secret reaches stderr.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  timeout 20 "$CLI" -vvv -H 'Authorization: Bearer SECRET-TOKEN-1' -H 'X-Api-Key: SECRET-KEY-2' \
    subscribe "$(url_of "$s")" "$ch" -C 3 >"$D/$s.out" 2>"$D/$s.err" &
  pid=$!
  wait_for "$D/$s.err" "subscribed to"
  server_publish "$s" "$ch" 3
  wait "$pid"
  expect_rc 0 $? "$s: subscribe -vvv"
  ndjson "$D/$s.out"
  [ "$(grep -c '' "$D/$s.out")" -eq 3 ] || fail "$s: expected 3 lines"
  grep -q '/meta/handshake' "$D/$s.err" || fail "$s: -vv shows no Bayeux message"
  grep -qE 'POST |GET .*\(upgrade\)' "$D/$s.err" || fail "$s: -vvv shows no HTTP detail"
  ! grep -q 'SECRET' "$D/$s.err" || fail "$s: a secret reached stderr"
  if [ "$s" = node ]; then
    # The cookie by name and attributes, its value redacted.
    grep -q 'Set-Cookie: BAYEUX_BROWSER=\[redacted\]' "$D/$s.err" || fail "$s: cookie not redacted"
    ! grep -q 'BAYEUX_BROWSER=[^[]' "$D/$s.err" || fail "$s: a cookie value reached stderr"
  fi
  say "$s ok"
done
