# Salesforce-style durable streaming against a Faye server that retains events with increasing,
# non-contiguous replay ids: -2 replays all, a store resumes across runs without duplicates or
# gaps, an unknown id fails the subscription with what to do.
. "$(dirname "$0")/lib.sh"
start_node sf faye-server.js --replay
url="http://127.0.0.1:$PORT_sf/cometd"
event() { curl -sf "http://127.0.0.1:$PORT_sf/control/event?channel=$1&n=$2" | jq -r '.ids[]'; }

for type in long-polling websocket; do
  ch=/event/Order_$type
  event "$ch" 5 >"$D/$type.ids"

  # -2: every retained event, in order.
  timeout 20 "$CLI" --connection-type "$type" subscribe "$url" "$ch" --replay-from -2 -C 5 >"$D/$type.all" 2>"$D/$type.all.err"
  expect_rc 0 $? "$type: --replay-from -2"
  diff <(jq -r .data.event.replayId "$D/$type.all") "$D/$type.ids" >/dev/null || fail "$type: replay -2 order"

  # A store across runs: 3, then the 2 after them, then 2 published meanwhile.
  store="$D/$type.store.json"
  timeout 20 "$CLI" --connection-type "$type" subscribe "$url" "$ch" --replay-from -2 --replay-store "$store" -C 3 \
    >"$D/$type.run1" 2>"$D/$type.run1.err"
  expect_rc 0 $? "$type: run 1"
  [ "$(jq -r ".[\"$ch\"]" "$store")" = "$(sed -n 3p "$D/$type.ids")" ] || fail "$type: store after run 1: $(cat "$store")"
  timeout 20 "$CLI" --connection-type "$type" subscribe "$url" "$ch" --replay-store "$store" -C 2 \
    >"$D/$type.run2" 2>"$D/$type.run2.err"
  expect_rc 0 $? "$type: run 2"
  event "$ch" 2 >>"$D/$type.ids"
  timeout 20 "$CLI" --connection-type "$type" subscribe "$url" "$ch" --replay-store "$store" -C 2 \
    >"$D/$type.run3" 2>"$D/$type.run3.err"
  expect_rc 0 $? "$type: run 3"
  cat "$D/$type.run1" "$D/$type.run2" "$D/$type.run3" | jq -r .data.event.replayId >"$D/$type.resumed"
  diff "$D/$type.resumed" "$D/$type.ids" >/dev/null ||
    fail "$type: duplicates or gaps across runs: $(tr '\n' ' ' <"$D/$type.resumed") vs $(tr '\n' ' ' <"$D/$type.ids")"

  # An id the server does not know: exit 1, and what to do.
  timeout 20 "$CLI" --connection-type "$type" subscribe "$url" "$ch" --replay-from 999999999 >/dev/null 2>"$D/$type.invalid.err"
  expect_rc 1 $? "$type: unknown replay id"
  grep -q 'The replayId {999999999} you provided was invalid.*(use --replay-from -2' "$D/$type.invalid.err" ||
    fail "$type: $(cat "$D/$type.invalid.err")"

  # A stale id in the store: warned, and the subscription starts over from --replay-from.
  echo "{\"$ch\": 5}" >"$D/$type.stale.json"
  timeout 20 "$CLI" --connection-type "$type" subscribe "$url" "$ch" --replay-store "$D/$type.stale.json" \
    --replay-from -2 -C 7 >"$D/$type.stale" 2>"$D/$type.stale.err"
  expect_rc 0 $? "$type: stale stored id"
  grep -q 'warning: the replay id 5 of .* was refused' "$D/$type.stale.err" || fail "$type: $(cat "$D/$type.stale.err")"
  say "$type ok"
done
