// The server's advice as the session keeps it, and Bayeux error strings.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "bayeux/message.hpp"

namespace cometd {

using Millis = std::chrono::milliseconds;

/// The last advice received (PROTOCOL.md §3). All durations are milliseconds.
struct Advice {
  Reconnect reconnect = Reconnect::retry;
  Millis interval{0};
  std::optional<Millis> timeout;       ///< how long the server holds a connect
  std::optional<Millis> max_interval;  ///< how long the server keeps a session without a connect
  bool multiple_clients = false;

  /// Applies an advice object: `reconnect` defaults to retry when absent, other absent fields keep
  /// their last value; a negative interval means reconnect none.
  void apply(const AdviceFields& fields);

  /// Applies `message`'s advice, then its override for `transport` ("long-polling"/"websocket").
  void apply(const MessageView& message, std::string_view transport);
};

/// A Bayeux `error` string, "code:args:text" (`402::session_unknown`, `401:abc:Unknown client`).
struct BayeuxError {
  int code = 0;  ///< 0 when the string does not start with a number
  std::string_view args;
  std::string_view text;
};

BayeuxError parse_bayeux_error(std::string_view error);

/// The unknown-session family, whatever the code (§9): session_unknown, unknown_session,
/// Unknown client (case-insensitive).
bool is_unknown_session_error(std::string_view error);

/// A 401 or 403 error code.
bool is_auth_error(std::string_view error);

}  // namespace cometd
