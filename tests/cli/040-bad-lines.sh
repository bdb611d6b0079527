# Bad stdin lines: one "cometd-cli: stdin:N: reason" each, every good line published, exit 65.
# Blank lines, CRLF and a last line without newline are fine.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  {
    printf '{"channel":"%s","data":1}\n' "$ch"          # 1 good
    printf 'not json\n'                                 # 2 bad
    printf '\n'                                         # 3 blank
    printf '{"channel":"%s","data":2}\r\n' "$ch"        # 4 good, CRLF
    printf '{"channel":"/t/x/*","data":3}\n'            # 5 bad: wildcard
    printf '{"data":4}\n'                               # 6 bad: no channel
    printf '{"channel":"/meta/connect","data":5}\n'     # 7 bad: meta
    printf '{"channel":"%s"}\n' "$ch"                   # 8 bad: no data
    printf '{"channel":"%s","data":6}' "$ch"            # 9 good, no final newline
  } >"$D/$s.in"
  timeout 20 "$CLI" publish "$(url_of "$s")" <"$D/$s.in" >"$D/$s.out" 2>"$D/$s.err"
  expect_rc 65 $? "$s: bad lines"
  [ "$(published "$s" "$ch")" -eq 3 ] || fail "$s: expected the 3 good lines published"
  for n in 2 5 6 7 8; do
    grep -q "^cometd-cli: stdin:$n: " "$D/$s.err" || fail "$s: no report for line $n"
  done
  [ "$(grep -c '' "$D/$s.err")" -eq 5 ] || fail "$s: expected exactly 5 stderr lines"
  grep -q 'stdin:5: cannot publish to the wildcard channel' "$D/$s.err" || fail "$s: reason 5"

  # --on-error abort: the lines before the bad one are published, nothing after it.
  ch2=$(unique_channel "$s-abort")
  printf '{"channel":"%s","data":1}\n{"channel":"%s","data":2}\nbad\n{"channel":"%s","data":3}\n' \
    "$ch2" "$ch2" "$ch2" >"$D/$s.abort.in"
  timeout 20 "$CLI" publish "$(url_of "$s")" --on-error abort <"$D/$s.abort.in" \
    >/dev/null 2>"$D/$s.abort.err"
  expect_rc 65 $? "$s: --on-error abort"
  [ "$(published "$s" "$ch2")" -eq 2 ] || fail "$s: abort published $(published "$s" "$ch2")"

  # a line over 1 MiB
  ch3=$(unique_channel "$s-big")
  { printf '{"channel":"%s","data":"' "$ch3"; head -c 1100000 /dev/zero | tr '\0' x; printf '"}\n'
    printf '{"channel":"%s","data":"small"}\n' "$ch3"; } >"$D/$s.big.in"
  timeout 20 "$CLI" publish "$(url_of "$s")" <"$D/$s.big.in" >/dev/null 2>"$D/$s.big.err"
  expect_rc 65 $? "$s: line over 1 MiB"
  grep -q 'stdin:1: line over 1 MiB' "$D/$s.big.err" || fail "$s: no 1 MiB report"
  [ "$(published "$s" "$ch3")" -eq 1 ] || fail "$s: the small line after the big one"
  say "$s ok"
done
