# SIGINT and SIGTERM: /meta/disconnect reaches the server, what was received is on stdout,
# exit 130 and 143.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  for sig in INT TERM; do
    ch=$(unique_channel "$s-$sig")
    timeout 20 "$CLI" -vv subscribe "$(url_of "$s")" "$ch" >"$D/$s.$sig.out" 2>"$D/$s.$sig.err" &
    pid=$!
    wait_for "$D/$s.$sig.err" "subscribed to"
    server_publish "$s" "$ch" 2
    wait_until 10 lines_are "$D/$s.$sig.out" 2 || fail "$s: messages not received"
    before=$(stat "$s" .disconnects)
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    [ "$sig" = INT ] && expect_rc 130 $rc "$s: SIGINT"
    [ "$sig" = TERM ] && expect_rc 143 $rc "$s: SIGTERM"
    after=$(stat "$s" .disconnects)
    [ "$after" -gt "$before" ] || fail "$s: no /meta/disconnect on SIG$sig ($before -> $after)"
    ndjson "$D/$s.$sig.out"
  done
  say "$s ok"
done
