// One HTTP connection with a worker thread: blocking requests (HttpClient), results posted to
// the io thread. Long-polling uses two: the held /meta/connect and everything else. Nothing
// here makes the io thread wait on the worker: aborting is a write to an eventfd, and a
// worker that does not end at once (stuck in DNS) is left behind at stop().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "tls.hpp"
#include "session/transport.hpp"
#include "url.hpp"

namespace asio {
class io_context;
}

namespace cometd {

struct HttpResult {
  int status = 0;  ///< 0 when no response arrived
  std::string body;
  std::vector<std::string> set_cookies;
  Failure failure;  ///< meaningful when status is 0
};

class HttpLane {
 public:
  /// Runs on the io thread with the result of one post().
  using Done = std::function<void(HttpResult result)>;

  /// `proxy`: an HTTP proxy (CONNECT tunnel for https), or none; `limits` bound each reply.
  HttpLane(asio::io_context& io, Url origin, TlsOptions tls, std::optional<Url> proxy,
           HttpLimits limits, std::string name);
  ~HttpLane();
  HttpLane(const HttpLane&) = delete;
  HttpLane& operator=(const HttpLane&) = delete;

  /// Queues one POST of `body` (JSON) to the URL's target; the reply is due within `deadline`.
  /// `tag` names the request in the --trace records.
  void post(std::uint64_t tag, Headers headers, std::string body,
            std::chrono::milliseconds deadline, Done done);
  /// Aborts the request in flight, if any; its Done reports Failure::Kind::aborted.
  void abort_current();
  /// Aborts the request in flight, drops queued ones and ends the worker (joined when it ends
  /// within a few milliseconds, else detached). No Done runs after. Never blocks for long.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cometd
