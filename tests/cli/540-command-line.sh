# The command line as INTERFACE.md says: options before or after the subcommand, misplaced
# options named with where they belong, help [SUBCOMMAND], unknown subcommands, "--", and the
# contradictions that are usage errors (-q -v, subscribe --acks without -i).
. "$(dirname "$0")/lib.sh"

usage() {  # EXPECTED-TEXT ARGS...: exit 64 and EXPECTED-TEXT on stderr, nothing on stdout
  local expected=$1
  shift
  timeout 5 "$CLI" "$@" >"$D/usage.out" 2>"$D/usage.err"
  expect_rc 64 $? "$*"
  grep -qF -- "$expected" "$D/usage.err" || fail "'$*': $(cat "$D/usage.err")"
  empty "$D/usage.out" "stdout of '$*'"
}
ch=$(unique_channel opts)

# Every global option is accepted before and after the subcommand.
timeout 10 "$CLI" -q --timeout 5s --network-delay 5s -H 'X-A: 1' publish "$FAYE_URL" "$ch" 1 2>"$D/before.err"
expect_rc 0 $? "global options before publish"
timeout 10 "$CLI" publish "$FAYE_URL" "$ch" 2 -q --timeout 5s --network-delay 5s -H 'X-A: 1' 2>"$D/after.err"
expect_rc 0 $? "global options after publish"

# An option of a subcommand before it, or given to another one, says where it belongs.
usage "--acks is an option of publish: put it after 'publish'" --acks publish "$FAYE_URL" "$ch" 1
usage "-C is an option of subscribe: put it after 'subscribe'" -C 1 subscribe "$FAYE_URL" "$ch"
usage "--count is an option of subscribe, not of publish" publish "$FAYE_URL" "$ch" 1 --count 2
usage "--acks is an option of subscribe and publish, not of call" call "$FAYE_URL" /service/a --acks

# help [SUBCOMMAND]; --help of a subcommand lists the global options too, and its own text of
# a shared option.
timeout 5 "$CLI" help >"$D/help.out" 2>"$D/help.err"
expect_rc 0 $? "help"
grep -q '^Usage: cometd-cli \[OPTIONS\] COMMAND' "$D/help.out" || fail "help: $(head -3 "$D/help.out")"
empty "$D/help.err" "stderr of help"
timeout 5 "$CLI" help pub >"$D/help-pub.out" 2>&1
expect_rc 0 $? "help pub"
grep -q '^Usage: cometd-cli \[OPTIONS\] publish URL' "$D/help-pub.out" || fail "help pub: $(head -3 "$D/help-pub.out")"
usage "unknown command 'frobnicate'" help frobnicate
timeout 5 "$CLI" subscribe --help >"$D/sub-help.out" 2>&1
expect_rc 0 $? "subscribe --help"
for option in --timeout --connection-type --header --verbose --count; do
  grep -q -- "$option\b" "$D/sub-help.out" || fail "subscribe --help does not list $option"
done
grep -- '--duration' "$D/sub-help.out" | grep -q 'call' && fail "subscribe --help describes call's --duration"
timeout 5 "$CLI" call --help >"$D/call-help.out" 2>&1
grep -A1 -- '--duration' "$D/call-help.out" | grep -q 'reply' || fail "call --help: $(grep -A1 -- --duration "$D/call-help.out")"

# An unknown subcommand names the ones that exist; a missing one too.
usage "unknown command 'frobnicate'" frobnicate "$FAYE_URL"
grep -q 'subscribe' "$D/usage.err" && grep -q 'publish' "$D/usage.err" && grep -q 'probe' "$D/usage.err" ||
  fail "the commands are not named: $(cat "$D/usage.err")"
usage "did you mean subscribe?" subscirbe "$FAYE_URL" /a
usage "no command given" --timeout 5s

# "--" ends the options: -1 is DATA.
start_subscriber dash "$FAYE_URL" "$ch" -C 1 -o data
timeout 10 "$CLI" pub "$FAYE_URL" "$ch" -- -1 2>"$D/dash-pub.err"
expect_rc 0 $? "pub URL CHANNEL -- -1"
subscriber_done dash
[ "$(cat "$D/dash.out")" = "-1" ] || fail "-- -1 delivered '$(cat "$D/dash.out")'"

# Contradictions are usage errors.
usage "-q and -v" -q -v publish "$FAYE_URL" "$ch" 1
usage "-q and -v" publish "$FAYE_URL" "$ch" 1 -vq
usage "--acks needs -i" subscribe "$FAYE_URL" "$ch" --acks
usage "--on-error needs -i" subscribe "$FAYE_URL" "$ch" --on-error abort
