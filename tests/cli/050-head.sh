# subscribe | head -1 ends the run with exit 0, even when no more message comes.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  ( timeout 20 "$CLI" -v subscribe "$(url_of "$s")" "$ch" 2>"$D/$s.err"; echo $? >"$D/$s.rc" ) |
    head -1 >"$D/$s.out" &
  pipeline=$!
  wait_for "$D/$s.err" "subscribed to"
  server_publish "$s" "$ch" 1
  wait_until 10 test -s "$D/$s.rc" || fail "$s: the client did not end after head exited"
  wait "$pipeline"
  expect_rc 0 "$(cat "$D/$s.rc")" "$s: subscribe | head -1"
  ndjson "$D/$s.out"
  [ "$(grep -c '' "$D/$s.out")" -eq 1 ] || fail "$s: head got no line"
  say "$s ok"
done
