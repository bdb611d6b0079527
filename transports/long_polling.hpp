// Bayeux long-polling over HTTP POST: a lane for the held /meta/connect, a lane for the rest.
#pragma once

#include <memory>
#include <optional>

#include "cookie_jar.hpp"
#include "http_lane.hpp"
#include "session/transport.hpp"
#include "url.hpp"

namespace asio {
class io_context;
}

namespace cometd {

class LongPollingTransport final : public Transport {
 public:
  /// `url` is the http(s) endpoint; `jar` is shared with the session's other transports and
  /// must outlive this one.
  /// Headers come from set_headers().
  LongPollingTransport(asio::io_context& io, Url url, TlsOptions tls, std::optional<Url> proxy,
                       HttpLimits limits, CookieJar& jar);
  ~LongPollingTransport() override;

  std::string_view name() const override { return "long-polling"; }
  void open(TransportListener& listener) override;
  void send(std::uint64_t tag, Lane lane, std::string body,
            std::chrono::milliseconds deadline) override;
  bool pipelines_requests() const override { return false; }
  void set_headers(Headers headers) override { headers_ = std::move(headers); }
  void pause_reading(bool) override {}  // the session stops sending connects instead
  void cancel_connect() override { connect_lane_.abort_current(); }
  void close() override;
  void shutdown(std::function<void()> done) override;

 private:
  asio::io_context& io_;
  Url url_;
  Headers headers_;
  CookieJar& jar_;
  TransportListener* listener_ = nullptr;
  HttpLane connect_lane_;
  HttpLane request_lane_;
  std::shared_ptr<bool> alive_;
};

}  // namespace cometd
