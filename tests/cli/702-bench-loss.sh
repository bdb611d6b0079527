# Loss accounting: a server that drops 3 known messages and delivers 2 twice is reported
# exactly (3 clients, all subscribed to the one room: 9 deliveries lost, 6 duplicated), and
# the run exits 1 with one stderr line that says which.
. "$(dirname "$0")/lib.sh"

start_node lossy bench-faults.js --drop 0:5,0:6,1:10 --dup 1:3,2:7
url="http://127.0.0.1:$PORT_lossy/cometd"
timeout 60 "$CLI" --timeout 3s bench "$url" --clients 3 --rate 100 --messages 60 \
  >"$D/lossy.json" 2>"$D/lossy.err"
expect_rc 1 $? "bench with loss and duplicates"
jq -e '.completed == true and .ok == false and
  .counts.published == 60 and .counts.expected == 180 and
  .counts.lost == 9 and .counts.duplicated == 6 and .counts.received == 177 and
  .counts.out_of_order == 0 and .counts.publish_failed == 0 and
  .rooms[0].lost == 9 and .rooms[0].duplicated == 6' "$D/lossy.json" >/dev/null ||
  fail "counts: $(jq -c .counts "$D/lossy.json")"
[ "$(fake_stats lossy .dropped)" = 3 ] && [ "$(fake_stats lossy .duplicated)" = 2 ] ||
  fail "the server did not drop and duplicate as told: $(fake_stats lossy .)"
[ "$(grep -c '' "$D/lossy.err")" -eq 1 ] &&
  grep -q '^cometd-cli: bench: 9 deliveries lost, 6 duplicated (of 180 expected)$' "$D/lossy.err" ||
  fail "stderr: $(cat "$D/lossy.err")"

# Without faults, the same run is clean: exit 0.
start_node clean bench-faults.js
timeout 60 "$CLI" bench "http://127.0.0.1:$PORT_clean/cometd" --clients 3 --rate 100 \
  --messages 60 >"$D/clean.json" 2>"$D/clean.err"
expect_rc 0 $? "bench without faults"
jq -e '.counts.lost == 0 and .counts.duplicated == 0 and .counts.received == 180' \
  "$D/clean.json" >/dev/null || fail "clean counts: $(jq -c .counts "$D/clean.json")"
