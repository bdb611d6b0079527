// What a transport failure means for the session: which Trouble of the reconnect policy, and
// whether it is an authentication refusal or a transient hiccup of one request.
#pragma once

#include <string>

#include "bayeux/advice.hpp"
#include "bayeux/message.hpp"
#include "session/reconnect_policy.hpp"
#include "session/transport.hpp"

namespace cometd {

/// HTTP 401 or 403, on a request or on the WebSocket upgrade.
bool is_auth_failure(const Failure& failure);

/// The reconnect policy's view of a failed handshake or connect: refused or reset → unreachable;
/// a deadline, 5xx or 429 → transient; TLS, or any other HTTP status → broken (the endpoint is
/// not a Bayeux server we can talk to).
Trouble classify(const Failure& failure);

/// A failure worth retrying the same request for: the server was briefly not there (refused,
/// reset, deadline) or a gateway in front of it stumbled (502-504).
bool is_transient(const Failure& failure);

/// The failure's text for a log line ("HTTP 503" when the transport said nothing more).
std::string describe(const Failure& failure);

/// What an unsuccessful handshake or connect reply means (PROTOCOL.md §4, §9, §10), decided on
/// the advice (already applied) and the error string, whichever server sent it.
struct Refusal {
  enum class Kind {
    limit,        ///< an org limit (Salesforce): fatal, 69, never retried
    credentials,  ///< the credentials were refused: refresh them, or 77
    trouble,      ///< a matter for the reconnect policy (`trouble`)
  };
  Kind kind = Kind::trouble;
  Trouble trouble = Trouble::rejected;
  ExitCode code = ExitCode::unavailable;  ///< if the policy finds it fatal
  std::string message;                    ///< for stderr
};
Refusal judge_refusal(Step step, const MessageView& reply, const Advice& advice,
                      const std::string& url);

}  // namespace cometd
