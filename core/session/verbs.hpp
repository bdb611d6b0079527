// The session's verbs as its parts see them: a part that decides what a reply means asks the
// session to act through these, and the session moves its phase machine accordingly.
#pragma once

#include <string>

#include "exit_code.hpp"

namespace cometd {

class SessionVerbs {
 public:
  virtual ~SessionVerbs() = default;
  /// The server no longer knows the session: handshake again (when, the reconnect policy says).
  virtual void session_unknown(const std::string& why) = 0;
  /// An authentication failure: refresh the credentials, or end the run with 77.
  virtual void refresh_credentials(const std::string& what) = 0;
  /// Whether a refresh is allowed now (a source exists and none is on probation).
  virtual bool may_refresh_credentials() = 0;
  /// Something failed: the give-up clock runs, and a working connection is reported lost.
  virtual void unhealthy(const std::string& why) = 0;
  /// The server cannot be reached: send nothing more for a while, then try again.
  virtual void hold_requests() = 0;
  /// The run cannot go on.
  virtual void fail(ExitCode code, std::string message) = 0;
  /// Disconnecting or done: nothing is retried any more.
  virtual bool ending() const = 0;
};

}  // namespace cometd
