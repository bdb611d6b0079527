# The --replay-store file under attack and under load: exit 73 when it cannot be created at the
# start (a symlink is not followed), private (0600), never written through a planted symlink,
# not poisoned by a publisher's replayId, shared by concurrent runs without losing a channel,
# and a later write failure ends the run with 74 and a message, -q or not.
. "$(dirname "$0")/lib.sh"
start_node sf faye-server.js --replay
url="http://127.0.0.1:$PORT_sf/cometd"
event() { curl -sf "http://127.0.0.1:$PORT_sf/control/event?channel=$1&n=$2" | jq -r '.ids[]'; }
echo precious >"$D/victim"

timeout 10 "$CLI" subscribe "$url" /event/A --replay-store "$D/missing/store.json" -C 1 >"$D/73.out" 2>"$D/73.err"
expect_rc 73 $? "a store in a missing directory"
grep -q '^cometd-cli: --replay-store .*missing/store.json: cannot create it' "$D/73.err" || fail "73: $(cat "$D/73.err")"
ln -s "$D/victim" "$D/link.json"
timeout 10 "$CLI" subscribe "$url" /event/A --replay-store "$D/link.json" -C 1 >"$D/link.out" 2>"$D/link.err"
expect_rc 73 $? "a store that is a symlink"
[ "$(cat "$D/victim")" = precious ] || fail "the symlink's target was written"

# A symlink planted where a temporary file named after the pid would go: the shell plants it,
# then becomes the client (same pid).
ch=/event/Plant
id=$(event $ch 1)
store="$D/plant.json"
sh -c 'ln -s "$0" "$1.tmp.$$" && exec "$2" subscribe "$3" "$4" --replay-from -2 --replay-store "$1" -C 1 --duration 10s' \
  "$D/victim" "$store" "$CLI" "$url" "$ch" >"$D/plant.out" 2>"$D/plant.err"
expect_rc 0 $? "planted symlink run"
[ "$(cat "$D/victim")" = precious ] || fail "written through a planted symlink: $(cat "$D/victim")"
[ -f "$store" ] && [ ! -L "$store" ] || fail "the store is not a regular file"
[ "$(command stat -c %a "$store")" = 600 ] || fail "the store is $(command stat -c %a "$store"), not 600"
[ "$(jq -r ".[\"$ch\"]" "$store")" = "$id" ] || fail "store: $(cat "$store")"

# A publisher's replayId that is not a position is ignored (warned); the next run resumes.
ch=/event/Poison
first=$(event $ch 1)
store="$D/poison.json"
timeout 15 "$CLI" -v subscribe "$url" "$ch" --replay-from -2 --replay-store "$store" -C 2 --duration 10s \
  >"$D/poison.out" 2>"$D/poison.err" &
pid=$!
wait_for "$D/poison.err" "subscribed to $ch"
timeout 10 "$CLI" publish "$url" "$ch" '{"event":{"replayId":{"evil":1}},"payload":{}}' || fail "poisoned publish"
wait $pid
expect_rc 0 $? "the run that received the poison"
grep -q "warning: ignoring the replay id {\"evil\":1} of a message on $ch" "$D/poison.err" ||
  fail "no warning: $(cat "$D/poison.err")"
[ "$(jq -c ".[\"$ch\"]" "$store")" = "$first" ] || fail "poisoned store: $(cat "$store")"
next=$(event $ch 1)
timeout 10 "$CLI" subscribe "$url" "$ch" --replay-store "$store" -C 1 --duration 8s >"$D/next.out" 2>"$D/next.err"
expect_rc 0 $? "the run after the poison"
[ "$(jq -r .data.event.replayId "$D/next.out")" = "$next" ] || fail "did not resume: $(cat "$D/next.out")"

# Two runs started on one store, each saving its own channel: both channels are kept.
store="$D/shared.json"
for n in 1 2; do
  timeout 15 "$CLI" -v subscribe "$url" /event/Shared$n --replay-from -2 --replay-store "$store" -C 1 --duration 10s \
    >"$D/shared$n.out" 2>"$D/shared$n.err" &
  eval "pid$n=\$!"
done
wait_for "$D/shared1.err" "subscribed to /event/Shared1"
wait_for "$D/shared2.err" "subscribed to /event/Shared2"
id1=$(event /event/Shared1 1)
wait "$pid1"
expect_rc 0 $? "shared run 1"
id2=$(event /event/Shared2 1)
wait "$pid2"
expect_rc 0 $? "shared run 2"
[ "$(jq -c '[.["/event/Shared1"], .["/event/Shared2"]]' "$store")" = "[$id1,$id2]" ] ||
  fail "a channel was lost: $(cat "$store")"

# The store's directory goes away mid-run: the next save fails, and the run says so with 74.
for q in "" -q; do
  ch=/event/Late$q
  mkdir -p "$D/gone$q"
  store="$D/gone$q/store.json"
  id=$(event "$ch" 1)
  timeout 15 "$CLI" $q subscribe "$url" "$ch" --replay-from -2 --replay-store "$store" -C 2 --duration 10s \
    >"$D/late$q.out" 2>"$D/late$q.err" &
  pid=$!
  wait_until 10 grep -q "$id" "$store" || fail "$q: the first position was not saved"
  rm -rf "$D/gone$q"
  event "$ch" 1 >/dev/null
  wait $pid
  expect_rc 74 $? "$q: a store that can no longer be written"
  grep -q "^cometd-cli: cannot write --replay-store $store: .*not saved" "$D/late$q.err" ||
    fail "$q: $(cat "$D/late$q.err")"
  [ "$(grep -c '' "$D/late$q.out")" -eq 2 ] || fail "$q: the lines were not all written"
done
say "ok"
