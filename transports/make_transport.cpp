#include "make_transport.hpp"

#include "long_polling.hpp"

namespace cometd {

const std::vector<std::string_view>& available_connection_types() {
  static const std::vector<std::string_view> types{"long-polling"};
  return types;
}

std::unique_ptr<Transport> make_transport(std::string_view type, asio::io_context& io,
                                          const TransportSettings& settings, CookieJar& jar) {
  if (type == "long-polling") {
    return std::make_unique<LongPollingTransport>(io, settings.url, settings.tls,
                                                  settings.headers, jar);
  }
  return nullptr;
}

}  // namespace cometd
