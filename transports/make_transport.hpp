// The transports of this build, by connection type: the only transports/ header app/ needs.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "cookie_jar.hpp"
#include "tls.hpp"
#include "session/transport.hpp"
#include "url.hpp"

namespace asio {
class io_context;
}

namespace cometd {

struct TransportSettings {
  Url url;  ///< as the user gave it; each transport maps the scheme it needs
  TlsOptions tls;
  std::optional<Url> proxy;  ///< --proxy or the environment's, already chosen for this URL
  std::chrono::milliseconds open_timeout{10000};  ///< WebSocket: TCP + TLS + upgrade
  std::size_t max_message_size = std::size_t{64} << 20;  ///< an HTTP body or a WebSocket message
};

/// Connection types this build implements, in the default preference order.
const std::vector<std::string_view>& available_connection_types();

/// A transport for `type`, or nullptr when this build has none.
std::unique_ptr<Transport> make_transport(std::string_view type, asio::io_context& io,
                                          const TransportSettings& settings, CookieJar& jar);

}  // namespace cometd
