# bench against both real servers: every delivery accounted for (nothing lost, expected =
# received = published × subscribers per room), the JSON shape, --histogram and --csv. A few
# seconds each; no assertion on speed.
. "$(dirname "$0")/lib.sh"

check_run() {  # NAME: the JSON of NAME.json, and its exit status in NAME.rc
  local name=$1
  expect_rc 0 "$(cat "$D/$name.rc")" "bench $name"
  ndjson "$D/$name.json"
  jq -e '
    .completed == true and .ok == true and
    .sessions.connected == .shape.clients and .sessions.failed == 0 and
    (.latency_ms | has("p50") and has("p90") and has("p99") and has("p99.9") and has("p99.99")
      and has("max")) and .latency_ms.count > 0 and
    .publish_round_trip_ms.count > 0 and .handshake_ms.count == .shape.clients and
    .counts.lost == 0 and .counts.duplicated == 0 and .counts.out_of_order == 0 and
    .counts.publish_failed == 0 and .counts.published > 0 and
    .counts.received == .counts.expected and
    .counts.expected == ([.rooms[] | .published * .subscribers] | add) and
    .counts.expected == ([.rooms[] | .expected] | add) and
    (.rooms | length) == .shape.rooms and
    (.rates.received_per_client | has("min") and has("avg") and has("max") and has("stddev")) and
    (.rates.sent_per_publisher | has("min") and has("avg") and has("max") and has("stddev")) and
    .rates.received_per_s > 0 and .reconnects == 0 and .errors == {}' \
    "$D/$name.json" >/dev/null || fail "$name: $(cat "$D/$name.json")"
  say "$name: $(jq -c '{transports, expected: .counts.expected, p99: .latency_ms.p99}' "$D/$name.json")"
}

# Faye over WebSocket: 6 clients in 3 rooms, 2 rooms each (every room has 4 subscribers).
timeout 60 "$CLI" bench "$FAYE_URL" --clients 6 --rooms 3 --rooms-per-client 2 --rate 150 \
  --duration 2s --warmup 500ms --histogram "$D/faye.hgrm" --csv "$D/faye.csv" \
  >"$D/faye-ws.json" 2>"$D/faye-ws.err"
echo $? >"$D/faye-ws.rc"
check_run faye-ws
jq -e '.transports == {"websocket": 6} and ([.rooms[].subscribers] == [4, 4, 4])' \
  "$D/faye-ws.json" >/dev/null || fail "faye-ws shape: $(cat "$D/faye-ws.json")"
empty "$D/faye-ws.err" "stderr of a clean bench run"
head -1 "$D/faye.hgrm" | grep -q 'Value.*Percentile.*TotalCount' || fail "no .hgrm header"
grep -q '^#\[Buckets = *22, SubBuckets *= *2048\]$' "$D/faye.hgrm" || fail "no .hgrm footer"
[ "$(grep -c '' "$D/faye.csv")" -eq 7 ] || fail "the CSV has not one row per client"
head -1 "$D/faye.csv" | grep -q '^client,transport,publisher,' || fail "no CSV header"

# Faye over long-polling, batches of 5, a closed loop.
timeout 60 "$CLI" --connection-type long-polling bench "$FAYE_URL" --clients 4 --rate 0 \
  --batch 5 --messages 400 >"$D/faye-lp.json" 2>"$D/faye-lp.err"
echo $? >"$D/faye-lp.rc"
check_run faye-lp
jq -e '.transports == {"long-polling": 4} and .counts.published >= 400' "$D/faye-lp.json" \
  >/dev/null || fail "faye-lp shape: $(cat "$D/faye-lp.json")"

# The CometD Node server (long-polling; its WebSocket refusal falls back), 2 publishers of 5.
timeout 60 "$CLI" bench "$NODE_URL" --clients 5 --publishers 2 --rooms 2 --rate 100 \
  --duration 2s >"$D/node.json" 2>"$D/node.err"
echo $? >"$D/node.rc"
check_run node
jq -e '.transports == {"long-polling": 5} and .rates.sent_per_publisher.avg > 0' \
  "$D/node.json" >/dev/null || fail "node shape: $(cat "$D/node.json")"

# Churn and ramp on Faye: clients leave and new ones (new sessions, new cookie jars) take their
# places while messages flow; what each stayed subscribed for is still delivered exactly.
timeout 60 "$CLI" bench "$FAYE_URL" --clients 10 --rooms 2 --ramp 500ms --churn 4 --rate 100 \
  --duration 2s >"$D/churn.json" 2>"$D/churn.err"
expect_rc 0 $? "bench with churn"
jq -e '.sessions.started > 10 and .sessions.failed == 0 and .counts.lost == 0 and
  .counts.duplicated == 0 and .counts.received == .counts.expected and .counts.expected > 0' \
  "$D/churn.json" >/dev/null || fail "churn: $(jq -c '{sessions, counts}' "$D/churn.json")"
say "churn: $(jq -c '{sessions: .sessions.started, expected: .counts.expected}' "$D/churn.json")"
