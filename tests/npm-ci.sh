#!/usr/bin/env bash
# tests/npm-ci.sh DIR: installs DIR's node_modules from DIR's package-lock.json (npm ci), unless
# they were installed from this very lock file already. For the test servers (tests/integration)
# and the benchmark anchors (tests/bench).
set -euo pipefail
dir=$1
stamp=$dir/node_modules/.installed-from-lock.json
if ! cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null; then
  echo "npm ci in $dir" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2 || {
    echo "npm-ci.sh: npm ci failed in $dir" >&2
    exit 2
  }
  cp "$dir/package-lock.json" "$stamp"
fi
