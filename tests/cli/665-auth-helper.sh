# The --auth-command helper: it inherits no socket of ours, it does not outlive a SIGTERM to
# cometd-cli, and a helper whose background child keeps its stdout open still finishes as
# soon as the helper itself has exited.
. "$(dirname "$0")/lib.sh"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
start_node auth faye-server.js --auth
url="http://127.0.0.1:$PORT_auth/cometd"

# The first run gives a bad token; the second runs while the connection is open (WebSocket:
# the socket is live) and lists the helper's descriptors.
for type in websocket long-polling; do
  rm -f "$D/$type.runs" "$D/$type.fds"
  cat >"$D/$type.helper" <<SH
echo run >>"$D/$type.runs"
if [ \$(grep -c '' "$D/$type.runs") -eq 1 ]; then echo bad-token; exit 0; fi
for f in /proc/\$\$/fd/*; do readlink "\$f"; done >"$D/$type.fds"
echo good-token
SH
  timeout 20 "$CLI" --connection-type "$type" --auth-command "sh $D/$type.helper" \
    publish "$url" /auth/a '"x"' >/dev/null 2>"$D/$type.fd.err"
  expect_rc 0 $? "$type: re-authenticated"
  [ -s "$D/$type.fds" ] || fail "$type: the helper did not run a second time"
  ! grep -q 'socket:' "$D/$type.fds" || fail "$type: the helper inherited a socket: $(tr '\n' ' ' <"$D/$type.fds")"
  say "$type: the helper's descriptors: $(tr '\n' ' ' <"$D/$type.fds")"
done

# SIGTERM while the helper runs: cometd-cli ends (143) and the helper's group goes with it.
rm -f "$D/helper.pid"
"$CLI" --auth-command "echo \$\$ >'$D/helper.pid'; exec sleep 30" publish "$url" /auth/a '"x"' \
  >/dev/null 2>"$D/term.err" &
pid=$!
wait_until 10 test -s "$D/helper.pid" || { kill -9 $pid; fail "the helper did not start"; }
helper=$(cat "$D/helper.pid")
echo "$helper" >>"$D/pids"  # stopped at the end of the case if it is still there
t0=$(date +%s%N)
kill -TERM $pid
for _ in $(seq 1 50); do kill -0 $pid 2>/dev/null || break; sleep 0.02; done
kill -0 $pid 2>/dev/null && { kill -9 $pid; fail "still running 1 s after SIGTERM"; }
wait $pid
rc=$?
ms=$(elapsed_ms "$t0")
expect_rc 143 $rc "SIGTERM during --auth-command"
wait_until 2 sh -c "! kill -0 $helper 2>/dev/null" || fail "the helper (pid $helper) outlived cometd-cli"
say "SIGTERM during the helper: exit $rc in $ms ms, no helper left"

# A helper that leaves `sleep 60 &` holding its stdout: done when the helper is, and the
# background child ended with its group.
rm -f "$D/bg.pid"
t0=$(date +%s%N)
timeout 20 "$CLI" --auth-command "sleep 60 & echo \$! >'$D/bg.pid'; echo good-token" \
  publish "$url" /auth/a '"x"' >/dev/null 2>"$D/bg.err"
rc=$?
ms=$(elapsed_ms "$t0")
[ -s "$D/bg.pid" ] && cat "$D/bg.pid" >>"$D/pids"
expect_rc 0 $rc "a helper with a background child"
[ "$ms" -lt 5000 ] || fail "a helper with a background child took $ms ms"
wait_until 2 sh -c "! kill -0 $(cat "$D/bg.pid") 2>/dev/null" || fail "the background child outlived the run"
say "a helper with a background child holding stdout: done in $ms ms, the child ended"
