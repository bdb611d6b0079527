#!/usr/bin/env bash
# The Debian package: made by CPack, unpacked into a clean root (dpkg -x) and used from there:
# --version, the man page through man -l, a bash completion from the installed script; every
# file in its system folder, the dependencies computed, and lintian clean but for the tags a
# package without a real maintainer address cannot avoid.
# Usage: check.sh BUILD_DIR VERSION
set -u
build=$1
version=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
work=$(mktemp -d "${TMPDIR:-/tmp}/cometd-cli-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

rm -f "$build"/cometd-cli_*.deb
cmake --build "$build" --target package >"$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log" >&2
  echo "FAIL: cmake --build $build --target package" >&2
  exit 1
}
debs=("$build"/cometd-cli_"$version"_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || { echo "FAIL: no single .deb: ${debs[*]}" >&2; exit 1; }
deb=${debs[0]}
root=$work/root
dpkg -x "$deb" "$root" || { echo "FAIL: dpkg -x $deb" >&2; exit 1; }

for file in usr/bin/cometd-cli usr/share/man/man1/cometd-cli.1.gz \
            usr/share/bash-completion/completions/cometd-cli \
            usr/share/zsh/vendor-completions/_cometd-cli \
            usr/share/fish/vendor_completions.d/cometd-cli.fish \
            usr/include/cometd-cli/cometd_plugin.h \
            usr/share/doc/cometd-cli/copyright usr/share/doc/cometd-cli/changelog.gz; do
  [ -f "$root/$file" ] || fail "the package has no /$file"
done
[ -z "$(find "$root" -type f ! -path "$root/usr/*")" ] || fail "files outside /usr: $(find "$root" -type f ! -path "$root/usr/*")"

cli=$root/usr/bin/cometd-cli
[ "$("$cli" --version)" = "cometd-cli $version" ] || fail "--version: $("$cli" --version 2>&1)"
"$cli" completion bash | cmp -s - "$root/usr/share/bash-completion/completions/cometd-cli" ||
  fail "the installed bash completion is not what the binary prints"

# The man page, as man(1) shows the installed file.
page=$(MANPAGER=cat MANWIDTH=100 man -l "$root/usr/share/man/man1/cometd-cli.1.gz" 2>"$work/man.err")
[ -s "$work/man.err" ] && fail "man -l: $(cat "$work/man.err")"
grep -q 'cometd-cli - command-line client for CometD / Bayeux servers' <<<"$page" ||
  fail "man -l shows no NAME: $(head -5 <<<"$page")"
grep -q -- '--connection-type' <<<"$page" || fail "man -l shows no options"

# A completion from the installed script, as bash-completion would load it by the command name.
offered=$(bash -c '
  source "$1"
  COMP_WORDS=(cometd-cli sub http://h/c --co); COMP_CWORD=3
  _cometd_cli
  printf "%s\n" "${COMPREPLY[@]}"' _ "$root/usr/share/bash-completion/completions/cometd-cli")
grep -qx -- --count <<<"$offered" || fail "bash completion offered: $offered"

# Dependencies come from dpkg-shlibdeps, not from a hand-written list.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 libssl3 libsimdjson; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done

if command -v lintian >/dev/null; then
  lintian --pedantic "$deb" 2>&1 | grep -v 'running with root privileges' >"$work/lintian.txt"
  # A package built without -DCOMETD_DEB_MAINTAINER has no real address to give.
  if dpkg-deb -f "$deb" Maintainer | grep -q '@localhost>'; then
    grep -v -e '^E: cometd-cli: bogus-mail-host Maintainer ' \
      -e '^E: cometd-cli: bogus-mail-host-in-debian-changelog ' "$work/lintian.txt" >"$work/lintian.left"
  else
    cp "$work/lintian.txt" "$work/lintian.left"
  fi
  [ -s "$work/lintian.left" ] && fail "lintian: $(cat "$work/lintian.left")"
else
  echo "package: lintian is not installed (tests/setup.sh installs it); not run" >&2
fi

[ $failures -eq 0 ] && echo "package: $(basename "$deb") installs and works from a clean root"
[ $failures -eq 0 ]
