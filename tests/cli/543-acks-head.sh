# publish --acks | head -1: once stdout is closed no more stdin is read, the publishes in
# flight are awaited, stderr says how many stdin lines were not published, and the exit is 1
# unless every line was published.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  # 300 lines, at most 10 in flight: head -1 leaves most of them unpublished.
  ( seq 1 300 | timeout 20 "$CLI" publish "$(url_of "$s")" "$ch" --acks --max-inflight 10 \
      2>"$D/$s.err"; echo $? >"$D/$s.rc" ) | head -1 >"$D/$s.out"
  wait_until 10 test -s "$D/$s.rc" || fail "$s: no exit status"
  expect_rc 1 "$(cat "$D/$s.rc")" "$s: publish --acks | head -1"
  [ "$(jq -c '[.line, .successful]' "$D/$s.out")" = "[1,true]" ] || fail "$s: $(cat "$D/$s.out")"
  [ "$(grep -c '' "$D/$s.err")" -eq 1 ] || fail "$s: stderr: $(cat "$D/$s.err")"
  unpublished=$(sed -n 's/^cometd-cli: stdout is closed: \([0-9]*\) stdin lines were not published.*/\1/p' "$D/$s.err")
  [ -n "$unpublished" ] || fail "$s: stderr: $(cat "$D/$s.err")"
  published=$(published "$s" "$ch")
  # seq's 1,092 bytes come in one read: every line was read, so each was published or counted.
  [ $((published + unpublished)) -eq 300 ] ||
    fail "$s: $published published + $unpublished not published != 300"
  [ "$published" -lt 300 ] || fail "$s: every line was published, yet exit 1"

  # A reader that goes away after every line was published: exit 0, nothing on stderr.
  ch2=$(unique_channel "$s-all")
  ( printf '1\n' | timeout 20 "$CLI" publish "$(url_of "$s")" "$ch2" --acks 2>"$D/$s.all.err"
    echo $? >"$D/$s.all.rc" ) | head -1 >/dev/null
  wait_until 10 test -s "$D/$s.all.rc" || fail "$s: no exit status"
  expect_rc 0 "$(cat "$D/$s.all.rc")" "$s: one line, all published"
  empty "$D/$s.all.err" "$s: stderr"
  say "$s ok ($published published, $unpublished not published)"
done
