# --trace through a server restart, on each real server and transport: the trace must let a
# reader see the loss, the server's unknown-client reply (402 on the CometD Node server, 401 on
# Faye), the new handshake and the resubscription, in order, with no secret in it
# (trace_check.py reads it). Then: "-" writes to stderr and leaves stdout as it was, and a file
# that cannot be created is 73 before anything is sent.
. "$(dirname "$0")/lib.sh"

round() {  # SERVER-SCRIPT TYPE UNKNOWN-CODE
  local script=$1 type=$2 code=$3
  local name=${script%-server.js}-$type
  local tag=${name//-/_}
  start_node "$name" "$script"
  local port_var="PORT_$tag" pid_var="PID_$tag"
  local port=${!port_var} server=${!pid_var}
  local url="http://127.0.0.1:$port/cometd" control="http://127.0.0.1:$port/control"
  timeout 60 "$CLI" --trace "$D/$name.trace" -H 'Authorization: Bearer s3cr3t-header' \
    --handshake-ext '{"authToken":"s3cr3t-ext"}' --connection-type "$type" \
    subscribe "$url" /trace/a -C 1 >"$D/$name.out" 2>"$D/$name.err" &
  local client=$!
  # Killed once the session is connected (its first /meta/connect answered) and subscribed.
  wait_until 10 matches_at_least "$D/$name.trace" '"event":"session.connected"' 1 ||
    fail "$name: never connected"
  for _ in $(seq 1 100); do
    [ "$(curl -sf "$control/stats" | jq .subscribes)" -ge 1 ] 2>/dev/null && break
    sleep 0.1
  done
  kill "$server"
  wait "$server" 2>/dev/null
  sleep 1
  start_node "$name" "$script" --port "$port"
  wait_until 30 matches_at_least "$D/$name.err" 'reconnected after' 1 ||
    fail "$name: not reconnected: $(cat "$D/$name.err")"
  curl -sf "$control/publish?channel=/trace/a&n=1" >/dev/null
  wait "$client"
  expect_rc 0 $? "$name"
  python3 "$(dirname "$0")/trace_check.py" "$D/$name.trace" "$code" "$type" \
    s3cr3t-header s3cr3t-ext 2>"$D/$name.check.err" ||
    fail "$name: $(cat "$D/$name.check.err")"
  # The trace redacts; it does not hide: the header and the handshake member are named.
  grep -q '\["Authorization","\[redacted\]"\]' "$D/$name.trace" || fail "$name: no redacted header"
  grep -q '"authToken":"\[redacted\]"' "$D/$name.trace" || fail "$name: no redacted ext member"
  say "$name: $(grep -c '' "$D/$name.trace") records tell the restart"
}

pids=()
for combo in "cometd-server.js long-polling 402" "faye-server.js long-polling 401" \
  "faye-server.js websocket 401"; do
  # shellcheck disable=SC2086
  round $combo &
  pids+=($!)
done
wait_all "a restart round" "${pids[@]}"

# "-": the records go to stderr, stdout keeps only the data, byte for byte.
ch=$(unique_channel stderr)
"$CLI" --trace - publish "$FAYE_URL" "$ch" '{"n":1}' >"$D/stderr.out" 2>"$D/stderr.err"
expect_rc 0 $? "--trace -"
empty "$D/stderr.out" "stdout of a one-shot publish"
grep '^{' "$D/stderr.err" >"$D/stderr.trace"
ndjson "$D/stderr.trace"
[ "$(jq -r 'select(.event == "bayeux.out") | .message.channel' "$D/stderr.trace" | tr '\n' ' ')" = \
  "/meta/handshake $ch /meta/disconnect " ] || fail "--trace -: $(cat "$D/stderr.err")"
jq -se 'map(select(.event == "http.response" or .event == "ws.upgraded")) | length > 0' \
  "$D/stderr.trace" >/dev/null ||
  fail "--trace -: no HTTP response"

# A file that cannot be created: 73, one line, and no connection is made.
"$CLI" --trace "$D/missing/trace" publish "$FAYE_URL" "$ch" 1 >/dev/null 2>"$D/missing.err"
expect_rc 73 $? "--trace in a missing directory"
grep -q "cannot create the --trace file $D/missing/trace" "$D/missing.err" ||
  fail "73: $(cat "$D/missing.err")"
[ "$(grep -c '' "$D/missing.err")" -eq 1 ] || fail "73: more than one line"
"$CLI" --trace '' publish "$FAYE_URL" "$ch" 1 >/dev/null 2>&1
expect_rc 64 $? "--trace ''"
say "stderr and errors ok"
