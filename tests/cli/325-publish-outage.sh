# A publish stream through a 3 s outage (INTERFACE.md, "publish"): the lines read while the
# server is down never reached it, so they wait while the client reconnects and are sent once
# it is back. Every line is published once, none is reported unknown, and the exit is 0.
# Faye over WebSocket and long-polling, the CometD Node server over long-polling.
. "$(dirname "$0")/lib.sh"

stream() {  # SERVER-SCRIPT TYPE
  local script=$1 type=$2 name=pub-${1%-server.js}-$2
  local tag=${name//-/_}
  start_node "$name" "$script"
  local port_var="PORT_$tag" pid_var="PID_$tag"
  local port=${!port_var}
  local control="http://127.0.0.1:$port/control"
  mkfifo "$D/$name.in"
  timeout 60 "$CLI" --connection-type "$type" publish --acks "http://127.0.0.1:$port/cometd" /p/x \
    <"$D/$name.in" >"$D/$name.acks" 2>"$D/$name.err" &
  local client=$!
  exec {feed}>"$D/$name.in"
  for n in 1 2 3 4 5; do echo "{\"n\":$n}" >&"$feed"; done
  wait_until 10 lines_are "$D/$name.acks" 5 || fail "$name: lines 1-5 not acknowledged"
  kill "${!pid_var}"
  wait "${!pid_var}" 2>/dev/null
  for n in 6 7 8 9 10; do echo "{\"n\":$n}" >&"$feed"; sleep 0.3; done
  sleep 1.5  # 3 s down in all
  # (the server must not inherit the feed: stdin would never end)
  start_node "$name" "$script" --port "$port" {feed}>&-
  for n in 11 12 13 14 15; do echo "{\"n\":$n}" >&"$feed"; done
  exec {feed}>&-
  wait "$client"
  expect_rc 0 $? "$name: $(cat "$D/$name.err")"
  ! grep -q 'outcome unknown' "$D/$name.err" "$D/$name.acks" || fail "$name: reported unknown"
  [ "$(jq -r .line "$D/$name.acks" | sort -n | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 " ] ||
    fail "$name: acks $(cat "$D/$name.acks")"
  [ "$(jq -r .successful "$D/$name.acks" | sort -u)" = "true" ] || fail "$name: a failed ack"
  # The restarted server received lines 6-15, each once.
  [ "$(curl -sf "$control/stats" | jq '.published["/p/x"]')" = 10 ] ||
    fail "$name: the restarted server counted $(curl -sf "$control/stats" | jq -c .published)"
  grep -q 'connection lost' "$D/$name.err" && grep -q 'reconnected after' "$D/$name.err" ||
    fail "$name: status lines: $(cat "$D/$name.err")"
  say "$name ok"
}

stream faye-server.js websocket &
a=$!
stream faye-server.js long-polling &
b=$!
stream cometd-server.js long-polling &
c=$!
for pid in $a $b $c; do
  wait "$pid" || fail "a publish stream failed"
done
