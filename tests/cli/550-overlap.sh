# Overlapping subscriptions: each envelope names the most specific pattern that matches; how
# many copies a server delivers is the server's business (recorded here, see the man page).
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  url=$(url_of "$s")
  base=$(unique_channel "$s")
  start_subscriber "$s" "$url" "$base/**" "$base/*" "$base/a" -o envelope --idle-timeout 1s
  timeout 10 "$CLI" publish "$url" "$base/a" '"exact"'
  timeout 10 "$CLI" publish "$url" "$base/b" '"one level"'
  timeout 10 "$CLI" publish "$url" "$base/b/c" '"two levels"'
  wait_until 10 matches_at_least "$D/$s.out" 'two levels' 1 || fail "$s: nothing for $base/b/c"
  subscriber_done "$s"
  ndjson "$D/$s.out"
  labels() { jq -r --arg d "$1" 'select(.message.data == $d) | .subscription' "$D/$s.out" | sort -u | tr '\n' ' '; }
  [ "$(labels exact)" = "$base/a " ] || fail "$s: /a labelled $(labels exact)"
  [ "$(labels 'one level')" = "$base/* " ] || fail "$s: /b labelled $(labels 'one level')"
  [ "$(labels 'two levels')" = "$base/** " ] || fail "$s: /b/c labelled $(labels 'two levels')"
  copies() { jq -r --arg d "$1" 'select(.message.data == $d) | .seq' "$D/$s.out" | grep -c ''; }
  say "$s: copies delivered for /a (3 patterns): $(copies exact), /b (2): $(copies 'one level'), /b/c (1): $(copies 'two levels')"
done
