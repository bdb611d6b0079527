// What the session sends (PROTOCOL.md §7, §8): a queue of subscribes, publishes and the
// disconnect, batched into requests bounded by count and bytes; one request at a time on a
// request/response transport's request lane, pipelined on WebSocket (with a deadline each, as
// replies come in any frame); the extension plugins' payload hooks on every batch.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bayeux/message.hpp"
#include "session/extension_set.hpp"
#include "session/pending.hpp"
#include "session/scheduler.hpp"
#include "session/transport.hpp"

namespace cometd {

class Pipeline {
 public:
  struct Limits {
    std::size_t max_batch_bytes = 1 << 20;
    std::size_t max_batch_messages = 1000;
  };
  /// Runs on the io thread when a pipelined request's replies are overdue.
  using OnDeadline = std::function<void(std::uint64_t tag)>;

  /// `listener` hears of batches an extension plugin dropped (as failures, after the call);
  /// `wake` runs when queued work may be sent (after publish(), or when a hold ends).
  Pipeline(Limits limits, Scheduler& scheduler, PendingReplies& pending,
           ExtensionSet& extensions, TransportListener& listener, OnDeadline on_deadline,
           std::function<void()> wake);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  /// A new transport, given `headers`: whatever was in flight on the old one is forgotten.
  void attach(Transport* transport, Headers headers);

  /// Queues a publish; wake() runs at the end of the current io handler, so that the
  /// publishes of one stdin chunk share a request.
  void publish(PublishRequest request);
  /// A publish sent again: before the queued publishes of later tickets, so that stdin order
  /// is kept.
  void requeue(PublishRequest request);
  /// Subscriptions go before queued publishes, all in one request.
  void subscribe(const std::vector<std::string>& channels);
  void disconnect();
  /// Queued subscribes are rebuilt after the next handshake.
  void drop_subscribes();
  void clear() { queue_.clear(); }
  /// Nothing is sent for `delay` (the server is unreachable), then wake() runs.
  void hold_for(Millis delay);
  /// The connection is back: the hold ends now.
  void release();
  bool held() const { return held_; }

  /// Something queued can be sent now.
  bool has_work() const { return !queue_.empty() && !held_; }
  /// The request lane can take a request (always on a pipelining transport).
  bool request_lane_free() const;
  /// Sends the queue in batches on the request lane, as far as the lane allows.
  void flush(std::string_view client_id, Millis deadline);
  /// Sends a /meta/handshake (alone, on the request lane) and awaits its reply.
  void send_handshake(const std::vector<std::string>& connection_types, std::string_view ext,
                      Millis deadline);
  /// Sends a /meta/connect (alone, on the connect lane) and awaits its reply.
  void send_connect(std::string_view client_id, std::string_view connection_type, bool first,
                    std::string_view ext, Millis deadline);
  /// No longer awaits the replies of `kind` (a session that is gone): they are ignored.
  void forget(RequestKind kind);
  /// Sends one body (a JSON array of `messages` messages) and returns its tag.
  std::uint64_t send(Lane lane, std::string body, Millis deadline, std::size_t messages);

  /// A response to request `tag` arrived or failed: the request lane is free again.
  void answered(std::uint64_t tag);
  /// One reply of pipelined request `tag` arrived.
  void replied(std::uint64_t tag);
  /// Waits another deadline for request `tag` (its reply may sit behind a stalled reader).
  void extend_deadline(std::uint64_t tag);
  /// Forgets every pipelined request's deadline (the socket is gone).
  void forget_in_flight();

 private:
  enum class Kind { subscribe, publish, disconnect };
  struct Outgoing {
    Kind kind = Kind::publish;
    std::string subscription;
    PublishRequest publish;
  };
  struct InFlight {
    std::size_t outstanding = 0;
    Scheduler::TimerId deadline = 0;
    Millis limit{0};
  };
  /// Appends the front of the queue to body_; false when it does not fit any more.
  bool append(const Outgoing& out, std::string_view client_id, Pending& pending, bool first);
  void arm_deadline(std::uint64_t tag, InFlight& info);
  /// --trace: one bayeux.out record per message of the request `tag`.
  void trace_out(std::uint64_t tag, std::string_view body);

  Limits limits_;
  Scheduler& scheduler_;
  PendingReplies& pending_;
  ExtensionSet& extensions_;
  TransportListener& listener_;
  OnDeadline on_deadline_;
  std::function<void()> wake_;
  Transport* transport_ = nullptr;
  Headers headers_;  // what the transport was last given
  std::deque<Outgoing> queue_;
  bool held_ = false;
  std::string body_;  // reused
  std::uint64_t next_tag_ = 1;
  std::uint64_t request_in_flight_ = 0;  // Lane::request, when the transport does not pipeline
  std::unordered_map<std::uint64_t, InFlight> in_flight_;
  std::vector<std::uint64_t> dropped_;  // batches an extension plugin dropped
  Timer dropped_timer_;
  Timer soon_timer_;
  Timer hold_timer_;
  std::unique_ptr<BatchParser> trace_parser_;  // made at the first traced request
};

}  // namespace cometd
