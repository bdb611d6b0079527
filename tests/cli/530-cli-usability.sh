# --version, completion, COMETD_URL, and usage errors that help.
. "$(dirname "$0")/lib.sh"
[ "$("$CLI" --version)" = "cometd-cli 0.1.0" ] || fail "--version: $("$CLI" --version)"
for shell in bash zsh fish; do
  "$CLI" completion "$shell" >"$D/$shell" || fail "completion $shell"
  cmp -s "$D/$shell" "$TESTS_DIR/../completions/$(case $shell in bash) echo cometd-cli.bash ;; zsh) echo _cometd-cli ;; fish) echo cometd-cli.fish ;; esac)" ||
    fail "completion $shell differs from completions/"
done
"$CLI" completion tcsh >/dev/null 2>&1
expect_rc 64 $? "completion tcsh"

# COMETD_URL stands in for the URL.
ch=$(unique_channel env)
COMETD_URL=$FAYE_URL timeout 10 "$CLI" publish "$ch" '"via env"' >/dev/null 2>&1
expect_rc 0 $? "COMETD_URL"
[ "$(published faye "$ch")" -eq 1 ] || fail "COMETD_URL: not published"

usage() {  # EXPECTED-TEXT ARGS...
  local expected=$1
  shift
  timeout 5 "$CLI" "$@" >/dev/null 2>"$D/usage.err"
  expect_rc 64 $? "$*"
  grep -qF -- "$expected" "$D/usage.err" || fail "'$*': $(cat "$D/usage.err")"
}
usage "unknown option --coutn; did you mean --count?" subscribe "$FAYE_URL" /a --coutn 3
usage "unknown option --connection-typ; did you mean --connection-type?" --connection-typ long-polling sub "$FAYE_URL" /a
usage "-C is an option of subscribe, not of publish" publish "$FAYE_URL" /a 1 -C 2
usage "channel must start with '/' (did you mean '/chat'?)" subscribe "$FAYE_URL" chat
mkdir -p "$D/chat"
touch "$D/chat/a" "$D/chat/b"
usage "did the shell expand a wildcard? Quote it: '$D/chat/*'" subscribe "$FAYE_URL" "$D/chat/a" "$D/chat/b"
