# Coordinated omission: the server stalls (its event loop blocked) for 1 s once during a
# fixed-rate run. Each message's latency counts from when the schedule meant it to be sent, so
# the messages due during the stall show it: p99.9 is at least 500 ms. (A tool that timed from
# the moment a message actually left, behind the stalled request, would hide it.)
. "$(dirname "$0")/lib.sh"

for type in long-polling websocket; do
  start_node "stall-$type" bench-faults.js --stall-after 1000 --stall-for 1000
  port_var="PORT_stall_${type//-/_}"
  url="http://127.0.0.1:${!port_var}/cometd"
  timeout 60 "$CLI" --connection-type "$type" bench "$url" --clients 2 --rate 200 \
    --duration 4s >"$D/$type.json" 2>"$D/$type.err"
  expect_rc 0 $? "bench through a stall over $type"
  [ "$(curl -sf "http://127.0.0.1:${!port_var}/control/stats" | jq .stalled_ms)" = 1000 ] ||
    fail "$type: the server did not stall"
  jq -e '.latency_ms["p99.9"] >= 500 and .latency_ms.max >= 500 and .latency_ms.p50 < 500 and
    .counts.lost == 0 and .counts.received == .counts.expected' "$D/$type.json" >/dev/null ||
    fail "$type: the stall is not in the latency: $(jq -c .latency_ms "$D/$type.json")"
  say "$type: $(jq -c '.latency_ms | {p50, p99, "p99.9": .["p99.9"], max}' "$D/$type.json")"
done
