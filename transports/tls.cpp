#include "tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <asio/ssl/context.hpp>
#include <asio/ssl/host_name_verification.hpp>
#include <asio/ssl/verify_context.hpp>

namespace cometd {

namespace {

std::string last_openssl_error() {
  const unsigned long e = ERR_peek_last_error();
  ERR_clear_error();
  if (e == 0) {
    return "unknown OpenSSL error";
  }
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

}  // namespace

bool load_tls_files(SSL_CTX* ctx, const TlsOptions& options, std::string& error) {
  ERR_clear_error();
  if (!options.cacert.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, options.cacert.c_str(), nullptr) != 1) {
      error = "cannot use --cacert " + options.cacert + ": " + last_openssl_error();
      return false;
    }
  } else {
    SSL_CTX_set_default_verify_paths(ctx);
  }
  if (options.cert.empty()) {
    return true;
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, options.cert.c_str()) != 1) {
    error = "cannot use --cert " + options.cert + ": " + last_openssl_error();
    return false;
  }
  const std::string& key = options.key.empty() ? options.cert : options.key;
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      error = "the private key in " + key + " does not match the certificate in " + options.cert;
      ERR_clear_error();
      return false;
    }
    error = options.key.empty()
                ? "cannot use --cert " + key + ": it holds no private key (give --key): " +
                      last_openssl_error()
                : "cannot use --key " + key + ": " + last_openssl_error();
    return false;
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    error = "the private key in " + key + " does not match the certificate in " + options.cert;
    ERR_clear_error();
    return false;
  }
  return true;
}

SSL_CTX* make_ssl_ctx(const TlsOptions& options, std::string& error) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) {
    error = "cannot make a TLS context: " + last_openssl_error();
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!load_tls_files(ctx, options, error)) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  SSL_CTX_set_verify(ctx, options.insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, nullptr);
  return ctx;
}

std::string tls_reason(unsigned long code) {
  if (const char* reason = ERR_reason_error_string(code)) {
    return reason;
  }
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

namespace {

/// Where a context keeps its TlsVerifyResult (asio has the app data for its verify callback).
int result_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

/// An info callback: at the end of a failed handshake, OpenSSL's error is still queued (asio
/// takes it next, and websocketpp reports only "TLS handshake failed"): keep its reason.
/// A fatal alert from the server (TLS 1.3 refuses a client certificate after the client's
/// handshake is done) is kept the same way, as OpenSSL words it once it queues the error.
void keep_handshake_failure(const SSL* ssl, int where, int ret) {
  unsigned long code = 0;
  if ((where & SSL_CB_READ_ALERT) == SSL_CB_READ_ALERT && (ret >> 8) == SSL3_AL_FATAL) {
    code = ERR_PACK(ERR_LIB_SSL, 0, SSL_AD_REASON_OFFSET + (ret & 0xff));
  } else if ((where & SSL_CB_EXIT) != 0 && ret <= 0) {
    code = ERR_peek_error();
  }
  auto* result =
      static_cast<TlsVerifyResult*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), result_index()));
  if (code != 0 && result != nullptr && result->handshake_error.empty()) {
    result->handshake_error = tls_reason(code);
  }
}

}  // namespace

std::shared_ptr<asio::ssl::context> make_tls_context(const TlsOptions& options,
                                                     const std::string& host,
                                                     std::shared_ptr<TlsVerifyResult> result,
                                                     std::string& error) {
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  std::error_code ec;
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1,
                   ec);
  if (!load_tls_files(ctx->native_handle(), options, error)) {
    return nullptr;
  }
  // The context is the connection's own, and `result` lives as long as the connection.
  SSL_CTX_set_ex_data(ctx->native_handle(), result_index(), result.get());
  SSL_CTX_set_info_callback(ctx->native_handle(), keep_handshake_failure);
  if (options.insecure) {
    ctx->set_verify_mode(asio::ssl::verify_none);
    return ctx;
  }
  ctx->set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::host_name_verification check_host(host);
  ctx->set_verify_callback([check_host, result](bool preverified,
                                                asio::ssl::verify_context& vctx) mutable {
    const bool ok = check_host(preverified, vctx);
    if (!ok && result->error.empty()) {
      const int code = X509_STORE_CTX_get_error(vctx.native_handle());
      result->error = code != X509_V_OK ? X509_verify_cert_error_string(code)
                                        : "the certificate does not match the host name";
    }
    return ok;
  });
  return ctx;
}

}  // namespace cometd
