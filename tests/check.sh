#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test: unit tests and the end-to-end cases
# against real Faye and CometD Node servers. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/setup.sh
cmake --preset release
cmake --build --preset release -j2
ctest --preset release
