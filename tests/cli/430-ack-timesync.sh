# The ack and timesync extensions on the wire, against the scripted server.
. "$(dirname "$0")/lib.sh"
for type in long-polling websocket; do
  start_node "ack-$type" fake-server.js --script ack
  port_var="PORT_ack_${type//-/_}"
  timeout 20 "$CLI" --ext ack --connection-type "$type" subscribe "http://127.0.0.1:${!port_var}/cometd" /ack/a -C 5 \
    >"$D/$type.ack.out" 2>"$D/$type.ack.err"
  expect_rc 0 $? "$type: --ext ack"
  [ "$(jq -c .data.n "$D/$type.ack.out" | tr '\n' ' ')" = "1 2 3 4 5 " ] || fail "$type: ack output"
  # Each batch acknowledged in turn, never ahead of what was written.
  acks=$(fake_stats "ack-$type" '.acks | map(tostring) | join(" ")')
  [ "$(fake_stats "ack-$type" '.acks == (.acks | sort) and (.acks | index(4)) != null')" = true ] ||
    fail "$type: acks sent: $acks"

  start_node "sync-$type" fake-server.js --script timesync
  port_var="PORT_sync_${type//-/_}"
  timeout 20 "$CLI" -v --ext timesync --connection-type "$type" subscribe "http://127.0.0.1:${!port_var}/cometd" /t \
    --duration 1s >/dev/null 2>"$D/$type.sync.err"
  expect_rc 0 $? "$type: --ext timesync"
  offset=$(sed -n 's/.*server clock offset \(-\?[0-9]*\) ms.*/\1/p' "$D/$type.sync.err")
  [ -n "$offset" ] && [ "$offset" -ge 4900 ] && [ "$offset" -le 5100 ] || fail "$type: offset '$offset'"
  [ "$(fake_stats "sync-$type" '[.timesync[] | (.tc | type) == "number" and has("l") and has("o")] | all')" = true ] ||
    fail "$type: timesync requests"
  say "$type ok (acks: $acks; offset $offset ms)"
done
