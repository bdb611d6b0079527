#!/usr/bin/env bash
# The man page, the completions and --help come from one flag table: check that the committed
# files are what the table generates, that every option is in each of them, that the man page
# is clean for groff, and that the completion scripts parse and complete.
# Usage: check.sh CLI DOCGEN SOURCE_DIR
set -u
cli=$1
docgen=$2
src=$(cd "$3" && pwd)
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
regen="run: cmake --build <build dir> --target docs"

for pair in "man:man/cometd-cli.1" "bash:completions/cometd-cli.bash" "zsh:completions/_cometd-cli" \
            "fish:completions/cometd-cli.fish"; do
  kind=${pair%%:*}
  file=$src/${pair#*:}
  diff -q <("$docgen" "$kind") "$file" >/dev/null || fail "$file is not what the flag table generates ($regen)"
done
"$src/tests/docs/golden.sh" "$cli" "$src/tests/docs/golden" check || fail "--help changed ($regen, and review the diff)"

# Every option of the table, in --help (of its subcommand), the man page and each completion.
while read -r scopes name; do
  if [ "$scopes" = global ]; then
    help=$("$cli" --help)
  else
    help=$("$cli" "$scopes" --help)
  fi
  grep -q -- "--$name\b" <<<"$help" || fail "--$name is missing from the --help of ${scopes}"
  grep -q -- "\\\\-\\\\-${name//-/\\\\-}\\\\fR" "$src/man/cometd-cli.1" || fail "--$name is missing from the man page"
  grep -q -- "--$name\b" "$src/completions/cometd-cli.bash" || fail "--$name is missing from the bash completion"
  grep -q -- "--$name\b" "$src/completions/_cometd-cli" || fail "--$name is missing from the zsh completion"
  grep -q -- "-l $name\b" "$src/completions/cometd-cli.fish" || fail "--$name is missing from the fish completion"
done < <("$docgen" flags)

# The man page is clean for groff (and mandoc, where installed).
warnings=$(groff -man -ww -z "$src/man/cometd-cli.1" 2>&1)
[ -z "$warnings" ] || fail "groff -man -ww: $warnings"
if command -v mandoc >/dev/null; then
  warnings=$(mandoc -Tlint -W warning "$src/man/cometd-cli.1" 2>&1)
  [ -z "$warnings" ] || fail "mandoc -Tlint: $warnings"
fi
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "JSON OUTPUT FORMAT" "EXTENSION PLUGINS" \
               "EXIT STATUS" ENVIRONMENT SIGNALS EXAMPLES "SEE ALSO"; do
  grep -q "^\.SH $section\$" "$src/man/cometd-cli.1" || fail "the man page has no $section section"
done
for code in 0 1 64 65 66 69 74 75 76 77 78 124 130 143; do
  grep -q "^\.B.* $code\b\|^\.B $code\$" "$src/man/cometd-cli.1" || fail "EXIT STATUS lacks $code"
done

# The plugin ABI the man page shows is the installed header's, line for line.
abi_block() { sed -n '/^#define COMETD_PLUGIN_ABI/,/cometd_plugin_entry(void);/p' "$1" | grep -v '^$'; }
diff <(abi_block "$src/extensions/cometd_plugin.h") <(abi_block "$src/man/cometd-cli.1") >/dev/null ||
  fail "the man page's plugin ABI differs from extensions/cometd_plugin.h"
[ -n "$(abi_block "$src/man/cometd-cli.1")" ] || fail "the man page shows no plugin ABI"

# The completion scripts parse, and bash's completes.
bash -n "$src/completions/cometd-cli.bash" || fail "bash -n completions/cometd-cli.bash"
if command -v zsh >/dev/null; then
  zsh -n "$src/completions/_cometd-cli" || fail "zsh -n completions/_cometd-cli"
fi
if command -v fish >/dev/null; then
  fish -n "$src/completions/cometd-cli.fish" || fail "fish -n completions/cometd-cli.fish"
fi
complete_words() {  # WORDS...: what bash would offer for the last word
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _cometd_cli
    printf "%s\n" "${COMPREPLY[@]}"
    complete -p cometd-cli' _ "$src/completions/cometd-cli.bash" "$@"
}
out=$(complete_words cometd-cli "")
grep -qx subscribe <<<"$out" || fail "bash: no subcommands offered"
grep -q "complete -F _cometd_cli cometd-cli" <<<"$out" || fail "bash: complete -p shows no completion"
grep -qx -- --count <<<"$(complete_words cometd-cli sub http://h/c --co)" || fail "bash: subscribe --count"
! grep -qx -- --count <<<"$(complete_words cometd-cli pub http://h/c --co)" || fail "bash: publish offers --count"
grep -qx long-polling <<<"$(complete_words cometd-cli --connection-type l)" || fail "bash: --connection-type values"
grep -qx envelope <<<"$(complete_words cometd-cli sub -o e)" || fail "bash: -o values"
grep -qx replay <<<"$(complete_words cometd-cli --ext r)" || fail "bash: --ext values"
grep -qx zsh <<<"$(complete_words cometd-cli completion z)" || fail "bash: completion shells"
grep -q cometd-cli.1 <<<"$(cd "$src/man" && complete_words cometd-cli --cacert com)" || fail "bash: --cacert files"

[ $failures -eq 0 ] && echo "docs: man page, completions and --help agree with the flag table"
[ $failures -eq 0 ]
