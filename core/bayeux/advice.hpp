// The server's advice as the session keeps it (PROTOCOL.md §3).
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "bayeux/message.hpp"

namespace cometd {

using Millis = std::chrono::milliseconds;

/// The last advice received (PROTOCOL.md §3). All durations are milliseconds.
struct Advice {
  static constexpr Millis k_max_timeout{10 * 60 * 1000};
  static constexpr Millis k_max_interval{10 * 60 * 1000};
  static constexpr Millis k_max_max_interval{60 * 60 * 1000};

  Reconnect reconnect = Reconnect::retry;
  Millis interval{0};
  std::optional<Millis> timeout;       ///< how long the server holds a connect
  std::optional<Millis> max_interval;  ///< how long the server keeps a session without a connect
  bool multiple_clients = false;

  /// Applies an advice object: `reconnect` defaults to retry when absent, other absent fields keep
  /// their last value; a negative interval means reconnect none. Durations are clamped to sane
  /// maxima (a hostile server cannot make every connect fail at once, or a wait last days).
  void apply(const AdviceFields& fields);

  /// Applies `message`'s advice, then its override for `transport` ("long-polling"/"websocket").
  void apply(const MessageView& message, std::string_view transport);
};

}  // namespace cometd
