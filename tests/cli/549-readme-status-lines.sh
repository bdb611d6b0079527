# The README shows the status lines as the binary prints them: the clientId whole.
. "$(dirname "$0")/lib.sh"
readme=$TESTS_DIR/../README.md
timeout 10 "$CLI" -v subscribe "$NODE_URL" /readme/a --duration 200ms >/dev/null 2>"$D/node.err"
expect_rc 0 $? "subscribe -v"
printed=$(grep 'handshake done' "$D/node.err") || fail "no handshake line: $(cat "$D/node.err")"
# The id the binary prints is whole: 40 hex digits from the CometD Node server.
[[ $printed =~ \(clientId\ [0-9a-f]{40}\)$ ]] || fail "printed: $printed"
shown=$(grep -c 'handshake done with' "$readme")
[ "$shown" -ge 1 ] || fail "the README shows no handshake line"
grep 'handshake done with' "$readme" | while read -r line; do
  [[ $line =~ \(clientId\ [0-9a-f]{40}\)$ ]] || fail "README: $line"
done
