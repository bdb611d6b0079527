# 5,000 stdin data lines to CHANNEL: every one reaches the server, exit 0, quiet.
. "$(dirname "$0")/lib.sh"
seq 1 5000 | awk '{ printf "{\"n\":%d,\"text\":\"line %d\"}\n", $1, $1 }' >"$D/lines"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  timeout 60 "$CLI" publish "$(url_of "$s")" "$ch" <"$D/lines" >"$D/$s.out" 2>"$D/$s.err"
  expect_rc 0 $? "$s: publish"
  empty "$D/$s.out" "$s: stdout"
  empty "$D/$s.err" "$s: stderr"
  n=$(published "$s" "$ch")
  [ "$n" -eq 5000 ] || fail "$s: server counted $n publishes, expected 5000"
  say "$s ok"
done
