// What becomes of a publish (PROTOCOL.md §4, INTERFACE.md "publish"): reported to the driver with
// its outcome, or sent again — after a re-handshake when the server had lost the session (it
// was not processed), after fresh credentials, or once the server is reachable again when the
// request never left. A publish that may have reached the server is never resent.
#pragma once

#include "bayeux/message.hpp"
#include "session/pending.hpp"
#include "session/pipeline.hpp"
#include "session/transport.hpp"
#include "session/verbs.hpp"

namespace cometd {

class SessionListener;

class Publications {
 public:
  Publications(Pipeline& pipeline, SessionListener& listener, SessionVerbs& verbs)
      : pipeline_(pipeline), listener_(listener), verbs_(verbs) {}

  /// The server answered the publish `pending`.
  void on_reply(const MessageView& reply, Pending& pending);
  /// Its request failed without a reply.
  void on_failure(Pending& pending, const Failure& failure);
  /// Its transport was replaced before the reply came: the outcome is unknown.
  void abandon(const Pending& pending, const std::string& why);

 private:
  /// Sends it again, at most twice: after that the rejection is reported.
  bool resend(Pending& pending);
  void report(const Pending& pending, bool successful, std::string error, bool auth);

  Pipeline& pipeline_;
  SessionListener& listener_;
  SessionVerbs& verbs_;
};

}  // namespace cometd
