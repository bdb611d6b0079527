# stdin line mode: a bad line's reason in our own words, with the '"text"' hint when a line is
# not JSON; --acks records for bad lines too (one record per input line); --raw publishes
# each line (or DATA) as a JSON string.
. "$(dirname "$0")/lib.sh"
for s in $SERVERS; do
  url=$(url_of "$s")
  ch=$(unique_channel "$s")
  printf 'hello world\n{"a":1,}\n"ok"\n' |
    timeout 10 "$CLI" publish "$url" "$ch" >/dev/null 2>"$D/$s.err"
  expect_rc 65 $? "$s: bad data lines"
  grep -q "^cometd-cli: stdin:1: not JSON.*; quote a JSON string as '\"text\"'" "$D/$s.err" ||
    fail "$s: line 1: $(cat "$D/$s.err")"
  grep -q "^cometd-cli: stdin:2: not JSON: a comma before '}' at column 8" "$D/$s.err" ||
    fail "$s: line 2: $(cat "$D/$s.err")"
  grep -qi 'simdjson\|improper structure\|superfluous' "$D/$s.err" && fail "$s: the parser's words: $(cat "$D/$s.err")"
  [ "$(published "$s" "$ch")" -eq 1 ] || fail "$s: the good line"

  # --acks: a record for every line, bad ones included, in line order.
  ch2=$(unique_channel "$s-acks")
  printf '{"channel":"%s","data":1}\nnot json\n\n{"channel":"%s/*","data":2}\n{"channel":"%s","data":3}\n' \
    "$ch2" "$ch2" "$ch2" | timeout 10 "$CLI" publish "$url" --acks >"$D/$s.acks" 2>"$D/$s.acks.err"
  expect_rc 65 $? "$s: --acks with bad lines"
  ndjson "$D/$s.acks"
  [ "$(jq -c '[.line, .successful]' "$D/$s.acks" | tr -d '\n')" = "[1,true][2,false][4,false][5,true]" ] ||
    fail "$s: records: $(cat "$D/$s.acks")"
  jq -s -e '.[1] | .line == 2 and (.error | startswith("not JSON")) and .channel == null and .id == null' \
    "$D/$s.acks" >/dev/null || fail "$s: record of line 2: $(cat "$D/$s.acks")"
  jq -s -e --arg ch "$ch2/*" '.[2] | .line == 4 and .channel == $ch and (.error | test("wildcard"))' \
    "$D/$s.acks" >/dev/null || fail "$s: record of line 4: $(cat "$D/$s.acks")"

  # --raw: plain text lines, published as JSON strings, byte for byte.
  ch3=$(unique_channel "$s-raw")
  start_subscriber "$s.raw" "$url" "$ch3" -C 4 -o data
  printf 'plain text\nsay "hi" \\o/\n{"not":"parsed"}\n' |
    timeout 10 "$CLI" publish "$url" "$ch3" --raw 2>"$D/$s.raw.err"
  expect_rc 0 $? "$s: --raw lines"
  timeout 10 "$CLI" publish "$url" "$ch3" --raw 'one shot [1,2]' 2>>"$D/$s.raw.err"
  expect_rc 0 $? "$s: --raw DATA"
  empty "$D/$s.raw.err" "$s: stderr of --raw"
  subscriber_done "$s.raw"
  [ "$(jq -r . "$D/$s.raw.out")" = "$(printf 'plain text\nsay "hi" \\o/\n{"not":"parsed"}\none shot [1,2]')" ] ||
    fail "$s: --raw delivered $(cat "$D/$s.raw.out")"
  say "$s ok"
done
timeout 5 "$CLI" subscribe "$FAYE_URL" /a --raw >/dev/null 2>"$D/raw-sub.err"
expect_rc 64 $? "subscribe --raw"
grep -qF -- "--raw is an option of publish, not of subscribe" "$D/raw-sub.err" || fail "$(cat "$D/raw-sub.err")"
timeout 5 "$CLI" publish "$FAYE_URL" --raw </dev/null >/dev/null 2>"$D/raw-requests.err"
expect_rc 64 $? "publish --raw without CHANNEL"
grep -qF -- "--raw needs a CHANNEL" "$D/raw-requests.err" || fail "$(cat "$D/raw-requests.err")"
