# Authentication against a real Faye server whose extension demands a token (Authorization:
# Bearer, or ext.auth.token) starting with "good": static credentials, --auth-command in both
# output forms, a source that keeps failing, a helper that breaks; on both transports.
. "$(dirname "$0")/lib.sh"
start_node auth faye-server.js --auth
url="http://127.0.0.1:$PORT_auth/cometd"
helper_runs="$D/helper-runs"

for type in websocket long-polling; do
  run() {  # EXPECTED NAME ARGS...: a one-shot publish
    local expected=$1 name=$2
    shift 2
    timeout 20 "$CLI" --connection-type "$type" "$@" publish "$url" /auth/a '"x"' \
      >"$D/$type.$name.out" 2>"$D/$type.$name.err"
    expect_rc "$expected" $? "$type: $name"
  }
  run 77 none
  grep -q '^cometd-cli: handshake denied by .*401::Authentication required' "$D/$type.none.err" ||
    fail "$type: $(cat "$D/$type.none.err")"
  [ "$(grep -c '' "$D/$type.none.err")" -eq 1 ] || fail "$type: expected one stderr line"
  run 77 bad-bearer --bearer bad-1
  run 0 bearer --bearer good-bearer
  COMETD_TOKEN=good-env run 0 env-token
  run 0 header -H 'Authorization: Bearer good-header'
  run 0 handshake-ext --handshake-ext '{"auth":{"token":"good-ext"}}'
  run 0 command-token --auth-command 'echo good-command'
  run 0 command-json --auth-command 'echo "{\"headers\":{\"Authorization\":\"Bearer good-json\"}}"'
  run 0 command-ext --auth-command 'echo "{\"ext\":{\"auth\":{\"token\":\"good-json-ext\"}}}"'

  # A source that always fails: authenticate once, then 77, the helper run twice in all.
  : >"$helper_runs"
  run 77 always-bad --auth-command "echo run >>'$helper_runs'; echo bad-token"
  [ "$(grep -c '' "$helper_runs")" -eq 2 ] || fail "$type: the helper ran $(grep -c '' "$helper_runs") times"
  grep -q 'again, with fresh credentials' "$D/$type.always-bad.err" || fail "$type: $(cat "$D/$type.always-bad.err")"

  # A helper that fails: its stderr passes through, the exit status is reported, 77.
  run 77 broken --auth-command 'echo "token service down" >&2; exit 3'
  grep -q '^token service down$' "$D/$type.broken.err" || fail "$type: helper stderr not shown"
  grep -q -- '--auth-command failed: it exited with status 3' "$D/$type.broken.err" || fail "$type: status"

  # Secrets stay out of the logs at every verbosity.
  run 0 verbose -vvv --auth-command 'echo good-SECRET-1' -H 'X-Api-Key: SECRET-2'
  ! grep -q SECRET "$D/$type.verbose.err" || fail "$type: a secret reached stderr"
  say "$type ok"
done
tokens=$(curl -sf "http://127.0.0.1:$PORT_auth/control/stats" | jq -c '[.auth_tokens[] | select(. != null) | select(startswith("good"))] | length')
[ "$tokens" -ge 14 ] || fail "the server saw only $tokens good tokens"
