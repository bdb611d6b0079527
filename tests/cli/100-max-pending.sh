# --max-pending: a reader that stops reading stops the fetching (no new /meta/connect), and
# nothing is lost when it reads again.
. "$(dirname "$0")/lib.sh"

# stall SERVER NAME MAX_PENDING N SIZE: a subscriber with --max-pending whose reader does not
# read while the server publishes N messages of SIZE bytes of pad, then N more; fetching must
# pause and stay paused, and the reader must then get all 2N, once each.
stall() {
  local s=$1 name=$2 max=$3 n=$4 size=$5 ch pid c1 c2
  ch=$(unique_channel "$s")
  mkfifo "$D/$name.fifo"
  timeout 60 "$CLI" -vv --max-pending "$max" subscribe "$(url_of "$s")" "$ch" -C $((2 * n)) \
    >"$D/$name.fifo" 2>"$D/$name.err" &
  pid=$!
  exec 3<"$D/$name.fifo"   # open the reading end, and do not read yet
  wait_for "$D/$name.err" "subscribed to"
  server_publish "$s" "$ch" "$n" "$size"
  wait_for "$D/$name.err" "pausing fetching" 10
  # Stalled: the connect count must stay put while the server queues more.
  c1=$(stat "$s" .connects)
  server_publish "$s" "$ch" "$n" "$size" $((n + 1))
  sleep 1
  c2=$(stat "$s" .connects)
  [ "$c1" -eq "$c2" ] || fail "$name: connects went on while stalled ($c1 -> $c2)"
  cat <&3 >"$D/$name.out"
  exec 3<&-
  wait "$pid"
  expect_rc 0 $? "$name: subscribe after the stall"
  [ "$(grep -c '' "$D/$name.out")" -eq $((2 * n)) ] ||
    fail "$name: got $(grep -c '' "$D/$name.out") of $((2 * n))"
  [ "$(jq -r .data.n "$D/$name.out" | sort -n | uniq | grep -c '')" -eq $((2 * n)) ] ||
    fail "$name: duplicates or gaps"
  say "$name ok"
}

for s in $SERVERS; do
  stall "$s" "$s" 10 1500 200   # 230 B messages: far more than the pipe buffer holds
  # Messages bigger than the 64 KiB staging buffer reach the writer as they are parsed, before
  # their batch ends: the bound must hold for them too.
  stall "$s" "$s-big" 4 30 70000
done
