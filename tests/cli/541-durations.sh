# Durations: over 10 years is a usage error; 0 means no limit for every duration option.
. "$(dirname "$0")/lib.sh"
usage() {  # EXPECTED-TEXT ARGS...
  local expected=$1
  shift
  timeout 5 "$CLI" "$@" >/dev/null 2>"$D/usage.err"
  expect_rc 64 $? "$*"
  grep -qF -- "$expected" "$D/usage.err" || fail "'$*': $(cat "$D/usage.err")"
}
usage "--timeout 99999999h is over 10 years" --timeout 99999999h publish "$FAYE_URL" /a 1
usage "--duration 88000h is over 10 years" subscribe "$FAYE_URL" /a --duration 88000h
usage "is over 10 years" subscribe "$FAYE_URL" /a --idle-timeout 88000h
usage "is over 10 years" --network-delay 88000h subscribe "$FAYE_URL" /a
timeout 10 "$CLI" --timeout 87000h publish "$FAYE_URL" /a 1
expect_rc 0 $? "--timeout just under 10 years"

# --duration 0 and --idle-timeout 0: no limit; the subscriber stays until its message comes.
ch=$(unique_channel zero)
start_subscriber zero "$FAYE_URL" "$ch" -C 1 --duration 0 --idle-timeout 0 --network-delay 0
timeout 10 "$CLI" publish "$FAYE_URL" "$ch" '"late"'
subscriber_done zero
[ "$(jq -c .data "$D/zero.out")" = '"late"' ] || fail "got $(cat "$D/zero.out")"

# call --duration 0 waits for the reply as long as it takes.
timeout 10 "$CLI" call "$NODE_URL" /service/echo '{"n":0}' --duration 0 >"$D/call.out" 2>"$D/call.err"
expect_rc 0 $? "call --duration 0"
[ "$(jq -c .data "$D/call.out")" = '{"echo":{"n":0}}' ] || fail "call: $(cat "$D/call.out" "$D/call.err")"
