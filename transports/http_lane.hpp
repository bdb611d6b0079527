// One HTTP connection with a worker thread: blocking cpp-httplib requests, results posted to
// the io thread. Long-polling uses two: the held /meta/connect and everything else.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

  /// `proxy`: an HTTP proxy (CONNECT tunnel for https), or none.
  HttpLane(asio::io_context& io, Url origin, TlsOptions tls, std::optional<Url> proxy,
           std::string name);
  ~HttpLane();
  HttpLane(const HttpLane&) = delete;
  HttpLane& operator=(const HttpLane&) = delete;

  /// Queues one POST of `body` (JSON) to the URL's target; the reply is due within `deadline`.
  void post(Headers headers, std::string body, std::chrono::milliseconds deadline, Done done);
  /// Aborts the request in flight, if any; its Done reports Failure::Kind::aborted.
  void abort_current();
  /// Aborts the request in flight, drops queued ones and joins the worker. No Done runs after.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cometd
