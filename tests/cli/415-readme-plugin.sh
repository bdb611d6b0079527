# The plugin printed in README.md compiles with the one cc command it gives, loads, and adds
# its header to the requests and the WebSocket upgrade.
. "$(dirname "$0")/lib.sh"
readme="$TESTS_DIR/../README.md"
sed -n '/<!-- plugin-example -->/,/<!-- \/plugin-example -->/p' "$readme" | sed '1,2d;$d' | sed '$d' \
  >"$D/hello_plugin.c"
grep -q cometd_plugin_entry "$D/hello_plugin.c" || fail "no plugin found in README.md"
(cd "$D" && cc -shared -fPIC -I "$TESTS_DIR/../extensions" -o hello_plugin.so hello_plugin.c) 2>"$D/cc.err" ||
  fail "the README plugin does not compile: $(cat "$D/cc.err")"
for type in websocket long-polling; do
  timeout 20 "$CLI" -vvv --connection-type "$type" --ext-plugin "$D/hello_plugin.so" \
    publish "$FAYE_URL" /readme/a '1' >/dev/null 2>"$D/$type.err"
  expect_rc 0 $? "$type: the README plugin"
  grep -q '> X-Hello: 1' "$D/$type.err" || fail "$type: no X-Hello header sent"
done
