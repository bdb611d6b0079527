#!/usr/bin/env bash
# The W3 baseline: the three requests of a one-shot publish (handshake, publish, disconnect)
# made with curl, the session cookie kept in a jar.  Usage: curl-oneshot.sh URL CHANNEL
set -euo pipefail
url=$1
channel=$2
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
post() { curl -sf -b "$jar" -c "$jar" -H 'Content-Type: application/json;charset=UTF-8' --data-binary "$1" "$url"; }
reply=$(post '[{"id":"1","channel":"/meta/handshake","version":"1.0","minimumVersion":"1.0","supportedConnectionTypes":["long-polling"]}]')
id=${reply#*\"clientId\":\"}
id=${id%%\"*}
post "[{\"id\":\"2\",\"channel\":\"$channel\",\"clientId\":\"$id\",\"data\":{\"text\":\"cron\"}}]" >/dev/null
post "[{\"id\":\"3\",\"channel\":\"/meta/disconnect\",\"clientId\":\"$id\"}]" >/dev/null
