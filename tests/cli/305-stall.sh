# A reader that stops reading: fetching stops, a warning comes before the server's maxInterval
# (advertised as 2 s by the fake) runs out, and nothing already received is lost.
. "$(dirname "$0")/lib.sh"
for type in long-polling websocket; do
  start_node "stall-$type" fake-server.js --script stall
  port_var="PORT_stall_${type//-/_}"
  mkfifo "$D/$type.fifo"
  timeout 60 "$CLI" --max-pending 5 --connection-type "$type" subscribe "http://127.0.0.1:${!port_var}/cometd" \
    /stall/a -C 2000 >"$D/$type.fifo" 2>"$D/$type.err" &
  pid=$!
  exec 3<"$D/$type.fifo"
  wait_for "$D/$type.err" "output stalled 1500ms; the server drops the session after ~2s" 10
  cat <&3 >"$D/$type.out"
  exec 3<&-
  wait "$pid"
  expect_rc 0 $? "$type: after the stall"
  [ "$(grep -c '' "$D/$type.out")" -eq 2000 ] || fail "$type: $(grep -c '' "$D/$type.out") of 2000 lines"
  say "$type ok"
done
