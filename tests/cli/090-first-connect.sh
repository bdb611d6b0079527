# The first /meta/connect carries advice.timeout 0, so the servers answer it at once instead of
# holding it for their full timeout (30 s and 45 s here); the cookie jar keeps CometD's session.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  start=$(date +%s%N)
  timeout 20 "$CLI" -v subscribe "$(url_of "$s")" "$ch" -C 1 >"$D/$s.out" 2>"$D/$s.err" &
  pid=$!
  wait_for "$D/$s.err" "subscribed to"
  server_publish "$s" "$ch" 1
  wait "$pid"
  expect_rc 0 $? "$s: subscribe"
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$elapsed" -lt 5000 ] || fail "$s: took ${elapsed} ms: the first connect was held"
  stat "$s" '.first_connect_timeout | index(0)' | grep -q '^[0-9]' ||
    fail "$s: no connect with advice.timeout 0 seen"
  say "$s ok (${elapsed} ms)"
done
# CometD Node answers a duplicate held connect with HTTP 500: it must never have happened.
[ "$(stat node '.http_status["500"] // 0')" -eq 0 ] || fail "node: HTTP 500 seen (duplicate connect?)"
