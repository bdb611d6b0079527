#include "session/failure_class.hpp"

#include "bayeux/dialect.hpp"
#include "bayeux/errors.hpp"

namespace cometd {

namespace {

bool server_busy(int status) { return status >= 500 || status == 429; }

}  // namespace

bool is_auth_failure(const Failure& failure) {
  return (failure.kind == Failure::Kind::http_status ||
          failure.kind == Failure::Kind::upgrade_refused) &&
         (failure.http_status == 401 || failure.http_status == 403);
}

Trouble classify(const Failure& failure) {
  switch (failure.kind) {
    case Failure::Kind::refused:
    case Failure::Kind::network:
    case Failure::Kind::aborted:
      return Trouble::unreachable;
    case Failure::Kind::deadline:
      return Trouble::transient;
    case Failure::Kind::http_status:
    case Failure::Kind::upgrade_refused:
      return server_busy(failure.http_status) ? Trouble::transient : Trouble::broken;
    case Failure::Kind::tls:
    case Failure::Kind::proxy:
    case Failure::Kind::malformed:
      return Trouble::broken;
  }
  return Trouble::broken;
}

bool is_transient(const Failure& failure) {
  switch (failure.kind) {
    case Failure::Kind::refused:
    case Failure::Kind::network:
    case Failure::Kind::deadline:
      return true;
    case Failure::Kind::http_status:
      return failure.http_status >= 502 && failure.http_status <= 504;
    default:
      return false;
  }
}

std::string describe(const Failure& failure) {
  if (failure.kind == Failure::Kind::http_status && failure.detail.empty()) {
    return "HTTP " + std::to_string(failure.http_status);
  }
  return failure.detail;
}

Refusal judge_refusal(Step step, const MessageView& reply, const Advice& advice,
                      const std::string& url) {
  const std::string error(reply.error.empty() ? "no error given" : reply.error);
  const std::string reason = sfdc_failure_reason(reply);  // Salesforce says more there
  const bool handshake = step == Step::handshake;
  const std::string what = handshake ? "handshake" : "/meta/connect";
  Refusal r;
  if (is_limit_exceeded(error) || is_limit_exceeded(reason)) {
    r.kind = Refusal::Kind::limit;
    r.message = what + " refused by " + url + ": " + (reason.empty() ? error : reason);
  } else if (!handshake && (advice.reconnect == Reconnect::handshake ||
                            is_unknown_session_error(error))) {
    // Session loss comes first: handshake again without authenticating.
    r.trouble = Trouble::session_unknown;
    r.message = "/meta/connect: " + error;
  } else if (reason.rfind("401", 0) == 0 || (handshake ? is_auth_error(error)
                                                       : parse_bayeux_error(error).code == 401)) {
    // A handshake refused with 401 or 403 whatever its advice (Faye says handshake); a
    // connect with 401 (Salesforce's token expired).
    r.kind = Refusal::Kind::credentials;
    r.message = (handshake ? "handshake denied by " : "/meta/connect rejected by ") + url + ": " +
                (reason.empty() || !handshake ? error : error + " (" + reason + ")");
  } else if (advice.reconnect == Reconnect::none) {
    r.trouble = Trouble::refused_for_good;
    r.code = !handshake && is_auth_error(error) ? ExitCode::auth : ExitCode::unavailable;
    r.message = (handshake ? "handshake rejected by " : "/meta/connect rejected by ") + url +
                ": " + error + " (advice: reconnect none)";
  } else {
    r.message = what + " rejected: " + error;
  }
  return r;
}

}  // namespace cometd
