# A standard descriptor closed at the start is never reused: a closed stdin reads as empty, a
# closed stdout is exit 74 before connecting, a closed stderr stays closed to the logs.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  # publish URL CHANNEL with stdin closed: empty input, nothing published, exit 0.
  timeout 10 "$CLI" publish "$(url_of "$s")" "$ch" <&- >"$D/$s.stdin.out" 2>"$D/$s.stdin.err"
  expect_rc 0 $? "$s: publish with stdin closed"
  empty "$D/$s.stdin.err" "$s: stderr"
  [ "$(published "$s" "$ch")" -eq 0 ] || fail "$s: published $(published "$s" "$ch")"
  # call without DATA reads stdin whole: closed, it is empty, which is not a request.
  timeout 10 "$CLI" call "$(url_of "$s")" /service/echo <&- >/dev/null 2>"$D/$s.call.err"
  expect_rc 65 $? "$s: call with stdin closed"

  # stdout closed: exit 74 at once, before any connection.
  for args in "subscribe $(url_of "$s") $ch -o data" "publish $(url_of "$s") $ch 1" "probe $(url_of "$s")"; do
    handshakes=$(stat "$s" '.handshakes // 0')
    # shellcheck disable=SC2086
    timeout 10 "$CLI" $args >&- 2>"$D/$s.stdout.err"
    expect_rc 74 $? "$s: $args with stdout closed"
    [ "$(cat "$D/$s.stdout.err")" = "cometd-cli: stdout is closed" ] ||
      fail "$s: $args: $(cat "$D/$s.stdout.err")"
    [ "$(stat "$s" '.handshakes')" -eq "$handshakes" ] || fail "$s: $args connected"
  done
  [ "$(published "$s" "$ch")" -eq 0 ] || fail "$s: published with stdout closed"

  # stderr closed: the logs go nowhere, not into a socket of the run.
  timeout 10 "$CLI" -vvv publish "$(url_of "$s")" "$ch" '"with stderr closed"' 2>&-
  expect_rc 0 $? "$s: -vvv publish with stderr closed"
  [ "$(published "$s" "$ch")" -eq 1 ] || fail "$s: not published with stderr closed"
  say "$s ok"
done
