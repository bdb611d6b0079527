# Empty stdin publishes nothing and exits 0, in both stdin forms.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  timeout 10 "$CLI" publish "$(url_of "$s")" </dev/null >"$D/$s.out" 2>"$D/$s.err"
  expect_rc 0 $? "$s: empty stdin (requests)"
  timeout 10 "$CLI" publish "$(url_of "$s")" /t/empty <"$D/$s.out" 2>>"$D/$s.err"
  expect_rc 0 $? "$s: empty stdin (data lines)"
  printf '\n\r\n  \n' | timeout 10 "$CLI" publish "$(url_of "$s")" /t/empty 2>>"$D/$s.err"
  expect_rc 0 $? "$s: blank lines only"
  empty "$D/$s.err" "$s: stderr"
  say "$s ok"
done
