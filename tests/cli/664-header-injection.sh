# Header names and values from --auth-command and from plugins follow one rule (RFC 7230 token
# names; values without CR, LF, NUL or other controls): a bad one is refused with an error that
# names the header and never shows its value; nothing reaches the wire. A plugin that replaces
# the headers does not lose the User-Agent.
. "$(dirname "$0")/lib.sh"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY

: >"$D/server.log"
start_node server hostile-server.js --mode bayeux --log "$D/server.log"
url="http://127.0.0.1:$PORT_server/cometd"

# --auth-command: a JSON header name carrying CRLF, and a value carrying one.
printf '%s\n' '{"headers":{"X-A: 1\r\nX-Injected: yes\r\nX-B":"v"}}' >"$D/bad-name.json"
printf '%s\n' '{"headers":{"X-Token":"SECRET-664\r\nX-Injected: yes"}}' >"$D/bad-value.json"
for type in long-polling websocket; do
  for bad in bad-name bad-value; do
    timeout 20 "$CLI" --timeout 3s --connection-type "$type" --auth-command "cat $D/$bad.json" \
      publish "$url" /a 1 >/dev/null 2>"$D/$type-$bad.err"
    expect_rc 77 $? "$type: --auth-command with a $bad"
    grep -q 'header' "$D/$type-$bad.err" || fail "$type $bad: $(cat "$D/$type-$bad.err")"
    ! grep -q 'SECRET-664' "$D/$type-$bad.err" || fail "$type $bad: the value was printed"
  done
done
grep -q 'X-Token' "$D/long-polling-bad-value.err" || fail "the header is not named: $(cat "$D/long-polling-bad-value.err")"
! grep -q 'X-Injected' "$D/server.log" || fail "an injected header reached the wire: $(head -c 400 "$D/server.log")"
say "--auth-command: bad names and values refused (77) on both transports, nothing sent"

# Plugins: one that returns a bad header name, one that replaces the headers with its own.
cat >"$D/plugin.c" <<'C'
#include <stdlib.h>
#include <string.h>
#include "cometd_plugin.h"
static void *create(const char *arg, const char **error) { (void)error; return strdup(arg ? arg : ""); }
static void destroy(void *self) { free(self); }
static char *outgoing(void *self, const char *payload, const char *headers, char **new_headers) {
  (void)payload; (void)headers;
  *new_headers = strdup(strcmp(self, "bad") == 0 ? "{\"X-Evil\\r\\nX-Injected: yes\":\"1\"}"
                                                 : "{\"X-Plugin\":\"1\"}");
  return NULL;
}
static const cometd_plugin_v1 api = {COMETD_PLUGIN_ABI, "headers664", create, destroy, outgoing, NULL, NULL};
const cometd_plugin_v1 *cometd_plugin_entry(void) { return &api; }
C
cc -shared -fPIC -I"$TESTS_DIR/../extensions" -o "$D/plugin.so" "$D/plugin.c" || fail "cannot build the plugin"
for type in long-polling websocket; do
  : >"$D/server.log"
  timeout 20 "$CLI" --timeout 2s --connection-type "$type" --ext-plugin "$D/plugin.so:bad" \
    publish "$url" /a 1 >/dev/null 2>"$D/$type-plugin-bad.err"
  rc=$?
  [ "$rc" -ne 0 ] || fail "$type: published with a bad plugin header"
  grep -q 'headers664 returned bad headers.*X-Evil.*not a valid header name' "$D/$type-plugin-bad.err" ||
    fail "$type: the plugin's bad header is not named: $(cat "$D/$type-plugin-bad.err")"
  ! grep -q 'X-Injected' "$D/server.log" || fail "$type: the plugin's injected header reached the wire"
done
say "plugin: a bad header name is refused, named, never sent"
: >"$D/server.log"
timeout 20 "$CLI" --timeout 5s --connection-type long-polling --ext-plugin "$D/plugin.so:good" \
  publish "$url" /a 1 >/dev/null 2>"$D/plugin-good.err"
expect_rc 0 $? "a plugin replacing the headers"
grep -q 'X-Plugin: 1' "$D/server.log" || fail "the plugin's header was not sent: $(head -c 300 "$D/server.log")"
grep -q 'User-Agent: cometd-cli' "$D/server.log" || fail "the User-Agent was lost: $(head -c 300 "$D/server.log")"
say "plugin: its headers sent, User-Agent kept"

COMETD_TOKEN=$'tok\x01en' timeout 10 "$CLI" publish "$url" /a 1 >/dev/null 2>"$D/bearer.err"
expect_rc 64 $? "a bearer token with a control byte"
