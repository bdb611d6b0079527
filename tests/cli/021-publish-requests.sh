# Request lines {"channel":…,"data":…}: each to its own channel; unknown fields are ignored.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  a=$(unique_channel "$s-a")
  b=$(unique_channel "$s-b")
  for i in $(seq 1 300); do
    printf '{"channel":"%s","data":{"i":%d},"successful":true,"clientId":"x"}\n' "$a" "$i"
    [ $((i % 3)) -eq 0 ] && printf '{"channel":"%s","data":[%d]}\n' "$b" "$i"
  done >"$D/$s.in"
  timeout 30 "$CLI" publish "$(url_of "$s")" <"$D/$s.in" >"$D/$s.out" 2>"$D/$s.err"
  expect_rc 0 $? "$s: publish requests"
  [ "$(published "$s" "$a")" -eq 300 ] || fail "$s: $a count"
  [ "$(published "$s" "$b")" -eq 100 ] || fail "$s: $b count"
  say "$s ok"
done
