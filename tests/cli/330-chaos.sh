# Connections cut at random moments while thousands of messages flow, on both transports: no
# crash, no hang, and once the network calms down the client receives again.
. "$(dirname "$0")/lib.sh"
start_node faye faye-server.js
control="http://127.0.0.1:$PORT_faye/control"
for type in websocket long-polling; do
  start_node "chaos-$type" chaos-proxy.js --target "$PORT_faye" --min-ms 100 --max-ms 1200
  port_var="PORT_chaos_${type//-/_}" pid_var="PID_chaos_${type//-/_}"
  url="http://127.0.0.1:${!port_var}/cometd"
  ch=/chaos/$type
  timeout 90 "$CLI" -v --timeout 0 --connection-type "$type" subscribe "$url" "$ch" \
    >"$D/$type.out" 2>"$D/$type.err" &
  sub=$!
  wait_for "$D/$type.err" "subscribed to" 20
  # Publishers through the same chaos: some publishes are lost (reported, exit 1), none hangs.
  for round in 1 2 3; do
    seq 1 1000 | awk -v r="$round" '{ printf "{\"round\":%d,\"n\":%d}\n", r, $1 }' |
      timeout 60 "$CLI" --timeout 5s --connection-type "$type" publish "$url" "$ch" >/dev/null 2>"$D/$type.pub$round.err"
    rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || [ "$rc" -eq 75 ] || [ "$rc" -eq 69 ] ||
      fail "$type: publisher round $round exited $rc: $(tail -2 "$D/$type.pub$round.err")"
    curl -sf "$control/publish?channel=$ch&n=500&size=100" >/dev/null
    sleep 1
  done
  kill -0 "$sub" || fail "$type: the subscriber died under chaos"
  # Calm: the subscriber must come back and receive fresh messages.
  kill -USR1 "${!pid_var}"
  marker=/chaos/$type
  wait_until 30 sh -c "curl -sf '$control/publish?channel=$marker&n=1&from=999999' >/dev/null &&
    grep -q '\"n\":999999' '$D/$type.out'" || fail "$type: not receiving after the chaos"
  kill -INT "$sub"
  wait "$sub"
  expect_rc 130 $? "$type: SIGINT after the chaos"
  ndjson "$D/$type.out"
  ! grep -qi 'internal error\|sanitizer' "$D/$type.err" || fail "$type: $(grep -i 'internal error\|sanitizer' "$D/$type.err")"
  say "$type ok: $(grep -c '' "$D/$type.out") messages, $(grep -c 'session lost\|failed' "$D/$type.err") reconnections"
done
