// TLS settings shared by both transports, and the asio::ssl context WebSocket uses.
#pragma once

#include <memory>
#include <string>

namespace asio::ssl {
class context;
}

namespace cometd {

struct TlsOptions {
  std::string cacert;     ///< --cacert: PEM file of trusted CAs (else the system store)
  std::string cert;       ///< --cert: client certificate (PEM)
  std::string key;        ///< --key: its private key (PEM)
  bool insecure = false;  ///< -k: no certificate or host name verification
};

/// Where a verification callback records why it refused the peer, for the error message
/// (websocketpp reports every TLS failure as "TLS handshake failed").
struct TlsVerifyResult {
  std::string error;  ///< empty: no verification failure seen
};

/// A client context: TLS 1.2 or later, the system store or --cacert, the client certificate,
/// and verification of the certificate chain and of `host` unless insecure. Returns nullptr
/// with `error` set when a file cannot be used.
std::shared_ptr<asio::ssl::context> make_tls_context(const TlsOptions& options,
                                                     const std::string& host,
                                                     std::shared_ptr<TlsVerifyResult> result,
                                                     std::string& error);

}  // namespace cometd
