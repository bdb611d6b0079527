# -o pretty, the default on a terminal: a header line (local time to the millisecond, channel,
# the subscription that matched) and the data as indented JSON in jq's colours; NO_COLOR and
# --color never leave the colours out. The same run into a pipe is the json output byte for
# byte (-o json forces it on a terminal too).
. "$(dirname "$0")/lib.sh"
PTY="$TESTS_DIR/cli/pty_run.py"
s=faye
url=$(url_of $s)
ch=$(unique_channel "$s")
pat="${ch%/*}/*"
esc=$(printf '\033')

run_pty() {  # NAME ARGS...: subscribe on a terminal, in the background, -C 2
  local name=$1
  shift
  ( env "$@" timeout 20 "$PTY" "$D/$name.out" "$D/$name.err" "$CLI" -v subscribe "$url" "$pat" -C 2 \
      ${PTY_ARGS:-}; echo $? >"$D/$name.rc" ) &
}
PTY_ARGS= run_pty tty
PTY_ARGS= run_pty nocolor NO_COLOR=1
PTY_ARGS="--color never" run_pty never
PTY_ARGS="-o json" run_pty forced
timeout 20 "$CLI" -v subscribe "$url" "$pat" -C 2 >"$D/pipe.out" 2>"$D/pipe.err" &
pipe=$!
timeout 20 "$CLI" -v subscribe "$url" "$pat" -C 2 -o json >"$D/json.out" 2>"$D/json.err" &
json=$!
for n in tty nocolor never forced pipe json; do
  wait_until 10 matches_at_least "$D/$n.err" "subscribed to" 1 || fail "$n: not subscribed"
done
curl -sf "$FAYE_CONTROL/publish?channel=$ch&n=2&size=300" >/dev/null || fail "publish"
wait "$pipe"; expect_rc 0 $? "pipe"
wait "$json"; expect_rc 0 $? "-o json"
for n in tty nocolor never forced; do
  wait_until 10 test -s "$D/$n.rc" || fail "$n: did not end"
  expect_rc 0 "$(cat "$D/$n.rc")" "$n"
done

# Into a pipe: NDJSON, the same bytes as -o json.
ndjson "$D/pipe.out"
cmp -s "$D/pipe.out" "$D/json.out" || fail "a pipe is not -o json byte for byte"
cmp -s "$D/forced.out" "$D/json.out" || fail "-o json on a terminal: $(head -c 300 "$D/forced.out" | cat -v)"

# On a terminal: a header per message and the indented data, coloured.
plain=$(sed "s/$esc\[[0-9;]*m//g" "$D/tty.out")
[ "$(grep -cE "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} $ch via ${pat//\*/\\*}\$" <<<"$plain")" -eq 2 ] ||
  fail "headers: $(head -5 <<<"$plain")"
grep -q '^  "n": 1,$' <<<"$plain" && grep -q '^  "n": 2,$' <<<"$plain" || fail "indented data: $plain"
grep -q "^  \"pad\": \"$(printf 'x%.0s' $(seq 1 300))\"\$" <<<"$plain" || fail "the long string is cut"
grep -qF "${esc}[34;1m\"n\"${esc}[0m" "$D/tty.out" || fail "keys not in jq's blue: $(head -3 "$D/tty.out" | cat -v)"
grep -qF "${esc}[0;39m1${esc}[0m" "$D/tty.out" || fail "numbers not coloured: $(cat -v "$D/tty.out" | head -5)"
# The time is local time: the header's hour is the hour now (or a moment ago).
hour=$(head -1 <<<"$plain" | cut -c1-2)
[ "$hour" = "$(date +%H)" ] || [ "$hour" = "$(date -d '-1 min' +%H)" ] || fail "not local time: $hour"

# NO_COLOR and --color never: the same text, no escape sequence at all.
for n in nocolor never; do
  ! grep -q "$esc" "$D/$n.out" || fail "$n: escapes: $(head -3 "$D/$n.out" | cat -v)"
  [ "$(sed -E 's/^[0-9:.]{12} //' "$D/$n.out")" = "$(sed -E 's/^[0-9:.]{12} //' <<<"$plain")" ] ||
    fail "$n: not the same text: $(head -5 "$D/$n.out")"
done

# --color always into a pipe, with -o pretty.
timeout 20 "$CLI" -v subscribe "$url" "$ch" -C 1 -o pretty --color always >"$D/always.out" 2>"$D/always.err" &
pid=$!
wait_for "$D/always.err" "subscribed to"
curl -sf "$FAYE_CONTROL/publish?channel=$ch&n=1" >/dev/null
wait "$pid"; expect_rc 0 $? "--color always"
grep -q "$esc\[" "$D/always.out" || fail "--color always: no colours"
grep -qE "^$esc\[0;90m[0-9:.]{12}$esc\[0m $esc\[1m$ch$esc\[0m\$" "$D/always.out" ||
  fail "header: $(head -1 "$D/always.out" | cat -v)"
say "pty, pipe, NO_COLOR, --color never/always ok"
