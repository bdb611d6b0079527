#include "long_polling.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>

namespace cometd {

LongPollingTransport::LongPollingTransport(asio::io_context& io, Url url, TlsOptions tls,
                                           std::optional<Url> proxy, HttpLimits limits,
                                           CookieJar& jar)
    : io_(io),
      url_(url.with_scheme_family(false)),
      jar_(jar),
      connect_lane_(io, url_, tls, proxy, limits, "connect"),
      request_lane_(io, url_, tls, proxy, limits, "request"),
      alive_(std::make_shared<bool>(true)) {}

LongPollingTransport::~LongPollingTransport() { close(); }

void LongPollingTransport::open(TransportListener& listener) { listener_ = &listener; }

void LongPollingTransport::send(std::uint64_t tag, Lane lane, std::string body,
                                std::chrono::milliseconds deadline) {
  if (!*alive_) {
    return;
  }
  Headers headers = headers_;
  merge_cookie_header(headers, jar_.header_for(url_));
  HttpLane& http = lane == Lane::connect ? connect_lane_ : request_lane_;
  http.post(tag, std::move(headers), std::move(body), deadline,
            [this, alive = alive_, tag](HttpResult result) {
              if (!*alive) {
                return;
              }
              // Cookies from every response, errors included (Salesforce rotates its
              // routing cookie on the 403::Unknown client reply).
              for (const auto& set_cookie : result.set_cookies) {
                jar_.store(url_, set_cookie);
              }
              if (result.status == 200) {
                listener_->on_batch(tag, std::move(result.body));
              } else {
                listener_->on_failure(tag, std::move(result.failure));
              }
            });
}

void LongPollingTransport::shutdown(std::function<void()> done) {
  close();
  asio::post(io_, std::move(done));
}

void LongPollingTransport::close() {
  if (!*alive_) {
    return;
  }
  *alive_ = false;
  connect_lane_.stop();
  request_lane_.stop();
}

}  // namespace cometd
