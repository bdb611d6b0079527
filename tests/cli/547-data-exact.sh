# DATA exactly as typed, JSON arrays included: CLI11's "[a,b]" list syntax must not touch it.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  url=$(url_of "$s")
  ch=$(unique_channel "$s")
  start_subscriber "$s" "$url" "$ch" -C 6 -o data
  for data in '[1,2,3]' '[1]' '["a"]' '[{"a":1}]' '[]' '[ 1, [2] ]'; do
    timeout 10 "$CLI" publish "$url" "$ch" "$data" 2>>"$D/$s.pub.err"
    expect_rc 0 $? "$s: publish '$data'"
  done
  subscriber_done "$s"
  [ "$(tr '\n' ' ' <"$D/$s.out")" = '[1,2,3] [1] ["a"] [{"a":1}] [] [1,[2]] ' ] ||
    fail "$s: delivered $(tr '\n' ' ' <"$D/$s.out")"
  say "$s ok"
done
timeout 10 "$CLI" call "$NODE_URL" /service/echo '[1]' >"$D/call.out" 2>"$D/call.err"
expect_rc 0 $? "call '[1]'"
[ "$(jq -c .data "$D/call.out")" = '{"echo":[1]}' ] || fail "call: $(cat "$D/call.out" "$D/call.err")"
