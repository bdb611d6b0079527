# call: a service channel's reply, against the CometD Node server's /service/echo.
. "$(dirname "$0")/lib.sh"
timeout 20 "$CLI" call "$NODE_URL" /service/echo '{"ping":1}' >"$D/call.out" 2>"$D/call.err"
expect_rc 0 $? "call with DATA"
ndjson "$D/call.out"
[ "$(jq -c '[.channel, .data]' "$D/call.out")" = '["/service/echo",{"echo":{"ping":1}}]' ] || fail "$(cat "$D/call.out")"
empty "$D/call.err" "stderr"
echo '{"from":"stdin","list":[1,2]}' | timeout 20 "$CLI" call "$NODE_URL" /service/echo >"$D/stdin.out" 2>&1
expect_rc 0 $? "call with stdin"
[ "$(jq -c .data.echo.list "$D/stdin.out")" = "[1,2]" ] || fail "$(cat "$D/stdin.out")"
# Nobody answers on this channel: 124 after --duration.
timeout 20 "$CLI" call "$NODE_URL" /service/nobody '1' --duration 1s >/dev/null 2>"$D/none.err"
expect_rc 124 $? "call without a reply"
grep -q 'no reply on /service/nobody' "$D/none.err" || fail "$(cat "$D/none.err")"
timeout 5 "$CLI" call "$NODE_URL" /chat/a 1 >/dev/null 2>&1
expect_rc 64 $? "call to a broadcast channel"
