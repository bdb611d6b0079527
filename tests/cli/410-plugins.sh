# Extension plugins (the example plugins of extensions/examples) against the token-checking
# Faye server: a plain one adding a header, an auth one whose first token is refused.
. "$(dirname "$0")/lib.sh"
start_node auth faye-server.js --auth
url="http://127.0.0.1:$PORT_auth/cometd"
header_plugin="$PLUGIN_DIR/header_plugin.so"
token_plugin="$PLUGIN_DIR/token_plugin.so"
[ -f "$header_plugin" ] && [ -f "$token_plugin" ] || fail "example plugins not built in $PLUGIN_DIR"

for type in websocket long-polling; do
  timeout 20 "$CLI" --connection-type "$type" --ext-plugin "$header_plugin:Authorization: Bearer good-plugin" \
    publish "$url" /plugins/a '1' >/dev/null 2>"$D/$type.header.err"
  expect_rc 0 $? "$type: header plugin"

  # The first token is refused: authenticate() once, then the run succeeds.
  ch=$(unique_channel "$type")
  timeout 20 "$CLI" -v --connection-type "$type" --ext-plugin "$token_plugin:expired-1,good-2" \
    subscribe "$url" "$ch" -C 1 >"$D/$type.token.out" 2>"$D/$type.token.err" &
  pid=$!
  wait_for "$D/$type.token.err" "subscribed to"
  curl -sf "http://127.0.0.1:$PORT_auth/control/publish?channel=$ch&n=1" >/dev/null
  wait "$pid"
  expect_rc 0 $? "$type: token plugin"
  [ "$(grep -c 'token_plugin: authenticate()' "$D/$type.token.err")" -eq 1 ] ||
    fail "$type: authenticate() calls: $(grep 'token_plugin' "$D/$type.token.err")"
  ndjson "$D/$type.token.out"

  # Tokens that keep failing: bounded, 77.
  timeout 20 "$CLI" --connection-type "$type" --ext-plugin "$token_plugin:bad-1,bad-2,bad-3" \
    publish "$url" /plugins/a '1' >/dev/null 2>"$D/$type.bad.err"
  expect_rc 77 $? "$type: failing tokens"
  [ "$(grep -c 'token_plugin: authenticate()' "$D/$type.bad.err")" -eq 1 ] || fail "$type: not bounded"
  say "$type ok"
done

# Load errors are exit 78, naming the plugin.
timeout 5 "$CLI" --ext-plugin "$D/missing.so" publish "$url" /plugins/a 1 >/dev/null 2>"$D/missing.err"
expect_rc 78 $? "missing plugin"
grep -q "cannot load plugin $D/missing.so" "$D/missing.err" || fail "$(cat "$D/missing.err")"
timeout 5 "$CLI" --ext-plugin "$header_plugin" publish "$url" /plugins/a 1 >/dev/null 2>"$D/refused.err"
expect_rc 78 $? "plugin refusing its ARG"
grep -q "create() refused: expected ARG 'Name: value'" "$D/refused.err" || fail "$(cat "$D/refused.err")"
