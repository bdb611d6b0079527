# publish --acks: one reply line per stdin line with its line number; a request's own id is the
# message id on the wire.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  printf '{"channel":"%s","data":1,"id":"mine-1"}\n\n{"channel":"%s","data":2}\n' "$ch" "$ch" >"$D/$s.in"
  timeout 20 "$CLI" publish "$(url_of "$s")" --acks <"$D/$s.in" >"$D/$s.out" 2>"$D/$s.err"
  expect_rc 0 $? "$s: publish --acks"
  ndjson "$D/$s.out"
  [ "$(jq -c 'select(.line == 1) | [.channel, .id, .successful]' "$D/$s.out")" = "[\"$ch\",\"mine-1\",true]" ] ||
    fail "$s: ack of line 1: $(cat "$D/$s.out")"
  [ "$(jq -c 'select(.line == 3) | .successful' "$D/$s.out")" = "true" ] || fail "$s: ack of line 3"
  timeout 20 "$CLI" publish "$(url_of "$s")" "$ch" '"one"' --acks >"$D/$s.one" 2>>"$D/$s.err"
  expect_rc 0 $? "$s: one-shot --acks"
  [ "$(jq -c '[.line, .successful]' "$D/$s.one")" = "[1,true]" ] || fail "$s: one-shot ack"
  say "$s ok"
done
