#!/usr/bin/env bash
# Runs every end-to-end case in tests/cli/ with the real binary against real CometD servers:
# Faye (npm faye) and the CometD project's Node server (npm cometd-nodejs-server), installed
# from the lock file, started on free loopback ports and stopped at the end.
#
# Usage: tests/integration/run.sh path/to/cometd-cli [case-name-pattern]
set -u
here=$(cd "$(dirname "$0")" && pwd)
cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
pattern=${2:-}
[ -x "$cli" ] || { echo "run.sh: $cli is not executable" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/cometd-cli-it.XXXXXX")
# Server pids go to a file: start_server runs in a $(...) subshell, whose variables are lost.
cleanup() {
  local pids
  pids=$(cat "$work/pids" 2>/dev/null)
  [ -n "$pids" ] && kill $pids 2>/dev/null
  for pid in $pids; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

"$here/../npm-ci.sh" "$here"

# start_server NAME SCRIPT ARGS...: starts it, waits (10 s at most) for the port it prints.
start_server() {
  local name=$1 script=$2
  shift 2
  node "$here/$script" "$@" >"$work/$name.out" 2>"$work/$name.err" &
  echo $! >>"$work/pids"
  local port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/$name.out" 2>/dev/null | head -1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "run.sh: $name did not start:" >&2; cat "$work/$name.err" >&2; exit 2; }
  echo "$port"
}

# A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made afresh.
tls=$work/tls
mkdir -p "$tls"
make_cert() {  # NAME SUBJECT EXTENSIONS
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$tls/$1.key" \
    -out "$tls/$1.csr" -subj "$2" 2>/dev/null &&
    printf '%s\n' "$3" >"$tls/$1.ext" &&
    openssl x509 -req -in "$tls/$1.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
      -out "$tls/$1.pem" -days 2 -extfile "$tls/$1.ext" 2>/dev/null
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$tls/ca.key" \
  -out "$tls/ca.pem" -days 2 -subj "/CN=cometd-cli test CA" 2>/dev/null &&
  make_cert server "/CN=127.0.0.1" "subjectAltName=IP:127.0.0.1" &&
  make_cert client "/CN=cometd-cli test client" "extendedKeyUsage=clientAuth" || {
    echo "run.sh: cannot make the test certificates (openssl)" >&2; exit 2; }

faye_port=$(start_server faye faye-server.js) || exit 2
node_port=$(start_server node cometd-server.js) || exit 2
tls_port=$(start_server faye-tls faye-server.js --tls-cert "$tls/server.pem" --tls-key "$tls/server.key") || exit 2
mtls_port=$(start_server faye-mtls faye-server.js --tls-cert "$tls/server.pem" --tls-key "$tls/server.key" --client-ca "$tls/ca.pem") || exit 2
proxy_port=$(start_server proxy proxy.js) || exit 2

export CLI=$cli
export PLUGIN_DIR=${PLUGIN_DIR:-$(cd "$(dirname "$cli")/../extensions" && pwd)}
export SERVERS="faye node"
export FAYE_URL="http://127.0.0.1:$faye_port/cometd" FAYE_CONTROL="http://127.0.0.1:$faye_port/control"
export NODE_URL="http://127.0.0.1:$node_port/cometd" NODE_CONTROL="http://127.0.0.1:$node_port/control"
export FAYE_TLS_URL="https://127.0.0.1:$tls_port/cometd" FAYE_TLS_CONTROL="https://127.0.0.1:$tls_port/control"
export FAYE_MTLS_URL="https://127.0.0.1:$mtls_port/cometd"
export TLS_DIR=$tls
export PROXY_URL="http://127.0.0.1:$proxy_port"
export TESTS_DIR=$(cd "$here/.." && pwd)
export WORK=$work

passed=0
failed=()
started=$(date +%s)
# run_case NAME FILE: runs one case, its log in $work/NAME.log; prints its report.
run_case() {
  local name=$1 case_file=$2 t0
  mkdir -p "$work/$name"
  t0=$(date +%s%N)
  if CASE_DIR="$work/$name" timeout 300 bash "$case_file" >"$work/$name.log" 2>&1; then
    printf 'ok    %-32s %6.1fs\n' "$name" "$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { print (b - a) / 1e9 }')"
    grep "^$name: " "$work/$name.log" | sed 's/^/      /'
  else
    printf 'FAIL  %-32s\n' "$name"
    tail -40 "$work/$name.log" | cut -c 1-300 | sed 's/^/      /'
    return 1
  fi
}
# The restart matrix spends most of its ~100 s waiting (sessions 60 s old, a 15 s outage) on
# servers of its own: it runs beside the other cases, not before them.
background=(320-restart)
declare -A bg_pid=()
for case_file in "$TESTS_DIR"/cli/[0-9]*.sh; do
  name=$(basename "$case_file" .sh)
  [ -n "$pattern" ] && [[ "$name" != *$pattern* ]] && continue
  if [[ " ${background[*]} " == *" $name "* ]]; then
    run_case "$name" "$case_file" >"$work/$name.report" &
    bg_pid[$name]=$!
    continue
  fi
  if run_case "$name" "$case_file"; then passed=$((passed + 1)); else failed+=("$name"); fi
done
for name in "${!bg_pid[@]}"; do
  if wait "${bg_pid[$name]}"; then passed=$((passed + 1)); else failed+=("$name"); fi
  cat "$work/$name.report"
done
echo "integration: $passed passed, ${#failed[@]} failed in $(( $(date +%s) - started ))s"
[ ${#failed[@]} -eq 0 ]
