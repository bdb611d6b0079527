# The zsh and fish completions describe each option with its whole sentence, and each value of
# a choice (-o json|envelope|data) in its own words.
. "$(dirname "$0")/lib.sh"
"$CLI" completion zsh >"$D/zsh" || fail "completion zsh"
"$CLI" completion fish >"$D/fish" || fail "completion fish"
for shell in zsh fish; do
  grep -qF 'How long to keep trying before giving up' "$D/$shell" ||
    fail "$shell: --timeout is described as: $(grep -- 'timeout' "$D/$shell" | head -2)"
  for words in 'each message as sent' 'seq, ts, subscription, message' 'the data value alone'; do
    grep -qF "$words" "$D/$shell" || fail "$shell: no '$words' for a value of -o"
  done
done
# zsh: each value of -o with its description, ((value\:"text" ...)).
grep -qF 'json\:"each message as sent"' "$D/zsh" || fail "zsh: -o values: $(grep -- '--output' "$D/zsh")"
if command -v zsh >/dev/null; then zsh -n "$D/zsh" || fail "zsh -n"; fi
# fish: what the shell offers, value by value.
if command -v fish >/dev/null; then
  fish -n "$D/fish" || fail "fish -n"
  offered=$(fish -c "source '$D/fish'; complete -C 'cometd-cli sub http://h/c /a -o '")
  grep -qx "$(printf 'envelope\tseq, ts, subscription, message')" <<<"$offered" ||
    fail "fish offers for -o: $offered"
  offered=$(fish -c "source '$D/fish'; complete -C 'cometd-cli sub --timeo'")
  grep -qF 'is given (then 75); 0 never gives up' <<<"$offered" || fail "fish offers: $offered"
fi
