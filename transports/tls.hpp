// TLS settings shared by both transports, and the asio::ssl context WebSocket uses.
#pragma once

#include <memory>
#include <string>

namespace asio::ssl {
class context;
}
struct ssl_ctx_st;

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
  std::string error;            ///< empty: no verification failure seen
  std::string handshake_error;  ///< OpenSSL's reason when the handshake failed otherwise
};

/// OpenSSL's reason for the error `code` (ERR_get_error), as curl prints it: "wrong version
/// number", "tlsv1 alert unknown ca"; the whole error string when it has no reason text.
std::string tls_reason(unsigned long code);

/// Loads --cacert (else the system store), --cert and --key (the key from the --cert file when
/// --key is absent) into `ctx`, and checks that the key matches the certificate. False with
/// `error` set (naming the file) otherwise. Both transports use it.
bool load_tls_files(ssl_ctx_st* ctx, const TlsOptions& options, std::string& error);

/// An OpenSSL client context for long-polling: TLS 1.2 or later, load_tls_files(), peer
/// verification unless insecure (the host name is set per connection). nullptr with `error`.
ssl_ctx_st* make_ssl_ctx(const TlsOptions& options, std::string& error);

/// A client context: TLS 1.2 or later, the system store or --cacert, the client certificate,
/// and verification of the certificate chain and of `host` unless insecure. Returns nullptr
/// with `error` set when a file cannot be used.
std::shared_ptr<asio::ssl::context> make_tls_context(const TlsOptions& options,
                                                     const std::string& host,
                                                     std::shared_ptr<TlsVerifyResult> result,
                                                     std::string& error);

}  // namespace cometd
