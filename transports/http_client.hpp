// One HTTP/1.1 client connection for a long-polling lane: blocking I/O on the lane's worker
// thread, through an HTTP proxy (absolute form for http, a CONNECT tunnel for https), TLS with
// OpenSSL. Written for this program instead of cpp-httplib 0.11, which builds its target from a
// "scheme://host:port" string (IPv6 literals broke it), caps neither the number of headers nor
// their length, decompresses without a bound, and deadlocks on its own lock when a proxy
// refuses CONNECT (yhirose/cpp-httplib#1590), so that stop() from another thread hangs too.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "session/transport.hpp"
#include "tls.hpp"
#include "url.hpp"

namespace cometd {

/// What a reply may hold. A reply over a limit fails the request (HttpError::oversized).
struct HttpLimits {
  std::size_t max_body = std::size_t{64} << 20;  ///< --max-message-size
  std::size_t max_header_count = 100;
  std::size_t max_header_bytes = std::size_t{64} << 10;  ///< status line and headers together
};

struct HttpReply {
  int status = 0;
  std::string reason;  ///< the status line's reason phrase ("Not Found"), as sent
  Headers headers;  ///< as received, in order
  std::string body;
};

/// Where one post() spent its time, each counted from its start as curl's -w times are
/// (--trace); a step not taken (on a kept connection: resolve, connect, TLS) stays -1.
struct HttpTimings {
  std::chrono::nanoseconds dns{-1};         ///< the first hop's name resolved
  std::chrono::nanoseconds connect{-1};     ///< TCP connected (to the proxy, with one)
  std::chrono::nanoseconds tls{-1};         ///< TLS handshake done
  std::chrono::nanoseconds first_byte{-1};  ///< the first byte of the reply read
  std::chrono::nanoseconds total{0};
  bool reused = false;  ///< the request went over a kept connection
};

struct HttpError {
  enum class Kind {
    none,
    refused,          ///< no TCP connection (refused, unreachable, DNS)
    connect_timeout,  ///< no TCP connection within the connect timeout
    proxy,            ///< the proxy answered CONNECT with something else than 2xx
    tls_verify,       ///< the certificate or host name did not verify
    tls,              ///< another TLS failure (handshake, files)
    network,          ///< reset or EOF after the request went out
    deadline,         ///< no complete reply by the deadline
    aborted,          ///< abort() was called
    oversized,        ///< the reply broke HttpLimits
    malformed,        ///< not an HTTP reply
  };
  Kind kind = Kind::none;
  std::string detail;  ///< the stderr text; names the hop (server or proxy) that failed
  bool sent = false;   ///< some of the request may have reached the server
};

class HttpClient {
 public:
  HttpClient(Url origin, TlsOptions tls, std::optional<Url> proxy, HttpLimits limits);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Worker thread. POSTs `body` to `target`, over the kept connection when there is one;
  /// `connect_timeout` bounds each TCP connect, `deadline` the whole exchange. False with
  /// `error` set on failure.
  bool post(const std::string& target, const Headers& headers, const std::string& body,
            std::chrono::milliseconds connect_timeout,
            std::chrono::steady_clock::time_point deadline, HttpReply& reply, HttpError& error);
  /// Worker thread: the timings of the last post(), whatever its outcome.
  const HttpTimings& timings() const;
  /// Any thread; never blocks: the request in flight (or the next one, until rearm()) fails
  /// with Kind::aborted.
  void abort();
  /// Worker thread, before a request: forgets an abort() meant for an earlier one.
  void rearm();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cometd
