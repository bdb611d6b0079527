// Bayeux over WebSocket (websocketpp on the session's io_context): one socket, the same JSON
// arrays as text frames, replies in any frame. One transport object is one socket attempt:
// after a failure the session makes a new one.
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "cookie_jar.hpp"
#include "tls.hpp"
#include "session/transport.hpp"
#include "url.hpp"

namespace asio {
class io_context;
}

namespace cometd {

struct WebSocketSettings {
  Url url;  ///< the server URL; http→ws and https→wss
  TlsOptions tls;
  Headers headers;  ///< from set_headers(): on the upgrade request only, with the cookies
  std::optional<Url> proxy;
  std::chrono::milliseconds open_timeout{10000};  ///< TCP + TLS + upgrade
  std::chrono::milliseconds ping_interval{30000};  ///< a ping when the socket was quiet this long
  std::size_t max_message_size = std::size_t{64} << 20;  ///< a bigger message fails (76)
};

/// A ws:// or wss:// transport; `jar` must outlive it.
std::unique_ptr<Transport> make_websocket_transport(asio::io_context& io,
                                                    WebSocketSettings settings, CookieJar& jar);

}  // namespace cometd
