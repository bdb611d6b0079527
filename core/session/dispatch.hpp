// The session's inbound side: what the transport hands over, parsed (after the plugins' incoming
// hook), each reply matched to the request that awaits it, deliveries passed to the driver in
// array order; and the requests that will get no reply (a response without it, a transport
// failure, a pipelined request past its deadline) failed one by one.
#pragma once

#include <cstdint>
#include <string>

#include "bayeux/message.hpp"
#include "session/extension_set.hpp"
#include "session/health.hpp"
#include "session/negotiator.hpp"
#include "session/pending.hpp"
#include "session/phase.hpp"
#include "session/pipeline.hpp"
#include "session/transport.hpp"

namespace cometd {

class SessionListener;

/// Where matched replies and failures go (the session).
class ReplySink {
 public:
  virtual ~ReplySink() = default;
  /// The reply to `pending`, which is no longer awaited.
  virtual void on_reply(const MessageView& reply, Pending& pending) = 0;
  /// `pending` will get no reply.
  virtual void on_no_reply(Pending& pending, const Failure& failure) = 0;
  /// The reply text is not Bayeux (the message says why).
  virtual void on_not_bayeux(std::string message) = 0;
  /// After each batch or failure: send what is due.
  virtual void pump() = 0;
};

class Dispatch final : public TransportListener {
 public:
  struct Parts {
    PhaseMachine& phase;
    PendingReplies& pending;
    Pipeline& pipeline;
    ExtensionSet& extensions;
    Negotiator& negotiator;
    Health& health;
  };
  Dispatch(Parts parts, SessionListener& listener, ReplySink& sink, std::string url);

  void on_batch(std::uint64_t tag, std::string body) override;
  void on_failure(std::uint64_t tag, Failure failure) override;
  /// Pipelined request `tag` is overdue: the socket is suspect, unless stdout is stalled.
  void on_deadline(std::uint64_t tag);

 private:
  void route(const MessageView& message);
  /// --trace: a bayeux.in record (`tag`: the request whose response carried it, 0 on WebSocket).
  void trace_in(std::uint64_t tag, const MessageView& message);
  /// The transport failed: it is closed, and every request in flight fails.
  void lost(const Failure& failure);
  /// Fails `pendings` in stdin order, stopping if the session closes.
  void fail_all(std::vector<Pending> pendings, const Failure& failure);

  Parts parts_;
  SessionListener& listener_;
  ReplySink& sink_;
  std::string url_;
  BatchParser parser_;
};

}  // namespace cometd
