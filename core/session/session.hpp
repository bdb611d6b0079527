// The Bayeux session: handshake, one held /meta/connect, (re)subscribe, publish, disconnect.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "bayeux/advice.hpp"
#include "session/backoff.hpp"
#include "exit_code.hpp"
#include "session/hooks.hpp"
#include "bayeux/message.hpp"
#include "session/outbox.hpp"
#include "session/scheduler.hpp"
#include "session/transport.hpp"

namespace cometd {

struct SessionOptions {
  std::string url;  ///< for messages only (already redacted)
  /// Preference order, intersected with the server's supportedConnectionTypes; only types
  /// the transport factory makes. The first one is tried first (WebSocket: the upgrade).
  std::vector<std::string> connection_types{"long-polling"};
  /// A single type was asked for: exit 69 when the server does not offer it (no fallback).
  bool strict_connection_type = false;
  Millis network_delay{10000};  ///< allowance on top of advice.timeout for every request
  Millis timeout{10000};        ///< --timeout: give up after this long unhealthy; 0 = never
  /// Run the /meta/connect loop. Off only for a one-shot publish (handshake, publish,
  /// disconnect); turned on by itself if the server rejects publishing without it.
  bool connect_loop = true;
  std::string handshake_ext;  ///< raw JSON object merged into the handshake's ext, or empty
  Headers headers;            ///< -H, --bearer, User-Agent: on every request and upgrade
  std::size_t max_batch_bytes = 1 << 20;  ///< one request body at most (servers cap a message)
  std::size_t max_batch_messages = 1000;
};

/// The outcome of one publish.
struct PublishResult {
  std::uint64_t ticket = 0;
  std::string channel;
  std::string id;
  bool successful = false;
  std::string error;  ///< the server's error string, or why no reply came
  bool auth = false;  ///< rejected with 401/403
};

/// What the session reports to its driver. Every call happens on the io thread.
class SessionListener {
 public:
  virtual ~SessionListener() = default;
  /// A delivery (a non-meta message with data). Views are valid during the call only.
  virtual void on_message(const MessageView& message) = 0;
  /// After the last on_message() of one received batch: the moment to hand lines to stdout.
  virtual void on_batch_done() {}
  /// Every /meta/* message received (for --meta).
  virtual void on_meta(const MessageView& /*message*/) {}
  virtual void on_publish_result(const PublishResult& result) = 0;
  /// The session became healthy for the first time (first connect reply, or the handshake
  /// without the connect loop).
  virtual void on_established() {}
  /// The session cannot go on. The driver decides how to end (usually disconnect()).
  virtual void on_fatal(ExitCode code, std::string message) = 0;
  /// Whether received lines still wait for stdout (the ack extension acknowledges a batch
  /// only once they are written; the driver then calls Session::output_drained()).
  virtual bool output_pending() const { return false; }
};

/// Makes the transport for a connection type, or nullptr when this build has none.
using TransportFactory = std::function<std::unique_ptr<Transport>(std::string_view type)>;

class Session final : public TransportListener {
 public:
  Session(SessionOptions options, Scheduler& scheduler, TransportFactory factory,
          SessionListener& listener, std::function<double()> random01);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Built-in extensions (in --ext order) and the batch hooks (plugins, auth), or none; they
  /// must outlive the session. Call before start().
  void use_extensions(std::vector<MessageExtension*> builtins, BatchHooks* hooks);
  /// Handshakes, then subscribes to `channels` (each validated by the caller).
  void start(std::vector<std::string> channels);
  /// Everything received so far is on stdout (for the ack extension).
  void output_drained();
  /// Queues a publish; it is sent once a session exists, batched with whatever else is ready.
  void publish(PublishRequest request);
  /// Publishes queued or awaiting their reply.
  std::size_t publishes_outstanding() const;
  /// --max-pending: while paused no new /meta/connect is sent and WebSocket reading stops.
  void set_paused(bool paused);
  /// Ends the session: /meta/disconnect when one exists (its reply awaited at most 1 s), then
  /// the transport is closed and `done` runs (on the io thread, never from inside this call).
  void disconnect(std::function<void()> done);

  bool has_session() const { return !client_id_.empty(); }
  std::string_view transport_name() const;

  // TransportListener
  void on_batch(std::uint64_t tag, std::string body) override;
  void on_failure(std::uint64_t tag, Failure failure) override;

 private:
  enum class State { idle, handshaking, connected, disconnecting, closed };
  struct Subscription {
    std::string channel;
    enum class Status { wanted, sent, active, denied } status = Status::wanted;
  };
  struct Outgoing {
    RequestKind kind = RequestKind::publish;
    std::string subscription;  // subscribe/unsubscribe
    PublishRequest publish;
  };

