// The transport seam: core owns the interface, transports/ implements it, tests fake it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cometd {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// Long-polling's two-connection rule: the held /meta/connect has a lane of its own.
enum class Lane { connect, request };

/// Why a request produced no Bayeux reply.
struct Failure {
  enum class Kind {
    network,          ///< the connection failed during or after the request (reset, EOF)
    refused,          ///< no connection could be made (refused, reset while connecting, DNS)
    deadline,         ///< no reply within the request's deadline
    http_status,      ///< an HTTP status other than 200 (http_status says which)
    tls,              ///< certificate or TLS handshake failure: never retried
    upgrade_refused,  ///< the WebSocket upgrade got an HTTP status instead of 101
    aborted,          ///< the transport was closed while the request was in flight
    proxy,            ///< the proxy refused the tunnel or the request: never retried (69)
    malformed,        ///< a reply over a size limit or not HTTP at all: never retried (76)
  };
  Kind kind = Kind::network;
  int http_status = 0;  ///< for http_status and upgrade_refused
  std::string detail;   ///< human-readable, already redacted
  /// The request certainly never reached the server (no connection was made, or the
  /// WebSocket never opened): it may be sent again without risk of a duplicate.
  bool unsent = false;
};

/// Implemented by the session. Every call happens on the io thread.
class TransportListener {
 public:
  virtual ~TransportListener() = default;
  /// An HTTP reply body (`tag` of its request) or one WebSocket text frame (tag 0).
  virtual void on_batch(std::uint64_t tag, std::string body) = 0;
  /// A request failed; tag 0 means every request in flight.
  virtual void on_failure(std::uint64_t tag, Failure failure) = 0;
};

/// Moves JSON text to and from the server. Never sees a parsed message.
class Transport {
 public:
  virtual ~Transport() = default;
  /// "long-polling" or "websocket", as in supportedConnectionTypes.
  virtual std::string_view name() const = 0;
  /// Starts the transport; listener must outlive it. Sends before open() completes are queued.
  virtual void open(TransportListener& listener) = 0;
  /// Sends one JSON array of messages. `deadline` bounds the wait for its reply.
  virtual void send(std::uint64_t tag, Lane lane, std::string body,
                    std::chrono::milliseconds deadline) = 0;
  /// Whether a second request may be sent on Lane::request before the first one's reply.
  virtual bool pipelines_requests() const = 0;
  /// Whether the server may refuse this transport at the HTTP level although it speaks
  /// Bayeux (a WebSocket upgrade answered with 400): a reason to fall back, not to fail.
  virtual bool may_refuse_upgrade() const { return false; }
  /// Extra HTTP headers (auth, -H): on every later HTTP request and on the next upgrade.
  virtual void set_headers(Headers headers) = 0;
  /// --max-pending: stop reading the socket (WebSocket); a no-op for long-polling.
  virtual void pause_reading(bool paused) = 0;
  /// Aborts a held /meta/connect of a session that is gone (long-polling's connect lane);
  /// its outcome is reported as a failure, or not at all.
  virtual void cancel_connect() = 0;
  /// Aborts the work in flight; no listener call happens after close() returns.
  virtual void close() = 0;
  /// close(), then `done` on the io thread once the connection is torn down (the WebSocket
  /// close handshake, bounded), never from inside this call.
  virtual void shutdown(std::function<void()> done) = 0;
};

}  // namespace cometd
