# publish URL CHANNEL DATA: one message, exit 0; a subscriber receives the same data.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  timeout 20 "$CLI" -v subscribe "$(url_of "$s")" "$ch" -C 1 >"$D/$s.sub" 2>"$D/$s.sub.err" &
  pid=$!
  wait_for "$D/$s.sub.err" "subscribed to"
  data='{"text":"hé \"quoted\"","n":[1,2.5,-3],"ok":true,"none":null}'
  timeout 10 "$CLI" publish "$(url_of "$s")" "$ch" "$data" >"$D/$s.out" 2>"$D/$s.err"
  expect_rc 0 $? "$s: one-shot publish"
  empty "$D/$s.out" "$s: stdout"
  empty "$D/$s.err" "$s: stderr"
  wait "$pid"
  expect_rc 0 $? "$s: subscriber"
  # The real servers re-serialise data, so compare it as JSON.
  [ "$(jq -cS .data "$D/$s.sub")" = "$(echo "$data" | jq -cS .)" ] || fail "$s: data differs"
  [ "$(published "$s" "$ch")" -eq 1 ] || fail "$s: server count"
  say "$s ok"
done
