# --ext ack against a server without the ack extension: a warning at the default verbosity
# (the user asked for "no message lost"), once; none with a server that has it.
. "$(dirname "$0")/lib.sh"
ch=$(unique_channel faye)
timeout 10 "$CLI" --ext ack subscribe "$FAYE_URL" "$ch" --duration 500ms >/dev/null 2>"$D/faye.err"
expect_rc 0 $? "--ext ack against Faye"
grep -q '^cometd-cli: warning: .*ack extension' "$D/faye.err" || fail "no warning: $(cat "$D/faye.err")"
[ "$(grep -c '' "$D/faye.err")" -eq 1 ] || fail "more than the warning: $(cat "$D/faye.err")"
timeout 10 "$CLI" -q --ext ack subscribe "$FAYE_URL" "$ch" --duration 500ms >/dev/null 2>"$D/quiet.err"
expect_rc 0 $? "-q --ext ack"
empty "$D/quiet.err" "stderr with -q"

start_node ack fake-server.js --script ack
timeout 20 "$CLI" --ext ack subscribe "http://127.0.0.1:$PORT_ack/cometd" /ack/a -C 5 >/dev/null 2>"$D/ack.err"
expect_rc 0 $? "--ext ack against a server with it"
empty "$D/ack.err" "stderr with a server that acknowledges"
