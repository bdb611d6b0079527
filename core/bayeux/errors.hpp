// Bayeux error strings, "code:args:text", and what they mean whichever server sent them
// (PROTOCOL.md §9: codes are not portable, so the session decides on advice and on these).
#pragma once

#include <string_view>

namespace cometd {

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

/// Salesforce's org limits ("… limit exceeded"): fatal, never retried (§9, §12).
bool is_limit_exceeded(std::string_view error);

}  // namespace cometd
