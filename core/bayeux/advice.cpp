#include "bayeux/advice.hpp"

#include <algorithm>

namespace cometd {

void Advice::apply(const AdviceFields& fields) {
  if (!fields.present) {
    return;
  }
  reconnect = fields.reconnect.value_or(Reconnect::retry);
  if (fields.interval_ms) {
    if (*fields.interval_ms < 0) {
      reconnect = Reconnect::none;
      interval = Millis{0};
    } else {
      interval = std::min(Millis{*fields.interval_ms}, k_max_interval);
    }
  }
  if (fields.timeout_ms && *fields.timeout_ms >= 0) {
    timeout = std::min(Millis{*fields.timeout_ms}, k_max_timeout);
  }
  if (fields.max_interval_ms && *fields.max_interval_ms > 0) {
    max_interval = std::min(Millis{*fields.max_interval_ms}, k_max_max_interval);
  }
  multiple_clients = fields.multiple_clients;
}

void Advice::apply(const MessageView& message, std::string_view transport) {
  apply(message.advice);
  if (transport == "long-polling") {
    apply(message.advice_long_polling);
  } else if (transport == "websocket") {
    apply(message.advice_websocket);
  }
}

}  // namespace cometd
