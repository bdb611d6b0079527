# -o json|envelope|data and --meta against both real servers.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  for mode in json envelope data; do
    ch=$(unique_channel "$s-$mode")
    timeout 20 "$CLI" -v subscribe "$(url_of "$s")" "${ch%/*}/**" -C 2 -o "$mode" >"$D/$s.$mode.out" 2>"$D/$s.$mode.err" &
    pid=$!
    wait_for "$D/$s.$mode.err" "subscribed to"
    server_publish "$s" "$ch" 2
    wait "$pid"
    expect_rc 0 $? "$s: -o $mode"
    ndjson "$D/$s.$mode.out"
    case $mode in
      json) jq -e --arg ch "$ch" '.channel == $ch and (.data.n | type) == "number"' "$D/$s.$mode.out" >/dev/null ;;
      data) jq -e '(.n | type) == "number" and has("pad")' "$D/$s.$mode.out" >/dev/null ;;
      envelope)
        jq -s -e --arg ch "$ch" --arg pat "${ch%/*}/**" '
          map(.seq) == [1,2] and
          all(.[]; .subscription == $pat and .message.channel == $ch and
                   (.ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$")))' \
          "$D/$s.$mode.out" >/dev/null ;;
    esac || fail "$s: -o $mode: $(head -2 "$D/$s.$mode.out")"
  done

  # --meta: the meta replies too, not counted toward --count.
  ch=$(unique_channel "$s-meta")
  timeout 20 "$CLI" -v subscribe "$(url_of "$s")" "$ch" -C 1 --meta -o envelope >"$D/$s.meta.out" 2>"$D/$s.meta.err" &
  pid=$!
  wait_for "$D/$s.meta.err" "subscribed to"
  server_publish "$s" "$ch" 1
  wait "$pid"
  expect_rc 0 $? "$s: --meta"
  ndjson "$D/$s.meta.out"
  jq -s -e --arg ch "$ch" '
    (map(.message.channel) | index("/meta/handshake")) != null and
    (map(.message.channel) | index("/meta/subscribe")) != null and
    (map(select(.message.channel == $ch)) | length) == 1 and
    map(.seq) == [range(1; length + 1)]' "$D/$s.meta.out" >/dev/null || fail "$s: --meta: $(cat "$D/$s.meta.out")"
  timeout 5 "$CLI" subscribe "$(url_of "$s")" "$ch" --meta -o data >/dev/null 2>&1
  expect_rc 64 $? "$s: --meta with -o data"
  say "$s ok"
done
