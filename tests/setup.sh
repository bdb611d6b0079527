#!/usr/bin/env bash
# Installs what building and testing cometd-cli needs on Debian bookworm: the compilers (GCC;
# clang for the fuzz targets) and libraries from apt (only the missing ones), and the test
# servers from npm (lock file).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ ninja-build pkg-config ca-certificates curl jq openssl
  libcpp-httplib-dev libwebsocketpp-dev libasio-dev libsimdjson-dev libcli11-dev
  libspdlog-dev doctest-dev libssl-dev clang libclang-rt-14-dev groff-base mandoc zsh fish
  dpkg-dev man-db lintian)
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

tests/npm-ci.sh tests/integration
