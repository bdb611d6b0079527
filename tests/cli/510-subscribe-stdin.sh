# subscribe -i: the session publishes stdin requests too; EOF does not end the subscription,
# bad lines make the final exit 65, --acks reports each line on stdout (bad ones included).
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  # Publish to our own channel: the messages come back as deliveries.
  printf '{"channel":"%s","data":{"n":1}}\nnot json\n{"channel":"%s","data":{"n":2}}\n' "$ch" "$ch" |
    timeout 20 "$CLI" subscribe "$(url_of "$s")" "$ch" -i --acks -C 2 >"$D/$s.out" 2>"$D/$s.err"
  expect_rc 65 $? "$s: subscribe -i with a bad line"
  ndjson "$D/$s.out"
  [ "$(jq -s -c 'map(select(.channel != null and .data != null) | .data.n) | sort' "$D/$s.out")" = "[1,2]" ] ||
    fail "$s: deliveries: $(cat "$D/$s.out")"
  [ "$(jq -s -c 'map(select(has("line")) | [.line, .successful]) | sort' "$D/$s.out")" = "[[1,true],[2,false],[3,true]]" ] ||
    fail "$s: acks: $(cat "$D/$s.out")"
  grep -q '^cometd-cli: stdin:2: not JSON' "$D/$s.err" || fail "$s: bad line not reported"
  # EOF on stdin does not end it: --duration does.
  timeout 20 "$CLI" subscribe "$(url_of "$s")" "$ch" -i --duration 1s </dev/null >/dev/null 2>&1
  expect_rc 0 $? "$s: subscribe -i with empty stdin"
  # The stdin pipe is shared with what runs after us: it must stay blocking for them (cat
  # reading a non-blocking empty pipe fails with EAGAIN instead of waiting for the line).
  { printf '{"channel":"%s","data":{"n":1}}\n' "$ch"; sleep 1; echo after; } |
    { timeout 20 "$CLI" subscribe "$(url_of "$s")" "$ch" -i -C 1 >/dev/null 2>&1; cat >"$D/$s.rest" 2>"$D/$s.cat"; }
  [ "$(cat "$D/$s.rest")" = after ] || fail "$s: the next reader of stdin got '$(cat "$D/$s.rest")': $(cat "$D/$s.cat")"
  say "$s ok"
done
