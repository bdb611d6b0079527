#include "tls.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <asio/ssl/context.hpp>
#include <asio/ssl/host_name_verification.hpp>
#include <asio/ssl/verify_context.hpp>

namespace cometd {

namespace {

std::string openssl_error(const std::error_code& ec) {
  const unsigned long e = ERR_peek_last_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
  }
  return ec.message();
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
  if (!options.cacert.empty()) {
    ctx->load_verify_file(options.cacert, ec);
    if (ec) {
      error = "cannot use --cacert " + options.cacert + ": " + openssl_error(ec);
      return nullptr;
    }
  } else {
    ctx->set_default_verify_paths(ec);
  }
  if (!options.cert.empty()) {
    ctx->use_certificate_chain_file(options.cert, ec);
    if (ec) {
      error = "cannot use --cert " + options.cert + ": " + openssl_error(ec);
      return nullptr;
    }
    ctx->use_private_key_file(options.key.empty() ? options.cert : options.key,
                              asio::ssl::context::pem, ec);
    if (ec) {
      error = "cannot use --key " + (options.key.empty() ? options.cert : options.key) + ": " +
              openssl_error(ec);
      return nullptr;
    }
  }
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
