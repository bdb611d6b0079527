#include "make_transport.hpp"

#include "long_polling.hpp"
#include "websocket.hpp"

namespace cometd {

const std::vector<std::string_view>& available_connection_types() {
  static const std::vector<std::string_view> types{"websocket", "long-polling"};
  return types;
}

std::unique_ptr<Transport> make_transport(std::string_view type, asio::io_context& io,
                                          const TransportSettings& settings, CookieJar& jar) {
  if (type == "long-polling") {
    HttpLimits limits;
    limits.max_body = settings.max_message_size;
    return std::make_unique<LongPollingTransport>(io, settings.url, settings.tls, settings.proxy,
                                                  limits, jar);
  }
  if (type == "websocket") {
    WebSocketSettings ws;
    ws.url = settings.url;
    ws.tls = settings.tls;
    ws.proxy = settings.proxy;
    ws.open_timeout = settings.open_timeout;
    ws.max_message_size = settings.max_message_size;
    return make_websocket_transport(io, std::move(ws), jar);
  }
  return nullptr;
}

}  // namespace cometd