  void open_transport(const std::string& type);
  void discover_offers(const std::string& why);
  bool fall_back(const std::string& why);
  void transport_lost(const Failure& failure);
  void on_deadline(std::uint64_t tag);
  void reply_received(std::uint64_t tag);
  void pump();
  void send_handshake();
  void send_connect();
  void send_requests();
  void schedule_connect(Millis delay);
  void schedule_handshake(Millis delay);
  void rehandshake(const std::string& reason, bool jitter_only);
  /// The session is gone: no client id, connect and subscriptions to be redone.
  void forget_session();
  void drop_pending(RequestKind kind);
  /// Everything awaited on the transport being replaced: publishes reported as unknown.
  void abandon_pending(const std::string& why);
  void requeue(PublishRequest request);
  void queue_subscriptions();
  void finish_disconnect();

  void handle_message(const MessageView& message, std::uint64_t tag);
  void handle_handshake_reply(const MessageView& reply);
  void handle_connect_reply(const MessageView& reply);
  void handle_subscribe_reply(const MessageView& reply, Pending& pending);
  void handle_publish_reply(const MessageView& reply, Pending& pending);
  void fail_pending(Pending& pending, const Failure& failure);
  void fail_subscription(const std::string& channel, const std::string& error, bool auth);
  void request_done(std::uint64_t tag);

  /// An auth source exists and no refresh is on probation (the last one worked for a minute).
  bool may_refresh_credentials();
  void credential_failure(const std::string& what);
  std::string ext_object(const OutgoingMessage& message, std::string_view base);
  Headers current_headers() const;
  void mark_unhealthy(const std::string& why);
  void arm_give_up();
  Millis expiry_window() const;
  void mark_healthy();
  void fatal(ExitCode code, std::string message);
  Millis connect_deadline() const;
  std::uint64_t send_body(Lane lane, std::string body, Millis deadline, std::size_t messages);

  SessionOptions options_;
  Scheduler& scheduler_;
  TransportFactory factory_;
  SessionListener& listener_;
  Backoff backoff_;
  BatchParser parser_;
  std::unique_ptr<Transport> transport_;
  std::vector<std::unique_ptr<Transport>> retired_;  // closed; destroyed outside its callbacks
  std::size_t type_index_ = 0;     // into options_.connection_types
  bool transport_failed_ = false;  // a WebSocket that failed: the next send opens a new one
  bool websocket_worked_ = false;  // a connect succeeded over it: never fall back (sticky)
  bool discovering_ = false;       // strict websocket refused: a long-polling handshake only
                                   // learns what the server offers, for the error message
  std::string refusal_;            // why the WebSocket was refused
  /// Requests in flight on a pipelining transport: replies still due, and the deadline timer.
  struct InFlight {
    std::size_t outstanding = 0;
    Scheduler::TimerId deadline = 0;
    Millis limit{0};
  };
  std::unordered_map<std::uint64_t, InFlight> in_flight_;

  State state_ = State::idle;
  std::string client_id_;
  Advice advice_;
  PendingReplies pending_;
  std::deque<Outgoing> queue_;
  std::vector<Subscription> subscriptions_;
  std::uint64_t next_tag_ = 1;
  std::uint64_t request_tag_in_flight_ = 0;  // Lane::request, when the transport does not pipeline
  bool handshake_due_ = false;
  bool handshake_in_flight_ = false;
  bool connect_in_flight_ = false;
  bool connect_due_ = false;
  bool first_connect_ = true;
  bool paused_ = false;
  bool fatal_reported_ = false;
  bool auth_denial_ = false;       // a subscription was denied with 401/403
  bool warned_multiple_clients_ = false;
  bool warned_storm_ = false;
  int short_sessions_ = 0;
  std::optional<Scheduler::Clock::time_point> unhealthy_since_;
  bool ever_healthy_ = false;
  std::string last_failure_;
  Scheduler::Clock::time_point handshake_at_{};
  Scheduler::Clock::time_point last_connect_ok_{};
  Scheduler::Clock::time_point connect_sent_at_{};
  Scheduler::Clock::time_point healthy_since_{};  // start of the current healthy stretch
  Scheduler::Clock::time_point stalled_since_{};
  bool stalled_too_long_ = false;  // the stall warning fired; the session may have expired
  bool server_is_faye_ = false;
  Timer connect_timer_;
  Timer handshake_timer_;
  Timer give_up_timer_;
  Timer disconnect_timer_;
  Timer request_retry_timer_;
  Timer pump_timer_;
  Timer stall_timer_;
  Timer cleanup_timer_;
  std::function<void()> disconnect_done_;
  std::string body_;  // reused for outgoing batches
  std::string ext_members_;
  std::vector<MessageExtension*> builtins_;
  BatchHooks* hooks_ = nullptr;
  Headers transport_headers_;  // what the transport was last given
  bool authenticating_ = false;
  bool auth_retried_ = false;  // new credentials are in place: one more failure is final
  bool auth_worked_ = false;   // a connect succeeded since the last refresh
  Scheduler::Clock::time_point auth_refreshed_at_{};
  std::deque<Scheduler::Clock::time_point> auth_runs_;  // at most 3 in 10 minutes
  std::vector<std::uint64_t> dropped_tags_;  // batches an extension plugin dropped
  Timer dropped_timer_;
};

}  // namespace cometd
