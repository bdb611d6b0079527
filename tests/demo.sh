#!/usr/bin/env bash
# Installs what is needed, builds cometd-cli, starts a real CometD server (the CometD project's
# Node server, npm cometd-nodejs-server) on a free loopback port, and shows `subscribe`
# receiving what `publish` sends. Everything stops at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 >/dev/null
cli=build/release/app/cometd-cli

work=$(mktemp -d)
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
node tests/integration/cometd-server.js >"$work/server.out" &
server_pid=$!
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$work/server.out")
  [ -n "$port" ] && break
  sleep 0.1
done
url="http://127.0.0.1:$port/cometd"
echo "== CometD Node server at $url"

echo "== cometd-cli -v subscribe $url '/demo/**' -C 4"
"$cli" -v subscribe "$url" '/demo/**' -C 4 >"$work/received" 2>"$work/status" &
sub=$!
for _ in $(seq 1 100); do grep -q 'subscribed to' "$work/status" && break; sleep 0.1; done
sed 's/^/   (stderr) /' "$work/status"

echo "== cometd-cli publish $url /demo/hello '{\"text\":\"hello, world\"}'"
"$cli" publish "$url" /demo/hello '{"text":"hello, world"}'
echo "== printf '{\"n\":1}\\n{\"n\":2}\\n' | cometd-cli publish $url /demo/lines"
printf '{"n":1}\n{"n":2}\n' | "$cli" publish "$url" /demo/lines
echo "== echo '{\"channel\":\"/demo/requests\",\"data\":[1,2,3]}' | cometd-cli publish $url"
echo '{"channel":"/demo/requests","data":[1,2,3]}' | "$cli" publish "$url"

wait "$sub"
echo "== the subscriber received (stdout, one JSON message per line):"
cat "$work/received"
