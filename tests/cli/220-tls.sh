# TLS on both transports against a Faye server with a certificate made by the test's own CA.
. "$(dirname "$0")/lib.sh"
for type in websocket long-polling; do
  # Not trusted: 69, and the message says it was the certificate.
  timeout 20 "$CLI" --connection-type "$type" subscribe "$FAYE_TLS_URL" /t/tls -C 1 >/dev/null 2>"$D/$type.untrusted.err"
  expect_rc 69 $? "$type: untrusted certificate"
  grep -q 'certificate verification failed' "$D/$type.untrusted.err" ||
    fail "$type: unclear TLS error: $(cat "$D/$type.untrusted.err")"
  [ "$(grep -c '' "$D/$type.untrusted.err")" -eq 1 ] || fail "$type: expected one stderr line"

  # --cacert: trusted, messages flow.
  ch=$(unique_channel "$type")
  timeout 20 "$CLI" -v --connection-type "$type" --cacert "$TLS_DIR/ca.pem" subscribe "$FAYE_TLS_URL" "$ch" -C 2 \
    >"$D/$type.out" 2>"$D/$type.err" &
  pid=$!
  wait_for "$D/$type.err" "subscribed to"
  curl -sf --cacert "$TLS_DIR/ca.pem" "$FAYE_TLS_CONTROL/publish?channel=$ch&n=2" >/dev/null || fail "control"
  wait "$pid"
  expect_rc 0 $? "$type: --cacert"
  ndjson "$D/$type.out"

  # -k: accepted, with a warning.
  timeout 20 "$CLI" -k --connection-type "$type" publish "$FAYE_TLS_URL" /t/tls '"insecure"' >/dev/null 2>"$D/$type.k.err"
  expect_rc 0 $? "$type: -k"
  grep -q 'warning: --insecure' "$D/$type.k.err" || fail "$type: -k gave no warning"

  # A host name the certificate does not name (it names 127.0.0.1 only, not localhost).
  url=${FAYE_TLS_URL/127.0.0.1/localhost}
  timeout 20 "$CLI" --connection-type "$type" --cacert "$TLS_DIR/ca.pem" publish "$url" /t/tls 1 >/dev/null 2>"$D/$type.host.err"
  expect_rc 69 $? "$type: wrong host name"
  grep -qi 'certificate\|host name' "$D/$type.host.err" || fail "$type: host name error: $(cat "$D/$type.host.err")"

  # https:// to a plain HTTP port: OpenSSL's reason, as curl gives it.
  timeout 20 "$CLI" --connection-type "$type" publish "${FAYE_URL/http:/https:}" /t/tls 1 >/dev/null 2>"$D/$type.plain.err"
  expect_rc 69 $? "$type: TLS to a plain HTTP port"
  grep -q '^cometd-cli: TLS handshake with 127.0.0.1:[0-9]* failed (wrong version number)$' "$D/$type.plain.err" ||
    fail "$type: TLS to plain HTTP: $(cat "$D/$type.plain.err")"
  [ "$(grep -c '' "$D/$type.plain.err")" -eq 1 ] || fail "$type: expected one stderr line"

  # Client certificates: required by the mTLS server.
  timeout 20 "$CLI" --timeout 2s --connection-type "$type" --cacert "$TLS_DIR/ca.pem" publish "$FAYE_MTLS_URL" /t/tls 1 >/dev/null 2>"$D/$type.nocert.err"
  rc=$?
  [ "$rc" -ne 0 ] || fail "$type: the mTLS server accepted a client without a certificate"
  grep -q '^cometd-cli: TLS handshake with 127.0.0.1:[0-9]* failed (tlsv13 alert certificate required)$' \
    "$D/$type.nocert.err" || fail "$type: no reason for the refused client: $(cat "$D/$type.nocert.err")"
  expect_rc 69 "$rc" "$type: client certificate refused"
  timeout 20 "$CLI" --connection-type "$type" --cacert "$TLS_DIR/ca.pem" --cert "$TLS_DIR/client.pem" \
    --key "$TLS_DIR/client.key" publish "$FAYE_MTLS_URL" /t/tls 1 >/dev/null 2>"$D/$type.cert.err"
  expect_rc 0 $? "$type: client certificate"
  say "$type ok"
done
# A --cacert that cannot be read: 66.
timeout 5 "$CLI" --cacert "$D/missing.pem" publish "$FAYE_TLS_URL" /t/tls 1 >/dev/null 2>"$D/missing.err"
expect_rc 66 $? "unreadable --cacert"
grep -q "cannot read --cacert" "$D/missing.err" || fail "66 message"
