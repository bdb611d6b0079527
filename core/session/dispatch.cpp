#include "session/dispatch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bayeux/channel.hpp"
#include "redact.hpp"
#include "trace.hpp"
#include "session/failure_class.hpp"
#include "session/session.hpp"

namespace cometd {

Dispatch::Dispatch(Parts parts, SessionListener& listener, ReplySink& sink, std::string url)
    : parts_(parts), listener_(listener), sink_(sink), url_(std::move(url)) {}

void Dispatch::on_batch(std::uint64_t tag, std::string body) {
  if (parts_.phase.in(Phase::closed)) {
    return;
  }
  parts_.pipeline.answered(tag);
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug("< {}", redact_json(body));
  }
  ExtensionSet& extensions = parts_.extensions;
  const bool dropped = extensions.has_payload_hooks() && !extensions.hooks()->incoming(body);
  if (!dropped) {
    // Each message is handled as soon as it is parsed: a reply's size costs no memory, and
    // the messages before a fault in the text are not lost.
    const bool traced = tracing();
    const bool bayeux = parser_.parse(body, [&](const MessageView& message) {
      if (traced) {
        trace_in(tag, message);
      }
      route(message);
      return !parts_.phase.in(Phase::closed);
    });
    listener_.on_batch_done();
    if (!bayeux) {
      sink_.on_not_bayeux("reply from " + url_ + " is not Bayeux: " + parser_.error() + ": " +
                          excerpt(redact_json(body)));
      return;
    }
  }
  const Transport* transport = parts_.negotiator.transport();
  if (tag != 0 && transport != nullptr && !transport->pipelines_requests()) {
    // A request/response transport answers every message of a request in its response.
    Failure failure;
    failure.kind = Failure::Kind::network;
    failure.detail = "the server's response held no reply to it";
    fail_all(parts_.pending.take_tag(tag), failure);
  }
  sink_.pump();
}

void Dispatch::on_failure(std::uint64_t tag, Failure failure) {
  if (parts_.phase.in(Phase::closed) || failure.kind == Failure::Kind::aborted) {
    return;
  }
  if (failure.kind != Failure::Kind::upgrade_refused) {
    // A refused upgrade is told once, by what is done about it (fallback or the final error).
    spdlog::debug("request failed: {}", describe(failure));
  }
  if (parts_.negotiator.transport()->pipelines_requests()) {
    lost(failure);  // a WebSocket failure is the socket's: all in flight is lost
  } else {
    parts_.pipeline.answered(tag);
    fail_all(parts_.pending.take_tag(tag), failure);
  }
  sink_.pump();
}

void Dispatch::on_deadline(std::uint64_t tag) {
  if (parts_.phase.in(Phase::closed)) {
    return;
  }
  if (parts_.health.paused()) {
    // The reply may be sitting unread behind a stalled stdout: not the server's fault.
    parts_.pipeline.extend_deadline(tag);
    return;
  }
  Failure failure;
  failure.kind = Failure::Kind::deadline;
  failure.detail = "no reply from " + url_ + " in time over " + parts_.negotiator.type();
  lost(failure);  // the socket is suspect
  sink_.pump();
}

void Dispatch::lost(const Failure& failure) {
  parts_.negotiator.mark_failed();
  parts_.negotiator.transport()->close();
  parts_.pipeline.forget_in_flight();
  parts_.pipeline.answered(0);
  fail_all(parts_.pending.take_tag(0), failure);
}

void Dispatch::fail_all(std::vector<Pending> pendings, const Failure& failure) {
  std::sort(pendings.begin(), pendings.end(), [](const Pending& a, const Pending& b) {
    return a.publish.ticket < b.publish.ticket;
  });
  for (auto& pending : pendings) {
    if (parts_.phase.in(Phase::closed)) {
      return;
    }
    sink_.on_no_reply(pending, failure);
  }
}

void Dispatch::trace_in(std::uint64_t tag, const MessageView& message) {
  TraceRecord record("bayeux.in");
  record.text("transport", parts_.negotiator.type());
  if (tag != 0) {
    record.number("request", static_cast<std::int64_t>(tag));
  }
  record.json("message", message.raw, message.compact);
}

void Dispatch::route(const MessageView& m) {
  if (!m.problem.empty()) {
    spdlog::warn("skipping a malformed message ({}): {}", m.problem, excerpt(redact_json(m.raw)));
    return;
  }
  parts_.extensions.incoming(m);
  const bool meta = is_meta_channel(m.channel);
  if (meta) {
    listener_.on_meta(m);
  }
  if (m.is_reply()) {
    Pending pending;
    if (parts_.pending.take(m.channel, m.id, pending)) {
      parts_.pipeline.replied(pending.tag);
      sink_.on_reply(m, pending);
      return;
    }
    if (meta || !m.has_data()) {
      spdlog::debug("ignoring a reply to no pending request: {}", excerpt(m.raw));
      return;
    }
  }
  if (!meta && m.has_data()) {
    listener_.on_message(m);
  }
}

}  // namespace cometd
