# The zsh and fish completions describe each option with its whole sentence, and each value of
# a choice (-o json|envelope|data) with its own words.
. "$(dirname "$0")/lib.sh"
"$CLI" completion zsh >"$D/zsh" || fail "completion zsh"
"$CLI" completion fish >"$D/fish" || fail "completion fish"
for shell in zsh fish; do
  grep -qF 'How long to keep trying to (re)connect before giving up' "$D/$shell" ||
    fail "$shell: --timeout is described as: $(grep -- 'timeout' "$D/$shell" | head -2)"
  grep -qF 'each message as sent' "$D/$shell" || fail "$shell: -o json has no description of its own"
  grep -qF 'the data value alone' "$D/$shell" || fail "$shell: -o data has no description of its own"
  grep -q 'Output records: json$\|Output records: json'"'"'$\|\[Output records: json\]' "$D/$shell" &&
    fail "$shell: a description cut at the first parenthesis"
done
# fish: one line per value, each with its own description.
grep -q -- "-l output .*-a 'envelope'.*-d '.*seq" "$D/fish" ||
  grep -q -- "-a 'envelope\\\\t" "$D/fish" || grep -q "envelope	" "$D/fish" ||
  fail "fish: envelope: $(grep envelope "$D/fish")"
if command -v zsh >/dev/null; then zsh -n "$D/zsh" || fail "zsh -n"; fi
if command -v fish >/dev/null; then fish -n "$D/fish" || fail "fish -n"; fi
