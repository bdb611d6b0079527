# --max-pending: a reader that stops reading stops the fetching (no new /meta/connect), and
# nothing is lost when it reads again.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  ch=$(unique_channel "$s")
  fifo="$D/$s.fifo"
  mkfifo "$fifo"
  timeout 60 "$CLI" -vv --max-pending 10 subscribe "$(url_of "$s")" "$ch" -C 3000 \
    >"$fifo" 2>"$D/$s.err" &
  pid=$!
  exec 3<"$fifo"   # open the reading end, and do not read yet
  wait_for "$D/$s.err" "subscribed to"
  server_publish "$s" "$ch" 1000 200   # 1000 x 230 B: far more than the pipe buffer holds
  wait_for "$D/$s.err" "pausing fetching" 10
  # Stalled: the connect count must stay put while the server queues more.
  c1=$(stat "$s" .connects)
  server_publish "$s" "$ch" 2000 200 1001
  sleep 1
  c2=$(stat "$s" .connects)
  [ "$c1" -eq "$c2" ] || fail "$s: connects went on while stalled ($c1 -> $c2)"
  cat <&3 >"$D/$s.out"
  exec 3<&-
  wait "$pid"
  expect_rc 0 $? "$s: subscribe after the stall"
  [ "$(grep -c '' "$D/$s.out")" -eq 3000 ] || fail "$s: got $(grep -c '' "$D/$s.out") of 3000"
  [ "$(jq -r .data.n "$D/$s.out" | sort -n | uniq | grep -c '')" -eq 3000 ] || fail "$s: duplicates or gaps"
  say "$s ok"

  # Messages bigger than the 64 KiB staging buffer reach the writer as they are parsed, before
  # their batch ends: the bound must hold for them too.
  ch=$(unique_channel "$s")
  mkfifo "$D/$s.big.fifo"
  timeout 60 "$CLI" -vv --max-pending 4 subscribe "$(url_of "$s")" "$ch" -C 60 \
    >"$D/$s.big.fifo" 2>"$D/$s.big.err" &
  pid=$!
  exec 3<"$D/$s.big.fifo"
  wait_for "$D/$s.big.err" "subscribed to"
  server_publish "$s" "$ch" 30 70000
  wait_for "$D/$s.big.err" "pausing fetching" 10
  c1=$(stat "$s" .connects)
  server_publish "$s" "$ch" 30 70000 31
  sleep 1
  c2=$(stat "$s" .connects)
  [ "$c1" -eq "$c2" ] || fail "$s: big messages: connects went on while stalled ($c1 -> $c2)"
  cat <&3 >"$D/$s.big.out"
  exec 3<&-
  wait "$pid"
  expect_rc 0 $? "$s: subscribe to big messages after the stall"
  [ "$(jq -r .data.n "$D/$s.big.out" | sort -n | uniq | grep -c '')" -eq 60 ] ||
    fail "$s: big messages: got $(grep -c '' "$D/$s.big.out") lines, not 60 distinct"
  say "$s big messages ok"
done
