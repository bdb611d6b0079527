# At the default verbosity a successful run prints nothing on stderr.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  before=$(stat "$s" .subscribes)
  timeout 20 "$CLI" subscribe "$(url_of "$s")" "$ch" -C 2 >"$D/$s.out" 2>"$D/$s.err" &
  pid=$!
  # Without -v there is no status line to wait for: the server's subscribe count tells.
  wait_until 10 stat_above "$s" .subscribes "$before" || fail "$s: no subscribe seen"
  server_publish "$s" "$ch" 2
  wait "$pid"
  expect_rc 0 $? "$s: subscribe -C 2"
  empty "$D/$s.err" "$s: stderr"
  ndjson "$D/$s.out"
  say "$s ok"
done
