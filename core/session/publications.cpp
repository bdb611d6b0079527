#include "session/publications.hpp"

#include "bayeux/errors.hpp"
#include "session/failure_class.hpp"
#include "session/session.hpp"

namespace cometd {

namespace {

constexpr unsigned k_max_resends = 2;

}  // namespace

bool Publications::resend(Pending& pending) {
  if (pending.publish.resent >= k_max_resends || verbs_.ending()) {
    return false;
  }
  ++pending.publish.resent;
  pipeline_.requeue(std::move(pending.publish));
  return true;
}

void Publications::report(const Pending& pending, bool successful, std::string error,
                          bool auth) {
  PublishResult result;
  result.ticket = pending.publish.ticket;
  result.channel = pending.channel;
  result.id = pending.id;
  result.successful = successful;
  result.error = std::move(error);
  result.auth = auth;
  listener_.on_publish_result(result);
}

void Publications::on_reply(const MessageView& reply, Pending& pending) {
  if (*reply.successful) {
    report(pending, true, {}, false);
    return;
  }
  const std::string error = reply.error.empty() ? "no error given" : std::string(reply.error);
  if (is_unknown_session_error(error)) {
    // Not processed by the server: sent again in the next session (whatever the state:
    // several replies of one batch say so). A one-shot publish that skipped /meta/connect
    // falls back to the full sequence.
    if (resend(pending)) {
      verbs_.session_unknown("publish: " + error);
      return;
    }
  }
  const bool auth = is_auth_error(error);
  if (auth && verbs_.may_refresh_credentials()) {
    const std::string channel = pending.channel;
    if (resend(pending)) {
      verbs_.refresh_credentials("publish to " + channel + ": " + error);
      return;
    }
  }
  report(pending, false, error, auth);
}

void Publications::on_failure(Pending& pending, const Failure& failure) {
  const std::string detail = describe(failure);
  const bool auth = is_auth_failure(failure);
  if (auth && verbs_.may_refresh_credentials()) {
    const std::string channel = pending.channel;
    if (resend(pending)) {  // refused before it was processed: retried once
      verbs_.refresh_credentials("publish to " + channel + ": " + detail);
      return;
    }
  }
  if (failure.unsent && !verbs_.ending()) {
    // It never left: it waits while the client reconnects, within --timeout.
    pipeline_.requeue(std::move(pending.publish));
    verbs_.unhealthy(detail);
    verbs_.hold_requests();
    return;
  }
  if (is_transient(failure) || classify(failure) == Trouble::transient) {
    verbs_.unhealthy(detail);
  }
  report(pending, false,
         failure.kind == Failure::Kind::http_status
             ? detail
             : "no reply (" + detail + "); outcome unknown, not resent",
         auth);
}

void Publications::abandon(const Pending& pending, const std::string& why) {
  report(pending, false, "no reply (" + why + "); outcome unknown, not resent", false);
}

}  // namespace cometd
