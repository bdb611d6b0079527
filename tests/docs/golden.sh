#!/usr/bin/env bash
# The --help of cometd-cli and of each subcommand, against the golden files in DIR.
# Usage: golden.sh CLI DIR check|write
set -u
cli=$1
dir=$2
mode=$3
status=0
for cmd in "" subscribe publish call probe bench completion; do
  name=help${cmd:+-$cmd}.txt
  # shellcheck disable=SC2086
  actual=$(COLUMNS=100 "$cli" $cmd --help)
  if [ "$mode" = write ]; then
    printf '%s\n' "$actual" >"$dir/$name"
  elif ! diff -u "$dir/$name" <(printf '%s\n' "$actual"); then
    echo "golden.sh: 'cometd-cli $cmd --help' differs from tests/docs/golden/$name" >&2
    status=1
  fi
done
exit $status
