# Helpers for the end-to-end cases; sourced by each tests/cli/NNN-name.sh.
# Environment from tests/integration/run.sh: CLI, SERVERS, {FAYE,NODE}_URL, {FAYE,NODE}_CONTROL,
# CASE_DIR (a scratch directory of this case).
set -u

CASE=$(basename "$0" .sh)
D=$CASE_DIR

fail() {
  echo "FAIL: $*" >&2
  for f in "$D"/*.err; do
    [ -s "$f" ] && { echo "--- $(basename "$f")" >&2; tail -20 "$f" | cut -c 1-300 >&2; }
  done
  exit 1
}

say() { echo "$CASE: $*"; }

# url_of SERVER / control_of SERVER
url_of() { case $1 in faye) echo "$FAYE_URL" ;; node) echo "$NODE_URL" ;; esac; }
control_of() { case $1 in faye) echo "$FAYE_CONTROL" ;; node) echo "$NODE_CONTROL" ;; esac; }

# A channel name no other case uses.
unique_channel() { echo "/t/$CASE/$1/$RANDOM$RANDOM"; }

# stat SERVER JQ-FILTER: a field of the server's counters.
stat() { curl -sf "$(control_of "$1")/stats" | jq -r "$2"; }

# published SERVER CHANNEL: how many client publishes the server received on CHANNEL.
published() { stat "$1" ".published[\"$2\"] // 0"; }

# server_publish SERVER CHANNEL N [SIZE [FROM]]: the server publishes N messages
# {"n":i,"pad":…} with i from FROM (1) and SIZE bytes of pad.
server_publish() {
  curl -sf "$(control_of "$1")/publish?channel=$2&n=$3&size=${4:-0}&from=${5:-1}" >/dev/null ||
    fail "control publish failed"
}

# wait_for FILE PATTERN [SECONDS]: until a line of FILE matches (bounded, 10 s by default).
wait_for() {
  local limit=$(( ${3:-10} * 10 ))
  for _ in $(seq 1 "$limit"); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "timed out waiting for '$2' in $(basename "$1")"
}

# Predicates for wait_until (evaluated afresh at each try).
lines_are() { [ "$(grep -c '' "$1" 2>/dev/null)" -eq "$2" ]; }
stat_above() { [ "$(stat "$1" "$2")" -gt "$3" ]; }
fake_at_least() { [ "$(fake_stats "$1" "$2")" -ge "$3" ]; }
matches_at_least() { [ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ]; }

# wait_until SECONDS COMMAND...: until COMMAND succeeds (bounded).
wait_until() {
  local limit=$(( $1 * 10 ))
  shift
  for _ in $(seq 1 "$limit"); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

# wait_all WHAT PID...: waits for every PID (rounds run side by side); fails if any failed.
wait_all() {
  local what=$1 failed=0 pid
  shift
  for pid in "$@"; do
    wait "$pid" || failed=1
  done
  [ "$failed" -eq 0 ] || fail "$what failed"
}

# expect_rc EXPECTED ACTUAL WHAT
expect_rc() { [ "$2" -eq "$1" ] || fail "$3: exit $2, expected $1"; }

# ndjson FILE: every line is exactly one JSON value (a data line may be false or null).
ndjson() {
  local lines values
  lines=$(grep -c '' "$1")
  values=$(jq -s 'length' "$1") || fail "$(basename "$1") is not JSON lines"
  [ "$lines" -eq "$values" ] || fail "$(basename "$1"): $lines lines but $values JSON values"
  ! grep -q '^$' "$1" || fail "$(basename "$1") has empty lines"
}

# empty FILE WHAT
empty() { [ ! -s "$1" ] || fail "$2 is not empty: $(head -c 400 "$1")"; }

# A loopback port with no listener.
closed_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => {
    console.log(s.address().port); s.close(); })'
}

# start_node NAME SCRIPT ARGS...: a server of tests/integration for this case alone (the fake
# server, a proxy, a private Faye…); sets PORT_<NAME>. Stopped when the case ends.
: >"$D/pids"
trap 'kill $(cat "$D/pids") 2>/dev/null; wait 2>/dev/null' EXIT
start_node() {
  local name=$1 script=$2
  shift 2
  rm -f "$D/$name.port"
  node "$TESTS_DIR/integration/$script" "$@" >"$D/$name.port" 2>"$D/$name.node.err" &
  echo $! >>"$D/pids"
  eval "PID_${name//-/_}=$!"
  local port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$D/$name.port" 2>/dev/null | head -1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || fail "$name ($script) did not start: $(cat "$D/$name.node.err")"
  eval "PORT_${name//-/_}=$port"
}

# fake_stats NAME FILTER: a counter of a fake server started with start_node.
fake_stats() {
  local port_var="PORT_${1//-/_}"
  curl -sf "http://127.0.0.1:${!port_var}/control/stats" | jq -r "$2"
}

# child_of PID: the process timeout(1) runs (timeout forwards a signal only once).
child_of() { tr -d ' \n' </proc/"$1"/task/"$1"/children; }

# stamp_lines: each line of stdin prefixed with the time it was read (ns since the epoch), so
# that a test can tell when a client logged something: CMD 2> >(stamp_lines >FILE)
stamp_lines() {
  local line
  while IFS= read -r line; do
    printf '%s %s\n' "$(date +%s%N)" "$line"
  done
}

# elapsed_ms START_NS: milliseconds since START_NS (date +%s%N)
elapsed_ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# start_subscriber NAME URL ARGS...: `cometd-cli -v subscribe URL ARGS...` in the background
# (stdout NAME.out, stderr NAME.err, its exit status NAME.rc once it ended); returns once every
# channel of ARGS is subscribed (10 s at most).
start_subscriber() {
  local name=$1 url=$2 channels=0 arg
  shift 2
  for arg in "$@"; do [[ $arg == /* ]] && channels=$((channels + 1)); done
  rm -f "$D/$name.rc"
  ( timeout 20 "$CLI" -v subscribe "$url" "$@" >"$D/$name.out" 2>"$D/$name.err"
    echo $? >"$D/$name.rc" ) &
  wait_until 10 matches_at_least "$D/$name.err" "subscribed to" "$channels" ||
    fail "$name: not subscribed"
}

# subscriber_done NAME [EXPECTED-STATUS]: waits (10 s at most) for it to end; checks its status.
subscriber_done() {
  wait_until 10 test -s "$D/$1.rc" || fail "$1: the subscriber did not end"
  expect_rc "${2:-0}" "$(cat "$D/$1.rc")" "$1"
}
