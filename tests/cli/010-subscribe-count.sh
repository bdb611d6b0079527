# subscribe -C N: exactly N messages as JSON lines on stdout, exit 0, nothing on stderr.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  timeout 20 "$CLI" subscribe "$(url_of "$s")" "${ch%/*}/*" -C 5 -v >"$D/$s.out" 2>"$D/$s.err" &
  pid=$!
  wait_for "$D/$s.err" "subscribed to"
  server_publish "$s" "$ch" 5
  wait "$pid"
  expect_rc 0 $? "$s: subscribe -C 5"
  ndjson "$D/$s.out"
  [ "$(grep -c '' "$D/$s.out")" -eq 5 ] || fail "$s: expected 5 lines, got $(grep -c '' "$D/$s.out")"
  [ "$(jq -r .channel "$D/$s.out" | sort -u)" = "$ch" ] || fail "$s: wrong channel"
  [ "$(jq -r .data.n "$D/$s.out" | sort -n | tr '\n' ' ')" = "1 2 3 4 5 " ] || fail "$s: wrong data"
  # -v status lines only, each after the local time, and none that is not ours
  ! grep -Ev '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} cometd-cli: ' "$D/$s.err" | grep -q . ||
    fail "$s: foreign stderr output"
  say "$s ok"
done
