# Faults no real server produces on demand, from the scripted fake server: each ends with the
# documented exit code and one clear line, or is skipped with a warning while the session goes on.
. "$(dirname "$0")/lib.sh"

# run_fake SCRIPT EXPECTED_RC TYPE [GLOBAL OPTIONS] subscribe ARGS...: a fresh fake server,
# the client against it (its URL goes right after the subcommand).
run_fake() {
  local script=$1 expected=$2 type=$3
  shift 3
  start_node "$script-$type" fake-server.js --script "$script"
  local port_var="PORT_${script//-/_}_${type//-/_}"
  local url="http://127.0.0.1:${!port_var}/cometd"
  local args=()
  while [ $# -gt 0 ] && [ "$1" != subscribe ]; do args+=("$1"); shift; done
  args+=("$1" "$url")
  shift
  args+=("$@")
  local t0
  t0=$(date +%s%N)
  timeout 30 "$CLI" --connection-type "$type" "${args[@]}" >"$D/$script.$type.out" 2>"$D/$script.$type.err"
  local rc=$?
  LAST_MS=$(elapsed_ms "$t0")
  expect_rc "$expected" "$rc" "$script over $type"
}

# Both transports at once (each with its own fake servers): the cases wait on timeouts.
faults() {
  local type=$1
  for script in garbage not-array; do
    run_fake "$script" 76 "$type" subscribe /x -C 1
    grep -q 'is not Bayeux' "$D/$script.$type.err" || fail "$script: $(cat "$D/$script.$type.err")"
    [ "$(grep -c '' "$D/$script.$type.err")" -eq 1 ] || fail "$script: expected one stderr line"
  done
  run_fake handshake-none 69 "$type" subscribe /x
  grep -q 'reconnect none' "$D/handshake-none.$type.err" || fail "handshake-none message"
  run_fake reconnect-none 69 "$type" subscribe /x
  grep -q 'not to reconnect\|reconnect none' "$D/reconnect-none.$type.err" || fail "reconnect-none message"

  # A server that never answers: no hang, --timeout decides.
  run_fake silent 69 "$type" --network-delay 1s --timeout 3s subscribe /x
  [ "$LAST_MS" -lt 8000 ] || fail "silent over $type took $LAST_MS ms"

  # A 402 storm: the backoff keeps growing, one warning, the timeout ends it.
  run_fake storm-402 69 "$type" --timeout 6s subscribe /x
  grep -q 'warning: sessions keep dying' "$D/storm-402.$type.err" || fail "no storm warning"
  [ "$(grep -c 'sessions keep dying' "$D/storm-402.$type.err")" -eq 1 ] || fail "storm warned twice"
  n=$(fake_stats "storm-402-$type" .handshakes)
  [ "$n" -le 8 ] || fail "storm: $n handshakes in 6 s: no backoff"

  # The session expires once: re-handshake, resubscribe, go on.
  run_fake expire-once 0 "$type" -v subscribe /x --duration 4s
  [ "$(fake_stats "expire-once-$type" .handshakes)" -eq 2 ] || fail "expire-once: handshakes"
  [ "$(fake_stats "expire-once-$type" .subscribes)" -eq 2 ] || fail "expire-once: not resubscribed"
  grep -q 'session lost' "$D/expire-once.$type.err" || fail "expire-once: not logged at -v"

  # A resubscription the server denies is reported, never dropped silently.
  run_fake deny-resubscribe 77 "$type" subscribe /x --duration 10s
  grep -q '^cometd-cli: subscribe /x: 403::subscribe_denied' "$D/deny-resubscribe.$type.err" ||
    fail "deny-resubscribe: $(cat "$D/deny-resubscribe.$type.err")"

  # multiple-clients advice: warned once, connects 2 s apart.
  run_fake multiple-clients 0 "$type" subscribe /x --duration 5s
  [ "$(grep -c 'multiple-clients' "$D/multiple-clients.$type.err")" -eq 1 ] || fail "multiple-clients warning"
  gaps=$(fake_stats "multiple-clients-$type" '.connect_times | [range(1; length) as $i | .[$i] - .[$i-1]] | min')
  [ "$gaps" -ge 1900 ] || fail "multiple-clients: connects only $gaps ms apart"

  # Data passes through byte for byte (real servers re-serialise, so only a fake can tell).
  run_fake fidelity 0 "$type" subscribe /fidelity/a -C 1 -o data
  expected='{"f":1.0,"u":"\u00e9","big":123456789012345678901234567890,"e":1E+2,"s":"a  b","n":null}'
  [ "$(cat "$D/fidelity.$type.out")" = "$expected" ] || fail "fidelity: $(cat "$D/fidelity.$type.out")"

  # Malformed messages inside a valid batch: skipped with a warning, the good one delivered.
  run_fake bad-message 0 "$type" subscribe /bad/ok -C 1
  [ "$(jq -c .data "$D/bad-message.$type.out")" = '{"good":true}' ] || fail "bad-message output"
  [ "$(grep -c 'warning: skipping a malformed message' "$D/bad-message.$type.err")" -eq 2 ] ||
    fail "bad-message warnings: $(cat "$D/bad-message.$type.err")"

  # A 5 MB message arrives whole.
  run_fake huge 0 "$type" subscribe /huge/a -C 1
  [ "$(jq -r '.data.blob | length' "$D/huge.$type.out")" -eq 5242880 ] || fail "huge message"
  say "$type ok"
}
faults long-polling &
lp=$!
faults websocket &
ws=$!
wait "$lp" || fail "long-polling faults"
wait "$ws" || fail "websocket faults"

# Long-polling only: HTTP-level faults.
run_fake truncated 76 long-polling subscribe /x
run_fake invalid-utf8 76 long-polling subscribe /utf8/a -C 1
grep -q 'UTF-8' "$D/invalid-utf8.long-polling.err" || fail "invalid-utf8 message: $(cat "$D/invalid-utf8.long-polling.err")"
run_fake http-401 77 long-polling subscribe /x
run_fake html-500 69 long-polling --timeout 2s subscribe /x
grep -q 'HTTP 500' "$D/html-500.long-polling.err" || fail "html-500 message: $(cat "$D/html-500.long-polling.err")"
run_fake drop 69 long-polling --timeout 2s subscribe /x
[ "$LAST_MS" -lt 6000 ] || fail "drop took $LAST_MS ms"
